// Layer: retries, decided by a RetryPolicy from the error's kind or the answer (throttling, 5xx), with
// capped exponential backoff and full jitter on the injected clock. Each attempt goes through the layers
// below, so it is signed again (fresh x-amz-date).
import { SigilError, sigilError } from '../errors';
import type { Logger } from '../log';
import { urlForLog } from './allowedUrls';
import { sleep, type Clock } from '../clock';
import type { IncomingResponse, Layer, OutgoingRequest } from './types';

export interface RetryPolicy {
  /** Retries after the first attempt, at most. */
  readonly maxRetries: number;
  /** Whether this outcome of attempt `attempt` (0 = first) is worth another attempt. */
  shouldRetry(req: OutgoingRequest, outcome: { response: IncomingResponse } | { error: SigilError }): boolean;
  /** Wait before attempt `attempt + 1`. */
  delayMs(attempt: number, response?: IncomingResponse): number;
}

export interface RetryOptions {
  maxRetries?: number;
  /** First backoff step; doubles per attempt, full jitter, capped at maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const THROTTLING_CODES =
  /<Code>(Throttling|ThrottlingException|ThrottledException|RequestLimitExceeded|TooManyRequestsException|SlowDown|RequestThrottled|ProvisionedThroughputExceededException)<\/Code>|"__type"\s*:\s*"[^"]*(Throttling|TooManyRequests|RequestLimitExceeded)/;

export function isThrottled(res: IncomingResponse): boolean {
  if (res.status === 429) return true;
  if (res.status !== 400 && res.status !== 503) return false;
  return THROTTLING_CODES.test(res.body.subarray(0, 4096).toString('utf8'));
}

/**
 * Throttling is retried for every method (the call did not run); 5xx answers and connection failures
 * (kind `network`) only for idempotent methods. Timeouts, cancellations, refusals and credential
 * failures are final: another attempt would wait as long or fail the same way.
 */
export function defaultRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const maxRetries = options.maxRetries ?? 3;
  const base = options.baseBackoffMs ?? 200;
  const max = options.maxBackoffMs ?? 5000;
  const random = options.random ?? Math.random;
  return {
    maxRetries,
    shouldRetry(req, outcome) {
      const idempotent = IDEMPOTENT.has(req.method.toUpperCase());
      if ('response' in outcome) return isThrottled(outcome.response) || (idempotent && outcome.response.status >= 500);
      return outcome.error.kind === 'network' && idempotent;
    },
    delayMs(attempt, response) {
      const hinted =
        response?.headers['retry-after'] !== undefined ? Number(response.headers['retry-after']) * 1000 : NaN;
      if (Number.isFinite(hinted) && hinted > 0) return Math.min(hinted, max);
      return random() * Math.min(max, base * 2 ** attempt);
    },
  };
}

export function retryLayer(policy: RetryPolicy, clock: Clock, log?: Pick<Logger, 'info'>): Layer {
  return (next) => async (req) => {
    for (let attempt = 0; ; attempt++) {
      let outcome: { response: IncomingResponse } | { error: SigilError };
      try {
        outcome = { response: await next(req) };
      } catch (err) {
        if (!(err instanceof SigilError)) throw err;
        outcome = { error: err };
      }
      const retry = attempt < policy.maxRetries && !req.signal?.aborted && policy.shouldRetry(req, outcome);
      if (!retry) {
        if ('error' in outcome) throw outcome.error;
        return outcome.response;
      }
      const response = 'response' in outcome ? outcome.response : undefined;
      const delay = policy.delayMs(attempt, response);
      log?.info('retrying request', {
        url: urlForLog(req.url),
        method: req.method,
        attempt: attempt + 1,
        delayMs: Math.round(delay),
        ...(response ? { status: response.status } : { errorKind: (outcome as { error: SigilError }).error.kind }),
      });
      if (!(await sleep(clock, delay, req.signal))) {
        throw sigilError('cancelled', `${req.method} ${urlForLog(req.url)} was cancelled`);
      }
    }
  };
}
