import { credentials, makeClientConstructor, status, type Client, type ServiceDefinition } from '@grpc/grpc-js';
import { PluginServer } from './server';
import { loadProtocol } from './load';
import { createLogger } from '../log';
import { createRedactor } from '../redaction';
import type { PluginHandlers, QueryDataRequest } from './types';
import { tableFromIPC } from 'apache-arrow';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListenTarget } from './handshake';

type Raw = Record<string, unknown>;
type Unary = (req: Raw, cb: (err: { code: number; details: string } | null, res: Raw) => void) => void;

function client(def: ServiceDefinition, address: string): Client & Record<string, Unary> {
  const Ctor = makeClientConstructor(def, 'svc');
  return new Ctor(address, credentials.createInsecure()) as unknown as Client & Record<string, Unary>;
}

function call(c: Record<string, Unary>, method: string, req: Raw): Promise<Raw> {
  return new Promise((resolve, reject) => c[method].call(c, req, (err, res) => (err ? reject(err) : resolve(res))));
}

const logLines: string[] = [];
/** Resolves when a log line matching `pattern` is written (an event, not a sleep). */
const logWaiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
const redactor = createRedactor();
const log = createLogger({
  redactor,
  level: 'trace',
  write: (l) => {
    logLines.push(l);
    for (const w of logWaiters.filter((x) => x.pattern.test(l))) {
      logWaiters.splice(logWaiters.indexOf(w), 1);
      w.resolve();
    }
  },
});
const logged = (pattern: RegExp) => new Promise<void>((resolve) => logWaiters.push({ pattern, resolve }));

function query(refId: string): Raw {
  return { refId, queryType: 'test', json: Buffer.from('{}'), timeRange: { fromEpochMS: '0', toEpochMS: '1' } };
}

describe('PluginServer', () => {
  let server: PluginServer;
  let address: string;
  let onShutdown: jest.Mock;
  let shutdownReported: Promise<void>;
  let handlers: PluginHandlers;
  const clients: Client[] = [];
  const make = (def: ServiceDefinition) => {
    const c = client(def, address);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    let reported!: () => void;
    shutdownReported = new Promise<void>((resolve) => (reported = resolve));
    onShutdown = jest.fn(() => reported());
    handlers = {
      queryData: async (req: QueryDataRequest) => ({
        responses: Object.fromEntries(
          req.queries.map((q) => [
            q.refId,
            {
              frames: [
                {
                  name: q.refId,
                  fields: [
                    {
                      name: 'v',
                      type: 'number' as const,
                      values: q.refId === 'BAD' ? ['not a number' as unknown as number] : [42],
                    },
                  ],
                },
              ],
              status: 200,
            },
          ]),
        ),
      }),
      checkHealth: async () => ({ status: 'OK', message: 'fine', jsonDetails: { ok: true } }),
      callResource: async (req, send) => {
        if (req.path === 'throw') throw new Error('boom');
        if (req.path === 'throw-late') {
          send({ code: 200, headers: {}, body: Buffer.from('half') });
          throw new Error('late boom');
        }
        send({ code: 200, headers: {}, body: Buffer.from('part1,') });
        send({ code: 200, headers: {}, body: Buffer.from('part2') });
      },
      dispose: jest.fn(async () => undefined),
    };
    server = new PluginServer({
      handlers,
      log,
      redactor,
      onShutdown,
      gauges: () => [{ name: 'sigil_instances_live', help: 'Live instances.', value: 3 }],
    });
    const bound = await server.listen({ kind: 'tcp', host: '127.0.0.1', minPort: 0, maxPort: 0 });
    address = bound.kind === 'tcp' ? `127.0.0.1:${bound.port}` : '';
  });

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    server.shutdown('test over');
    await shutdownReported;
  });

  it('encodes each refId on its own: a frame that cannot be encoded fails only its query', async () => {
    const res = await call(make(loadProtocol().data), 'QueryData', { queries: [query('A'), query('BAD')] });
    const responses = res.responses as Record<string, Raw>;
    const a = responses.A;
    expect(a.error).toBe('');
    expect(a.status).toBe(200);
    const table = tableFromIPC((a.frames as Buffer[])[0]);
    expect(table.schema.metadata.get('refId')).toBe('A');
    expect(table.getChildAt(0)!.get(0)).toBe(42);
    expect(responses.BAD.error).toMatch(/could not be encoded.*field "v" row 0/);
    expect(responses.BAD.status).toBe(500);
    expect(responses.BAD.errorSource).toBe('plugin');
    expect(responses.BAD.frames).toEqual([]);
  });

  it('turns a throwing handler into a gRPC error and keeps serving', async () => {
    handlers.queryData = async () => {
      throw new Error('exploded');
    };
    const data = make(loadProtocol().data);
    await expect(call(data, 'QueryData', { queries: [query('A')] })).rejects.toMatchObject({
      code: status.INTERNAL,
      details: expect.stringContaining('exploded'),
    });
    const health = await call(make(loadProtocol().diagnostics), 'CheckHealth', {});
    expect(health.status).toBe('OK');
    expect(JSON.parse((health.jsonDetails as Buffer).toString())).toEqual({ ok: true });
  });

  it('refuses a message over its receive limit before reading it, and keeps serving', async () => {
    const small = new PluginServer({
      handlers,
      log,
      redactor,
      onShutdown: () => undefined,
      maxReceiveBytes: 64 * 1024,
    });
    const bound = await small.listen({ kind: 'tcp', host: '127.0.0.1', minPort: 0, maxPort: 0 });
    const data = client(loadProtocol().data, bound.kind === 'tcp' ? `127.0.0.1:${bound.port}` : '');
    const handled = jest.spyOn(handlers, 'queryData');
    try {
      const big = { ...query('A'), json: Buffer.from(JSON.stringify({ body: 'x'.repeat(100 * 1024) })) };
      const err = (await call(data, 'QueryData', { queries: [big] }).catch((e: unknown) => e)) as {
        code: number;
        details: string;
      };
      expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(err.details).toMatch(/larger than max \(\d+ vs\.? 65536\)/);
      expect(handled).not.toHaveBeenCalled();
      const ok = await call(data, 'QueryData', { queries: [query('B')] });
      expect(Object.keys(ok.responses as Raw)).toEqual(['B']);
      expect(handled).toHaveBeenCalledTimes(1);
    } finally {
      data.close();
      small.shutdown('test over');
    }
  });

  it('answers a query that the handler left out with an error for that refId', async () => {
    handlers.queryData = async () => ({ responses: {} });
    const res = await call(make(loadProtocol().data), 'QueryData', { queries: [query('LOST')] });
    expect((res.responses as Record<string, Raw>).LOST.error).toMatch(/no response for query "LOST"/);
  });

  it('masks the live secrets in errors, health answers and logs', async () => {
    const secret = 'sEcReT/Value+ThatMustNotLeak1234';
    // What a data source instance registers when it is built.
    const scope = redactor.scope('org/x/1');
    scope.add(secret);
    const pluginContext = { dataSourceInstanceSettings: { uid: 'x', decryptedSecureJsonData: { secretKey: secret } } };
    handlers.queryData = async () => ({
      responses: { A: { frames: [], error: `signing with ${secret} failed`, status: 400, errorSource: 'plugin' } },
    });
    handlers.checkHealth = async () => ({
      status: 'ERROR',
      message: `bad key ${secret}`,
      jsonDetails: { echo: secret },
    });
    const res = await call(make(loadProtocol().data), 'QueryData', { pluginContext, queries: [query('A')] });
    const health = await call(make(loadProtocol().diagnostics), 'CheckHealth', { pluginContext });
    const all = JSON.stringify([res, health.message, (health.jsonDetails as Buffer).toString(), logLines]);
    expect((res.responses as Record<string, Raw>).A.error).toBe('signing with [redacted] failed');
    expect(all).not.toContain(secret);
    scope.drop();
  });

  it("sets errorSource on every error, and keeps the handler's", async () => {
    handlers.queryData = async () => ({
      responses: {
        A: { frames: [], error: 'AWS said no', status: 403, errorSource: 'downstream' },
        B: { frames: [], error: 'no source given' },
      },
    });
    const res = await call(make(loadProtocol().data), 'QueryData', { queries: [query('A'), query('B')] });
    const r = res.responses as Record<string, Raw>;
    expect([r.A.errorSource, r.A.status, r.B.errorSource, r.B.status]).toEqual(['downstream', 403, 'plugin', 500]);
  });

  it('does not abort the signal of a call that completed', async () => {
    const signals: AbortSignal[] = [];
    handlers.checkHealth = async (_req, signal) => {
      signals.push(signal!);
      return { status: 'OK', message: 'fine' };
    };
    const diag = make(loadProtocol().diagnostics);
    await call(diag, 'CheckHealth', {});
    await call(diag, 'CheckHealth', {});
    // grpc-js emits 'cancelled' once a call has completed; by the second answer the first call's event has fired.
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
  });

  it('keeps the frames that come with an error (partial results)', async () => {
    handlers.queryData = async () => ({
      responses: {
        A: {
          frames: [{ fields: [{ name: 'v', type: 'number', values: [1] }] }],
          error: 'page 2 failed',
          status: 502,
          errorSource: 'downstream',
        },
      },
    });
    const res = await call(make(loadProtocol().data), 'QueryData', { queries: [query('A')] });
    const a = (res.responses as Record<string, Raw>).A;
    expect(a).toMatchObject({ error: 'page 2 failed', status: 502, errorSource: 'downstream' });
    expect(tableFromIPC((a.frames as Buffer[])[0]).numRows).toBe(1);
  });

  it('reports SERVING for the "plugin" health service', async () => {
    expect(await call(make(loadProtocol().health), 'Check', { service: 'plugin' })).toEqual({ status: 'SERVING' });
  });

  it('counts calls in the Prometheus metrics', async () => {
    const diag = make(loadProtocol().diagnostics);
    await call(diag, 'CheckHealth', {});
    const res = await call(diag, 'CollectMetrics', {});
    const text = ((res.metrics as Raw).prometheus as Buffer).toString();
    expect(text).toContain('sigil_grpc_requests_total{method="CheckHealth",code="OK"} 1');
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toContain('sigil_instances_live 3');
  });

  it('streams resource chunks and answers 500 when the handler throws before sending', async () => {
    const res = make(loadProtocol().resource) as unknown as Record<string, (req: Raw) => NodeJS.ReadableStream>;
    const collect = (path: string) =>
      new Promise<Raw[]>((resolve, reject) => {
        const chunks: Raw[] = [];
        const stream = res.CallResource({ path });
        stream.on('data', (c: Raw) => chunks.push(c));
        stream.on('end', () => resolve(chunks));
        stream.on('error', reject);
      });
    const ok = await collect('anything');
    expect(ok.map((c) => (c.body as Buffer).toString()).join('')).toBe('part1,part2');
    const failed = await collect('throw');
    expect(failed).toHaveLength(1);
    expect(failed[0].code).toBe(500);
    expect((failed[0].body as Buffer).toString()).toContain('boom');
    await expect(collect('throw-late')).rejects.toMatchObject({
      code: status.INTERNAL,
      details: expect.stringContaining('late boom'),
    });
  });

  it('drains in-flight calls on Shutdown before reporting it', async () => {
    let release: () => void = () => undefined;
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    handlers.queryData = () =>
      new Promise((resolve) => {
        started();
        release = () => resolve({ responses: { A: { frames: [], status: 200 } } });
      });
    const inFlight = call(make(loadProtocol().data), 'QueryData', { queries: [query('A')] });
    await handlerStarted;
    const shuttingDown = logged(/shutting down/);
    await call(make(loadProtocol().controller), 'Shutdown', {});
    await shuttingDown;
    expect(onShutdown).not.toHaveBeenCalled();
    release();
    const res = await inFlight;
    expect((res.responses as Record<string, Raw>).A.status).toBe(200);
    await shutdownReported;
    expect(onShutdown).toHaveBeenCalledTimes(1);
  });
});

describe('PluginServer.listen', () => {
  const noHandlers = {} as PluginHandlers;
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sigil-sock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function serve(target: ListenTarget) {
    let reported!: () => void;
    const stopped = new Promise<void>((resolve) => (reported = resolve));
    const server = new PluginServer({ handlers: noHandlers, log, redactor, onShutdown: () => reported() });
    const bound = await server.listen(target);
    return { bound, stop: () => (server.shutdown('test over'), stopped) };
  }
  const fallback = { kind: 'tcp', host: '127.0.0.1', minPort: 0, maxPort: 0 } as const;

  it('serves on a unix socket only its owner may use, and removes it when it stops', async () => {
    const path = join(dir, 'plugin0123');
    const { bound, stop } = await serve({ kind: 'unix', path, fallback });
    expect(bound).toEqual({ kind: 'unix', path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const health = client(loadProtocol().health, `unix:${path}`);
    try {
      expect(await call(health, 'Check', { service: 'plugin' })).toEqual({ status: 'SERVING' });
    } finally {
      health.close();
    }
    await stop();
    expect(existsSync(path)).toBe(false);
  });

  it('listens on a loopback port instead when the socket cannot be made, and says why', async () => {
    const path = join(dir, 'no-such-folder', 'plugin0123');
    const warned = logged(/cannot listen on a unix socket/);
    const { bound, stop } = await serve({ kind: 'unix', path, fallback });
    await warned;
    expect(bound).toMatchObject({ kind: 'tcp', host: '127.0.0.1' });
    expect(logLines.find((l) => l.includes('cannot listen on a unix socket'))).toContain(path);
    await stop();
  });
});
