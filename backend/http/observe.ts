// Layer: what an admin needs in Grafana's log and metrics, one line per event: a refused request (warn), an
// answer over maxResponseBytes (warn) and an error answer (warn, with status, AWS error code and request
// id). URLs without query values, never a secret; the logger is injected and masks what it writes as well.
// It is the outermost layer, so it sees each request once (redirects and retries below it) and is the one
// place that counts requests by outcome, their duration and the bytes read.
import { SigilError, type ErrorKind } from '../errors';
import type { Logger } from '../log';
import { systemClock, type Clock } from '../clock';
import { NO_METER, requestOutcomeOf, type InstanceMeter } from '../metrics/dataSources';
import { parseAwsError } from '../aws/errorAnswer';
import { urlForLog } from './allowedUrls';
import type { IncomingResponse, Layer } from './types';

/** The error kinds an admin gets a line for here, and the line's message (the others are logged where they arise). */
const LOGGED_ERRORS: Partial<Record<ErrorKind, string>> = {
  url_refused: 'request refused',
  too_large: 'answer too large',
};

const REQUEST_ID_HEADERS = ['x-amzn-requestid', 'x-amz-request-id', 'x-amzn-request-id'];

/** AWS's request id of an answer: a header, else `<RequestId>` / `"RequestId"` in the body. */
export function requestIdOf(res: Pick<IncomingResponse, 'headers' | 'body'>): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const v = Object.entries(res.headers).find(([k]) => k.toLowerCase() === name)?.[1];
    if (v) return v.slice(0, 128);
  }
  const m = res.body
    .subarray(0, 64 * 1024)
    .toString('utf8')
    .match(/<RequestId>\s*([\w-]{1,128})\s*<\/RequestId>|"requestId"\s*:\s*"([\w-]{1,128})"/i);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function observeLayer(
  log: Pick<Logger, 'warn'>,
  meter: Pick<InstanceMeter, 'request'> = NO_METER,
  clock: Pick<Clock, 'now'> = systemClock,
): Layer {
  return (next) => async (req) => {
    const started = clock.now();
    const seconds = (): number => Math.max(0, clock.now() - started) / 1000;
    let res: IncomingResponse;
    try {
      res = await next(req);
    } catch (err) {
      if (err instanceof SigilError) {
        meter.request(requestOutcomeOf(err.kind), seconds(), 0);
        const line = LOGGED_ERRORS[err.kind];
        if (line) {
          log.warn(line, {
            url: urlForLog(req.url),
            method: req.method.toUpperCase(),
            reason: err.message,
            ...err.details,
          });
        }
      } else {
        meter.request('internal', seconds(), 0);
      }
      throw err;
    }
    meter.request(res.status >= 400 ? 'aws_error' : 'ok', seconds(), res.body.length);
    if (res.status >= 400) {
      const { code } = parseAwsError(res);
      const requestId = requestIdOf(res);
      log.warn('error answer', {
        url: urlForLog(res.url),
        method: req.method.toUpperCase(),
        status: res.status,
        ...(code ? { awsCode: code.slice(0, 128) } : {}),
        ...(requestId ? { requestId } : {}),
      });
    }
    return res;
  };
}
