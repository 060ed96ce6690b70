// QueryData: each query answers on its own; a failure becomes that refId's error, never the request's.
import type { DataQuery, DataResponse, QueryDataRequest, QueryDataResponse } from '../protocol/types';
import type { SigilQuery } from '../../src/shared/query';
import { sigilError } from '../errors';
import { runQuery, runQueryEncoded, type EngineContext } from '../query/engine';
import { variableFrame } from '../query/variableFrame';
import { annotationFrame } from '../query/annotationFrame';
import type { HandlerDeps } from './deps';
import { echoFrame } from './echo';
import { dataErrorResponse } from './answers';
import { own, parseUserJson } from './userJson';

export function parseQueryJson(query: DataQuery): Record<string, unknown> {
  const text = Buffer.from(query.json).toString('utf8');
  return parseUserJson(text.trim() === '' ? '{}' : text, 'the query JSON', 'fix the query model');
}

async function runOne(
  req: QueryDataRequest,
  query: DataQuery,
  deps: HandlerDeps,
  signal?: AbortSignal,
): Promise<DataResponse> {
  const body = parseQueryJson(query);
  const modelType = own(body, 'queryType');
  const queryType = query.queryType || (typeof modelType === 'string' ? modelType : '') || 'http';
  switch (queryType) {
    case 'echo':
      return { frames: [echoFrame(query, body)], status: 200 };
    case 'http':
    case 'variable':
    case 'annotation':
      return deps.instances.use(req.pluginContext, async (instance) => {
        const model = { ...(body as unknown as SigilQuery), refId: query.refId };
        const ctx: EngineContext = {
          proxy: instance.proxy,
          settings: instance.settings,
          timeRange: query.timeRange,
          intervalMs: query.intervalMs,
          signal,
          secretValues: () => instance.secretValues?.() ?? [],
          onCut: (cut) => instance.resultTruncated?.({ ...cut, refId: query.refId }),
        };
        // A plain query's frames come back as Arrow, written by its worker; the others are reshaped here.
        if (queryType === 'http') return { frames: await runQueryEncoded(model, ctx), status: 200 };
        // Variables and annotations read the query's table; time series shaping would split it.
        const frames = await runQuery({ ...model, timeSeries: { enabled: false } }, ctx);
        if (queryType === 'variable')
          return { frames: [variableFrame(frames, model.variable, query.refId)], status: 200 };
        return { frames: [annotationFrame(frames, model.annotation, query.refId)], status: 200 };
      });
    default:
      throw sigilError('query', `unknown query type "${queryType}"; use one of: http, variable, annotation, echo`);
  }
}

export async function queryData(
  req: QueryDataRequest,
  deps: HandlerDeps,
  signal?: AbortSignal,
): Promise<QueryDataResponse> {
  const results = await Promise.all(
    req.queries.map(async (q) => {
      // The queries share the call's signal: everything below listens through clock.ts's whenAborted, one
      // listener per signal however many wait on it (transport.test.ts, 40 requests), so no query needs a
      // signal of its own (AbortSignal.any made a composite signal per query, with listeners of its own).
      try {
        return [q.refId, await runOne(req, q, deps, signal)] as const;
      } catch (err) {
        return [q.refId, dataErrorResponse(err, deps.log, q.refId)] as const;
      }
    }),
  );
  const responses = Object.create(null) as Record<string, DataResponse>;
  for (const [refId, response] of results) responses[refId] = response;
  return { responses };
}
