// Does the data source let a query's URL through? The same prefix rule as the backend's guard
// (backend/http/allowedUrls.ts): scheme, host and port equal, path under the prefix. Used by the editor to
// say which URL to add to Allowed URLs before the author runs a catalogue entry.
import { isAbsoluteUrl, joinUrl } from '../shared/query';

export interface CoverageSettings {
  endpoint?: string;
  allowedUrls?: string[];
  defaultRegion?: string;
}

const GLOBAL_STS = 'https://sts.amazonaws.com/';

function parse(text: string): URL | undefined {
  try {
    return new URL(text.trim());
  } catch {
    return undefined;
  }
}

function under(url: URL, prefixText: string): boolean {
  const prefix = parse(prefixText);
  if (!prefix || prefix.protocol !== url.protocol || prefix.host !== url.host) return false;
  const path = prefix.pathname || '/';
  if (path === '/' || url.pathname === path) return true;
  return url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`);
}

/** The prefixes the backend allows for these settings (its own list plus the endpoint and STS). */
export function allowedPrefixes(settings: CoverageSettings): string[] {
  const region = settings.defaultRegion && settings.defaultRegion !== 'default' ? settings.defaultRegion : 'us-east-1';
  const endpoint = settings.endpoint?.trim();
  const sts = endpoint
    ? []
    : [`https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`, GLOBAL_STS];
  return [...(settings.allowedUrls ?? []), ...(endpoint ? [endpoint] : []), ...sts];
}

/**
 * Undefined when the URL may be sent (or cannot be judged yet: blanks in the host, time macros); else the
 * sentence to show, naming the URL prefix to add to the data source's Allowed URLs.
 */
export function coverageProblem(url: string, settings: CoverageSettings): string | undefined {
  const text = url.trim();
  // A host still holding a blank or a dashboard variable is judged once it is filled in.
  if (text === '' || (isAbsoluteUrl(text) && /\{\{|\$/.test(text.replace(/^https?:\/\//i, '').split('/')[0]))) {
    return undefined;
  }
  let absolute = text;
  if (!isAbsoluteUrl(text)) {
    if (!settings.endpoint?.trim()) {
      return `the URL "${text}" is a path, but the data source has no custom endpoint; use an absolute https:// URL`;
    }
    absolute = joinUrl(settings.endpoint, text);
  }
  const parsed = parse(absolute);
  if (!parsed) return undefined;
  if (allowedPrefixes(settings).some((p) => under(parsed, p))) return undefined;
  return `the data source does not allow ${parsed.origin}; add ${parsed.origin}/ to its Allowed URLs (Connection settings)`;
}
