// The engine's side of query isolation: a shared pool of query workers, the query budgets, and the mapping of
// a worker's failure to the query's error. See docs/query-isolation.md.
import { cpus } from 'node:os';
import { BudgetExceeded, TaskError, WorkerPool, type Lease } from '../../isolation/pool';
import { KIND_DEFAULTS, sigilError, systemRefusal, type ErrorKind, type ErrorSource } from '../../errors';
import type { PageAnswer, QueryJob } from '../process';
import type { QueryTask, WorkerOutcome } from './messages';
import { queryWorkerSource } from './source';

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

/**
 * Budgets of one query's processing (parsing, selecting, UQL, frames; not its network time):
 * - time: the data source's timeoutSeconds (default 30 s), at least 10 s. The data source's timeout is
 *   already the administrator's word for how long a query of that data source may take; answers up to the
 *   default 50 MB cap are processed in 1-7 s on a small machine (docs/query-isolation.md), so legitimate
 *   queries have room, and a runaway one holds at most its data source's share of the workers meanwhile.
 * - memory: 1024 MiB of JavaScript heap per query worker. Parsing and selecting take a few times the answer's
 *   size in heap (a 50 MB CSV answer peaks near 650 MB), and V8 ends a heap past about 1 GiB anyway.
 * SIGIL_QUERY_TIME_BUDGET_S (a fixed time budget), SIGIL_QUERY_MEMORY_MB, SIGIL_QUERY_WORKERS and
 * SIGIL_QUERY_WORKER_IDLE_S (how long an idle worker lives) override them.
 * - retiring: a worker holding over 64 MiB of heap and external memory after a query (a large answer's: 230
 *   MiB after a 50 MB JSON answer; small queries under load stay under 30) exits when done instead of idling
 *   with it for 30 s; SIGIL_QUERY_WORKER_RETIRE_MB changes the bound.
 */
export const QUERY_BUDGET = {
  /** A fixed time budget instead of the data source's timeout; undefined: follow the data source. */
  timeMs: process.env.SIGIL_QUERY_TIME_BUDGET_S
    ? envNumber('SIGIL_QUERY_TIME_BUDGET_S', 30, 1, 600) * 1000
    : (undefined as number | undefined),
  minTimeMs: 10_000,
  defaultTimeMs: 30_000,
  memoryMb: envNumber('SIGIL_QUERY_MEMORY_MB', 1024, 64, 4096),
  maxWorkers: envNumber('SIGIL_QUERY_WORKERS', Math.max(4, 2 * cpus().length), 1, 64),
  idleMs: envNumber('SIGIL_QUERY_WORKER_IDLE_S', 30, 1, 3600) * 1000,
  nice: envNumber('SIGIL_QUERY_WORKER_NICE', 0, 0, 19),
  retireHeapMb: envNumber('SIGIL_QUERY_WORKER_RETIRE_MB', 64, 16, 4096),
};

/** The processing time budget of a query of a data source with this timeout. */
export function timeBudgetMs(dataSourceTimeoutMs?: number): number {
  return QUERY_BUDGET.timeMs ?? Math.max(QUERY_BUDGET.minTimeMs, dataSourceTimeoutMs ?? QUERY_BUDGET.defaultTimeMs);
}

let shared: WorkerPool | undefined;

/** The process's query worker pool; workers start at the first query. */
export function queryPool(): WorkerPool {
  shared ??= new WorkerPool({
    source: queryWorkerSource,
    maxWorkers: QUERY_BUDGET.maxWorkers,
    idleMs: QUERY_BUDGET.idleMs,
    memoryMb: QUERY_BUDGET.memoryMb,
    nice: QUERY_BUDGET.nice,
    retireHeapMb: QUERY_BUDGET.retireHeapMb,
  });
  return shared;
}

const ADVICE =
  'narrow the root selector or UQL query, lower pagination.maxRows or maxPages, or ask the API for less data (a shorter time range, fewer items per page)';

/** The query's error for a failed task. */
export function queryError(e: unknown, budgetMs: number): Error {
  if (e instanceof BudgetExceeded) {
    // A worker thread the system would not start (Node: "Worker initialization failure: EMFILE").
    const refusal = e.kind === 'crash' ? systemRefusal(e) : undefined;
    if (refusal)
      return sigilError('internal', `the query's processing could not run: ${refusal}`, { status: 503, cause: e });
    if (e.kind === 'time')
      return sigilError(
        'budget',
        `the query's processing exceeded its time budget (${budgetMs / 1000} s) and was stopped; ${ADVICE}`,
        { cause: e },
      );
    if (e.kind === 'memory')
      return sigilError(
        'budget',
        `the query's processing exceeded its memory budget (${e.limit} MiB) and was stopped; ${ADVICE}`,
        { cause: e },
      );
    return sigilError('internal', `the query's processing failed: ${e.message}`, { cause: e });
  }
  if (e instanceof TaskError) {
    const { kind, source, status } = e.data;
    if (
      typeof kind === 'string' &&
      Object.hasOwn(KIND_DEFAULTS, kind) &&
      (source === 'plugin' || source === 'downstream')
    ) {
      return sigilError(kind as ErrorKind, e.message, {
        source: source as ErrorSource,
        status: typeof status === 'number' ? status : undefined,
        cause: e,
      });
    }
    return new Error(e.message);
  }
  return e as Error;
}

/** The answer's bytes for the worker: its own ArrayBuffer moves (no copy); a slice of a shared one is copied. */
function transferable(body: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  if (body.byteLength === 0) return { bytes: new Uint8Array(0), transfer: [] };
  const whole =
    body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
  const bytes = whole ? body : new Uint8Array(body);
  return { bytes, transfer: [bytes.buffer as ArrayBuffer] };
}

/**
 * One query's processing, page by page, in one worker of the pool. The worker is taken when the first answer
 * is there (not during the request) and kept while a paginated query fetches its next pages, since the rows
 * so far live in it. Always `close()` it.
 */
export class QuerySession {
  private lease: Lease | undefined;
  private spentMs = 0;
  private started = false;
  private done = false;

  /** `fairnessKey` identifies the data source: one data source holds at most half the pool's workers. */
  constructor(
    private readonly job: QueryJob,
    private readonly fairnessKey?: object,
    private readonly budgetMs = timeBudgetMs(),
    private readonly pool: WorkerPool = queryPool(),
  ) {}

  async page(answer: PageAnswer): Promise<WorkerOutcome> {
    this.lease ??= await this.pool.lease(this.fairnessKey);
    const { bytes, transfer } = transferable(answer.body);
    const task: QueryTask = {
      kind: 'page',
      job: this.started ? undefined : this.job,
      answer: { ...answer, body: bytes },
    };
    this.started = true;
    const t0 = performance.now();
    try {
      const outcome = await this.lease.run<WorkerOutcome>(task, Math.max(1, this.budgetMs - this.spentMs), transfer);
      if (outcome.frames) {
        this.done = true;
        this.close();
      }
      return outcome;
    } catch (e) {
      this.done = true;
      this.close();
      throw queryError(e, this.budgetMs);
    } finally {
      this.spentMs += performance.now() - t0;
    }
  }

  /** Gives the worker back; a query left between pages (its request failed) first drops its rows there. */
  close(): void {
    const lease = this.lease;
    this.lease = undefined;
    if (!lease) return;
    if (this.done) {
      lease.release();
      return;
    }
    this.done = true;
    void lease
      .run({ kind: 'reset' } satisfies QueryTask, QUERY_BUDGET.minTimeMs)
      .catch(() => undefined)
      .finally(() => lease.release());
  }
}
