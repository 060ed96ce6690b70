import http from 'node:http';
import { getEventListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { systemClock } from '../clock';
import { createFakeClock } from '../fakeClock';
import { rejection } from './layers.testing';
import { createTransport, PREALLOCATE_BYTES, type TransportOptions } from './transport';
import type { SigilError } from '../errors';

const agent = new http.Agent({ keepAlive: true });
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});
afterAll(() => agent.destroy());

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function transport(extra: Partial<TransportOptions> = {}) {
  return createTransport({
    agentFor: () => agent,
    timeoutMs: 5000,
    maxResponseBytes: 10_000,
    clock: systemClock,
    ...extra,
  });
}

const TEXT = JSON.stringify({ hello: 'world', n: [1, 2, 3] });

describe('transport: inflation', () => {
  it.each([
    ['gzip', gzipSync(TEXT)],
    ['x-gzip', gzipSync(TEXT)],
    ['deflate', deflateSync(TEXT)],
    ['br', brotliCompressSync(TEXT)],
    ['gzip, br', brotliCompressSync(gzipSync(TEXT))],
  ])('inflates a %s answer and drops the encoding headers', async (encoding, bytes) => {
    const base = await serve((_q, s) =>
      s.writeHead(200, { 'content-encoding': encoding, 'content-length': bytes.length, 'x-kept': 'y' }).end(bytes),
    );
    const res = await transport()({ method: 'GET', url: `${base}/` });
    expect(res.body.toString()).toBe(TEXT);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['x-kept']).toBe('y');
  });

  it('leaves an unknown encoding as it is', async () => {
    const base = await serve((_q, s) => s.writeHead(200, { 'content-encoding': 'zstd' }).end('raw'));
    const res = await transport()({ method: 'GET', url: `${base}/` });
    expect(res.body.toString()).toBe('raw');
    expect(res.headers['content-encoding']).toBe('zstd');
  });

  it.each([
    ['gzip', gzipSync(Buffer.alloc(50 * 1024 * 1024))],
    ['br', brotliCompressSync(Buffer.alloc(50 * 1024 * 1024))],
  ])('stops a %s bomb at maxResponseBytes of inflated bytes (too_large)', async (encoding, bomb) => {
    expect(bomb.length).toBeLessThan(10_000 * 6);
    const base = await serve((_q, s) => s.writeHead(200, { 'content-encoding': encoding }).end(bomb));
    const err = await rejection(transport({ maxResponseBytes: 100_000 })({ method: 'GET', url: `${base}/` }));
    expect(err.kind).toBe('too_large');
    expect(err.status).toBe(413);
    expect(err.message).toMatch(/more than \(after inflating\) maxResponseBytes \(100000\)/);
  });

  it('reports a corrupt gzip answer as a parse error', async () => {
    const base = await serve((_q, s) => s.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'));
    const err = await rejection(transport()({ method: 'GET', url: `${base}/` }));
    expect(err.kind).toBe('parse');
    expect(err.message).toMatch(/could not be inflated/);
  });

  it('takes an empty gzip-labelled answer as empty', async () => {
    const base = await serve((_q, s) => s.writeHead(200, { 'content-encoding': 'gzip' }).end());
    const res = await transport()({ method: 'GET', url: `${base}/` });
    expect(res.body.length).toBe(0);
  });
});

describe('transport: size cap', () => {
  it('refuses a declared length over the cap before reading', async () => {
    const base = await serve((_q, s) => {
      s.writeHead(200, { 'content-length': 20_000 });
      s.write(Buffer.alloc(10));
    });
    const err = await rejection(transport()({ method: 'GET', url: `${base}/` }));
    expect(err.kind).toBe('too_large');
    expect(err.message).toMatch(/answered with 20000 bytes, more than maxResponseBytes \(10000\)/);
  });

  it.each([
    ['HEAD', 200],
    ['GET', 204],
    ['GET', 304],
  ])('does not count a %s %i answer against the cap for its declared length', async (method, status) => {
    const base = await serve((_q, s) => {
      s.writeHead(status, { 'content-length': '999999999', etag: '"e"' });
      s.end();
    });
    const res = await transport()({ method, url: `${base}/` });
    expect(res.status).toBe(status);
    expect(res.body.length).toBe(0);
  });
});

describe('transport: answers of a declared length over PREALLOCATE_BYTES', () => {
  const size = PREALLOCATE_BYTES * 3 + 12_345;
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i++) payload[i] = (i * 31 + (i >> 11)) & 0xff;

  it('arrives byte for byte, written in many small pieces, as one buffer of its own', async () => {
    const base = await serve((_q, s) => {
      s.writeHead(200, { 'content-length': size });
      // Uneven pieces, so the copies land at every kind of offset.
      let at = 0;
      for (let n = 1; at < size; n = (n * 7 + 3) % 50_000) {
        s.write(payload.subarray(at, at + n + 1));
        at += n + 1;
      }
      s.end();
    });
    const res = await transport({ maxResponseBytes: size })({ method: 'GET', url: `${base}/` });
    expect(res.body.length).toBe(size);
    expect(res.body.equals(payload)).toBe(true);
    // The whole ArrayBuffer, so a query worker takes it by transfer.
    expect(res.body.byteOffset).toBe(0);
    expect(res.body.buffer.byteLength).toBe(size);
  });

  it('reserves the declared length only once a quarter of it has arrived', async () => {
    const declared = PREALLOCATE_BYTES * 8;
    const reservations = jest.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      const base = await serve((_q, s) => {
        s.writeHead(200, { 'content-length': declared });
        // Just under a quarter, then the server goes away.
        s.write(Buffer.alloc(declared / 4 - 1), () => setImmediate(() => s.destroy()));
      });
      const err = await rejection(transport({ maxResponseBytes: declared })({ method: 'GET', url: `${base}/` }));
      expect(err.kind).toBe('network');
      expect(reservations.mock.calls.filter(([n]) => n === declared)).toHaveLength(0);
      const full = await serve((_q, s) => {
        s.writeHead(200, { 'content-length': declared });
        s.end(Buffer.alloc(declared, 7));
      });
      const res = await transport({ maxResponseBytes: declared })({ method: 'GET', url: `${full}/` });
      expect(res.body.equals(Buffer.alloc(declared, 7))).toBe(true);
      expect(reservations.mock.calls.filter(([n]) => n === declared)).toHaveLength(1);
    } finally {
      reservations.mockRestore();
    }
  });

  it('still fails an answer cut short of its declared length', async () => {
    const base = await serve((_q, s) => {
      s.writeHead(200, { 'content-length': size });
      s.write(payload.subarray(0, PREALLOCATE_BYTES + 1), () => s.destroy());
    });
    const err = await rejection(transport({ maxResponseBytes: size })({ method: 'GET', url: `${base}/` }));
    expect(err.kind).toBe('network');
  });

  it('inflates a gzip answer of that length as before', async () => {
    const text = payload.toString('base64');
    const gz = gzipSync(text, { level: 0 });
    expect(gz.length).toBeGreaterThan(PREALLOCATE_BYTES);
    const base = await serve((_q, s) => {
      s.writeHead(200, { 'content-encoding': 'gzip', 'content-length': gz.length });
      s.end(gz);
    });
    const res = await transport({ maxResponseBytes: 2 * text.length })({ method: 'GET', url: `${base}/` });
    expect(res.body.toString()).toBe(text);
  });
});

describe('transport: time and cancellation', () => {
  it('times out on the injected clock with a timeout error, and the socket is closed', async () => {
    let closed: Promise<void> = Promise.resolve();
    const base = await serve((req) => {
      closed = new Promise((r) => req.socket.on('close', () => r()));
    });
    const clock = createFakeClock();
    let arrived!: () => void;
    const seen = new Promise<void>((r) => (arrived = r));
    servers[0].on('request', () => arrived());
    const pending = transport({ clock, timeoutMs: 5000 })({ method: 'POST', url: `${base}/slow?k=v` });
    await seen;
    clock.advance(5000);
    const err = await rejection(pending);
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(
      'POST http://127.0.0.1:' + new URL(base).port + '/slow?k= timed out after 5 s (timeoutSeconds)',
    );
    await closed;
    expect(clock.pending).toBe(0);
  });

  it('puts one listener on a signal shared by 40 requests in flight (no MaxListeners warning), none after', async () => {
    const held: http.ServerResponse[] = [];
    let allArrived!: () => void;
    const arrived = new Promise<void>((r) => (allArrived = r));
    const base = await serve((_q, s) => {
      held.push(s);
      if (held.length === 40) allArrived();
    });
    const controller = new AbortController();
    const many = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const sendMany = createTransport({
      agentFor: () => many,
      timeoutMs: 5000,
      maxResponseBytes: 10_000,
      clock: systemClock,
    });
    try {
      const pending = Promise.all(
        Array.from({ length: 40 }, () => sendMany({ method: 'GET', url: `${base}/`, signal: controller.signal })),
      );
      await arrived;
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      for (const s of held) s.end('ok');
      const all = await pending;
      expect(all.map((r) => r.body.toString())).toEqual(Array(40).fill('ok'));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      // Cancellation still reaches a later request on the same signal.
      const late = sendMany({ method: 'GET', url: `${base}/`, signal: controller.signal });
      controller.abort();
      expect((await rejection(late)).kind).toBe('cancelled');
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      many.destroy();
    }
  });

  it('cancels an exchange under way when the signal aborts, removing its listener', async () => {
    let arrived!: () => void;
    const seen = new Promise<void>((r) => (arrived = r));
    const base = await serve(() => arrived());
    const controller = new AbortController();
    const pending = transport()({ method: 'GET', url: `${base}/`, signal: controller.signal });
    await seen;
    controller.abort();
    const err = await rejection(pending);
    expect(err.kind).toBe('cancelled');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('reports a refused connection as a network error', async () => {
    const base = await serve(() => undefined);
    servers[0].closeAllConnections();
    await new Promise((r) => servers.splice(0)[0].close(r));
    const err = await rejection(transport()({ method: 'GET', url: `${base}/` }));
    expect(err.kind).toBe('network');
  });
});

describe('transport: refusals by the system', () => {
  /** An agent whose every connection fails as the system fails it: `connect EMFILE`, with errno and code. */
  function refusingAgent(code: string, errno: number): http.Agent {
    const refusing = new http.Agent();
    type Create = (options: object, cb: (err: Error | null) => void) => undefined;
    (refusing as unknown as { createConnection: Create }).createConnection = (_options, cb) => {
      const e = Object.assign(new Error(`connect ${code} 127.0.0.1:9 - Local (undefined:undefined)`), {
        code,
        errno,
        syscall: 'connect',
      });
      process.nextTick(cb, e);
      return undefined;
    };
    return refusing;
  }

  it.each([
    ['EMFILE', -24, /no file descriptor left \(EMFILE, too many open files\): raise its open-file limit \(ulimit -n/],
    ['ENFILE', -23, /file table is full \(ENFILE\): raise the system's limit/],
    ['ENOMEM', -12, /out of memory \(ENOMEM\): give the Grafana host more memory/],
  ])('turns %s into an error of this request that says what to change', async (code, errno, says) => {
    const base = await serve((_q, s) => s.end('fine'));
    const refused = transport({ agentFor: () => refusingAgent(code, errno) });
    const err = await rejection(refused({ method: 'GET', url: `${base}/rows?token=hidden` }));
    expect({ kind: err.kind, source: err.source, status: err.status }).toEqual({
      kind: 'network',
      source: 'plugin',
      status: 503,
    });
    expect(err.message).toMatch(says);
    expect(err.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/rows\S* could not be sent: /);
    expect(err.message).not.toContain('hidden');
    expect((err as SigilError).details.code).toBe(code);
    // Only that request failed: the next one, with descriptors to spare, is answered.
    const res = await transport()({ method: 'GET', url: `${base}/rows` });
    expect(res.body.toString()).toBe('fine');
  });

  it('keeps the socket message for other connection failures', async () => {
    const err = await rejection(
      transport({ agentFor: () => refusingAgent('ECONNRESET', -104) })({ method: 'GET', url: 'http://127.0.0.1:9/' }),
    );
    expect(err.message).toMatch(/^GET http:\/\/127\.0\.0\.1:9\/ failed: connect ECONNRESET/);
    expect(err.source).toBe('downstream');
  });
});
