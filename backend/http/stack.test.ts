import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { SigilError } from '../errors';
import { createCredentialSource } from '../aws/credentials';
import type { Settings } from '../settings/types';
import { normalisePrefix, parsePrefix, refusalReason } from './allowedUrls';
import { createOutgoingStack } from './stack';
import { createLogger } from '../log';
import { defaultRetryPolicy } from './retries';
import type { OutgoingStack } from './types';

interface Seen {
  host: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** A local server that counts TCP connections and records every request it receives. */
async function countingServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
  const seen: Seen[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    seen.push({ host: req.headers.host ?? '', method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => handler(req, res, seen.length));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    seen,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Servers and stacks made inside a test, closed after it whatever its outcome. */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(handler: Parameters<typeof countingServer>[0]) {
  const srv = await countingServer(handler);
  cleanups.push(srv.close);
  return srv;
}

function settingsFor(allowed: string[], extra: Partial<Settings> = {}): Settings {
  return {
    uid: 'u1',
    name: 'test',
    authType: 'keys',
    region: 'us-east-1',
    service: 'execute-api',
    allowedUrls: allowed.map(normalisePrefix),
    stsEndpoint: 'https://sts.us-east-1.amazonaws.com',
    timeoutMs: 5000,
    maxResponseBytes: 1024 * 1024,
    assumeRoleDurationSeconds: 900,
    accessKey: 'AKIDEXAMPLE',
    secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    ...extra,
  };
}

function ownedStack(settings: Settings): OutgoingStack {
  const stack = proxyFor(settings);
  cleanups.push(() => stack.dispose());
  return stack;
}

function proxyFor(settings: Settings): OutgoingStack {
  return createOutgoingStack({
    settings,
    credentials: createCredentialSource(settings),
    retryPolicy: defaultRetryPolicy({ baseBackoffMs: 5, maxBackoffMs: 20 }),
  });
}

async function refusal(p: Promise<unknown>): Promise<SigilError> {
  try {
    await p;
  } catch (e) {
    return e as SigilError;
  }
  throw new Error('expected a refusal');
}

describe('allowed URL guard', () => {
  let main: Awaited<ReturnType<typeof countingServer>>;
  let other: Awaited<ReturnType<typeof countingServer>>;
  let proxy: OutgoingStack;
  beforeAll(async () => {
    main = await countingServer((req, res) => {
      if (req.url?.startsWith('/api/redirect')) {
        res.writeHead(302, { location: `http://localhost:${main.port}/api/elsewhere` }).end();
      } else if (req.url?.startsWith('/api/hop')) {
        res.writeHead(307, { location: '/api/landed' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
    other = await countingServer((_req, res) => res.end('other'));
    proxy = proxyFor(settingsFor([`http://127.0.0.1:${main.port}/api/`]));
  });
  afterAll(async () => {
    proxy.dispose();
    await main.close();
    await other.close();
  });

  const escapes: Array<[string, (p: number, o: number) => string, RegExp]> = [
    ['other host', (p) => `http://localhost:${p}/api/x`, /not under any allowed URL/],
    [
      'userinfo @ with the allowed host as user',
      (p) => `http://127.0.0.1:${p}@localhost:${p}/api/x`,
      /userinfo \(a user name or password/,
    ],
    [
      'userinfo @ before the allowed host',
      (p) => `http://evil@127.0.0.1:${p}/api/x`,
      /userinfo \(a user name or password/,
    ],
    ['encoded dots', (p) => `http://127.0.0.1:${p}/api/%2e%2e/admin`, /not under any allowed URL/],
    ['encoded dot-dot-slash', (p) => `http://127.0.0.1:${p}/api/..%2fadmin`, /"\." or "\.\." segments/],
    [
      'double-encoded dots stay literal but encoded slash escapes',
      (p) => `http://127.0.0.1:${p}/api/%2E%2E%5Cadmin`,
      /segments/,
    ],
    ['port change', (_p, o) => `http://127.0.0.1:${o}/api/x`, /not under any allowed URL/],
    ['.. in path', (p) => `http://127.0.0.1:${p}/api/../admin`, /not under any allowed URL/],
    ['backslash traversal', (p) => `http://127.0.0.1:${p}/api\\..\\admin`, /not under any allowed URL/],
    ['IPv6 loopback', (p) => `http://[::1]:${p}/api/x`, /not under any allowed URL/],
    ['IPv4-mapped IPv6', (p) => `http://[::ffff:127.0.0.1]:${p}/api/x`, /not under any allowed URL/],
    ['uppercase other host', (p) => `http://LOCALHOST:${p}/api/x`, /not under any allowed URL/],
    ['prefix boundary', (p) => `http://127.0.0.1:${p}/apix`, /not under any allowed URL/],
    ['scheme change', (p) => `https://127.0.0.1:${p}/api/x`, /not under any allowed URL/],
    ['not a URL', () => `127.0.0.1/api`, /not a valid absolute URL/],
  ];

  it.each(escapes)('refuses %s before any byte is sent', async (_name, make, reason) => {
    const before = main.connections + other.connections;
    const err = await refusal(proxy.send({ method: 'GET', url: make(main.port, other.port) }));
    expect(err).toBeInstanceOf(SigilError);
    expect(err.source).toBe('plugin');
    expect(err.message).toMatch(reason);
    expect(err.message).toMatch(/allowedUrls/);
    expect(main.connections + other.connections).toBe(before);
  });

  it('refuses a redirect to another host, after the first (allowed) request only', async () => {
    const n = main.seen.length;
    const err = await refusal(proxy.send({ method: 'GET', url: `http://127.0.0.1:${main.port}/api/redirect` }));
    expect(err.message).toMatch(/localhost.*not under any allowed URL/);
    expect(main.seen.slice(n).map((s) => s.host)).toEqual([`127.0.0.1:${main.port}`]);
  });

  it('follows an allowed redirect and signs it again', async () => {
    const n = main.seen.length;
    const res = await proxy.send({ method: 'GET', url: `http://127.0.0.1:${main.port}/api/hop` });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`http://127.0.0.1:${main.port}/api/landed`);
    const [first, second] = main.seen.slice(n);
    expect(second.path).toBe('/api/landed');
    expect(second.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/execute-api\/aws4_request/,
    );
    expect(second.headers.authorization).not.toBe(first.headers.authorization);
  });

  it('sends allowed requests signed, on one kept-alive connection', async () => {
    const c = main.connections;
    for (let i = 0; i < 3; i++) {
      const res = await proxy.send({ method: 'GET', url: `http://127.0.0.1:${main.port}/api/ok?b=2&a=1` });
      expect(res.body.toString()).toBe('ok');
    }
    expect(main.connections - c).toBeLessThanOrEqual(1);
    expect(main.seen[main.seen.length - 1].headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('matches hosts and ports after normalisation', () => {
    expect(normalisePrefix('HTTPS://Monitoring.US-East-1.AmazonAWS.com:443')).toBe(
      'https://monitoring.us-east-1.amazonaws.com/',
    );
    expect(
      refusalReason('https://monitoring.us-east-1.amazonaws.com/x', [
        parsePrefix('https://MONITORING.us-east-1.amazonaws.com:443/'),
      ]),
    ).toBeUndefined();
    expect(refusalReason('http://[0:0::1]:80/x', [parsePrefix('http://[::1]/')])).toBeUndefined();
  });
});

describe('retries, caps and timeouts', () => {
  it('retries throttling (429, then 503 SlowDown) and succeeds', async () => {
    const srv = await serve((_req, res, n) => {
      if (n === 1) res.writeHead(429).end('{"__type":"ThrottlingException"}');
      else if (n === 2) res.writeHead(503).end('<Error><Code>SlowDown</Code></Error>');
      else res.writeHead(200).end('done');
    });
    const proxy = ownedStack(settingsFor([`http://127.0.0.1:${srv.port}/`]));
    const res = await proxy.send({ method: 'POST', url: `http://127.0.0.1:${srv.port}/q`, body: 'Action=X' });
    expect(res.status).toBe(200);
    expect(srv.seen).toHaveLength(3);
    expect(srv.seen[1].headers['x-amz-date']).toBeDefined();
  });

  it('retries 5xx only for idempotent methods', async () => {
    const srv = await serve((_req, res) => res.writeHead(500).end('boom'));
    const proxy = ownedStack(settingsFor([`http://127.0.0.1:${srv.port}/`]));
    expect((await proxy.send({ method: 'POST', url: `http://127.0.0.1:${srv.port}/` })).status).toBe(500);
    expect(srv.seen).toHaveLength(1);
    expect((await proxy.send({ method: 'GET', url: `http://127.0.0.1:${srv.port}/` })).status).toBe(500);
    expect(srv.seen).toHaveLength(1 + 4); // first try + 3 retries
  });

  it('stops reading at maxResponseBytes', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(4096));
      res.end(Buffer.alloc(4096));
    });
    const proxy = ownedStack(settingsFor([`http://127.0.0.1:${srv.port}/`], { maxResponseBytes: 5000 }));
    const err = await refusal(proxy.send({ method: 'GET', url: `http://127.0.0.1:${srv.port}/` }));
    expect(err.message).toMatch(/more than maxResponseBytes \(5000\)/);
  });

  it('times out with the setting named, and the secret never appears', async () => {
    const srv = await serve(() => undefined);
    const settings = settingsFor([`http://127.0.0.1:${srv.port}/`], { timeoutMs: 200 });
    const proxy = ownedStack(settings);
    const err = await refusal(proxy.send({ method: 'POST', url: `http://127.0.0.1:${srv.port}/slow` }));
    expect(err.source).toBe('downstream');
    expect(err.message).toMatch(/timed out after 0.2 s \(timeoutSeconds\)/);
    expect(err.message).not.toContain(settings.secretKey);
  });
});

describe('caller headers', () => {
  it('cannot override the signature, host or framing', async () => {
    const srv = await serve((_req, res) => res.end('ok'));
    const proxy = ownedStack(settingsFor([`http://127.0.0.1:${srv.port}/`]));
    await proxy.send({
      method: 'POST',
      url: `http://127.0.0.1:${srv.port}/x`,
      body: 'abc',
      headers: {
        Authorization: 'Bearer stolen',
        Host: 'evil.example',
        'Content-Length': '999',
        'X-Amz-Date': '19700101T000000Z',
        'X-Custom': 'kept',
      },
    });
    const h = srv.seen[0].headers;
    expect(h.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(h.authorization).toMatch(/SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-custom,/);
    expect(h.host).toBe(`127.0.0.1:${srv.port}`);
    expect(h['content-length']).toBe('3');
    expect(h['x-amz-date']).not.toBe('19700101T000000Z');
    expect(h['x-custom']).toBe('kept');
  });
});

describe('STS endpoints allowed without listing them', () => {
  /** Credentials that fail on purpose: reaching them means the URL guard let the request through. */
  const passedTheGuard = {
    get: async () => {
      throw new SigilError('credentials', 'credentials reached', { source: 'plugin' });
    },
    stsCalls: 0,
    description: 'test',
  };

  async function outcome(settings: Settings, url: string): Promise<string> {
    const proxy = createOutgoingStack({ settings, credentials: passedTheGuard });
    try {
      await proxy.send({ method: 'POST', url });
      return 'sent';
    } catch (e) {
      return (e as Error).message === 'credentials reached' ? 'allowed' : 'refused';
    } finally {
      proxy.dispose();
    }
  }

  it("allows the region's STS endpoint and STS's global endpoint (the default query) with no allowed URLs", async () => {
    const settings = settingsFor([], { region: 'eu-west-1', stsEndpoint: 'https://sts.eu-west-1.amazonaws.com' });
    expect(await outcome(settings, 'https://sts.eu-west-1.amazonaws.com/')).toBe('allowed');
    expect(await outcome(settings, 'https://sts.amazonaws.com/')).toBe('allowed');
    expect(await outcome(settings, 'https://monitoring.eu-west-1.amazonaws.com/')).toBe('refused');
  });

  it('allows only the custom endpoint, not AWS STS, when a custom endpoint stands in for AWS', async () => {
    const settings = settingsFor([], { endpoint: 'http://127.0.0.1:4566', stsEndpoint: 'http://127.0.0.1:4566' });
    expect(await outcome(settings, 'http://127.0.0.1:4566/')).toBe('allowed');
    expect(await outcome(settings, 'https://sts.amazonaws.com/')).toBe('refused');
  });
});

describe('the STS rule through the whole stack', () => {
  const STS_CREDENTIALS =
    '<GetSessionTokenResponse><GetSessionTokenResult><Credentials><AccessKeyId>ASIAMINTED</AccessKeyId><SecretAccessKey>minted-secret</SecretAccessKey><SessionToken>minted-token</SessionToken></Credentials></GetSessionTokenResult></GetSessionTokenResponse>';

  async function stsAndApi() {
    // Answers GetCallerIdentity to POSTs (the health check's form) and credentials to anything else.
    const sts = await serve((req, res) => {
      if (req.method === 'POST')
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/u</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>',
          );
      else res.writeHead(200, { 'content-type': 'text/xml' }).end(STS_CREDENTIALS);
    });
    const api = await serve((req, res) => {
      if (req.url?.startsWith('/api/to-sts'))
        res
          .writeHead(302, { location: `http://127.0.0.1:${sts.port}/?Action=GetSessionToken&Version=2011-06-15` })
          .end();
      else if (req.url?.startsWith('/api/echo-sts'))
        res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(STS_CREDENTIALS));
      else
        res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
          .end(gzipSync('{"ok":true}'));
    });
    const lines: Array<[string, string, Record<string, unknown>]> = [];
    const logger = {
      info: (m: string, f?: Record<string, unknown>) => lines.push(['info', m, f ?? {}]),
      warn: (m: string, f?: Record<string, unknown>) => lines.push(['warn', m, f ?? {}]),
    };
    const settings = settingsFor([`http://127.0.0.1:${api.port}/api/`], {
      stsEndpoint: `http://127.0.0.1:${sts.port}`,
      endpoint: `http://127.0.0.1:${sts.port}`,
    });
    const stack = createOutgoingStack({ settings, credentials: createCredentialSource(settings), logger });
    cleanups.push(() => stack.dispose());
    return { sts, api, stack, lines };
  }

  it('refuses GetSessionToken named directly, before any byte reaches STS, with one log line', async () => {
    const { sts, stack, lines } = await stsAndApi();
    const err = await refusal(
      stack.send({
        method: 'POST',
        url: `http://127.0.0.1:${sts.port}/`,
        body: 'Action=GetSessionToken&Version=2011-06-15',
      }),
    );
    expect(err.kind).toBe('url_refused');
    expect(err.message).toMatch(/GetSessionToken returns AWS credentials/);
    expect(sts.connections).toBe(0);
    expect(lines.map(([l, m]) => `${l} ${m}`)).toEqual(['warn request refused']);
  });

  it('refuses a 302 from an allowed API that leads to GetSessionToken, before following it', async () => {
    const { sts, api, stack } = await stsAndApi();
    const err = await refusal(stack.send({ method: 'GET', url: `http://127.0.0.1:${api.port}/api/to-sts` }));
    expect(err.kind).toBe('url_refused');
    expect(err.message).toMatch(/^redirect refused: .*GetSessionToken/);
    expect(api.seen).toHaveLength(1);
    expect(sts.connections).toBe(0);
  });

  it('refuses an answer that carries credentials, also gzip-encoded, and never repeats them', async () => {
    const { api, stack } = await stsAndApi();
    const err = await refusal(stack.send({ method: 'GET', url: `http://127.0.0.1:${api.port}/api/echo-sts` }));
    expect(err.kind).toBe('url_refused');
    expect(err.message).not.toMatch(/minted/);
  });

  it('lets GetCallerIdentity through and inflates a gzip answer', async () => {
    const { sts, api, stack } = await stsAndApi();
    const id = await stack.send({
      method: 'POST',
      url: `http://127.0.0.1:${sts.port}/`,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      service: 'sts',
    });
    expect(id.body.toString()).toMatch(/<Arn>arn:aws:iam::1:user\/u<\/Arn>/);
    const res = await stack.send({ method: 'GET', url: `http://127.0.0.1:${api.port}/api/data` });
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true });
    expect(api.seen[0].headers['accept-encoding']).toBe('gzip, deflate, br');
  });
});

describe('logging through the stack', () => {
  it('writes one line per retry and one per error answer, with the AWS code and request id', async () => {
    const srv = await serve((_req, res, n) => {
      if (n === 1) res.writeHead(429, { 'x-amzn-requestid': 'r-1' }).end('{"__type":"ThrottlingException"}');
      else res.writeHead(403, { 'x-amzn-requestid': 'r-2' }).end('{"__type":"AccessDeniedException","message":"no"}');
    });
    const lines: Array<[string, string, Record<string, unknown>]> = [];
    const logger = {
      info: (m: string, f?: Record<string, unknown>) => lines.push(['info', m, f ?? {}]),
      warn: (m: string, f?: Record<string, unknown>) => lines.push(['warn', m, f ?? {}]),
    };
    const settings = settingsFor([`http://127.0.0.1:${srv.port}/`]);
    const stack = createOutgoingStack({
      settings,
      credentials: createCredentialSource(settings),
      logger,
      retryPolicy: defaultRetryPolicy({ baseBackoffMs: 1, maxBackoffMs: 2 }),
    });
    cleanups.push(() => stack.dispose());
    const res = await stack.send({ method: 'POST', url: `http://127.0.0.1:${srv.port}/q?Secret=abc` });
    expect(res.status).toBe(403);
    expect(lines.map(([l, m, f]) => [l, m, f.status, f.awsCode, f.requestId, f.url])).toEqual([
      ['info', 'retrying request', 429, undefined, undefined, `http://127.0.0.1:${srv.port}/q?Secret=`],
      ['warn', 'error answer', 403, 'AccessDeniedException', 'r-2', `http://127.0.0.1:${srv.port}/q?Secret=`],
    ]);
    expect(JSON.stringify(lines)).not.toContain(settings.secretKey);
  });
});

describe('log lines name the data source', () => {
  it("carry the data source's uid and name through the injected logger, and no secret", async () => {
    const srv = await serve((_req, res) =>
      res.writeHead(500, { 'x-amzn-requestid': 'r-9' }).end('{"__type":"InternalFailure"}'),
    );
    const written: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => written.push(l) });
    const settings = settingsFor([`http://127.0.0.1:${srv.port}/`], { uid: 'ds-uid-7', name: 'Billing AWS' });
    const stack = createOutgoingStack({ settings, credentials: createCredentialSource(settings), logger });
    cleanups.push(() => stack.dispose());
    expect((await stack.send({ method: 'POST', url: `http://127.0.0.1:${srv.port}/x` })).status).toBe(500);
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0])).toMatchObject({
      '@level': 'warn',
      '@message': 'error answer',
      uid: 'ds-uid-7',
      name: 'Billing AWS',
      status: 500,
      awsCode: 'InternalFailure',
      requestId: 'r-9',
    });
    expect(written[0]).not.toContain(settings.secretKey);
    expect(written[0]).not.toContain('AKIDEXAMPLE');
  });
});
