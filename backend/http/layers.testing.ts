// Test helpers: a fake next layer that records what reaches it and answers from a script.
import type { IncomingResponse, OutgoingRequest, Send } from './types';

export interface FakeNext extends Send {
  readonly calls: OutgoingRequest[];
}

export function answer(
  status: number,
  body = '',
  headers: Record<string, string> = {},
  url = 'http://127.0.0.1:1/',
): IncomingResponse {
  return { status, headers, body: Buffer.from(body), url };
}

/** A next layer answering each call with `script(request, n)` (n from 1); a thrown value rejects. */
export function fakeNext(
  script: (req: OutgoingRequest, n: number) => IncomingResponse | Promise<IncomingResponse>,
): FakeNext {
  const calls: OutgoingRequest[] = [];
  const send = (async (req: OutgoingRequest) => {
    calls.push(req);
    const res = await script(req, calls.length);
    return { ...res, url: res.url === 'http://127.0.0.1:1/' ? req.url : res.url };
  }) as FakeNext;
  Object.defineProperty(send, 'calls', { value: calls });
  return send;
}

export async function rejection(
  p: Promise<unknown>,
): Promise<Error & { kind?: string; status?: number; source?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
