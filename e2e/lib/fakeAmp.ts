// A local stand-in for Amazon Managed Service for Prometheus (no emulator offers one): the Prometheus HTTP
// API (`/workspaces/<id>/api/v1/query` and `query_range`) on 127.0.0.1, which refuses any request whose
// SigV4 signature is not valid for service `aps` with the known keys. It verifies by re-signing the received
// request with @smithy/signature-v4 (same method, path, query, signed headers and body) and comparing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';

export interface FakeAmpOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  workspace: string;
}

export interface AmpRequestLog {
  method: string;
  path: string;
  query: Record<string, string>;
  verdict: 'ok' | string;
}

export interface FakeAmp {
  /** The workspace URL, e.g. http://127.0.0.1:1234/workspaces/ws-1 (the data source's endpoint). */
  workspaceUrl: string;
  requests: AmpRequestLog[];
  close(): Promise<void>;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** Checks the signature (for `service`, default aps); returns 'ok' or why not. Also used by fakeExecuteApi.ts. */
export async function verify(
  req: http.IncomingMessage,
  body: Buffer,
  opts: Omit<FakeAmpOptions, 'workspace'>,
  expectedService = 'aps',
): Promise<string> {
  const auth = req.headers.authorization ?? '';
  const m = AUTH.exec(auth);
  if (!m) return 'missing or malformed Authorization header';
  const [, keyId, day, region, service, signedHeaders, signature] = m;
  if (keyId !== opts.accessKeyId) return `unknown access key ${keyId}`;
  if (service !== expectedService) return `signed for service "${service}", expected "${expectedService}"`;
  if (region !== opts.region) return `signed for region "${region}", expected "${opts.region}"`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(day)) return 'X-Amz-Date does not match the credential scope';
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    const value = req.headers[name];
    if (value === undefined) return `signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const [host, port] = String(req.headers.host ?? '').split(':');
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: host,
    port: port ? Number(port) : undefined,
    path: url.pathname,
    query,
    headers,
    body: body.length ? body : undefined,
  });
  const signer = new SignatureV4({
    service: expectedService,
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId: opts.accessKeyId,
      secretAccessKey: opts.secretAccessKey,
      sessionToken: req.headers['x-amz-security-token'] as string | undefined,
    },
  });
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signed = await signer.sign(request, { signingDate });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  return expected === signature ? 'ok' : 'signature does not match';
}

/** Two series for query_range: `up{instance="a:9100"}` counts up by 0.25, `up{instance="b:9100"}` starts at +Inf then NaN. */
function matrix(start: number, end: number, step: number) {
  const times: number[] = [];
  for (let t = start; t <= end && times.length < 11000; t += step) times.push(t);
  return {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'up', job: 'node', instance: 'a:9100' },
          values: times.map((t, i) => [t, String(i * 0.25)]),
        },
        {
          metric: { __name__: 'up', job: 'node', instance: 'b:9100' },
          values: times.map((t, i) => [t, i === 0 ? '+Inf' : i === 1 ? 'NaN' : String(-i)]),
        },
      ],
    },
  };
}

export async function startFakeAmp(opts: FakeAmpOptions): Promise<FakeAmp> {
  const requests: AmpRequestLog[] = [];
  const base = `/workspaces/${opts.workspace}/api/v1/`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', 'http://placeholder');
        // Prometheus accepts the parameters in the query string or a form body.
        const params = new URLSearchParams(url.search);
        if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
          for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
        }
        const verdict = await verify(req, body, opts).catch((e: Error) => `verification failed: ${e.message}`);
        requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(params), verdict });
        const send = (status: number, value: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (verdict !== 'ok')
          return send(403, {
            message: `The request signature we calculated does not match the signature you provided: ${verdict}`,
          });
        if (url.pathname === `${base}query_range`) {
          const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(params.get(k)));
          if (!params.get('query') || ![start, end, step].every(Number.isFinite) || step <= 0 || end < start) {
            return send(400, {
              status: 'error',
              errorType: 'bad_data',
              error: 'query, start, end and a positive step are required',
            });
          }
          return send(200, matrix(start, end, step));
        }
        if (url.pathname === `${base}query`) {
          const time = Number(params.get('time') ?? Date.now() / 1000);
          return send(200, {
            status: 'success',
            data: {
              resultType: 'vector',
              result: [{ metric: { __name__: 'up', instance: 'a:9100' }, value: [time, '1'] }],
            },
          });
        }
        return send(404, { status: 'error', errorType: 'not_found', error: `no route ${url.pathname}` });
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    workspaceUrl: `http://127.0.0.1:${port}/workspaces/${opts.workspace}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
