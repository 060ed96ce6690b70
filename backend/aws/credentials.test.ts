import type { AwsCredentialIdentity } from '@smithy/types';
import type { Settings } from '../settings/types';
import { CredentialsError, createCredentialSource, roleSessionName } from './credentials';

const settings: Settings = {
  uid: 'ds', name: 'n', authType: 'default', region: 'us-east-1', allowedUrls: [], stsEndpoint: 'http://127.0.0.1:1',
  timeoutMs: 1000, maxResponseBytes: 1000, assumeRoleDurationSeconds: 900,
};

/** A base provider on a fake clock: each call yields new credentials valid for `lifetimeMs`. */
function expiringBase(clock: { now: number }, lifetimeMs: number) {
  let calls = 0;
  const provider = async (): Promise<AwsCredentialIdentity> => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    return { accessKeyId: `AK${calls}`, secretAccessKey: 's', expiration: new Date(clock.now + lifetimeMs) };
  };
  return { provider, calls: () => calls };
}

describe('credential cache', () => {
  it('refreshes before expiry: callers in the window keep the valid credentials while one refresh runs', async () => {
    const clock = { now: 1_000_000 };
    const base = expiringBase(clock, 60 * 60_000);
    const source = createCredentialSource(settings, { now: () => clock.now }, base.provider);
    expect((await source.get()).accessKeyId).toBe('AK1');
    clock.now += 50 * 60_000; // 10 min left: before the 5 min refresh window
    expect((await source.get()).accessKeyId).toBe('AK1');
    expect(base.calls()).toBe(1);
    clock.now += 6 * 60_000; // 4 min left: in the window
    const during = await Promise.all(Array.from({ length: 50 }, () => source.get()));
    expect(new Set(during.map((c) => c.accessKeyId))).toEqual(new Set(['AK1'])); // nobody waits
    await new Promise((r) => setTimeout(r, 20));
    expect(base.calls()).toBe(2); // one shared background refresh
    expect((await source.get()).accessKeyId).toBe('AK2');
  });

  it('makes concurrent callers share one load when the credentials are expired', async () => {
    const clock = { now: 0 };
    const base = expiringBase(clock, 10_000);
    const source = createCredentialSource(settings, { now: () => clock.now }, base.provider);
    await source.get();
    clock.now += 20_000;
    const all = await Promise.all(Array.from({ length: 100 }, () => source.get()));
    expect(base.calls()).toBe(2);
    expect(all.every((c) => c.accessKeyId === 'AK2')).toBe(true);
  });

  it('reports a provider failure as the credentials step, without secrets', async () => {
    const s = { ...settings, authType: 'keys' as const, secretKey: 'TOPSECRETVALUE' };
    const source = createCredentialSource(s, {}, async () => {
      throw new Error('cannot use TOPSECRETVALUE');
    });
    const err = await source.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialsError);
    expect((err as CredentialsError).step).toBe('credentials');
    expect((err as Error).message).toBe('could not load keys credentials: cannot use [redacted]');
  });

  it('names the session after Grafana and the data source, within STS limits', () => {
    expect(roleSessionName('P1809F7CD0C75ACF3')).toBe('grafana-sigil-P1809F7CD0C75ACF3');
    const long = roleSessionName(`x/y:${'z'.repeat(100)}`);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[\w+=,.@-]+$/);
  });
});

describe('background refresh failures', () => {
  it('keeps serving valid credentials and does not hammer the provider when a refresh fails', async () => {
    const clock = { now: 0 };
    let calls = 0;
    const source = createCredentialSource(settings, { now: () => clock.now }, async () => {
      calls++;
      if (calls > 1) throw new Error('STS unavailable');
      return { accessKeyId: 'AK1', secretAccessKey: 's', expiration: new Date(clock.now + 60 * 60_000) };
    });
    await source.get();
    clock.now = 57 * 60_000; // in the refresh window, 3 min left
    for (let i = 0; i < 20; i++) {
      expect((await source.get()).accessKeyId).toBe('AK1');
      await new Promise((r) => setImmediate(r));
    }
    expect(calls).toBe(2); // one failed background attempt, no retry storm
    clock.now += 6000;
    await source.get();
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(3); // retried after the pause
    clock.now = 60 * 60_000; // expired: the failure now reaches the caller
    await expect(source.get()).rejects.toThrow(/STS unavailable/);
  });
});
