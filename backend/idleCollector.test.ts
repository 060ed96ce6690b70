import { startIdleCollector } from './idleCollector';

const MiB = 2 ** 20;

/** A process whose CPU time and memory the test sets; the collector's timer is driven by jest's fake clock. */
function fakeProcess() {
  const state = { cpuMicros: 0, nowMs: 0, heapUsed: 20 * MiB, external: 2 * MiB, collections: 0, rss: 80 * MiB };
  const options = {
    everyMs: 1000,
    idleCpuShare: 0.02,
    growthBytes: 16 * MiB,
    collect: () => {
      state.collections++;
      state.heapUsed = 21 * MiB;
      state.external = 2 * MiB;
    },
    memory: () => ({ heapUsed: state.heapUsed, external: state.external }),
    rss: () => state.rss,
    cpuMicros: () => state.cpuMicros,
    now: () => state.nowMs,
  };
  /** One period passes with `cpuMs` of CPU used. */
  const period = (cpuMs: number) => {
    state.cpuMicros += cpuMs * 1000;
    state.nowMs += 1000;
    jest.advanceTimersByTime(1000);
  };
  return { state, options, period };
}

describe('idle collector', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('collects once when the process idles holding much more than before, not again until it grows', () => {
    const { state, options, period } = fakeProcess();
    const freed: number[] = [];
    const stop = startIdleCollector({ ...options, onCollect: (bytes) => freed.push(bytes) });
    try {
      // A burst: busy periods while the memory grows by a 50 MB answer's buffers.
      state.external = 120 * MiB;
      period(800);
      period(900);
      expect(state.collections).toBe(0);
      // Idle: one collection, then none while nothing grows.
      period(1);
      expect(state.collections).toBe(1);
      expect(freed).toEqual([117 * MiB]);
      period(1);
      period(0);
      expect(state.collections).toBe(1);
    } finally {
      stop();
    }
  });

  it('never collects while busy, nor for growth under the threshold', () => {
    const { state, options, period } = fakeProcess();
    const stop = startIdleCollector(options);
    try {
      state.heapUsed = 200 * MiB;
      for (let i = 0; i < 5; i++) period(100); // 10% of a core: busy
      expect(state.collections).toBe(0);
      state.heapUsed = 30 * MiB; // V8 collected by itself during the load
      period(0);
      expect(state.collections).toBe(0); // 8 MiB over the start: not worth a full collection
    } finally {
      stop();
    }
  });

  it('stops looking when stopped', () => {
    const { state, options, period } = fakeProcess();
    startIdleCollector(options)();
    state.external = 500 * MiB;
    period(0);
    period(0);
    expect(state.collections).toBe(0);
  });
});

describe('idle collector with a C heap trim', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** The fake process, plus a trim that gives back all but `keptMiB` of the resident size over 80 MiB. */
  function withTrim(keptMiB = 0) {
    const fake = fakeProcess();
    const trims: number[] = [];
    const options = {
      ...fake.options,
      trim: () => {
        fake.state.rss = Math.min(fake.state.rss, (80 + keptMiB) * MiB);
      },
      onTrim: (bytes: number) => trims.push(bytes),
    };
    return { ...fake, options, trims };
  }

  it('trims after each collection', () => {
    const { state, options, period, trims } = withTrim();
    const stop = startIdleCollector(options);
    try {
      state.external = 120 * MiB;
      state.rss = 250 * MiB;
      period(800);
      expect(trims).toEqual([]);
      period(0);
      expect(state.collections).toBe(1);
      expect(trims).toEqual([170 * MiB]);
    } finally {
      stop();
    }
  });

  it('trims once when the resident size grew with no collection due, then waits for new growth', () => {
    const { state, options, period, trims } = withTrim(5);
    const stop = startIdleCollector(options);
    try {
      // A load that left the JavaScript heap as it was (its workers have exited) and the C heap grown.
      state.rss = 140 * MiB;
      period(500);
      period(500);
      expect(trims).toEqual([]);
      period(0);
      expect(state.collections).toBe(0);
      expect(trims).toEqual([55 * MiB]);
      // What the trim could not give back (85 MiB) is the new baseline: no trim every period.
      period(0);
      period(0);
      expect(trims).toHaveLength(1);
      state.rss = 95 * MiB; // 10 MiB more: under the threshold
      period(0);
      expect(trims).toHaveLength(1);
      state.rss = 110 * MiB;
      period(0);
      expect(trims).toEqual([55 * MiB, 25 * MiB]);
    } finally {
      stop();
    }
  });

  it('trims on a smaller growth of the resident size when trimGrowthBytes is set, and collects on none', () => {
    const { state, options, period, trims } = withTrim();
    const stop = startIdleCollector({ ...options, trimGrowthBytes: 12 * MiB });
    try {
      state.rss = 90 * MiB; // 10 MiB: under both thresholds
      period(0);
      expect(trims).toEqual([]);
      state.rss = 94 * MiB; // 14 MiB: over trimGrowthBytes, under growthBytes
      period(0);
      expect(trims).toEqual([14 * MiB]);
      expect(state.collections).toBe(0);
    } finally {
      stop();
    }
  });

  it('with trimAtFirstIdle, trims at the first idle look without growth, then only on growth', () => {
    const { state, options, period, trims } = withTrim();
    const stop = startIdleCollector({ ...options, trimAtFirstIdle: true });
    try {
      period(300); // start-up: busy
      expect(trims).toEqual([]);
      period(0);
      expect(trims).toHaveLength(1);
      expect(state.collections).toBe(0);
      period(0);
      period(0);
      expect(trims).toHaveLength(1);
      state.rss = 100 * MiB;
      period(0);
      expect(trims).toEqual([trims[0], 20 * MiB]);
    } finally {
      stop();
    }
  });

  it('does not trim again for pages the idle process maps back after a trim', () => {
    const { state, options, period, trims } = withTrim();
    const stop = startIdleCollector(options);
    try {
      state.rss = 200 * MiB;
      period(0);
      expect(trims).toEqual([120 * MiB]);
      state.rss = 110 * MiB; // 30 MiB of code pages mapped back while idle: more than the threshold
      period(0);
      period(0);
      expect(trims).toHaveLength(1);
      state.rss = 130 * MiB; // new growth from where it settled
      period(0);
      expect(trims).toEqual([120 * MiB, 50 * MiB]);
    } finally {
      stop();
    }
  });

  it('trims after a burst that began right after a trim', () => {
    const { state, options, period, trims } = withTrim();
    const stop = startIdleCollector({ ...options, trimAtFirstIdle: true });
    try {
      period(300); // start-up: busy
      period(0);
      expect(trims).toHaveLength(1);
      period(300); // the first query, in the look right after the trim
      state.rss = 150 * MiB;
      period(800); // load
      period(0);
      expect(trims).toEqual([trims[0], 70 * MiB]);
    } finally {
      stop();
    }
  });

  it('never trims while busy, and not at all without a trim function', () => {
    const { state, options, period, trims } = withTrim();
    const stop = startIdleCollector(options);
    try {
      state.rss = 300 * MiB;
      for (let i = 0; i < 5; i++) period(100);
      expect(trims).toEqual([]);
    } finally {
      stop();
    }
    const plain = fakeProcess();
    const collected: number[] = [];
    const stopPlain = startIdleCollector({ ...plain.options, onCollect: (b) => collected.push(b) });
    try {
      plain.state.rss = 300 * MiB;
      plain.period(0);
      plain.period(0);
      expect(plain.state.collections).toBe(0);
      expect(collected).toEqual([]);
    } finally {
      stopPlain();
    }
  });
});
