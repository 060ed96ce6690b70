import type { AwsCredentialIdentity } from '@smithy/types';
import type { Settings } from '../settings/types';
import { createFakeClock } from '../fakeClock';
import { CredentialsError, createCredentialSource, roleSessionName } from './credentials';

const settings: Settings = {
  uid: 'ds',
  name: 'n',
  authType: 'default',
  region: 'us-east-1',
  allowedUrls: [],
  stsEndpoint: 'http://127.0.0.1:1',
  timeoutMs: 5000,
  maxResponseBytes: 1000,
  assumeRoleDurationSeconds: 900,
};

interface Gate {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * A base provider on a fake clock whose calls wait until the test opens them: each call yields new
 * credentials valid for `lifetimeMs` from the moment it is opened. Events, not sleeps, order the test.
 */
function gatedBase(clock: { now(): number }, lifetimeMs: number) {
  const gates: Gate[] = [];
  let waiting: (() => void) | undefined;
  const provider = (): Promise<AwsCredentialIdentity> => {
    const n = gates.length + 1;
    const p = new Promise<AwsCredentialIdentity>((resolve, reject) => {
      gates.push({
        resolve: () =>
          resolve({
            accessKeyId: `AK${n}`,
            secretAccessKey: `secret-${n}`,
            sessionToken: `token-${n}`,
            expiration: new Date(clock.now() + lifetimeMs),
          }),
        reject,
      });
    });
    waiting?.();
    return p;
  };
  return {
    provider,
    calls: () => gates.length,
    open: (n: number) => gates[n - 1].resolve(),
    fail: (n: number, err: Error) => gates[n - 1].reject(err),
    /** Resolves once the provider has been called `n` times. */
    called: async (n: number) => {
      while (gates.length < n) await new Promise<void>((r) => (waiting = r));
    },
  };
}

/** A logger whose lines are events a test can wait for: a refresh logs success at debug, failure at warn. */
function warnLog() {
  const lines: string[] = [];
  const refreshes: string[] = [];
  let wake: (() => void) | undefined;
  const until = async (cond: () => boolean) => {
    while (!cond()) await new Promise<void>((r) => (wake = r));
  };
  return {
    lines,
    logger: {
      debug: (m: string) => {
        refreshes.push(m);
        wake?.();
      },
      warn: (m: string) => {
        lines.push(m);
        wake?.();
      },
    },
    warned: (n: number) => until(() => lines.length >= n),
    refreshed: (n: number) => until(() => refreshes.length >= n),
  };
}

function scope() {
  const added: string[] = [];
  return {
    added,
    add: (v: string | undefined) => void (v && added.push(v)),
    drop: () => void added.splice(0),
    values: () => [...added],
  };
}

describe('credential cache', () => {
  it('refreshes before expiry: callers in the window keep the valid credentials while one refresh runs', async () => {
    const clock = createFakeClock(1_000_000);
    const base = gatedBase(clock, 60 * 60_000);
    const log = warnLog();
    const source = createCredentialSource(settings, { clock, logger: log.logger }, base.provider);
    const first = source.get();
    base.open(1);
    expect((await first).accessKeyId).toBe('AK1');
    clock.advance(50 * 60_000); // 10 min left: before the 5 min refresh window
    expect((await source.get()).accessKeyId).toBe('AK1');
    expect(base.calls()).toBe(1);
    clock.advance(6 * 60_000); // 4 min left: in the window
    const during = await Promise.all(Array.from({ length: 50 }, () => source.get()));
    expect(new Set(during.map((c) => c.accessKeyId))).toEqual(new Set(['AK1'])); // nobody waits
    await base.called(2);
    expect(base.calls()).toBe(2); // one shared background refresh
    base.open(2);
    await log.refreshed(2);
    expect((await source.get()).accessKeyId).toBe('AK2');
    expect(base.calls()).toBe(2);
  });

  it('makes concurrent callers share one load when the credentials are expired', async () => {
    const clock = createFakeClock();
    const base = gatedBase(clock, 10_000);
    const source = createCredentialSource(settings, { clock }, base.provider);
    const first = source.get();
    base.open(1);
    await first;
    clock.advance(20_000);
    const all = Promise.all(Array.from({ length: 100 }, () => source.get()));
    await base.called(2);
    base.open(2);
    expect((await all).every((c) => c.accessKeyId === 'AK2')).toBe(true);
    expect(base.calls()).toBe(2);
  });

  it('reports a provider failure as the credentials step, without secrets', async () => {
    const s = { ...settings, authType: 'keys' as const, secretKey: 'TOPSECRETVALUE' };
    const source = createCredentialSource(s, {}, async () => {
      throw new Error('cannot use TOPSECRETVALUE');
    });
    const err = await source.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialsError);
    expect((err as CredentialsError).step).toBe('credentials');
    expect((err as CredentialsError).kind).toBe('credentials');
    expect((err as Error).message).toBe('could not load keys credentials: cannot use [redacted]');
  });

  it('names the session after Grafana and the data source, within STS limits', () => {
    expect(roleSessionName('P1809F7CD0C75ACF3')).toBe('grafana-sigil-P1809F7CD0C75ACF3');
    const long = roleSessionName(`x/y:${'z'.repeat(100)}`);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[\w+=,.@-]+$/);
  });

  it('registers every credential it resolves in the instance scope', async () => {
    const clock = createFakeClock();
    const base = gatedBase(clock, 10_000);
    const secrets = scope();
    const source = createCredentialSource(settings, { clock, secrets }, base.provider);
    const first = source.get();
    base.open(1);
    await first;
    clock.advance(20_000);
    const second = source.get();
    await base.called(2);
    base.open(2);
    await second;
    expect(secrets.added).toEqual(['AK1', 'secret-1', 'token-1', 'AK2', 'secret-2', 'token-2']);
  });
});

describe('background refresh failures', () => {
  it('keeps serving valid credentials and does not hammer the provider when a refresh fails', async () => {
    const clock = createFakeClock();
    const base = gatedBase(clock, 60 * 60_000);
    const log = warnLog();
    const source = createCredentialSource(settings, { clock, logger: log.logger }, base.provider);
    const first = source.get();
    base.open(1);
    await first;
    clock.advance(57 * 60_000); // in the refresh window, 3 min left
    expect((await source.get()).accessKeyId).toBe('AK1');
    await base.called(2);
    base.fail(2, new Error('STS unavailable'));
    await log.warned(1);
    for (let i = 0; i < 20; i++) expect((await source.get()).accessKeyId).toBe('AK1');
    expect(base.calls()).toBe(2); // one failed background attempt, no retry storm
    clock.advance(6000);
    expect((await source.get()).accessKeyId).toBe('AK1');
    await base.called(3); // retried after the pause, in the background
    base.fail(3, new Error('STS unavailable'));
    await log.warned(2);
    clock.advance(3 * 60_000); // expired: the failure now reaches the caller
    const late = source.get();
    await base.called(4);
    base.fail(4, new Error('STS unavailable'));
    await expect(late).rejects.toThrow(/STS unavailable/);
  });

  it('serves the cached credentials from the cache when the refresh a caller waited for fails while they are still valid', async () => {
    const clock = createFakeClock();
    const base = gatedBase(clock, 60 * 60_000);
    const log = warnLog();
    const source = createCredentialSource(settings, { clock, logger: log.logger }, base.provider);
    const first = source.get();
    base.open(1);
    await first;
    clock.advance(60 * 60_000 - 9_000); // 9 s left: under the 15 s a caller waits for
    const query = source.get();
    await base.called(2);
    base.fail(2, new Error('503 Service Unavailable'));
    expect((await query).accessKeyId).toBe('AK1'); // the query is served from the cache
    expect(log.lines).toEqual(['credentials refresh failed']);
    // Next callers do not wait for a retry; it runs in the background after the pause.
    expect((await source.get()).accessKeyId).toBe('AK1');
    expect(base.calls()).toBe(2);
    clock.advance(5_000);
    expect((await source.get()).accessKeyId).toBe('AK1');
    await base.called(3);
    base.open(3);
    await log.refreshed(2);
    expect((await source.get()).accessKeyId).toBe('AK3');
  });
});

describe('resolution timeout', () => {
  it('ends a hanging base provider at timeoutSeconds with a timeout error naming the step', async () => {
    const clock = createFakeClock();
    const base = gatedBase(clock, 60_000);
    const source = createCredentialSource({ ...settings, timeoutMs: 5000 }, { clock }, base.provider);
    const pending = source.get().then(
      () => {
        throw new Error('expected a timeout');
      },
      (e: unknown) => e as Error & { kind: string; details: Record<string, string> },
    );
    await base.called(1);
    clock.advance(4999);
    clock.advance(1);
    const err = await pending;
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(
      'credentials: the default credentials provider did not answer within 5 s (timeoutSeconds)',
    );
    expect(err.details.step).toBe('credentials');
    // The next caller starts a new resolution instead of waiting on the hung one.
    const again = source.get();
    await base.called(2);
    base.open(2);
    expect((await again).accessKeyId).toBe('AK2');
  });

  it('ends a hanging STS AssumeRole at timeoutSeconds, naming STS and the role', async () => {
    const clock = createFakeClock();
    const http = await import('node:http');
    const requests: string[] = [];
    let arrived!: () => void;
    const seen = new Promise<void>((r) => (arrived = r));
    const sts = http.createServer((req) => {
      requests.push(req.method ?? '');
      arrived();
    });
    await new Promise<void>((r) => sts.listen(0, '127.0.0.1', r));
    try {
      const port = (sts.address() as { port: number }).port;
      const s: Settings = {
        ...settings,
        authType: 'keys',
        accessKey: 'AKIDBASE',
        secretKey: 'base-secret',
        assumeRoleArn: 'arn:aws:iam::123456789012:role/r',
        stsEndpoint: `http://127.0.0.1:${port}`,
        timeoutMs: 5000,
      };
      const source = createCredentialSource(s, { clock }, async () => ({
        accessKeyId: 'AKIDBASE',
        secretAccessKey: 'base-secret',
      }));
      const pending = source.get().then(
        () => {
          throw new Error('expected a timeout');
        },
        (e: unknown) => e as Error & { kind: string; details: Record<string, string> },
      );
      await seen;
      clock.advance(5000);
      const err = await pending;
      expect(err.kind).toBe('timeout');
      expect(err.message).toBe(
        `credentials: STS AssumeRole of arn:aws:iam::123456789012:role/r at http://127.0.0.1:${port} did not answer within 5 s (timeoutSeconds)`,
      );
      expect(err.details.step).toBe('assume_role');
      expect(requests).toEqual(['POST']);
      (source as unknown as { dispose(): void }).dispose();
    } finally {
      sts.closeAllConnections();
      await new Promise((r) => sts.close(r));
    }
  });
});
