// The allowed-URL guard: a signed request may only go to a URL under one of the configured prefixes.
// Both sides are compared after WHATWG URL normalisation (lower-case host, default port dropped, IPv6
// bracketed, dot segments resolved), and URLs that could be read differently by another parser
// (userinfo, encoded dot segments or backslashes) are refused outright.
import { pluginError } from '../errors';

export interface UrlPrefix {
  protocol: string;
  host: string; // hostname[:port], port only when not the scheme's default
  path: string; // always starts with '/'
}

export function parsePrefix(text: string): UrlPrefix {
  const url = new URL(text.trim());
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

/** Why `rawUrl` may not receive a signed request, or undefined when it may. */
export function refusalReason(rawUrl: string, prefixes: UrlPrefix[]): string | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return `"${rawUrl}" is not a valid absolute URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol} is not http or https`;
  if (url.username !== '' || url.password !== '') return 'URLs with a user name or password (user@host) are not sent';
  if (/%(?![0-9A-Fa-f]{2})/.test(url.pathname)) return 'the path has a "%" that is not a percent-encoding (write a literal % as %25)';
  if (hasDotSegment(url.pathname)) return 'the path contains "." or ".." segments (possibly percent-encoded)';
  const match = prefixes.some((p) => p.protocol === url.protocol && p.host === url.host && pathUnder(url.pathname, p.path));
  if (!match) return `${url.protocol}//${url.host}${url.pathname} is not under any allowed URL`;
  return undefined;
}

/** Throws a plugin error naming the setting to change when `rawUrl` is not allowed. */
export function assertAllowed(rawUrl: string, prefixes: UrlPrefix[]): URL {
  const reason = refusalReason(rawUrl, prefixes);
  if (reason !== undefined) {
    throw pluginError(`request refused before sending: ${reason}; add its prefix to the data source's Allowed URLs (allowedUrls)`, 403);
  }
  return new URL(rawUrl);
}
