// CallResource: routes used by the editors.
// - GET  version: the plugin version.
// - POST request: body `{ query: SigilQuery, timeRange?: { from, to } (epoch ms) }` (or the query itself).
//   Sends the query's first request through the same signing proxy as QueryData (so only allowed URLs) and
//   answers a PreviewAnswer (src/shared/preview.ts): the request as signed (signature, access key id and
//   session token masked), and the raw answer, capped, with authentication headers filtered out.
import type { CallResourceRequest, CallResourceResponse } from '../protocol/types';
import type { SigilQuery } from '../../src/shared/query';
import { MASK, maskAuthorization, type PreviewAnswer, type SentRequest } from '../../src/shared/preview';
import { PLUGIN_VERSION } from '../version';
import { checkQuery, answerText } from '../query/engine';
import { isSecretKey } from '../redaction';
import type { OutgoingRequest } from '../http/types';
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

/** The signed headers for display: Authorization keeps its scope, other credentials are masked whole. */
function maskedSentHeaders(sent: Record<string, string>, mask: (text: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sent)) {
    out[k] = /^authorization$/i.test(k) ? maskAuthorization(v) : isSecretKey(k) ? MASK : mask(v);
  }
  return out;
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
    let wire: OutgoingRequest | undefined;
    const res = await instance.proxy.send({ ...request, signal, onSigned: (signed) => (wire = signed) });
    const mask = deps.redactor.mask;
    const truncated = res.body.length > PREVIEW_MAX_BYTES;
    const body = answerText(truncated ? res.body.subarray(0, PREVIEW_MAX_BYTES) : res.body, mask);
    const sent: SentRequest = { method: request.method, url: mask(request.url) };
    if (wire?.headers) sent.headers = maskedSentHeaders(wire.headers, mask);
    if (request.body !== undefined && request.body.length > 0) {
      sent.body = answerText(Buffer.from(request.body).subarray(0, PREVIEW_MAX_BYTES), mask);
    }
    const answer: PreviewAnswer = {
      request: sent,
      status: res.status,
      headers: { ...deps.redactor.maskHeaders(res.headers) },
      body,
      truncated,
      bytes: res.body.length,
    };
    return json(200, answer);
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
