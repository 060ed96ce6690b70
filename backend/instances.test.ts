import { CachingInstanceProvider, MISSING_SETTINGS_MESSAGE } from './instances';
import type { PluginContext } from './protocol/types';
import { SigilError } from './errors';

function ctx(uid: string, lastUpdatedMS: number, jsonData: Record<string, unknown> = {}, grafanaConfig: Record<string, string> = {}, orgId = 1): PluginContext {
  return {
    orgId, pluginId: 'p', pluginVersion: 'v', userAgent: '', grafanaConfig,
    dataSourceInstanceSettings: {
      id: 1, uid, name: uid, url: '', user: '', database: '', basicAuthEnabled: false, basicAuthUser: '', jsonData, jsonDataRaw: '',
      decryptedSecureJsonData: {}, lastUpdatedMS, apiVersion: '',
    },
  };
}

describe('CachingInstanceProvider', () => {
  it('caches by uid + lastUpdatedMS and disposes the replaced instance', async () => {
    const p = new CachingInstanceProvider({ env: {} });
    const a1 = await p.get(ctx('a', 1));
    expect(await p.get(ctx('a', 1))).toBe(a1);
    const b1 = await p.get(ctx('b', 1));
    expect(b1).not.toBe(a1);
    const dispose = jest.spyOn(a1.proxy, 'dispose');
    const a2 = await p.get(ctx('a', 2, { defaultRegion: 'eu-west-1' }));
    expect(a2).not.toBe(a1);
    expect(a2.settings.region).toBe('eu-west-1');
    await a1.proxy.whenIdle();
    await Promise.resolve();
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(await p.get(ctx('b', 1))).toBe(b1);
    await p.disposeAll();
  });

  it('keeps a replaced instance open until its requests under way have finished', async () => {
    const p = new CachingInstanceProvider({ env: {} });
    const old = await p.get(ctx('a', 1));
    let finish!: () => void;
    const underWay = new Promise<void>((resolve) => (finish = resolve));
    // A request under way on the old instance, as the proxy counts it.
    jest.spyOn(old.proxy as unknown as { follow: () => Promise<unknown> }, 'follow').mockImplementation(async () => {
      await underWay;
      return { status: 200, headers: {}, body: Buffer.alloc(0), url: 'https://sts.amazonaws.com/' };
    });
    const request = old.proxy.send({ method: 'GET', url: 'https://sts.amazonaws.com/' });
    const dispose = jest.spyOn(old.proxy, 'dispose');
    await p.get(ctx('a', 2));
    await new Promise((r) => setImmediate(r));
    expect(dispose).not.toHaveBeenCalled();
    finish();
    await request;
    await new Promise((r) => setImmediate(r));
    expect(dispose).toHaveBeenCalledTimes(1);
    await p.disposeAll();
  });

  it('keeps data sources of different organisations apart even with the same uid', async () => {
    const p = new CachingInstanceProvider({ env: {} });
    const org1 = await p.get(ctx('same', 1, { defaultRegion: 'eu-west-1' }, {}, 1));
    const org2 = await p.get(ctx('same', 1, { defaultRegion: 'ap-south-1' }, {}, 2));
    expect(org2).not.toBe(org1);
    expect(await p.get(ctx('same', 1, { defaultRegion: 'eu-west-1' }, {}, 1))).toBe(org1);
    expect(org2.settings.region).toBe('ap-south-1');
    await p.disposeAll();
  });

  it("builds a new instance when the server's [aws] options change", async () => {
    const p = new CachingInstanceProvider({ env: {} });
    const first = await p.get(ctx('a', 1));
    const second = await p.get(ctx('a', 1, {}, { AWS_AUTH_SESSION_DURATION: '1h' }));
    expect(second).not.toBe(first);
    expect(second.settings.assumeRoleDurationSeconds).toBe(3600);
    await p.disposeAll();
  });

  it('rejects invalid settings and missing settings with plugin errors', async () => {
    const p = new CachingInstanceProvider({ env: {} });
    await expect(p.get(ctx('bad', 1, { authType: 'magic' }))).rejects.toThrow(/"magic" is not supported/);
    const noSettings = { ...ctx('x', 1), dataSourceInstanceSettings: undefined };
    const err = await p.get(noSettings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SigilError);
    expect((err as SigilError).message).toBe(MISSING_SETTINGS_MESSAGE);
  });
});
