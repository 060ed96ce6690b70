// An elastic pool of worker threads that runs untrusted work (a query's parsing, JSONata, UQL, frame
// building) under a time and a memory budget enforced from outside the work:
// - memory: each worker is a V8 isolate with its own heap limit (resourceLimits); a worker that reaches it
//   is ended by Node (ERR_WORKER_OUT_OF_MEMORY) and only its task fails, the process lives on;
// - time: the main thread holds a timer per task and ends an overrunning worker with worker.terminate(),
//   which stops any JavaScript (a loop, a regex, a recursion) without its cooperation.
// Why threads and not child processes or in-thread guards: a guard inside the work (JSONata's timeout,
// yields) needs the work to cooperate and cannot bound its heap; a child process costs tens of MB and tens of
// ms per start and needs a copy of each answer, while a worker takes answers by transfer and starts faster.
//
// The pool is elastic: an idle worker is reused; when none is idle a new one starts (up to a cap), so a
// runaway task never makes another caller wait for it; one spare is kept warm while the pool is in use, two
// while callers overlap; a worker that was ended is replaced lazily; idle workers exit after
// a while, so an idle plugin holds none.
// A lease holds one worker for a sequence of tasks that share state inside it (a query's pages).
// Each worker compiles the pool's code with V8's code cache of it, which the pool's first worker makes right
// after the code ran and before it takes a task: a worker starts in about half the time (~56 → ~33 ms), which
// is what the first query after an idle spell, and a burst that grows the pool, wait for.
// A worker ended with nothing running (idle, or retired after a large answer) is asked to give its heap back
// and exit by itself (./messages.ts): otherwise V8 has the main thread unmap that heap 8 s later.
import { setFlagsFromString } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { RELEASE_HEAP } from './messages';

/**
 * Runs the pool's code (CommonJS text in workerData.source) with the code cache in workerData.codeCache,
 * then, when asked, sends the cache back. The code cannot see the loader's names: it runs in a function.
 */
const LOADER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Script } = require('node:vm');
const script = new Script('(function (require, module, exports) {' + workerData.source + '\\n})', {
  filename: 'sigil-worker.js',
  cachedData: workerData.codeCache,
});
const codeModule = { exports: {} };
script.runInThisContext()(require, codeModule, codeModule.exports);
if (workerData.makeCodeCache) parentPort.postMessage({ codeCache: script.createCachedData() });
else if (workerData.codeCache && script.cachedDataRejected) parentPort.postMessage({ codeCacheRejected: true });
`;

/** A cache larger than this is not kept (the pool's code makes one of about 0.4 MiB). */
const MAX_CODE_CACHE_BYTES = 16 * 2 ** 20;

/** What a worker's loader sends before any task's reply. */
type CodeCacheMessage = { codeCache: Uint8Array } | { codeCacheRejected: true };

function isCodeCacheMessage(m: unknown): m is CodeCacheMessage {
  return typeof m === 'object' && m !== null && ('codeCache' in m || 'codeCacheRejected' in m);
}

export interface PoolOptions {
  /** The worker's JavaScript (CommonJS, run with `eval`: a single executable has no files to load). */
  source: () => string;
  /** Most workers alive at once; more callers wait for one. */
  maxWorkers: number;
  /** An idle worker exits after this long. */
  idleMs: number;
  /** Heap budget of each worker (V8 old generation), MiB. */
  memoryMb: number;
  /** Young generation (default 48, V8's default for a main thread, so JSONata's garbage is collected as often as before) and stack (4), MiB. */
  youngMb?: number;
  stackMb?: number;
  /** Idle workers kept warm while callers overlap (default 2; one while a single caller uses the pool), so that
   * callers arriving during a burst of runaway tasks find a started worker; 0 disables. */
  spares?: number;
  /**
   * Most workers one key (a data source) holds at once (default: half the cap, at least 1): its further
   * callers wait behind its own, so a data source whose queries all run away leaves workers for the others.
   */
  maxPerKey?: number;
  /** Linux nice value of the worker threads (0: the main thread's priority). */
  nice?: number;
  /**
   * A worker whose V8 heap and external memory are larger than this after its lease (MiB; default none)
   * exits when given back,
   * instead of holding a large answer's heap until its idle timeout: an idle worker never collects.
   */
  retireHeapMb?: number;
  /** A worker asked to give its heap back and exit is ended from outside after this long (default 5000 ms). */
  releaseGraceMs?: number;
}

/** A task ended from outside: over its time budget, over its memory budget, or its worker died. */
export class BudgetExceeded extends Error {
  constructor(
    readonly kind: 'time' | 'memory' | 'crash',
    /** Milliseconds for `time`, MiB for `memory`. */
    readonly limit: number,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetExceeded';
  }
}

/** An error the task itself threw inside the worker, with its serialisable own properties. */
export class TaskError extends Error {
  constructor(readonly data: Record<string, unknown>) {
    super(typeof data.message === 'string' ? data.message : 'task failed');
    this.name = typeof data.name === 'string' ? data.name : 'TaskError';
  }
}

interface Pending {
  seq: number;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

type Reply = (
  { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: Record<string, unknown> }
) & { heapBytes?: number };

/**
 * V8 gives a new isolate the process's --max-old-space-size and --max-semi-space-size, when set, in place of
 * the heap limits it was created with, so a worker would get the main thread's limits instead of its budget
 * and young generation. The executables set both flags for the main thread (scripts/build-backend.mjs); they
 * are cleared before each worker starts. They are read only when an isolate is made: the main thread keeps
 * its limits.
 */
function clearHeapFlags(): void {
  setFlagsFromString('--max-old-space-size=0');
  setFlagsFromString('--max-semi-space-size=0');
}

class PooledWorker {
  readonly worker: Worker;
  /** Settles when the thread runs, or when it died before that. */
  readonly online: Promise<void>;
  private wentOnline: () => void = () => undefined;
  pending: Pending | undefined;
  dead = false;
  isOnline = false;
  private deathCause: BudgetExceeded | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  /** The worker's V8 heap size after its last task, as it reported. */
  heapBytes = 0;
  private seq = 0;

  constructor(
    code: { source: string; codeCache?: Uint8Array; makeCodeCache: boolean },
    limits: ResourceLimits,
    nice: number,
    private readonly onDeath: (w: PooledWorker) => void,
    onCodeCache: (m: CodeCacheMessage) => void,
    private readonly onEnded: (how: 'gave its heap back' | 'ended after the grace') => void,
    private readonly releaseGraceMs: number,
  ) {
    clearHeapFlags();
    // (Its stdout and stderr are silenced inside by serveTasks: `stdout: true` here would keep the process alive.)
    this.worker = new Worker(LOADER, {
      eval: true,
      resourceLimits: limits,
      execArgv: [],
      env: {},
      workerData: { nice, ...code },
    });
    // The loader's message comes before the code reads any task: the only one taken as a code cache.
    let first = true;
    this.online = new Promise((resolve) => {
      this.wentOnline = resolve;
      this.worker.once('online', () => {
        this.isOnline = true;
        resolve();
      });
    });
    this.worker.on('message', (reply: Reply | CodeCacheMessage) => {
      const wasFirst = first;
      first = false;
      if (isCodeCacheMessage(reply)) {
        if (wasFirst) onCodeCache(reply);
        return;
      }
      if (typeof reply.heapBytes === 'number') this.heapBytes = reply.heapBytes;
      const p = this.pending;
      if (!p || reply.seq !== p.seq) return;
      this.settle();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(new TaskError(reply.error));
    });
    this.worker.on('error', (err: Error & { code?: string }) => {
      const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.die(
        memory
          ? new BudgetExceeded('memory', limits.maxOldGenerationSizeMb ?? 0, 'the worker ran out of its memory budget')
          : new BudgetExceeded('crash', 0, `the worker failed: ${err.message}`),
      );
    });
    this.worker.on('exit', (code) => this.die(new BudgetExceeded('crash', 0, `the worker exited (code ${code})`)));
  }

  private settle(): void {
    if (this.pending?.timer) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }

  /**
   * Marks the worker unusable, fails its task with `err`, and ends the thread: at once, or, with `release` and
   * no task running, by asking it to give its heap back and exit.
   */
  die(err: BudgetExceeded, ending: 'terminate' | 'release' = 'terminate'): void {
    const p = this.pending;
    this.settle();
    p?.reject(err);
    if (this.dead) return;
    this.dead = true;
    this.deathCause = err;
    this.wentOnline();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (ending === 'release' && this.isOnline && !p) this.releaseAndExit();
    else void this.worker.terminate();
    this.onDeath(this);
  }

  /** The worker collects and exits on its own thread; one that has not exited after the grace is ended. */
  private releaseAndExit(): void {
    this.worker.unref(); // the process need not wait for it
    const grace = setTimeout(() => void this.worker.terminate(), this.releaseGraceMs);
    grace.unref();
    this.worker.once('exit', (code) => {
      clearTimeout(grace);
      this.onEnded(code === 0 ? 'gave its heap back' : 'ended after the grace');
    });
    this.worker.postMessage(RELEASE_HEAP);
  }

  async run(payload: unknown, transfer: ArrayBuffer[], budgetMs: number): Promise<unknown> {
    await this.online;
    if (this.dead) throw this.deathCause ?? new BudgetExceeded('crash', 0, 'the worker ended before the task started');
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending = { seq, resolve, reject };
      // The budget runs on the main thread, which no task can block.
      this.pending.timer = setTimeout(
        () => this.die(new BudgetExceeded('time', budgetMs, `the task ran longer than ${budgetMs} ms`)),
        budgetMs,
      );
      try {
        this.worker.postMessage({ seq, payload }, transfer);
      } catch (e) {
        this.settle();
        reject(e as Error); // e.g. a value that cannot be cloned; the worker stays usable
      }
    });
  }
}

/** One worker, held by one caller for a sequence of tasks; release it when done. */
export class Lease {
  private released = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly w: PooledWorker,
    private readonly key: unknown,
  ) {}

  /** Runs one task; rejects with BudgetExceeded when it overruns `budgetMs` or the worker's heap. */
  run<T>(payload: unknown, budgetMs: number, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.released) return Promise.reject(new Error('the lease was released'));
    return this.w.run(payload, transfer, budgetMs) as Promise<T>;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.pool.giveBack(this.w, this.key);
  }
}

export class WorkerPool {
  private readonly all = new Set<PooledWorker>();
  private readonly idle: PooledWorker[] = [];
  private readonly waiting: ((w: PooledWorker) => void)[] = [];
  /** Leases held and callers waiting, per key. */
  private readonly held = new Map<unknown, number>();
  private readonly keyWaiting = new Map<unknown, (() => void)[]>();
  private code: string | undefined;
  /** V8's code cache of `code`, from the first worker; one worker at a time is asked to make it. */
  private codeCache: Uint8Array | undefined;
  private codeCacheMaker: PooledWorker | undefined;
  private codeCacheRejections = 0;
  private retired = 0;
  private heapsGivenBack = 0;
  private endedAfterGrace = 0;
  private readonly limits: ResourceLimits;
  private closed = false;

  constructor(private readonly opts: PoolOptions) {
    this.limits = {
      maxOldGenerationSizeMb: opts.memoryMb,
      maxYoungGenerationSizeMb: opts.youngMb ?? 48,
      stackSizeMb: opts.stackMb ?? 4,
    };
  }

  get options(): Readonly<PoolOptions> {
    return this.opts;
  }

  /** Counts for tests and logs. */
  stats(): {
    workers: number;
    idle: number;
    waiting: number;
    waitingForKey: number;
    codeCacheBytes: number;
    codeCacheRejections: number;
    retired: number;
    /** Workers ended with nothing running that gave their heap back and exited by themselves. */
    heapsGivenBack: number;
    /** Such workers that did not exit within the grace and were ended from outside. */
    endedAfterGrace: number;
  } {
    let waitingForKey = 0;
    for (const q of this.keyWaiting.values()) waitingForKey += q.length;
    return {
      workers: this.all.size,
      idle: this.idle.length,
      waiting: this.waiting.length,
      waitingForKey,
      codeCacheBytes: this.codeCache?.byteLength ?? 0,
      codeCacheRejections: this.codeCacheRejections,
      retired: this.retired,
      heapsGivenBack: this.heapsGivenBack,
      endedAfterGrace: this.endedAfterGrace,
    };
  }

  private get maxPerKey(): number {
    return this.opts.maxPerKey ?? Math.max(1, Math.floor(this.opts.maxWorkers / 2));
  }

  /**
   * A worker for the caller's tasks: an idle one, a new one, or the next one free when at the cap. With a
   * `key`, the caller first waits until its key holds fewer than maxPerKey workers.
   */
  async lease(key?: unknown): Promise<Lease> {
    if (this.closed) throw new Error('the worker pool is closed');
    if (key !== undefined) {
      if ((this.held.get(key) ?? 0) >= this.maxPerKey) {
        await new Promise<void>((resolve) => {
          const queue = this.keyWaiting.get(key) ?? [];
          queue.push(resolve);
          this.keyWaiting.set(key, queue);
        });
      }
      this.held.set(key, (this.held.get(key) ?? 0) + 1);
    }
    let w = this.takeIdle();
    if (!w && this.all.size < this.opts.maxWorkers) w = this.spawn();
    if (!w) w = await new Promise<PooledWorker>((resolve) => this.waiting.push(resolve));
    w.worker.ref();
    // Spares are whole isolates (~15 MiB each): one while a single caller uses the pool, so that a caller
    // arriving while this one runs away finds a started worker; all of them once callers overlap.
    const overlapping = this.all.size - this.idle.length > 1;
    const spares = Math.min(overlapping ? Infinity : 1, this.opts.spares ?? 2);
    while (this.idle.length < spares && this.all.size < this.opts.maxWorkers && this.waiting.length === 0) {
      this.makeIdle(this.spawn());
    }
    return new Lease(this, w, key);
  }

  /** Ends every worker; leases in use fail their tasks. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.all];
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  /** @internal A lease's worker comes back: to a waiting caller, else idle. */
  giveBack(w: PooledWorker, key: unknown): void {
    if (key !== undefined) this.releaseKey(key);
    this.returnWorker(w);
  }

  /** The key holds one worker less: its next waiting caller (if any) may go on. */
  private releaseKey(key: unknown): void {
    const queue = this.keyWaiting.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.keyWaiting.delete(key);
    const count = (this.held.get(key) ?? 1) - 1;
    if (count === 0) this.held.delete(key);
    else this.held.set(key, count);
    next?.(); // counts itself in again
  }

  private returnWorker(w: PooledWorker): void {
    if (w.dead) return; // replaced lazily: the next lease starts a new one
    if (w.pending) {
      // Released mid-task (the caller gave up): the task's state is the caller's; end it rather than reuse.
      w.die(new BudgetExceeded('crash', 0, 'the lease was released during a task'));
      return;
    }
    if (this.opts.retireHeapMb !== undefined && w.heapBytes > this.opts.retireHeapMb * 2 ** 20) {
      // A waiting caller gets a fresh worker in its place (onDeath).
      this.retired++;
      w.die(new BudgetExceeded('crash', 0, "retired: its heap grew past the pool's bound"), 'release');
      return;
    }
    const next = this.waiting.shift();
    if (next) {
      next(w);
      return;
    }
    this.makeIdle(w);
  }

  /** The most recently used idle worker that has started, else one still starting. */
  private takeIdle(): PooledWorker | undefined {
    let i = this.idle.length - 1;
    while (i >= 0 && !this.idle[i].isOnline) i--;
    const [w] = this.idle.splice(i >= 0 ? i : this.idle.length - 1, 1);
    if (w?.idleTimer) {
      clearTimeout(w.idleTimer);
      w.idleTimer = undefined;
    }
    return w;
  }

  private makeIdle(w: PooledWorker): void {
    w.worker.unref();
    this.idle.push(w);
    w.idleTimer = setTimeout(() => {
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      w.die(new BudgetExceeded('crash', 0, 'idle'), 'release');
    }, this.opts.idleMs);
    w.idleTimer.unref();
  }

  private spawn(): PooledWorker {
    this.code ??= this.opts.source();
    const makeCodeCache = !this.codeCache && !this.codeCacheMaker;
    const w: PooledWorker = new PooledWorker(
      { source: this.code, codeCache: this.codeCache, makeCodeCache },
      this.limits,
      this.opts.nice ?? 0,
      (dead) => this.onDeath(dead),
      (m) => this.onCodeCache(w, m),
      (how) => (how === 'gave its heap back' ? this.heapsGivenBack++ : this.endedAfterGrace++),
      this.opts.releaseGraceMs ?? 5000,
    );
    if (makeCodeCache) this.codeCacheMaker = w;
    this.all.add(w);
    return w;
  }

  private onCodeCache(w: PooledWorker, m: CodeCacheMessage): void {
    if ('codeCacheRejected' in m) {
      // V8 refused it (another V8 build or flags): start from scratch, and let the next worker make a new one.
      this.codeCacheRejections++;
      this.codeCache = undefined;
      return;
    }
    if (w !== this.codeCacheMaker) return;
    this.codeCacheMaker = undefined;
    if (m.codeCache instanceof Uint8Array && m.codeCache.byteLength <= MAX_CODE_CACHE_BYTES)
      this.codeCache = m.codeCache;
  }

  private onDeath(w: PooledWorker): void {
    if (w === this.codeCacheMaker) this.codeCacheMaker = undefined;
    this.all.delete(w);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    // A caller waiting at the cap gets a fresh worker in the freed slot.
    const next = !this.closed && this.waiting.length > 0 ? this.waiting.shift() : undefined;
    if (next) next(this.spawn());
  }
}
