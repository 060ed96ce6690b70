// Test helper: a SigningProxy that answers from a handler and records what was sent (no network).
import type { IncomingResponse, OutgoingRequest, SigningProxy } from '../http/types';

export type FakeAnswer = { status?: number; headers?: Record<string, string>; body: string | Buffer };

export class FakeProxy implements SigningProxy {
  readonly sent: OutgoingRequest[] = [];

  constructor(private readonly answer: (req: OutgoingRequest, index: number) => FakeAnswer | Promise<FakeAnswer>) {}

  async send(request: OutgoingRequest): Promise<IncomingResponse> {
    this.sent.push(request);
    const a = await this.answer(request, this.sent.length - 1);
    return {
      status: a.status ?? 200,
      headers: a.headers ?? {},
      // A fresh copy per answer, as from the network: the engine hands each answer's bytes to a worker.
      body: Buffer.from(a.body),
      url: request.url,
    };
  }
}

export const JSON_HEADERS = { 'content-type': 'application/json' };
export const XML_HEADERS = { 'content-type': 'text/xml' };
