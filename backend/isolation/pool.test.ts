import { setFlagsFromString } from 'node:v8';
import { BudgetExceeded, TaskError, WorkerPool } from './pool';

// A worker in the pool's protocol, small enough to read: each op is one behaviour a query could have.
const WORKER = `
const { parentPort, threadId } = require('node:worker_threads');
let state;
let keepsRunningWhenAsked = false;
parentPort.on('message', (message) => {
  if (message.releaseHeap) {
    if (!keepsRunningWhenAsked) process.exit(0);
    return;
  }
  const { seq, payload } = message;
  const reply = (value) => parentPort.postMessage({ seq, ok: true, value });
  switch (payload.op) {
    case 'echo': return reply(payload.value);
    case 'thread': return reply(threadId);
    case 'spin': for (;;) {}
    case 'hold': return; // busy without using a core: never answers until the worker is ended
    case 'grow': { const keep = []; for (;;) keep.push(new Array(100000).fill(keep.length + 0.5)); }
    case 'fail': return parentPort.postMessage({ seq, ok: false, error: { name: 'SigilError', message: 'bad selector', status: 400, source: 'plugin' } });
    case 'bytes': return reply(payload.bytes.byteLength);
    case 'set': state = payload.value; return reply(null);
    case 'get': return reply(state);
    case 'heap': return parentPort.postMessage({ seq, ok: true, value: threadId, heapBytes: payload.mb * 1048576 });
    case 'heapLimit': return reply(require('node:v8').getHeapStatistics().heap_size_limit);
    case 'ignoreRelease': keepsRunningWhenAsked = true; return reply(null);
    case 'codeCache': { const c = require('node:worker_threads').workerData.codeCache; return reply(c ? c.byteLength : 0); }
  }
});
`;

const pools: WorkerPool[] = [];
function pool(opts: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): WorkerPool {
  const p = new WorkerPool({ source: () => WORKER, maxWorkers: 4, idleMs: 60_000, memoryMb: 64, ...opts });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Resolves when `check` holds, looking again on each turn of the event loop (no fixed sleep). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

async function run<T>(p: WorkerPool, payload: unknown, budgetMs = 30_000): Promise<T> {
  const lease = await p.lease();
  try {
    return await lease.run<T>(payload, budgetMs);
  } finally {
    lease.release();
  }
}

describe('worker pool', () => {
  it('ends a task over its time budget, and only that task', async () => {
    const p = pool();
    const events: string[] = [];
    // The budget is long enough for a second worker to start on a loaded machine: the order is what is tested.
    const runaway = run(p, { op: 'spin' }, 10_000).then(
      () => events.push('runaway resolved'),
      (e: unknown) => {
        events.push('runaway stopped');
        return e;
      },
    );
    // A caller arriving while the runaway spins gets another worker and its answer first.
    await expect(run(p, { op: 'echo', value: 'bystander' })).resolves.toBe('bystander');
    events.push('bystander answered');
    const err = await runaway;
    expect(events).toEqual(['bystander answered', 'runaway stopped']);
    expect(err).toBeInstanceOf(BudgetExceeded);
    expect(err).toMatchObject({ kind: 'time', limit: 10_000 });
  });

  it("turns a worker running out of heap into that task's error; the process and the pool go on", async () => {
    const p = pool({ memoryMb: 32 });
    const err = await run(p, { op: 'grow' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceeded);
    expect(err).toMatchObject({ kind: 'memory', limit: 32 });
    await expect(run(p, { op: 'echo', value: 1 })).resolves.toBe(1);
  });

  it("keeps a worker's heap budget and young generation when the process runs with heap flags", async () => {
    // The executables set both for the main thread; V8 would give them to every new isolate instead of its limits.
    setFlagsFromString('--max-old-space-size=1024');
    setFlagsFromString('--max-semi-space-size=2');
    try {
      const p = pool({ memoryMb: 32, youngMb: 24 });
      // V8's limit is the old generation plus the young one (three semi-spaces): 32 + 24 MiB.
      const limitMiB = (await run<number>(p, { op: 'heapLimit' })) / 2 ** 20;
      expect(limitMiB).toBeGreaterThanOrEqual(55);
      expect(limitMiB).toBeLessThan(64);
      const err = await run(p, { op: 'grow' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'memory', limit: 32 });
    } finally {
      setFlagsFromString('--max-old-space-size=0');
      setFlagsFromString('--max-semi-space-size=0');
    }
  });

  it('replaces an ended worker with a new thread', async () => {
    const p = pool({ spares: 0 });
    const before = await run<number>(p, { op: 'thread' });
    await run(p, { op: 'spin' }, 200).catch(() => undefined);
    const after = await run<number>(p, { op: 'thread' });
    expect(after).not.toBe(before);
    expect(p.stats().workers).toBe(1);
  });

  it('reuses an idle worker rather than starting one', async () => {
    const p = pool({ spares: 0 });
    const first = await run<number>(p, { op: 'thread' });
    const second = await run<number>(p, { op: 'thread' });
    expect(second).toBe(first);
    expect(p.stats().workers).toBe(1);
  });

  it('starts a worker for a caller when every worker is busy, and keeps two spares warm', async () => {
    const p = pool({ maxWorkers: 8 });
    const busy = await p.lease();
    const spinning = busy.run({ op: 'hold' }, 600_000).catch(() => undefined);
    const other = await p.lease();
    expect(p.stats().waiting).toBe(0);
    await expect(other.run({ op: 'echo', value: 'ok' }, 30_000)).resolves.toBe('ok');
    other.release();
    expect(p.stats()).toMatchObject({ workers: 4, idle: 3 }); // the busy one, the one used, two spares
    await p.close();
    await spinning;
  });

  it('keeps one spare, not two, while one caller at a time is served', async () => {
    const p = pool({ maxWorkers: 8 });
    for (let i = 0; i < 3; i++) await expect(run(p, { op: 'echo', value: i })).resolves.toBe(i);
    expect(p.stats()).toMatchObject({ workers: 2, idle: 2 });
  });

  it('makes callers wait for a worker at the cap, and hands the freed one on', async () => {
    const p = pool({ maxWorkers: 1 });
    const events: string[] = [];
    const first = await p.lease();
    const second = p.lease().then((l) => {
      events.push('second leased');
      return l;
    });
    await first.run({ op: 'echo', value: 1 }, 30_000);
    events.push('first released');
    first.release();
    const lease = await second;
    expect(events).toEqual(['first released', 'second leased']);
    await expect(lease.run({ op: 'echo', value: 2 }, 30_000)).resolves.toBe(2);
    lease.release();
  });

  it('gives a caller waiting at the cap a new worker when the busy one is ended', async () => {
    const p = pool({ maxWorkers: 1 });
    const first = await p.lease();
    const runaway = first.run({ op: 'spin' }, 300).catch((e: unknown) => e);
    const lease = await p.lease();
    expect(await runaway).toBeInstanceOf(BudgetExceeded);
    await expect(lease.run({ op: 'echo', value: 'next' }, 30_000)).resolves.toBe('next');
    lease.release();
    first.release();
  });

  it('lets one key hold at most its share of workers, so other keys are not kept waiting', async () => {
    const p = pool({ maxWorkers: 4, maxPerKey: 2 });
    const victim = {};
    const events: string[] = [];
    const a1 = await p.lease(victim);
    const a2 = await p.lease(victim);
    // Held, not spinning: two spinning threads would starve a 2-core machine and the test of its own CPU.
    const spins = [a1, a2].map((l) => l.run({ op: 'hold' }, 600_000).catch(() => undefined));
    const a3 = p.lease(victim).then((l) => {
      events.push('victim third leased');
      return l;
    });
    const other = await p.lease({});
    events.push('other leased');
    expect(p.stats().waitingForKey).toBe(1);
    await expect(other.run({ op: 'echo', value: 'served' }, 30_000)).resolves.toBe('served');
    other.release();
    a1.release(); // mid-task: the worker is ended, the key's share frees up
    const third = await a3;
    expect(events).toEqual(['other leased', 'victim third leased']);
    await expect(third.run({ op: 'echo', value: 'then the victim' }, 30_000)).resolves.toBe('then the victim');
    third.release();
    a2.release();
    await Promise.all(spins);
  });

  it("keeps a lease's state in its worker between tasks", async () => {
    const p = pool();
    const lease = await p.lease();
    await lease.run({ op: 'set', value: 'page 1 rows' }, 30_000);
    await expect(lease.run({ op: 'get' }, 30_000)).resolves.toBe('page 1 rows');
    lease.release();
  });

  it("moves an answer's bytes to the worker instead of copying them", async () => {
    const p = pool();
    const bytes = new Uint8Array(1 << 20);
    const lease = await p.lease();
    await expect(lease.run({ op: 'bytes', bytes }, 30_000, [bytes.buffer])).resolves.toBe(1 << 20);
    lease.release();
    expect(bytes.byteLength).toBe(0); // detached: the worker owns the buffer now
  });

  it("passes a task's own error back with its properties", async () => {
    const p = pool();
    const err = await run(p, { op: 'fail' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect(err).toMatchObject({ message: 'bad selector', data: { status: 400, source: 'plugin' } });
    await expect(run(p, { op: 'echo', value: 'same worker goes on' })).resolves.toBe('same worker goes on');
  });

  it('lets idle workers exit, and starts none before the first task', async () => {
    const p = pool({ idleMs: 50 });
    expect(p.stats().workers).toBe(0);
    await run(p, { op: 'echo', value: 1 });
    expect(p.stats().workers).toBeGreaterThan(0);
    await until(() => p.stats().workers === 0);
    await expect(run(p, { op: 'echo', value: 2 })).resolves.toBe(2);
  });

  it('asks an idle worker to give its heap back and exit by itself, rather than ending it', async () => {
    const p = pool({ idleMs: 50, spares: 0 });
    await run(p, { op: 'echo', value: 1 });
    await until(() => p.stats().heapsGivenBack === 1);
    expect(p.stats()).toMatchObject({ workers: 0, heapsGivenBack: 1, endedAfterGrace: 0 });
  });

  it('ends a worker that does not exit when asked, once the grace is over', async () => {
    const p = pool({ idleMs: 50, spares: 0, releaseGraceMs: 100 });
    await run(p, { op: 'ignoreRelease' });
    await until(() => p.stats().endedAfterGrace === 1);
    expect(p.stats()).toMatchObject({ workers: 0, heapsGivenBack: 0, endedAfterGrace: 1 });
    // The pool goes on with a new worker.
    await expect(run(p, { op: 'echo', value: 'next' })).resolves.toBe('next');
  });

  it('ends a worker over its budget at once, without asking it', async () => {
    const p = pool({ spares: 0, releaseGraceMs: 60_000 });
    await run(p, { op: 'ignoreRelease' }); // a worker that would not go if asked
    await expect(run(p, { op: 'hold' }, 200)).rejects.toMatchObject({ kind: 'time' });
    await until(() => p.stats().workers === 0);
    expect(p.stats()).toMatchObject({ heapsGivenBack: 0, endedAfterGrace: 0 });
  });

  it("starts later workers from the first worker's code cache, which V8 accepts", async () => {
    const p = pool({ spares: 0 });
    // The first worker was asked for the cache and started without one.
    await expect(run(p, { op: 'codeCache' })).resolves.toBe(0);
    await until(() => p.stats().codeCacheBytes > 0);
    // Two at once: the second is a new worker, started with the cache.
    const a = await p.lease();
    const b = await p.lease();
    try {
      const sizes = await Promise.all([
        a.run<number>({ op: 'codeCache' }, 30_000),
        b.run<number>({ op: 'codeCache' }, 30_000),
      ]);
      expect(sizes.sort()).toEqual([0, p.stats().codeCacheBytes]);
      // A rejected cache is reported by the worker's first message; none came.
      await expect(b.run({ op: 'echo', value: 'after' }, 30_000)).resolves.toBe('after');
      expect(p.stats().codeCacheRejections).toBe(0);
    } finally {
      a.release();
      b.release();
    }
  });

  it('retires a worker whose heap grew past the bound when it is given back, and only such a worker', async () => {
    const p = pool({ spares: 0, retireHeapMb: 100 });
    const first = await run<number>(p, { op: 'heap', mb: 60 });
    // Under the bound: the same worker serves the next task.
    await expect(run(p, { op: 'thread' })).resolves.toBe(first);
    await expect(run(p, { op: 'heap', mb: 300 })).resolves.toBe(first);
    expect(p.stats()).toMatchObject({ retired: 1, workers: 0, idle: 0 });
    // Retired with nothing running: asked to give its heap back, it exits by itself.
    await until(() => p.stats().heapsGivenBack === 1);
    await expect(run(p, { op: 'thread' })).resolves.not.toBe(first);
    expect(p.stats().retired).toBe(1);
  });

  it('hands a caller waiting at the cap a fresh worker in place of a retired one', async () => {
    const p = pool({ maxWorkers: 1, spares: 0, retireHeapMb: 100 });
    const a = await p.lease();
    const big = await a.run<number>({ op: 'heap', mb: 300 }, 30_000);
    const waiting = p.lease();
    a.release();
    const b = await waiting;
    try {
      await expect(b.run({ op: 'thread' }, 30_000)).resolves.not.toBe(big);
      expect(p.stats()).toMatchObject({ retired: 1, workers: 1 });
    } finally {
      b.release();
    }
  });
});
