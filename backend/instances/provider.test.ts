import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CachingInstanceProvider, MISSING_SETTINGS_MESSAGE, lifecycleFromEnv, INSTANCE_DEFAULTS } from './provider';
import type { AwsDataSourceInstance } from './factory';
import type { PluginContext } from '../protocol/types';
import { SigilError } from '../errors';
import { createRedactor } from '../redaction';
import { DataSourceMetrics } from '../metrics/dataSources';

function ctx(
  uid: string,
  lastUpdatedMS: number,
  jsonData: Record<string, unknown> = {},
  grafanaConfig: Record<string, string> = {},
  orgId = 1,
  secure: Record<string, string> = {},
): PluginContext {
  return {
    orgId,
    pluginId: 'p',
    pluginVersion: 'v',
    userAgent: '',
    grafanaConfig,
    dataSourceInstanceSettings: {
      id: 1,
      uid,
      name: uid,
      url: '',
      user: '',
      database: '',
      basicAuthEnabled: false,
      basicAuthUser: '',
      jsonData,
      jsonDataRaw: JSON.stringify(jsonData),
      decryptedSecureJsonData: secure,
      lastUpdatedMS,
      apiVersion: '',
    },
  };
}

const KEYS = { authType: 'keys' };
const SECRETS = { accessKey: 'AKIDPROVIDERTEST0001', secretKey: 'provider-test-secret-key-0001' };

function provider(extra: Partial<ConstructorParameters<typeof CachingInstanceProvider>[0]> = {}) {
  const redactor = createRedactor();
  const clock = { now: 0 };
  const p = new CachingInstanceProvider({ env: {}, redactor, now: () => clock.now, ...extra });
  const get = (c: PluginContext) => p.use(c, async (i) => i as AwsDataSourceInstance);
  return { p, redactor, clock, get };
}

describe('CachingInstanceProvider', () => {
  it('caches by org + uid + lastUpdatedMS and disposes the replaced instance', async () => {
    const { p, get } = provider();
    const a1 = await get(ctx('a', 1));
    expect(await get(ctx('a', 1))).toBe(a1);
    const b1 = await get(ctx('b', 1));
    expect(b1).not.toBe(a1);
    const dispose = jest.spyOn(a1.proxy, 'dispose');
    const a2 = await get(ctx('a', 2, { defaultRegion: 'eu-west-1' }));
    expect(a2).not.toBe(a1);
    expect(a2.settings.region).toBe('eu-west-1');
    await a1.dispose();
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(await get(ctx('b', 1))).toBe(b1);
    await p.disposeAll();
  });

  it('keeps a replaced instance open until the calls using it have finished', async () => {
    const { p } = provider();
    let finish!: () => void;
    const underWay = new Promise<void>((resolve) => (finish = resolve));
    let old!: AwsDataSourceInstance;
    const call = p.use(ctx('a', 1), async (i) => {
      old = i as AwsDataSourceInstance;
      await underWay;
      return 'done';
    });
    await Promise.resolve();
    const dispose = jest.spyOn(old.proxy, 'dispose');
    await p.use(ctx('a', 2), async () => undefined);
    expect(p.stats).toEqual({ live: 1, retiring: 1 });
    expect(dispose).not.toHaveBeenCalled();
    finish();
    expect(await call).toBe('done');
    await p.settled();
    expect(dispose).toHaveBeenCalledTimes(1);
    await p.disposeAll();
    expect(p.stats).toEqual({ live: 0, retiring: 0 });
  });

  it('finishes a query under way on an instance disposed meanwhile, then forgets its secrets', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const sockets: Socket[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      arrived();
      void released.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('[{"v":1}]'));
    });
    server.on('connection', (s: Socket) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { p, redactor } = provider({ maxLive: 1 });
      const jsonData = { ...KEYS, endpoint: target, service: 'execute-api', defaultRegion: 'us-east-1' };
      const query = p.use(ctx('a', 1, jsonData, {}, 1, SECRETS), (i) =>
        i.proxy.send({ method: 'GET', url: `${target}/rows` }),
      );
      await requestArrived;
      // Evicted (another data source beyond maxLive), then the whole provider disposed, while the answer is held.
      await p.use(ctx('b', 1), async () => undefined);
      expect(p.stats).toEqual({ live: 1, retiring: 1 });
      const shutdown = p.disposeAll();
      expect(redactor.size).toBe(2);
      release();
      const res = await query;
      expect({ status: res.status, body: res.body.toString() }).toEqual({ status: 200, body: '[{"v":1}]' });
      await shutdown;
      expect(p.stats).toEqual({ live: 0, retiring: 0 });
      expect(redactor.size).toBe(0);
      // One connection carried the query to its end: the disposal did not cut it and retry on another.
      expect(sockets).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('disposes instances unused for the TTL, drops their secrets, and builds a new one on the next request', async () => {
    const { p, redactor, clock, get } = provider({ ttlMs: 60_000 });
    const first = await get(ctx('a', 1, KEYS, {}, 1, SECRETS));
    expect(redactor.size).toBe(2);
    expect(redactor.mask(SECRETS.secretKey)).toBe('[redacted]');
    clock.now = 59_999;
    p.sweep();
    expect(p.stats.live).toBe(1);
    clock.now = 60_000;
    p.sweep();
    await p.settled();
    expect(p.stats).toEqual({ live: 0, retiring: 0 });
    expect(redactor.size).toBe(0);
    const second = await get(ctx('a', 1, KEYS, {}, 1, SECRETS));
    expect(second).not.toBe(first);
    expect(redactor.size).toBe(2);
    await p.disposeAll();
    expect(redactor.size).toBe(0);
  });

  it('keeps at most maxLive instances, retiring the least recently used', async () => {
    const { p, get } = provider({ maxLive: 2 });
    const a = await get(ctx('a', 1));
    const b = await get(ctx('b', 1));
    expect(await get(ctx('a', 1))).toBe(a);
    const c = await get(ctx('c', 1));
    await p.settled();
    expect(p.stats).toEqual({ live: 2, retiring: 0 });
    expect(await get(ctx('a', 1))).toBe(a);
    expect(await get(ctx('c', 1))).toBe(c);
    expect(await get(ctx('b', 1))).not.toBe(b);
    await p.disposeAll();
  });

  it('keeps data sources of different organisations apart even with the same uid', async () => {
    const { p, get } = provider();
    const org1 = await get(ctx('same', 1, { defaultRegion: 'eu-west-1' }, {}, 1));
    const org2 = await get(ctx('same', 1, { defaultRegion: 'ap-south-1' }, {}, 2));
    expect(org2).not.toBe(org1);
    expect(await get(ctx('same', 1, { defaultRegion: 'eu-west-1' }, {}, 1))).toBe(org1);
    expect(org2.settings.region).toBe('ap-south-1');
    await p.disposeAll();
  });

  it("builds a new instance when the server's [aws] options change", async () => {
    const { p, get } = provider();
    const first = await get(ctx('a', 1));
    const second = await get(ctx('a', 1, {}, { AWS_AUTH_SESSION_DURATION: '1h' }));
    expect(second).not.toBe(first);
    expect(second.settings.assumeRoleDurationSeconds).toBe(3600);
    await p.disposeAll();
  });

  it('rejects invalid settings and missing settings with settings errors, caching nothing', async () => {
    const { p, get } = provider();
    const bad = (await get(ctx('bad', 1, { authType: 'magic' })).catch((e: unknown) => e)) as SigilError;
    expect([bad.kind, bad.source, bad.status]).toEqual(['settings', 'plugin', 400]);
    expect(bad.message).toMatch(/Authentication provider "magic" is not supported/);
    const noSettings = { ...ctx('x', 1), dataSourceInstanceSettings: undefined };
    const err = await get(noSettings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SigilError);
    expect((err as SigilError).message).toBe(MISSING_SETTINGS_MESSAGE);
    expect(p.stats).toEqual({ live: 0, retiring: 0 });
  });

  it('reads the lifecycle from the environment, keeping the defaults for bad values', () => {
    expect(lifecycleFromEnv({})).toEqual({
      ttlMs: INSTANCE_DEFAULTS.ttlSeconds * 1000,
      maxLive: INSTANCE_DEFAULTS.maxLive,
    });
    expect(lifecycleFromEnv({ SIGIL_INSTANCE_TTL_SECONDS: '2.5', SIGIL_MAX_INSTANCES: '10' })).toEqual({
      ttlMs: 2500,
      maxLive: 10,
    });
    expect(lifecycleFromEnv({ SIGIL_INSTANCE_TTL_SECONDS: '-1', SIGIL_MAX_INSTANCES: 'many' })).toEqual({
      ttlMs: INSTANCE_DEFAULTS.ttlSeconds * 1000,
      maxLive: INSTANCE_DEFAULTS.maxLive,
    });
  });
});

describe('per data source metrics of the provider', () => {
  it('keeps a data source series across a settings change and drops them once its last instance is disposed', async () => {
    const metrics = new DataSourceMetrics();
    const { p, clock, get } = provider({ metrics, ttlMs: 1000 });
    const a1 = await get(ctx('a', 1, KEYS, {}, 1, SECRETS));
    await get(ctx('b', 1, KEYS, {}, 1, SECRETS));
    expect(metrics.dataSources).toBe(2);
    a1.resultTruncated?.({
      refId: 'A',
      url: 'https://h/x?token=t0k3n',
      reason: 'max_rows',
      limit: 3,
      rows: 3,
      pages: 1,
    });
    // A settings change replaces a's instance: its counts stay, one series per data source.
    await get(ctx('a', 2, KEYS, {}, 1, SECRETS));
    await p.settled();
    expect(metrics.dataSources).toBe(2);
    expect(metrics.prometheusText()).toContain('sigil_datasource_truncated_results_total{org_id="1",uid="a"} 1');
    clock.now = 5000;
    p.sweep();
    await p.settled();
    expect(metrics.dataSources).toBe(0);
    expect(metrics.prometheusText()).not.toContain('uid=');
  });
});
