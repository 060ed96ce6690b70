import { JSONATA_LIMITS, selectRoot } from './select';

describe('root selectors that never end', () => {
  const saved = { ...JSONATA_LIMITS };
  beforeEach(() => {
    JSONATA_LIMITS.timeoutMs = 300;
  });
  afterEach(() => {
    Object.assign(JSONATA_LIMITS, saved);
  });

  it('stops an endless (tail-recursive) function after the time budget, with an error that says why', async () => {
    await expect(selectRoot({}, '($f := function($x){ $f($x) }; $f(1))')).rejects.toThrow(
      /root selector .* failed: Evaluation timeout after 300 milliseconds/,
    );
  });

  it('stops runaway recursion at the stack limit', async () => {
    // Only the stack limit may stop this one: on a slow machine the 300 ms clock could come first.
    JSONATA_LIMITS.timeoutMs = 10 * 60_000;
    await expect(selectRoot({}, '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))')).rejects.toThrow(
      /Stack overflow/,
    );
  });

  it('still evaluates ordinary expressions', async () => {
    await expect(selectRoot({ a: [{ v: 1 }, { v: 2 }] }, '$sum(a.v)')).resolves.toBe(3);
  });
});
