// CallResource: routes used by the editors.
// - GET  version: the plugin version.
// - POST request: body `{ query: SigilQuery, timeRange?: { from, to } (epoch ms) }` (or the query itself).
//   Sends the query's first request through the same signing proxy as QueryData (so only allowed URLs) and
//   answers `{ request: { method, url }, status, headers, body, truncated, bytes }`: the raw answer, capped,
//   with authentication headers filtered out and secrets masked, for the editor's preview.
import type { CallResourceRequest, CallResourceResponse } from '../protocol/types';
import type { SigilQuery } from '../../src/shared/query';
import { PLUGIN_VERSION } from '../version';
import { checkQuery, answerText } from '../query/engine';
import { buildRequest } from '../query/request';
import type { HandlerDeps } from './deps';
import { jsonAnswer as json, resourceErrorAnswer } from './answers';
import { own, parseUserJson } from './userJson';

/** The preview shows at most this much of the answer. */
export const PREVIEW_MAX_BYTES = 256 * 1024;

const BODY_SHAPE = '{ "query": {...}, "timeRange": { "from", "to" } }';

function parseBody(req: CallResourceRequest): { query: SigilQuery; fromMs: number; toMs: number } {
  const o = parseUserJson(Buffer.from(req.body).toString('utf8') || '{}', 'the request body', `send ${BODY_SHAPE}`);
  const inner = own(o, 'query');
  const query = (typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? inner : o) as SigilQuery;
  const rangeValue = own(o, 'timeRange');
  const range = (typeof rangeValue === 'object' && rangeValue !== null ? rangeValue : {}) as {
    from?: unknown;
    to?: unknown;
  };
  const now = Date.now();
  const toMs = typeof range.to === 'number' ? range.to : now;
  const fromMs = typeof range.from === 'number' ? range.from : toMs - 3_600_000;
  return { query: { ...query, refId: query.refId ?? 'preview' }, fromMs, toMs };
}

async function preview(
  req: CallResourceRequest,
  deps: HandlerDeps,
  signal?: AbortSignal,
): Promise<CallResourceResponse> {
  const { query, fromMs, toMs } = parseBody(req);
  const q = checkQuery(query);
  return deps.instances.use(req.pluginContext, async (instance) => {
    const request = buildRequest(q, {
      endpoint: instance.settings.endpoint,
      macros: { fromMs, toMs, intervalMs: 60_000 },
    });
    const res = await instance.proxy.send({ ...request, signal });
    const headers = deps.redactor.maskHeaders(res.headers);
    const truncated = res.body.length > PREVIEW_MAX_BYTES;
    const body = answerText(truncated ? res.body.subarray(0, PREVIEW_MAX_BYTES) : res.body, deps.redactor.mask);
    return json(200, {
      request: { method: request.method, url: deps.redactor.mask(request.url) },
      status: res.status,
      headers: { ...headers },
      body,
      truncated,
      bytes: res.body.length,
    });
  });
}

export async function callResource(
  req: CallResourceRequest,
  send: (r: CallResourceResponse) => void,
  deps: HandlerDeps,
  signal?: AbortSignal,
): Promise<void> {
  const path = req.path.replace(/^\/+/, '').replace(/\/+$/, '');
  const method = req.method.toUpperCase();
  try {
    if (path === 'version' && method === 'GET') {
      send(json(200, { version: PLUGIN_VERSION }));
      return;
    }
    if (path === 'request') {
      if (method !== 'POST') {
        send(json(405, { error: 'use POST for the "request" resource', errorSource: 'plugin' }));
        return;
      }
      send(await preview(req, deps, signal));
      return;
    }
    send(json(404, { error: `no resource "${path}"; known: GET version, POST request`, errorSource: 'plugin' }));
  } catch (err) {
    send(resourceErrorAnswer(err, deps.log, path));
  }
}
