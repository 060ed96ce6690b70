// URL prefixes as the Allowed URLs setting holds them, normalised the same way by the settings parser and
// the backend's URL guard (WHATWG URL: lower-case host, default port dropped, IPv6 bracketed).

export interface UrlPrefix {
  protocol: string;
  /** hostname[:port], port only when not the scheme's default. */
  host: string;
  /** Always starts with '/'. */
  path: string;
}

/** Throws a TypeError when `text` is not an absolute URL (callers validate first). */
export function parsePrefix(text: string): UrlPrefix {
  const url = new URL(text.trim());
  return { protocol: url.protocol, host: url.host, path: url.pathname || '/' };
}

/** Canonical text of a prefix, e.g. `https://monitoring.us-east-1.amazonaws.com/`. */
export function normalisePrefix(text: string): string {
  const p = parsePrefix(text);
  return `${p.protocol}//${p.host}${p.path}`;
}
