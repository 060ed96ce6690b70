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
import { SigilError, pluginError } from '../errors';
import { checkQuery, answerText } from '../query/engine';
import { buildRequest } from '../query/request';
import type { HandlerDeps } from './deps';

/** The preview shows at most this much of the answer. */
export const PREVIEW_MAX_BYTES = 256 * 1024;

const HIDDEN_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-amz-security-token|x-amz-credential)$|token|secret|credential/i;

function json(code: number, value: unknown): CallResourceResponse {
  return { code, headers: { 'Content-Type': ['application/json'] }, body: Buffer.from(JSON.stringify(value)) };
}

function errorJson(err: unknown): CallResourceResponse {
  if (err instanceof SigilError) {
    return json(err.status, { error: err.message, errorSource: err.source });
  }
  return json(500, { error: `internal error: ${(err as Error)?.message ?? String(err)}`, errorSource: 'plugin' });
}

function parseBody(req: CallResourceRequest): { query: SigilQuery; fromMs: number; toMs: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(req.body).toString('utf8') || '{}');
  } catch (e) {
    throw pluginError(`the request body is not JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw pluginError('the request body must be a JSON object: { "query": {...}, "timeRange": { "from", "to" } }');
  }
  const o = parsed as Record<string, unknown>;
  const query = (typeof o.query === 'object' && o.query !== null ? o.query : o) as SigilQuery;
  const range = (o.timeRange ?? {}) as { from?: unknown; to?: unknown };
  const now = Date.now();
  const toMs = typeof range.to === 'number' ? range.to : now;
  const fromMs = typeof range.from === 'number' ? range.from : toMs - 3_600_000;
  return { query: { ...query, refId: query.refId ?? 'preview' }, fromMs, toMs };
}

/** The signed headers for display: Authorization keeps its scope, other credentials are masked whole. */
function maskedHeaders(sent: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!sent) return undefined;
  return Object.fromEntries(
    Object.entries(sent).map(([k, v]) => [k, /^authorization$/i.test(k) ? maskAuthorization(v) : HIDDEN_HEADERS.test(k) ? MASK : v]),
  );
}

async function preview(req: CallResourceRequest, deps: HandlerDeps, signal?: AbortSignal): Promise<CallResourceResponse> {
  const { query, fromMs, toMs } = parseBody(req);
  const q = checkQuery(query);
  const instance = await deps.instances.get(req.pluginContext);
  const request = buildRequest(q, { endpoint: instance.settings.endpoint, macros: { fromMs, toMs, intervalMs: 60_000 } });
  const res = await instance.proxy.send({ ...request, signal });
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !HIDDEN_HEADERS.test(k)));
  const truncated = res.body.length > PREVIEW_MAX_BYTES;
  const secrets = [instance.settings.secretKey, instance.settings.sessionToken];
  const body = answerText(truncated ? res.body.subarray(0, PREVIEW_MAX_BYTES) : res.body, secrets);
  const sent: SentRequest = { method: request.method, url: request.url };
  const sentHeaders = maskedHeaders(res.sentHeaders);
  if (sentHeaders) sent.headers = sentHeaders;
  if (request.body !== undefined && request.body.length > 0) {
    const raw = Buffer.from(request.body);
    sent.body = answerText(raw.subarray(0, PREVIEW_MAX_BYTES), secrets);
  }
  const answer: PreviewAnswer = { request: sent, status: res.status, headers, body, truncated, bytes: res.body.length };
  return json(200, answer);
}

export async function callResource(req: CallResourceRequest, send: (r: CallResourceResponse) => void, deps: HandlerDeps, signal?: AbortSignal): Promise<void> {
  const path = req.path.replace(/^\/+/, '').replace(/\/+$/, '');
  const method = req.method.toUpperCase();
  try {
    if (path === 'version' && method === 'GET') {
      send(json(200, { version: PLUGIN_VERSION }));
      return;
    }
    if (path === 'request') {
      if (method !== 'POST') {
        send(json(405, { error: 'use POST for the "request" resource' }));
        return;
      }
      send(await preview(req, deps, signal));
      return;
    }
    send(json(404, { error: `no resource "${path}"; known: GET version, POST request` }));
  } catch (err) {
    send(errorJson(err));
  }
}
