import { sigilError, type ErrorKind } from '../errors';
import { createFakeClock } from '../fakeClock';
import { answer, fakeNext, rejection } from './layers.testing';
import { defaultRetryPolicy, retryLayer } from './retries';

/** Runs `send` while advancing the fake clock through every backoff it sets, never sleeping. */
async function drive<T>(clock: ReturnType<typeof createFakeClock>, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  while (!done) {
    await new Promise((r) => setImmediate(r));
    clock.advance(60_000);
  }
  return settled;
}

const policy = defaultRetryPolicy({ maxRetries: 3, baseBackoffMs: 100, maxBackoffMs: 1000, random: () => 1 });

describe('retry layer', () => {
  it('retries throttling for any method with doubling, capped backoff on the clock', async () => {
    const clock = createFakeClock();
    const next = fakeNext((_r, n) => (n < 4 ? answer(429, '{"__type":"ThrottlingException"}') : answer(200, 'ok')));
    const res = await drive(clock, retryLayer(policy, clock)(next)({ method: 'POST', url: 'http://h/' }));
    expect(res.status).toBe(200);
    expect(next.calls).toHaveLength(4);
    expect(clock.delays).toEqual([100, 200, 400]);
  });

  it('honours Retry-After within the cap', async () => {
    const clock = createFakeClock();
    const next = fakeNext((_r, n) =>
      n === 1 ? answer(503, '<Error><Code>SlowDown</Code></Error>', { 'retry-after': '30' }) : answer(200),
    );
    await drive(clock, retryLayer(policy, clock)(next)({ method: 'GET', url: 'http://h/' }));
    expect(clock.delays).toEqual([1000]);
  });

  it('retries 5xx only for idempotent methods, and gives the last answer after maxRetries', async () => {
    const clock = createFakeClock();
    const post = fakeNext(() => answer(500, 'boom'));
    expect((await drive(clock, retryLayer(policy, clock)(post)({ method: 'POST', url: 'http://h/' }))).status).toBe(
      500,
    );
    expect(post.calls).toHaveLength(1);
    const get = fakeNext(() => answer(500, 'boom'));
    expect((await drive(clock, retryLayer(policy, clock)(get)({ method: 'GET', url: 'http://h/' }))).status).toBe(500);
    expect(get.calls).toHaveLength(4);
  });

  const decisions: Array<[ErrorKind, string, number]> = [
    ['network', 'GET', 4],
    ['network', 'POST', 1],
    ['timeout', 'GET', 1],
    ['cancelled', 'GET', 1],
    ['url_refused', 'GET', 1],
    ['credentials', 'GET', 1],
    ['assume_role', 'GET', 1],
    ['too_large', 'GET', 1],
    ['parse', 'GET', 1],
  ];
  it.each(decisions)('an error of kind %s on %s is tried %i time(s) in all', async (kind, method, attempts) => {
    const clock = createFakeClock();
    const next = fakeNext(() => {
      throw sigilError(kind, `failed: ${kind}`);
    });
    const err = await drive(clock, rejection(retryLayer(policy, clock)(next)({ method, url: 'http://h/' })));
    expect(err.kind).toBe(kind);
    expect(next.calls).toHaveLength(attempts);
  });

  it('stops waiting when the caller cancels, and removes its listener', async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    const next = fakeNext(() => answer(429));
    const pending = retryLayer(policy, clock)(next)({ method: 'GET', url: 'http://h/', signal: controller.signal });
    while (clock.pending === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    const err = await rejection(pending);
    expect(err.kind).toBe('cancelled');
    expect(next.calls).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('logs one line per retry with the URL but no query values', async () => {
    const clock = createFakeClock();
    const lines: Array<[string, Record<string, unknown>]> = [];
    const next = fakeNext((_r, n) => (n === 1 ? answer(429) : answer(200)));
    await drive(
      clock,
      retryLayer(policy, clock, { info: (m, f) => lines.push([m, f ?? {}]) })(next)({
        method: 'GET',
        url: 'http://h/p?token=abc',
      }),
    );
    expect(lines).toEqual([
      ['retrying request', { url: 'http://h/p?token=', method: 'GET', attempt: 1, delayMs: 100, status: 429 }],
    ]);
  });
});
