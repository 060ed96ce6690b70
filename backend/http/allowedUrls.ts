// The allowed-URL guard: a signed request may only go to a URL under one of the configured prefixes.
// Both sides are compared after WHATWG URL normalisation (lower-case host, default port dropped, IPv6
// bracketed, dot segments resolved), and URLs that could be read differently by another parser
// (userinfo, encoded dot segments or backslashes) are refused outright.
import { sigilError } from '../errors';

/** A URL for logs and error details: scheme, host, path and the query's parameter names, never its values. */
export function urlForLog(rawUrl: string): string {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return '(not a URL)';
  }
  const names = [...new Set([...url.searchParams.keys()])].map((k) => `${encodeURIComponent(k)}=`);
  return `${url.protocol}//${url.host}${url.pathname}${names.length ? `?${names.join('&')}` : ''}`;
}

export interface UrlPrefix {
  protocol: string;
  host: string; // hostname[:port], port only when not the scheme's default
  path: string; // always starts with '/'
}

export function parsePrefix(text: string): UrlPrefix {
  const url = new URL(text.trim());
  // A prefix with userinfo would silently lose it here; refuse it as the request guard does.
  if (url.username !== '' || url.password !== '') {
    throw sigilError(
      'settings',
      'an allowed URL or the endpoint has a user name or password (user@host); remove it (allowedUrls, endpoint)',
    );
  }
  return { protocol: url.protocol, host: url.host, path: url.pathname || '/' };
}

/** Canonical text of a prefix, e.g. `https://monitoring.us-east-1.amazonaws.com/`. */
export function normalisePrefix(text: string): string {
  const p = parsePrefix(text);
  return `${p.protocol}//${p.host}${p.path}`;
}

function hasDotSegment(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return true; // malformed escapes: refuse rather than guess what the server will read
  }
  return decoded.split(/[/\\]/).some((seg) => seg === '.' || seg === '..');
}

function pathUnder(path: string, prefix: string): boolean {
  if (prefix === '/' || path === prefix) return true;
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return path.startsWith(base);
}

/** The parsed URL when `rawUrl` may receive a signed request, else why not. */
/** An `@` in the authority, even an empty userinfo (`http://:@host/`) that URL parsing drops without a trace. */
export function hasUserinfo(rawUrl: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(rawUrl.trim());
}

function check(rawUrl: string, prefixes: UrlPrefix[]): { url: URL } | { reason: string } {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { reason: `"${rawUrl}" is not a valid absolute URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { reason: `scheme ${url.protocol} is not http or https` };
  if (url.username !== '' || url.password !== '' || hasUserinfo(rawUrl))
    return { reason: 'URLs with userinfo (a user name or password, user@host) are not sent' };
  if (/%(?![0-9A-Fa-f]{2})/.test(url.pathname))
    return { reason: 'the path has a "%" that is not a percent-encoding (write a literal % as %25)' };
  if (hasDotSegment(url.pathname))
    return { reason: 'the path contains "." or ".." segments (possibly percent-encoded)' };
  const match = prefixes.some(
    (p) => p.protocol === url.protocol && p.host === url.host && pathUnder(url.pathname, p.path),
  );
  if (!match) return { reason: `${url.protocol}//${url.host}${url.pathname} is not under any allowed URL` };
  return { url };
}

/** Why `rawUrl` may not receive a signed request, or undefined when it may. */
export function refusalReason(rawUrl: string, prefixes: UrlPrefix[]): string | undefined {
  const result = check(rawUrl, prefixes);
  return 'reason' in result ? result.reason : undefined;
}

/** Throws a url_refused error naming the setting to change when `rawUrl` is not allowed. */
export function assertAllowed(rawUrl: string, prefixes: UrlPrefix[]): URL {
  const result = check(rawUrl, prefixes);
  if ('url' in result) return result.url;
  throw sigilError(
    'url_refused',
    `request refused before sending: ${result.reason}; add its prefix to the data source's Allowed URLs (allowedUrls)`,
    { details: { url: urlForLog(rawUrl) } },
  );
}
