// The CPU side of one query: answers in, frames out. Parses each page (JSON, XML, CSV/TSV, Prometheus,
// UQL), selects rows with the root selector, reads the next page's token, applies the row and page limits,
// and builds the frames. Everything here runs user expressions or scales with the answer, so it runs inside
// a query worker (backend/query/worker) under the query's time and memory budget; it does no I/O. Small plain
// JSON and XML answers are processed on the main thread instead (`inline`: ./inline.ts), where every step that could
// exceed the bounds of ./inlineGuard.ts throws NeedsWorker before it runs.
import type { ResolvedQuery } from '../../src/shared/query';
import type { Frame, Notice } from '../frames/model';
import { UNREADABLE_ANSWER, sigilError } from '../errors';
import { NEEDS_JSONATA, selectPlain, selectRoot } from './select';
import { checkCells, checkDepth, inlineAnswerFormat, NeedsWorker } from './inlineGuard';
import { autoFields, definedFields, toRows, unmatchedRootNotice, type Row } from './table';
import { readPageToken, tokenKey, type PageToken } from './pagination';
import { unresolvedVariablesNotice } from './unresolved';
import { parsePrometheus } from './parse/prometheus';
import { answerReader } from './parse/read';
import { detectFormat, type DataFormat } from './parse/detect';
import { parseUql, evaluateUql } from './uql';
import type { UqlQuery } from './uql/ast';
import { shapeTimeSeries } from './timeSeries';
import { createRedactor } from '../redaction';

/** What the query's processing needs besides the answers; plain data, so it can cross to a worker. */
export interface QueryJob {
  query: ResolvedQuery;
  /** The first page's request, for the frames' executedQueryString. */
  executed: string;
  /** The data source's own secrets, masked in answers should an API ever echo them. */
  secrets: (string | undefined)[];
  /** The frames leave the worker as Arrow IPC (QueryData) rather than as objects (variables, annotations). */
  encode?: boolean;
}

/** One answer to process. */
export interface PageAnswer {
  contentType?: string;
  body: Uint8Array;
  /** The host that answered, for error messages. */
  host: string;
}

/** After a page: the next page's token, or the frames when the query is done. */
export type PageOutcome =
  { next: PageToken; frames?: undefined } | { frames: Frame[]; next?: undefined; cut?: ResultLimitCut };

/** The result was cut at pagination.maxRows or maxPages (for the admin's log line and metrics). */
export interface ResultLimitCut {
  reason: 'max_rows' | 'max_pages';
  limit: number;
  rows: number;
  pages: number;
}

/** The answer as text, with secrets masked should an API ever echo them. */
export function answerText(body: Uint8Array, mask: (text: string) => string): string {
  return mask(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
}

/** A masker for the job's secrets, in every form the process's redactor knows (the worker has no access to it). */
export function jobMasker(secrets: (string | undefined)[]): (text: string) => string {
  const redactor = createRedactor();
  const scope = redactor.scope('query');
  for (const secret of secrets) scope.add(secret);
  return redactor.mask;
}

interface PageResult {
  rows: Row[];
  token?: PageToken;
  format: DataFormat;
  /** Set when the root selector matched nothing in this answer. */
  unmatched?: Notice;
}

async function readPage(
  q: ResolvedQuery,
  uql: UqlQuery | undefined,
  contentType: string | undefined,
  text: string,
  inline: boolean,
): Promise<PageResult> {
  if (text.trim() === '') {
    // An empty answer (204, HEAD, a DELETE) is an empty result, whatever the format.
    return { rows: [], format: q.format === 'csv' || q.format === 'tsv' ? q.format : 'json' };
  }
  const read = answerReader(text);
  const paging = q.pagination.mode !== 'none';
  if (q.format === 'uql') {
    const format = paging ? detectFormat(contentType, text) : 'json';
    // UQL and the token share one parse of the page (`read` keeps it); neither changes it.
    const token = paging ? await pageToken(read(format).doc, q) : undefined;
    return { rows: await evaluateUql(uql as UqlQuery, { text, contentType, read }), token, format };
  }
  const format = q.format === 'auto' ? detectFormat(contentType, text) : (q.format as DataFormat);
  if (inline && !inlineAnswerFormat(format)) throw new NeedsWorker(`a ${format} answer`);
  const answer = read(format);
  if (answer.rows) return { rows: answer.rows, format };
  if (inline) checkDepth(answer.doc);
  const selected = inline ? selectPlain(answer.doc, q.rootSelector) : await selectRoot(answer.doc, q.rootSelector);
  if (selected === NEEDS_JSONATA) throw new NeedsWorker('a JSONata root selector');
  const unmatched =
    selected === undefined && q.rootSelector.trim() !== ''
      ? unmatchedRootNotice(q.rootSelector, answer.doc)
      : undefined;
  const token = paging ? await pageToken(answer.doc, q) : undefined;
  return { rows: toRows(selected), token, format, unmatched };
}

/** The next page's token; CSV and TSV answers (no document) have none. */
function pageToken(doc: unknown, q: ResolvedQuery): Promise<PageToken | undefined> | undefined {
  return doc === undefined ? undefined : readPageToken(doc, q.pagination);
}

/** The widest frame a query may build: every field crosses back to the main thread and into Arrow there. */
export const MAX_FRAME_FIELDS = 2_000;

/** One query's processing state across its pages. */
export class QueryProcessor {
  private readonly q: ResolvedQuery;
  private readonly uql: UqlQuery | undefined;
  private rows: Row[] = [];
  private readonly notices: Notice[] = [];
  private readonly seenTokens = new Set<string>();
  private format: DataFormat | undefined;
  private pages = 0;

  private readonly mask: (text: string) => string;

  private readonly inline: boolean;

  /**
   * `inline`: on the main thread, within ./inlineGuard.ts's bounds (else NeedsWorker), for a query that
   * mayRunInline allows (./inline.ts checks it first). `mask`: a masker of the job's secrets made before
   * (building one indexes every form of every secret).
   */
  constructor(
    private readonly job: QueryJob,
    options: { inline?: boolean; mask?: (text: string) => string } = {},
  ) {
    this.inline = options.inline ?? false;
    this.mask = options.mask ?? jobMasker(job.secrets);
    this.q = job.query;
    this.uql = this.q.format === 'uql' ? parseUql(this.q.uql) : undefined;
    const leftover = unresolvedVariablesNotice(this.q);
    if (leftover) {
      this.notices.push(leftover);
    }
  }

  /** Processes the next page's answer: the token to fetch the page after it with, or the frames. */
  async addPage(answer: PageAnswer): Promise<PageOutcome> {
    const q = this.q;
    const page = ++this.pages;
    const text = answerText(answer.body, this.mask);
    if (q.format === 'prometheus') {
      return {
        frames: parsePrometheus(text).map((f) => ({
          ...f,
          refId: q.refId,
          meta: { ...f.meta, executedQueryString: this.job.executed },
        })),
      };
    }
    const result = await readPage(q, this.uql, answer.contentType, text, this.inline).catch((e: unknown) => {
      // Recursion limits (deeply nested answers) are a property of the answer, not a plugin bug.
      throw e instanceof RangeError
        ? sigilError('parse', `the answer from ${answer.host} is nested too deeply to read`, {
            ...UNREADABLE_ANSWER,
            cause: e,
          })
        : e;
    });
    this.format = result.format;
    if (page === 1 && result.unmatched) {
      this.notices.push(result.unmatched);
    }
    for (const row of result.rows) {
      this.rows.push(row);
    }
    const token = result.token;
    const { maxPages, maxRows } = q.pagination;
    if (this.rows.length > maxRows || (this.rows.length === maxRows && token !== undefined)) {
      this.rows = this.rows.slice(0, maxRows);
      this.notices.push({
        severity: 'warning',
        text: `the result was cut at ${maxRows} rows (max rows); raise pagination.maxRows to see more`,
      });
      const cut = { reason: 'max_rows', limit: maxRows, rows: this.rows.length, pages: page } as const;
      return { frames: this.frames(), cut };
    }
    if (token === undefined || q.pagination.mode === 'none') {
      return { frames: this.frames() };
    }
    const key = tokenKey(token);
    if (this.seenTokens.has(key)) {
      this.notices.push({
        severity: 'warning',
        text: `page ${page} returned a token already seen; stopped to avoid a loop`,
      });
      return { frames: this.frames() };
    }
    this.seenTokens.add(key);
    if (page >= maxPages) {
      this.notices.push({
        severity: 'warning',
        text: `the result was cut after ${maxPages} pages (max pages); more pages remain`,
      });
      const cut = { reason: 'max_pages', limit: maxPages, rows: this.rows.length, pages: page } as const;
      return { frames: this.frames(), cut };
    }
    return { next: token };
  }

  private frames(): Frame[] {
    const q = this.q;
    const width = this.rows.reduce((most, row) => Math.max(most, Object.keys(row).length), 0);
    if (q.columns.length === 0 && width > MAX_FRAME_FIELDS) {
      // Every field crosses back to the main thread and into Arrow there: a frame this wide would stall it.
      throw sigilError(
        'too_large',
        `the answer has rows with ${width} fields, more than ${MAX_FRAME_FIELDS} columns a frame may have; choose columns, or a root selector that picks fewer fields`,
      );
    }
    if (this.inline) checkCells(this.rows, q.columns);
    const executed = q.pagination.mode !== 'none' ? `${this.job.executed} (${this.pages} page(s))` : this.job.executed;
    const built =
      q.columns.length > 0
        ? definedFields(this.rows, q.columns)
        : {
            fields: autoFields(this.rows, q.format !== 'uql' && this.format !== 'json' ? 'text' : 'typed'),
            notices: [],
          };
    const notices = [...this.notices, ...built.notices];
    const frame: Frame = {
      refId: q.refId,
      fields: built.fields,
      meta: {
        executedQueryString: executed,
        ...(notices.length ? { notices } : {}),
        ...(q.preferredVisualisation ? { preferredVisualisationType: q.preferredVisualisation } : {}),
      },
    };
    this.rows = [];
    return shapeTimeSeries(frame, q.timeSeries).map((f) => ({ ...f, refId: q.refId }));
  }
}
