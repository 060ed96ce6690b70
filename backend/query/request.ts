// Query model -> the HTTP request the signing proxy sends: URL (absolute or joined to the endpoint),
// params, headers, body, with time macros resolved and an optional pagination token put in place.
import type { ResolvedQuery, KeyValue } from '../../src/shared/query';
import { isAbsoluteUrl, joinUrl } from '../../src/shared/query';
import type { OutgoingRequest } from '../http/types';
import { sigilError } from '../errors';
import { hasUserinfo } from '../http/allowedUrls';
import { strictEncode } from '../aws/sign';
import { resolveMacros, type MacroContext } from './macros';
import { withTokenFormField, withTokenInJson, withTokenParam, type PageToken } from './pagination';

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
    throw sigilError(
      'query',
      `the URL "${trimmed}" is a path, but the data source has no endpoint; enter an absolute https:// URL or set the endpoint in the data source`,
    );
  }
  return joinUrl(endpoint, trimmed);
}

export interface BuildOptions {
  endpoint?: string;
  macros: MacroContext;
  /** The pagination token for pages after the first. */
  pageToken?: PageToken;
}

type Resolve = (text: string) => string;

/** The URL with the query's parameters (and a token sent as a parameter); refuses userinfo. */
function requestUrl(q: ResolvedQuery, m: Resolve, endpoint: string | undefined, token: PageToken | undefined): string {
  const base = resolveUrl(m(q.url), endpoint);
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch (e) {
    throw sigilError('query', `the URL "${base}" is not valid; fix the query URL`, { cause: e });
  }
  // Rebuilding the URL from its origin below would silently drop userinfo; refuse it as documented.
  if (parsed.username !== '' || parsed.password !== '' || hasUserinfo(base)) {
    throw sigilError(
      'url_refused',
      'request refused before sending: URLs with userinfo (a user name or password, user@host) are not sent; remove it from the query URL',
    );
  }
  const params = usable(q.params).map((p) => ({ key: m(p.key), value: m(p.value) }));
  const pag = q.pagination;
  const extra = encodePairs(
    token !== undefined && pag.tokenTarget === 'param' ? withTokenParam(params, pag.tokenField, token) : params,
  );
  const query = [parsed.search.replace(/^\?/, ''), extra].filter((s) => s !== '').join('&');
  return `${parsed.origin}${parsed.pathname}${query ? `?${query}` : ''}`;
}

/** The body (with a token sent in it) and the Content-Type it implies, if any. */
function requestBody(
  q: ResolvedQuery,
  m: Resolve,
  token: PageToken | undefined,
): { body?: string; contentType?: string } {
  const bodyToken = q.pagination.tokenTarget === 'body' ? token : undefined;
  const field = q.pagination.tokenField;
  switch (q.bodyType) {
    case 'none':
    default:
      return {};
    case 'raw':
      if (bodyToken) {
        throw sigilError('query', 'a pagination token sent in the body needs a JSON or form body');
      }
      return { body: m(q.body) };
    case 'json': {
      const text = m(q.body);
      let value: unknown;
      try {
        value = text.trim() === '' ? {} : JSON.parse(text);
      } catch (e) {
        const reason = (e as Error).message;
        throw sigilError(
          'query',
          `the JSON body is not valid JSON after time macros were resolved (${reason}); fix the body`,
          {
            cause: e,
          },
        );
      }
      const body = JSON.stringify(bodyToken ? withTokenInJson(value, field, bodyToken) : value);
      return { body, contentType: 'application/json' };
    }
    case 'form': {
      const pairs = usable(q.form).map((p) => ({ key: m(p.key), value: m(p.value) }));
      const body = encodePairs(bodyToken ? withTokenFormField(pairs, field, bodyToken) : pairs);
      return { body, contentType: 'application/x-www-form-urlencoded; charset=utf-8' };
    }
  }
}

/** Builds one request. Throws a plugin error naming the part of the query to fix. */
export function buildRequest(q: ResolvedQuery, opts: BuildOptions): OutgoingRequest {
  const m = (s: string) => resolveMacros(s, opts.macros);
  const url = requestUrl(q, m, opts.endpoint, opts.pageToken);
  const headers: Record<string, string> = {};
  for (const h of usable(q.headers)) {
    headers[h.key.trim()] = m(h.value);
  }
  const { body, contentType } = requestBody(q, m, opts.pageToken);
  if (contentType && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = contentType;
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
