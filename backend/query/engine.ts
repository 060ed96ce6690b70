// The query engine: a query model in, frames out. Builds each page's request, sends it through the signing
// proxy, reads AWS's error on 4xx/5xx, parses the answer (JSON, XML, CSV/TSV, Prometheus, UQL) into rows,
// follows NextToken-style pagination within page and row limits, and shapes the frames (table, time series).
import type { SigilQuery } from '../../src/shared/query';
import { resolveQuery, validateQuery, type ResolvedQuery } from '../../src/shared/query';
import type { Frame, Notice } from '../frames/model';
import type { IncomingResponse, OutgoingRequest, SigningProxy } from '../http/types';
import { pluginError } from '../errors';
import { buildRequest, describeRequest } from './request';
import type { MacroContext } from './macros';
import { downstreamHttpError } from '../http/awsError';
import { selectRoot } from './select';
import { autoFields, definedFields, toRows, type Row } from './table';
import { parseJson } from './parse/json';
import { parseXml } from '../aws/xml';
import { parseDelimited } from './parse/csv';
import { parsePrometheus } from './parse/prometheus';
import { detectFormat, type DataFormat } from './parse/detect';
import { parseUql, evaluateUql } from './uql';
import type { UqlQuery } from './uql/ast';
import { shapeTimeSeries } from './timeSeries';
import { maskSecretValues } from '../secrets';

export interface EngineContext {
  proxy: SigningProxy;
  /** The data source's endpoint (paths are joined to it) and the secrets to keep out of frames. */
  settings: { endpoint?: string; secretKey?: string; sessionToken?: string };
  timeRange: { fromMs: number; toMs: number };
  intervalMs: number;
  signal?: AbortSignal;
}

function header(res: IncomingResponse, name: string): string | undefined {
  const found = Object.keys(res.headers).find((k) => k.toLowerCase() === name);
  return found === undefined ? undefined : res.headers[found];
}

/** The answer as text, with the data source's own secrets masked should an API ever echo them. */
export function answerText(body: Buffer, secrets: (string | undefined)[]): string {
  return maskSecretValues(body.toString('utf8'), secrets);
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
    throw pluginError(`the query is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
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

function readDocument(format: DataFormat, text: string): unknown {
  return format === 'json' ? parseJson(text) : format === 'xml' ? parseXml(text) : undefined;
}

interface PageResult {
  rows: Row[];
  token?: string;
  format: DataFormat;
}

async function readPage(q: ResolvedQuery, uql: UqlQuery | undefined, res: IncomingResponse, text: string): Promise<PageResult> {
  const contentType = header(res, 'content-type');
  const paging = q.pagination.mode === 'next_token';
  let format: DataFormat;
  let rows: Row[];
  let doc: unknown;
  if (text.trim() === '') {
    // An empty answer (204, HEAD, a DELETE) is an empty result, whatever the format.
    return { rows: [], format: q.format === 'csv' || q.format === 'tsv' ? q.format : 'json' };
  }
  if (q.format === 'uql') {
    rows = await evaluateUql(uql as UqlQuery, { text, contentType });
    format = paging ? detectFormat(contentType, text) : 'json';
    doc = paging ? readDocument(format, text) : undefined;
  } else {
    format = q.format === 'auto' ? detectFormat(contentType, text) : (q.format as DataFormat);
    if (format === 'csv' || format === 'tsv') {
      rows = parseDelimited(text, format === 'csv' ? ',' : '\t');
    } else {
      doc = readDocument(format, text);
      rows = toRows(await selectRoot(doc, q.rootSelector));
    }
  }
  let token: string | undefined;
  if (paging && doc !== undefined) {
    const found = await selectRoot(doc, q.pagination.tokenPath, 'pagination token path');
    if ((typeof found === 'string' && found !== '') || typeof found === 'number') {
      token = String(found);
    }
  }
  return { rows, token, format };
}

export async function runQuery(query: SigilQuery, ctx: EngineContext): Promise<Frame[]> {
  const q = checkQuery(query);
  const uql = q.format === 'uql' ? parseUql(q.uql) : undefined;
  const macros: MacroContext = { fromMs: ctx.timeRange.fromMs, toMs: ctx.timeRange.toMs, intervalMs: ctx.intervalMs };
  const secrets = [ctx.settings.secretKey, ctx.settings.sessionToken];
  const { maxPages, maxRows } = q.pagination;
  const notices: Notice[] = [];
  let rows: Row[] = [];
  let token: string | undefined;
  let format: DataFormat | undefined;
  let executed = '';
  const seenTokens = new Set<string>();
  let pages: number;

  for (let page = 1; ; page++) {
    pages = page;
    const request = buildRequest(q, { endpoint: ctx.settings.endpoint, macros, pageToken: token });
    if (page === 1) {
      executed = describeRequest(request);
    }
    const res = await send(ctx, request);
    const text = answerText(res.body, secrets);
    if (q.format === 'prometheus') {
      return parsePrometheus(text).map((f) => ({ ...f, refId: q.refId, meta: { ...f.meta, executedQueryString: executed } }));
    }
    const result = await readPage(q, uql, res, text).catch((e: unknown) => {
      // Recursion limits (deeply nested answers) are a property of the answer, not a plugin bug.
      throw e instanceof RangeError ? pluginError(`the answer from ${hostOf(request.url)} is nested too deeply to read`, 422) : e;
    });
    format = result.format;
    for (const row of result.rows) {
      rows.push(row);
    }
    token = result.token;
    if (rows.length > maxRows || (rows.length === maxRows && token !== undefined)) {
      rows = rows.slice(0, maxRows);
      notices.push({ severity: 'warning', text: `the result was cut at ${maxRows} rows (max rows); raise pagination.maxRows to see more` });
      break;
    }
    if (token === undefined || q.pagination.mode !== 'next_token') {
      break;
    }
    if (seenTokens.has(token)) {
      notices.push({ severity: 'warning', text: `page ${page} returned a token already seen; stopped to avoid a loop` });
      break;
    }
    seenTokens.add(token);
    if (page >= maxPages) {
      notices.push({ severity: 'warning', text: `the result was cut after ${maxPages} pages (max pages); more pages remain` });
      break;
    }
  }
  if (q.pagination.mode === 'next_token') {
    executed += ` (${pages} page(s))`;
  }

  const built = q.columns.length > 0
    ? definedFields(rows, q.columns)
    : { fields: autoFields(rows, format === 'csv' || format === 'tsv'), notices: [] };
  const frame: Frame = {
    refId: q.refId,
    fields: built.fields,
    meta: {
      executedQueryString: executed,
      ...([...notices, ...built.notices].length ? { notices: [...notices, ...built.notices] } : {}),
      ...(q.preferredVisualisation ? { preferredVisualisationType: q.preferredVisualisation } : {}),
    },
  };
  return shapeTimeSeries(frame, q.timeSeries).map((f) => ({ ...f, refId: q.refId }));
}
