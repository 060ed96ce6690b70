// Layer: redirects are followed by hand. Each hop is a new request through the layers below it, so it is
// checked against the allowed URLs and the STS rule and signed again; 303 (and 301/302 after POST) turn
// into a GET without a body.
import { SigilError, sigilError } from '../errors';
import { urlForLog } from './allowedUrls';
import type { Layer, OutgoingRequest } from './types';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function redirectLayer(maxRedirects: number): Layer {
  return (next) => async (first) => {
    let req: OutgoingRequest = first;
    for (let hop = 0; ; hop++) {
      let res;
      try {
        res = await next(req);
      } catch (err) {
        if (hop > 0 && err instanceof SigilError && err.kind === 'url_refused') {
          throw sigilError('url_refused', `redirect refused: ${err.message}`, { cause: err, details: err.details });
        }
        throw err;
      }
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return res;
      if (hop >= maxRedirects) {
        throw sigilError(
          'network',
          `too many redirects (more than ${maxRedirects}) starting at ${urlForLog(first.url)}`,
        );
      }
      let target: string;
      try {
        target = new URL(location, res.url).toString();
      } catch (e) {
        throw sigilError('network', `redirect to an invalid location from ${urlForLog(res.url)}`, { cause: e });
      }
      const method = req.method.toUpperCase();
      const toGet = res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST');
      req = { ...req, url: target, ...(toGet ? { method: 'GET', body: undefined } : {}) };
    }
  };
}
