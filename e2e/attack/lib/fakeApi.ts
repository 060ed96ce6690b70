// The "allowed server" of one attack case: an AWS-like API on 127.0.0.1 behind a faulty STS (both on one
// port, as when a data source's endpoint is also its STS endpoint). Routes under /api/ answer the way a
// hostile or broken API would: echoes, planted secrets in every encoding, redirects, bombs, trickles, resets.
// Requests to /forbidden/ or with a Host other than the server's own count as canary hits.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type http from 'node:http';
import { startFaultySts, type FaultySts } from '../../lib/fakes/sts';
import type { RecordedRequest } from '../../lib/fakes/server';

export interface FakeApi {
  url: string;
  port: number;
  sts: FaultySts;
  /** Values the /api/plant route writes into its answer (what a leaky API might hold). */
  planted: Record<string, string>;
  /** Requests to paths outside what the case allows, or with a foreign Host header. */
  strayHits(): string[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const ROWS = [
  { id: 1, name: 'alpha', value: 10 },
  { id: 2, name: 'beta', value: 20 },
  { id: 3, name: 'gamma', value: 30 },
];

const GZIP_BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
const BR_BOMB = brotliCompressSync(Buffer.alloc(64 * 1024 * 1024, 0x20));

function json(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}

function rawSocket(res: http.ServerResponse, text: string, end = true): void {
  const socket = res.socket;
  if (!socket) return;
  if (end) socket.end(text);
  else socket.write(text);
}

function laughs(): string {
  const ents = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) ents.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?><!DOCTYPE lolz [${ents.join('')}]><Root><Item>&lol9;</Item></Root>`;
}

export async function startFakeApi(): Promise<FakeApi> {
  const stray: string[] = [];
  const planted: Record<string, string> = {};
  let self = '';
  const handler = (req: RecordedRequest, res: http.ServerResponse): void => {
    const url = new URL(req.path, 'http://x');
    const p = url.pathname;
    if (req.headers.host !== self.replace(/^http:\/\//, ''))
      stray.push(`Host ${String(req.headers.host)} ${req.method} ${req.path}`);
    if (p.startsWith('/forbidden') || !p.startsWith('/api/')) {
      stray.push(`${req.method} ${req.path}`);
      return json(res, 200, [{ stolen: true }]);
    }
    const q = url.searchParams;
    switch (p) {
      case '/api/rows':
        return json(res, 200, ROWS);
      case '/api/many': {
        const n = Number(q.get('n') ?? '1000');
        return json(
          res,
          200,
          Array.from({ length: n }, (_, i) => ({ i, s: `row${i}` })),
        );
      }
      case '/api/echo':
        return json(res, 200, { method: req.method, path: req.path, headers: req.headers, body: req.body });
      case '/api/echo-b64':
        return json(res, 200, {
          blob: Buffer.from(JSON.stringify({ headers: req.headers, body: req.body })).toString('base64'),
        });
      case '/api/echo-urlenc':
        return json(res, 200, {
          q: new URLSearchParams(Object.entries(req.headers).map(([k, v]) => [k, String(v)])).toString(),
        });
      case '/api/echo-escaped':
        // JSON.stringify leaves "/" alone; some servers escape it, which hides a secret from a raw search.
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ headers: req.headers }).replace(/\//g, '\\/'));
        return;
      case '/api/echo-error':
        return json(res, 400, {
          __type: 'EchoException',
          message: `request was ${JSON.stringify(req.headers)} body ${req.body}`,
        });
      case '/api/echo-xml-error':
        res
          .writeHead(403, { 'content-type': 'text/xml' })
          .end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>auth ${String(req.headers.authorization)} token ${String(req.headers['x-amz-security-token'])}</Message></Error></ErrorResponse>`,
          );
        return;
      case '/api/echo-header':
        // The token back under a harmless header name: filtering headers by name is not enough.
        return json(res, 200, ROWS, {
          'x-debug-echo': String(req.headers['x-amz-security-token'] ?? ''),
          'x-request-auth': String(req.headers.authorization ?? ''),
        });
      case '/api/plant': {
        const value = planted[q.get('name') ?? ''] ?? '';
        const form = q.get('form') ?? 'raw';
        const enc =
          form === 'json'
            ? JSON.stringify(value).slice(1, -1).replace(/\//g, '\\/')
            : form === 'url'
              ? encodeURIComponent(value)
              : form === 'base64'
                ? Buffer.from(value).toString('base64')
                : form === 'base64-inner'
                  ? Buffer.from(`{"k":"${value}"}`).toString('base64')
                  : value;
        if (form === 'json') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(`[{"id":1,"note":"${enc}"}]`);
          return;
        }
        return json(res, 200, [{ id: 1, note: enc }]);
      }
      case '/api/credentials':
        // Not STS, yet the answer carries credentials.
        return json(res, 200, {
          Credentials: {
            AccessKeyId: planted.mintedKeyId ?? '',
            SecretAccessKey: planted.mintedSecret ?? '',
            SessionToken: planted.mintedToken ?? '',
          },
        });
      case '/api/redirect': {
        const status = Number(q.get('status') ?? '302');
        res.writeHead(status, { location: q.get('to') ?? '/api/rows' }).end();
        return;
      }
      case '/api/chain': {
        const n = Number(q.get('n') ?? '0');
        res.writeHead(302, { location: n <= 0 ? '/api/rows' : `/api/chain?n=${n - 1}` }).end();
        return;
      }
      case '/api/loop':
        res.writeHead(302, { location: '/api/loop' }).end();
        return;
      case '/api/gzip':
        res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
          .end(gzipSync(JSON.stringify(ROWS)));
        return;
      case '/api/deflate':
        res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' })
          .end(deflateSync(JSON.stringify(ROWS)));
        return;
      case '/api/br':
        res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' })
          .end(brotliCompressSync(JSON.stringify(ROWS)));
        return;
      case '/api/gzip-bomb':
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(GZIP_BOMB);
        return;
      case '/api/br-bomb':
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' }).end(BR_BOMB);
        return;
      case '/api/gzip-lie':
        res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
          .end(JSON.stringify(ROWS));
        return;
      case '/api/head-big':
        if (req.method === 'HEAD') {
          rawSocket(
            res,
            'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000000000\r\nConnection: close\r\n\r\n',
          );
          return;
        }
        return json(res, 200, ROWS);
      case '/api/204-big':
        rawSocket(res, 'HTTP/1.1 204 No Content\r\nContent-Length: 5000000000\r\nConnection: close\r\n\r\n');
        return;
      case '/api/304-big':
        rawSocket(res, 'HTTP/1.1 304 Not Modified\r\nContent-Length: 5000000000\r\nConnection: close\r\n\r\n');
        return;
      case '/api/big-declared':
        rawSocket(
          res,
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000000000\r\n\r\n[',
          false,
        );
        return;
      case '/api/big-chunked': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < 8 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end('[]');
        };
        res.write('[');
        pump();
        return;
      }
      case '/api/slow-headers':
        return; // never answers
      case '/api/trickle': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
        const t = setInterval(() => {
          if (res.destroyed) return clearInterval(t);
          res.write(' ');
        }, 200);
        res.on('close', () => clearInterval(t));
        return;
      }
      case '/api/slow':
        return void setTimeout(() => json(res, 200, [{ who: q.get('who') ?? 'slow' }]), Number(q.get('ms') ?? '1500'));
      case '/api/reset':
        res.socket?.destroy();
        return;
      case '/api/reset-mid':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('[{"id":1,');
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      case '/api/laughs':
        res.writeHead(200, { 'content-type': 'text/xml' }).end(laughs());
        return;
      case '/api/xxe':
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY ext SYSTEM "' +
              self +
              '/forbidden/xxe">]><Root><Item><V>&xxe;</V><W>&ext;</W></Item></Root>',
          );
        return;
      case '/api/deep-json': {
        const depth = Number(q.get('depth') ?? '100000');
        res.writeHead(200, { 'content-type': 'application/json' }).end('['.repeat(depth) + ']'.repeat(depth));
        return;
      }
      case '/api/deep-xml': {
        const depth = Number(q.get('depth') ?? '100000');
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<a>'.repeat(depth) + '</a>'.repeat(depth));
        return;
      }
      case '/api/wide-csv': {
        const n = Number(q.get('n') ?? '100000');
        const head = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
        res
          .writeHead(200, { 'content-type': 'text/csv' })
          .end(`${head}\n${Array.from({ length: n }, (_, i) => i).join(',')}\n`);
        return;
      }
      case '/api/evil-string':
        return json(res, 200, [
          {
            s: `${'a'.repeat(Number(q.get('n') ?? '40'))}!`,
            list: 'a,'.repeat(Number(q.get('items') ?? '1000')).slice(0, -1),
          },
        ]);
      case '/api/proto':
        // Prototype-shaped keys in an answer.
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            `{"NextToken": "${q.get('token') ?? 'x'}", "items": [{"__proto__": {"endpoint": "${q.get('token') ?? ''}", "polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "name": "p"}]}`,
          );
        return;
      case '/api/page': {
        // First page hands out a token (a URL, as an attacker would), second page ends.
        const token = planted.pageToken ?? 'token-1';
        const second =
          req.body.includes(token) ||
          req.body.includes(encodeURIComponent(token)) ||
          url.search.includes(encodeURIComponent(token));
        return json(res, 200, second ? { items: [{ page: 2 }] } : { items: [{ page: 1 }], NextToken: token });
      }
      default:
        return json(res, 404, { message: `no route ${p}` });
    }
  };
  const sts = await startFaultySts({ fallback: handler });
  self = sts.url;
  return {
    url: sts.url,
    port: sts.port,
    sts,
    planted,
    strayHits: () => [...stray],
    requests: sts.requests,
    close: () => sts.close(),
  };
}
