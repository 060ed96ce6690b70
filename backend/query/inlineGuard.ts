// Which answers the main thread may process itself instead of handing them to a query worker (./inline.ts),
// and the checks that keep that work bounded. The worker hop is most of a small query's cost (a structured
// clone each way, a thread woken, an isolate of its own JIT-compiling the same code), and the workers are most
// of the plugin's memory under load. Only work whose cost is bounded by the answer's size may stay: no user
// expression runs (no JSONata, no UQL, no moment format), the answer is small JSON or XML (both read in one
// pass without recursion, XML with no entity expansion), nested not deeper than the recursion of what
// follows, and its frame is small. Whatever fails a check goes to a worker, whose
// budgets bound everything (docs/query-isolation.md); the result is the same either way.
import type { ColumnDefinition, QueryFormat, ResolvedQuery } from '../../src/shared/query';
import type { DataFormat } from './parse/detect';
import { autoFieldCount, type Row } from './table';

export const INLINE_LIMITS = {
  /** Largest answer the main thread parses (bytes as received). */
  maxAnswerBytes: 64 * 1024,
  /** Most values (rows × fields) of the frame it builds, and most fields (each costs type inference and Arrow metadata). */
  maxCells: 20_000,
  maxFields: 256,
  /** Deepest nesting of arrays and objects it walks (JSON.stringify, flattening and notices recurse). */
  maxDepth: 64,
};

/** Thrown by an inline step that would exceed a bound or run an expression: the page goes to a worker. */
export class NeedsWorker extends Error {
  constructor(reason: string) {
    super(`processed in a query worker: ${reason}`);
    this.name = 'NeedsWorker';
  }
}

/** Query formats that may stay, and the answer formats (after `auto`) that do. */
const INLINE_QUERY_FORMATS = new Set<QueryFormat>(['json', 'xml', 'auto']);
export const inlineAnswerFormat = (format: DataFormat): boolean => format === 'json' || format === 'xml';

/** Time formats read without moment's format parser (table.ts `toTime`). */
const BUILT_IN_TIME_FORMATS = new Set(['', 'iso', 'epoch_s', 'epoch_ms']);

function plainColumn(c: ColumnDefinition): boolean {
  return c.type !== 'time' || BUILT_IN_TIME_FORMATS.has(c.timeFormat ?? '');
}

/**
 * Whether the query's answers may be processed on the main thread, by its shape alone: JSON, XML or `auto`, one
 * page, no time series split (it makes a frame per label set), built-in time formats only.
 * The root selector is checked on the answer (selectPlain): a path that meets a list needs JSONata.
 */
export function mayRunInline(q: ResolvedQuery): boolean {
  return (
    INLINE_QUERY_FORMATS.has(q.format) &&
    q.pagination.mode === 'none' &&
    !q.timeSeries.enabled &&
    q.columns.every(plainColumn)
  );
}

/** Throws NeedsWorker when the answer nests deeper than INLINE_LIMITS.maxDepth; iterative, linear. */
export function checkDepth(doc: unknown): void {
  const stack: [unknown, number][] = [[doc, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > INLINE_LIMITS.maxDepth) throw new NeedsWorker(`nested deeper than ${INLINE_LIMITS.maxDepth}`);
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
}

/** Throws NeedsWorker when the frame of these rows would hold more than INLINE_LIMITS.maxCells values or maxFields fields. */
export function checkCells(rows: Row[], columns: ColumnDefinition[]): void {
  const { maxCells, maxFields } = INLINE_LIMITS;
  if (rows.length > maxCells) throw new NeedsWorker(`${rows.length} rows`);
  const most = Math.min(maxFields, Math.floor(maxCells / Math.max(1, rows.length)));
  const width = columns.length > 0 ? columns.length : autoFieldCount(rows, most);
  if (width > maxFields) throw new NeedsWorker(`more than ${maxFields} fields`);
  if (rows.length * width > maxCells) throw new NeedsWorker(`more than ${maxCells} values`);
}
