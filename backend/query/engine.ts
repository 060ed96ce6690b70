// The query engine: a query model in, frames out. Builds each page's request, sends it through the signing
// proxy and reads AWS's error on 4xx/5xx here, on the main thread (network I/O); hands each answer to a query
// worker (./process.ts, run by ./worker) that parses it (JSON, XML, CSV/TSV, Prometheus, UQL) into rows,
// reads the next page's token within page and row limits, and shapes the frames (table, time series). A small
// plain JSON or XML answer is processed here instead (./inline.ts), within bounds that keep it short.
import type { SigilQuery } from '../../src/shared/query';
import { resolveQuery, validateQuery, type ResolvedQuery } from '../../src/shared/query';
import type { EncodedFrame, Frame } from '../frames/model';
import type { IncomingResponse, OutgoingRequest, SigningProxy } from '../http/types';
import { sigilError } from '../errors';
import { buildRequest, describeRequest } from './request';
import type { MacroContext } from './macros';
import { downstreamHttpError } from '../aws/errorAnswer';
import { QuerySession, timeBudgetMs } from './worker/client';
import type { QueryJob, ResultLimitCut } from './process';
import { processInline } from './inline';
import { parseUql } from './uql';
export { answerText } from './process';

export interface EngineContext {
  proxy: SigningProxy;
  /** The data source's endpoint (paths are joined to it) and the secrets to keep out of frames. */
  settings: { endpoint?: string; secretKey?: string; sessionToken?: string; timeoutMs?: number };
  timeRange: { fromMs: number; toMs: number };
  intervalMs: number;
  signal?: AbortSignal;
  /** Every secret the data source knows; the query worker masks them in the answer before parsing it. */
  secretValues?: () => string[];
  /** Called once when the result is cut at pagination.maxRows or maxPages (log line and metrics). */
  onCut?: (cut: ResultLimitCut & { url: string }) => void;
}

function header(res: IncomingResponse, name: string): string | undefined {
  const found = Object.keys(res.headers).find((k) => k.toLowerCase() === name);
  return found === undefined ? undefined : res.headers[found];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Checks the query and throws one plugin error listing what to fix. */
export function checkQuery(query: SigilQuery): ResolvedQuery {
  const problems = validateQuery(query);
  if (problems.length > 0) {
    throw sigilError('query', `the query is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  return resolveQuery(query);
}

/** Sends one request and fails with AWS's error code and message on a 4xx/5xx answer. */
export async function send(ctx: EngineContext, request: OutgoingRequest): Promise<IncomingResponse> {
  const res = await ctx.proxy.send({ ...request, signal: ctx.signal });
  if (res.status >= 400) {
    throw downstreamHttpError(res, hostOf(res.url || request.url));
  }
  return res;
}

/** Runs a query to frames as objects (variables and annotations reshape them; tests read them). */
export function runQuery(query: SigilQuery, ctx: EngineContext): Promise<Frame[]> {
  return run(query, ctx, false) as Promise<Frame[]>;
}

/** Runs a query to frames written as Arrow IPC by its worker, ready for a QueryData answer. */
export function runQueryEncoded(query: SigilQuery, ctx: EngineContext): Promise<EncodedFrame[]> {
  return run(query, ctx, true) as Promise<EncodedFrame[]>;
}

async function run(query: SigilQuery, ctx: EngineContext, encode: boolean): Promise<Frame[] | EncodedFrame[]> {
  const q = checkQuery(query);
  if (q.format === 'uql') {
    // Syntax only (linear in the query's text, runs nothing) and before anything is sent; the worker runs it.
    parseUql(q.uql);
  }
  const macros: MacroContext = { fromMs: ctx.timeRange.fromMs, toMs: ctx.timeRange.toMs, intervalMs: ctx.intervalMs };
  const first = buildRequest(q, { endpoint: ctx.settings.endpoint, macros });
  // Parsing, selecting and frame building run in a query worker, within the query's time and memory budget,
  // unless the answer is small and plain enough to be done here at once (./inlineGuard.ts).
  // The signing proxy is one per data source instance: it keys the pool's fair share per data source.
  const job: QueryJob = {
    query: q,
    executed: describeRequest(first),
    secrets: ctx.secretValues?.() ?? [ctx.settings.secretKey, ctx.settings.sessionToken],
    encode,
  };
  const session = new QuerySession(job, ctx.proxy, timeBudgetMs(ctx.settings.timeoutMs));
  try {
    let request = first;
    for (;;) {
      const res = await send(ctx, request);
      const answer = { contentType: header(res, 'content-type'), body: res.body, host: hostOf(request.url) };
      const outcome = (await processInline(job, answer, ctx.proxy)) ?? (await session.page(answer));
      if (outcome.frames) {
        if (outcome.cut) ctx.onCut?.({ ...outcome.cut, url: request.url });
        return outcome.frames;
      }
      request = buildRequest(q, { endpoint: ctx.settings.endpoint, macros, pageToken: outcome.next });
    }
  } finally {
    session.close();
  }
}
