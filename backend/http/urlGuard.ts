// Layer: nothing is sent to a URL outside the allowed prefixes (after normalisation; userinfo and dot
// segments refused), and no header a server could read as two (CR, LF, NUL or another control character).
import { sigilError } from '../errors';
import { assertAllowed, type UrlPrefix } from './allowedUrls';
import type { Layer, OutgoingRequest } from './types';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Tab is allowed in a header value (RFC 9110); every other C0 control and DEL is not. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Throws a query error naming the first header whose name or value cannot be sent as written. */
export function assertSendableHeaders(headers: OutgoingRequest['headers']): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    const shown = JSON.stringify(name.slice(0, 64));
    if (!TOKEN.test(name)) {
      throw sigilError('query', `header name ${shown} is not a valid HTTP header name; fix the query's headers`);
    }
    if (typeof value !== 'string') {
      throw sigilError('query', `header ${shown} must be text; fix the query's headers`);
    }
    if (hasControl(value)) {
      throw sigilError(
        'query',
        `header ${shown} has a control character (CR, LF, NUL or another) in its value; remove it from the query's headers`,
      );
    }
  }
}

export function urlGuardLayer(prefixes: UrlPrefix[]): Layer {
  return (next) => async (req) => {
    const url = assertAllowed(req.url, prefixes);
    assertSendableHeaders(req.headers);
    return next({ ...req, url: url.toString() });
  };
}
