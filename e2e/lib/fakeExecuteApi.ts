// A local stand-in for an API Gateway API with IAM authorization (moto cannot serve execute-api calls on a
// local endpoint): `GET /<stage>/<resource>` answers JSON, only when the SigV4 signature is valid for
// service `execute-api` with the known keys (checked the way the AMP fake checks `aps`).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from './fakeAmp';

export interface FakeExecuteApi {
  /** The invoke URL without stage, e.g. http://127.0.0.1:1234 (the data source's endpoint). */
  url: string;
  requests: Array<{ method: string; path: string; verdict: string }>;
  close(): Promise<void>;
}

export async function startFakeExecuteApi(opts: {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  routes: Record<string, unknown>;
}): Promise<FakeExecuteApi> {
  const requests: FakeExecuteApi['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const verdict = await verify(req, Buffer.concat(chunks), opts, 'execute-api').catch(
          (e: Error) => `verification failed: ${e.message}`,
        );
        const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
        requests.push({ method: req.method ?? '', path, verdict });
        const send = (status: number, value: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (verdict !== 'ok') return send(403, { message: verdict });
        if (req.method === 'GET' && path in opts.routes) return send(200, opts.routes[path]);
        return send(404, { message: `no route ${req.method} ${path}` });
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
