import { fullGc, startIdleCollector } from './idleCollector';

const MiB = 2 ** 20;

/** A process whose CPU time and memory the test sets; the collector's timer is driven by jest's fake clock. */
function fakeProcess() {
  const state = { cpuMicros: 0, nowMs: 0, heapUsed: 20 * MiB, external: 2 * MiB, collections: 0 };
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

describe('fullGc', () => {
  it('returns a collection that frees unreachable memory, and leaves no gc global behind', async () => {
    const gc = fullGc();
    expect(gc).toBeDefined();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    // A buffer that nothing references once the function returns; a WeakRef keeps its target for the rest
    // of the current job, so the collection runs in a later one.
    const unreachable = (): WeakRef<Uint8Array> => new WeakRef(new Uint8Array(8 * MiB).fill(1));
    const ref = unreachable();
    expect(ref.deref()).toBeDefined();
    await new Promise((resolve) => setImmediate(resolve));
    gc!();
    expect(ref.deref()).toBeUndefined();
  });
});
