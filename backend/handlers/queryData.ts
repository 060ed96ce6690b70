// QueryData: each query answers on its own; a failure becomes that refId's error, never the request's.
import type { DataQuery, DataResponse, QueryDataRequest, QueryDataResponse } from '../protocol/types';
import type { SigilQuery } from '../../src/shared/query';
import { SigilError, pluginError } from '../errors';
import { runQuery } from '../query/engine';
import { variableFrame } from '../query/variableFrame';
import { annotationFrame } from '../query/annotationFrame';
import type { HandlerDeps } from './deps';
import { echoFrame } from './echo';

export function parseQueryJson(query: DataQuery): Record<string, unknown> {
  const text = Buffer.from(query.json).toString('utf8');
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    throw pluginError(`the query JSON is malformed (${(e as Error).message}); fix the query model`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw pluginError('the query JSON must be an object');
  }
  return parsed as Record<string, unknown>;
}

export function errorResponse(err: unknown): DataResponse {
  if (err instanceof SigilError) {
    return { frames: [], error: err.message, status: err.status, errorSource: err.source };
  }
  return { frames: [], error: `internal error: ${(err as Error)?.message ?? String(err)}`, status: 500, errorSource: 'plugin' };
}

async function runOne(req: QueryDataRequest, query: DataQuery, deps: HandlerDeps, signal?: AbortSignal): Promise<DataResponse> {
  const body = parseQueryJson(query);
  const queryType = query.queryType || (typeof body.queryType === 'string' ? body.queryType : '') || 'http';
  switch (queryType) {
    case 'echo':
      return { frames: [echoFrame(query, body)], status: 200 };
    case 'http':
    case 'variable':
    case 'annotation': {
      const instance = await deps.instances.get(req.pluginContext);
      const model = { ...(body as unknown as SigilQuery), refId: query.refId };
      // Variables and annotations read the query's table; time series shaping would split it.
      const shaped = queryType === 'http' ? model : { ...model, timeSeries: { enabled: false } };
      const frames = await runQuery(shaped, {
        proxy: instance.proxy,
        settings: instance.settings,
        timeRange: query.timeRange,
        intervalMs: query.intervalMs,
        signal,
      });
      if (queryType === 'variable') return { frames: [variableFrame(frames, model.variable, query.refId)], status: 200 };
      if (queryType === 'annotation') return { frames: [annotationFrame(frames, model.annotation, query.refId)], status: 200 };
      return { frames, status: 200 };
    }
    default:
      throw pluginError(`unknown query type "${queryType}"; use one of: http, variable, annotation, echo`);
  }
}

export async function queryData(req: QueryDataRequest, deps: HandlerDeps, signal?: AbortSignal): Promise<QueryDataResponse> {
  const results = await Promise.all(
    req.queries.map(async (q) => {
      try {
        return [q.refId, await runOne(req, q, deps, signal)] as const;
      } catch (err) {
        return [q.refId, errorResponse(err)] as const;
      }
    }),
  );
  return { responses: Object.fromEntries(results) };
}
