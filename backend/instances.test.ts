import { CachingInstanceProvider, MISSING_SETTINGS_MESSAGE } from './instances';
import type { PluginContext } from './protocol/types';
import { SigilError } from './errors';

function ctx(uid: string, lastUpdatedMS: number, jsonData: Record<string, unknown> = {}, grafanaConfig: Record<string, string> = {}): PluginContext {
  return {
    orgId: 1, pluginId: 'p', pluginVersion: 'v', userAgent: '', grafanaConfig,
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
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(await p.get(ctx('b', 1))).toBe(b1);
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
    await expect(p.get(ctx('bad', 1, { authType: 'magic' }))).rejects.toThrow(/authType "magic" is not supported/);
    const noSettings = { ...ctx('x', 1), dataSourceInstanceSettings: undefined };
    const err = await p.get(noSettings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SigilError);
    expect((err as SigilError).message).toBe(MISSING_SETTINGS_MESSAGE);
  });
});
