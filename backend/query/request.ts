// Query model -> the HTTP request the signing proxy sends: URL (absolute or joined to the endpoint),
// params, headers, body, with time macros resolved and an optional pagination token put in place.
import type { ResolvedQuery, KeyValue } from '../../src/shared/query';
import { isAbsoluteUrl, joinUrl } from '../../src/shared/query';
import type { OutgoingRequest } from '../http/types';
import { pluginError, sigilError } from '../errors';
import { strictEncode } from '../aws/sign';
import { resolveMacros, type MacroContext } from './macros';

// Encoded the way SigV4 canonicalises (RFC 3986), so the bytes sent are the bytes signed.
export function encodePairs(pairs: KeyValue[]): string {
  return pairs.map((p) => `${strictEncode(p.key)}=${strictEncode(p.value)}`).join('&');
}

function usable(pairs: KeyValue[]): KeyValue[] {
  return pairs.filter((p) => p.key.trim() !== '');
}

export function resolveUrl(url: string, endpoint: string | undefined): string {
  const trimmed = url.trim();
  if (isAbsoluteUrl(trimmed)) {
    return trimmed;
  }
  if (!endpoint) {
    throw pluginError(`the URL "${trimmed}" is a path, but the data source has no endpoint; enter an absolute https:// URL or set the endpoint in the data source`);
  }
  return joinUrl(endpoint, trimmed);
}

function setDotted(target: Record<string, unknown>, dotted: string, value: string): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      node[key] = {};
    }
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

export interface BuildOptions {
  endpoint?: string;
  macros: MacroContext;
  /** The pagination token for pages after the first. */
  pageToken?: string;
}

/** Builds one request. Throws a plugin error naming the part of the query to fix. */
export function buildRequest(q: ResolvedQuery, opts: BuildOptions): OutgoingRequest {
  const m = (s: string) => resolveMacros(s, opts.macros);
  const base = resolveUrl(m(q.url), opts.endpoint);
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw pluginError(`the URL "${base}" is not valid; fix the query URL`);
  }
  // Rebuilding the URL from its origin below would silently drop userinfo; refuse it as documented.
  if (parsed.username !== '' || parsed.password !== '') {
    throw sigilError('url_refused', 'request refused before sending: URLs with a user name or password (user@host) are not sent; remove it from the query URL');
  }
  const params = usable(q.params).map((p) => ({ key: m(p.key), value: m(p.value) }));
  const pag = q.pagination;
  const tokenInParam = opts.pageToken !== undefined && pag.tokenTarget === 'param';
  const kept = tokenInParam ? params.filter((p) => p.key !== pag.tokenField) : params;
  if (tokenInParam) {
    kept.push({ key: pag.tokenField, value: opts.pageToken as string });
  }
  const extra = encodePairs(kept);
  const query = [parsed.search.replace(/^\?/, ''), extra].filter((s) => s !== '').join('&');
  const url = `${parsed.origin}${parsed.pathname}${query ? `?${query}` : ''}`;

  const headers: Record<string, string> = {};
  for (const h of usable(q.headers)) {
    headers[h.key.trim()] = m(h.value);
  }
  const hasHeader = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  const tokenInBody = opts.pageToken !== undefined && pag.tokenTarget === 'body';

  let body: string | undefined;
  switch (q.bodyType) {
    case 'none':
      break;
    case 'raw':
      if (tokenInBody) {
        throw pluginError('a pagination token sent in the body needs a JSON or form body');
      }
      body = m(q.body);
      break;
    case 'json': {
      const text = m(q.body);
      let value: unknown;
      try {
        value = text.trim() === '' ? {} : JSON.parse(text);
      } catch (e) {
        throw pluginError(`the JSON body is not valid JSON after time macros were resolved (${(e as Error).message}); fix the body`);
      }
      if (tokenInBody) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw pluginError('a pagination token sent in the body needs the JSON body to be an object');
        }
        setDotted(value as Record<string, unknown>, pag.tokenField, opts.pageToken as string);
      }
      body = JSON.stringify(value);
      if (!hasHeader('content-type')) {
        headers['Content-Type'] = 'application/json';
      }
      break;
    }
    case 'form': {
      const pairs = usable(q.form).map((p) => ({ key: m(p.key), value: m(p.value) }));
      const fields = tokenInBody ? pairs.filter((p) => p.key !== pag.tokenField) : pairs;
      if (tokenInBody) {
        fields.push({ key: pag.tokenField, value: opts.pageToken as string });
      }
      body = encodePairs(fields);
      if (!hasHeader('content-type')) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
      }
      break;
    }
  }
  const request: OutgoingRequest = { method: q.method, url, headers };
  if (body !== undefined) {
    request.body = body;
  }
  if (q.service !== '') {
    request.service = q.service;
  }
  if (q.region !== '') {
    request.region = q.region;
  }
  return request;
}

/** What the frame's meta.executedQueryString shows: method and URL, no headers (they may carry keys). */
export function describeRequest(r: OutgoingRequest): string {
  return `${r.method} ${r.url}`;
}
