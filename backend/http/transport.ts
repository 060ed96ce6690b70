// The last step: one HTTP exchange on the instance's agents, bounded by the attempt timeout, the caller's
// cancellation and maxResponseBytes (counted on the wire and again after inflating gzip, deflate or br).
// Every listener on the caller's signal and every timer is removed in every path.
import http from 'node:http';
import https from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { sigilError, systemRefusal, type SigilError } from '../errors';
import { urlForLog } from './allowedUrls';
import { whenAborted, type Clock } from '../clock';
import type { IncomingResponse, OutgoingRequest, Send } from './types';

export interface TransportOptions {
  agentFor(url: URL): http.Agent;
  timeoutMs: number;
  maxResponseBytes: number;
  clock: Clock;
  /** Masks secrets in error text taken from the system (socket errors). */
  mask?: (text: string) => string;
}

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Decoders for a Content-Encoding list, outermost coding last; undefined when one of them is unknown. */
function decoders(contentEncoding: string | undefined): Gunzip[] | undefined {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const out: Gunzip[] = [];
  for (const c of codings.reverse()) {
    if (c === 'gzip' || c === 'x-gzip') out.push(createGunzip());
    else if (c === 'deflate') out.push(createInflate());
    else if (c === 'br') out.push(createBrotliDecompress() as unknown as Gunzip);
    else return undefined;
  }
  return out;
}

/**
 * An answer declaring at least this many bytes (and no content coding) goes into one buffer of its declared
 * length instead of a list of chunks joined at the end, which held the answer twice. The buffer is made once
 * a quarter of the answer (and this much) has arrived, so a server that declares a length it never sends
 * makes the plugin reserve at most four times what it sent. Smaller answers keep the pooled chunks.
 */
export const PREALLOCATE_BYTES = 1 << 20;

/** A buffer of `size` bytes holding `chunks` so far (which it empties), or undefined if none can be made. */
function preallocate(size: number, chunks: Buffer[]): Buffer | undefined {
  let whole: Buffer;
  try {
    // Its own ArrayBuffer, which moves to a query worker whole (no copy).
    whole = Buffer.allocUnsafeSlow(size);
  } catch {
    return undefined; // the system refused the reservation: the chunks go on as they are
  }
  let at = 0;
  for (const c of chunks.splice(0)) at += c.copy(whole, at);
  return whole;
}

/** Answers that have no body whatever their Content-Length says (RFC 9110 6.4.1). */
function bodiless(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** One exchange under way: how it ends (once), and what its error messages say. */
interface Exchange {
  readonly maxBytes: number;
  where(): string;
  settled(): boolean;
  /** Destroyed if the exchange fails. */
  track(stream: Readable): void;
  fail(e: SigilError): void;
  succeed(status: number, headers: Record<string, string>, body: Buffer): void;
  tooLarge(what: string): SigilError;
}

/**
 * The answer from its preallocated buffer: the buffer itself when the answer filled it exactly (HTTP/1.1's
 * framing ends a body at its declared length), else what arrived, copied (chunks that did not fit follow).
 */
function joined(whole: Buffer, filled: number, chunks: Buffer[]): Buffer {
  if (filled === whole.length && chunks.length === 0) return whole;
  return Buffer.concat([whole.subarray(0, filled), ...chunks]);
}

/** Reads an answer's body within the cap, on the wire and after inflating; no body for HEAD, 1xx, 204, 304. */
function readAnswer(res: http.IncomingMessage, method: string, x: Exchange, mask: (t: string) => string): void {
  x.track(res);
  const status = res.statusCode ?? 0;
  const headers = flattenHeaders(res.headers);
  if (bodiless(method, status)) {
    res.resume();
    res.on('end', () => x.succeed(status, headers, Buffer.alloc(0)));
    res.on('error', () => x.succeed(status, headers, Buffer.alloc(0)));
    return;
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > x.maxBytes) {
    x.fail(x.tooLarge(`${declared} bytes, more than`));
    return;
  }
  const chain = decoders(res.headers['content-encoding']);
  const inflating = chain !== undefined && chain.length > 0;
  let wireBytes = 0;
  let ended = false;
  res.on('end', () => {
    ended = true;
  });
  res.on('data', (chunk: Buffer) => {
    wireBytes += chunk.length;
    if (wireBytes > x.maxBytes) x.fail(x.tooLarge('more than'));
  });
  res.on('error', (e) =>
    x.fail(sigilError('network', `${x.where()}: response interrupted: ${mask(e.message)}`, { cause: e })),
  );
  let out: Readable = res;
  for (const d of inflating ? chain : []) {
    x.track(d);
    out = out.pipe(d);
    d.on('error', (e) => {
      // An empty body labelled as encoded is just empty.
      if (ended && wireBytes === 0) x.succeed(status, headers, Buffer.alloc(0));
      else {
        const what = `${x.where()}: the ${headers['content-encoding']} answer could not be inflated: ${e.message}`;
        x.fail(sigilError('parse', what, { cause: e }));
      }
    });
  }
  let bytes = 0;
  const chunks: Buffer[] = [];
  let mayPreallocate = !inflating && declared >= PREALLOCATE_BYTES;
  let whole: Buffer | undefined;
  let filled = 0;
  out.on('data', (chunk: Buffer) => {
    if (x.settled()) return;
    bytes += chunk.length;
    if (bytes > x.maxBytes) return x.fail(x.tooLarge(inflating ? 'more than (after inflating)' : 'more than'));
    if (whole && chunks.length === 0 && filled + chunk.length <= whole.length) {
      filled += chunk.copy(whole, filled);
      return;
    }
    chunks.push(chunk);
    if (mayPreallocate && bytes >= PREALLOCATE_BYTES && bytes * 4 >= declared && bytes <= declared) {
      mayPreallocate = false;
      whole = preallocate(declared, chunks);
      if (whole) filled = bytes;
    }
  });
  out.on('end', () => {
    // The body handed on is the inflated one: its encoding and length headers no longer apply.
    const shown = { ...headers };
    if (inflating) {
      delete shown['content-encoding'];
      delete shown['content-length'];
    }
    x.succeed(status, shown, whole ? joined(whole, filled, chunks) : Buffer.concat(chunks));
  });
}

/** The error for a failed request: a system refusal says what to change, anything else is the socket's message. */
function requestFailed(where: string, url: string, e: NodeJS.ErrnoException, mask: (t: string) => string): SigilError {
  // Kind 'network' (a retry of an idempotent request may find a descriptor freed), source 'plugin' (the host's limits).
  const refusal = typeof e.code === 'string' ? systemRefusal({ code: e.code }) : undefined;
  if (refusal !== undefined)
    return sigilError('network', `${where} could not be sent: ${refusal}`, {
      cause: e,
      source: 'plugin',
      status: 503,
      details: { url: urlForLog(url), code: e.code ?? '' },
    });
  return sigilError('network', `${where} failed: ${mask(e.message)}`, { cause: e, details: { url: urlForLog(url) } });
}

/** The path and query as signed (a re-serialised URL could differ), without a fragment. */
function wirePath(rawUrl: string): string {
  const slash = rawUrl.indexOf('/', rawUrl.indexOf('//') + 2);
  return slash < 0 ? '/' : rawUrl.slice(slash).replace(/#.*$/, '');
}

/**
 * The bookkeeping of one exchange: it ends once (answer, error, timeout on the injected clock, or the
 * caller's cancellation), and then the timer, the abort callback and every stream are released.
 */
function startExchange(
  req: OutgoingRequest,
  options: TransportOptions,
  resolve: (res: IncomingResponse) => void,
  reject: (err: SigilError) => void,
): Exchange & { attach(request: http.ClientRequest): void } {
  const where = (): string => `${req.method.toUpperCase()} ${urlForLog(req.url)}`; // only errors need it
  const { timeoutMs, maxResponseBytes: maxBytes } = options;
  let done = false;
  const streams: Array<Readable | http.ClientRequest> = [];
  let forgetAbort = (): void => undefined;
  const finish = (): void => {
    done = true;
    cancelTimer();
    forgetAbort();
  };
  const x = {
    maxBytes,
    where,
    settled: () => done,
    track: (stream: Readable) => void streams.push(stream),
    attach: (request: http.ClientRequest) => void streams.push(request),
    fail(e: SigilError) {
      if (done) return;
      finish();
      for (const stream of streams) stream.destroy();
      reject(e);
    },
    succeed(status: number, headers: Record<string, string>, body: Buffer) {
      if (done) return;
      finish();
      resolve({ status, headers, body, url: req.url });
    },
    tooLarge: (what: string) =>
      sigilError(
        'too_large',
        `${where()} answered with ${what} maxResponseBytes (${maxBytes}); narrow the request or raise maxResponseBytes`,
        {
          details: { url: urlForLog(req.url), maxResponseBytes: maxBytes },
        },
      ),
  };
  const cancelTimer = options.clock.setTimer(timeoutMs, () => {
    const details = { url: urlForLog(req.url), step: 'request' };
    x.fail(sigilError('timeout', `${where()} timed out after ${timeoutMs / 1000} s (timeoutSeconds)`, { details }));
  });
  const cancelled = (): void => x.fail(sigilError('cancelled', `${where()} was cancelled`));
  if (req.signal?.aborted) cancelled();
  else if (req.signal) forgetAbort = whenAborted(req.signal, cancelled);
  return x;
}

export function createTransport(options: TransportOptions): Send {
  const mask = options.mask ?? ((t: string) => t);
  return (req) =>
    new Promise((resolve, reject) => {
      const x = startExchange(req, options, resolve, reject);
      if (x.settled()) return;
      const url = new URL(req.url);
      const method = req.method.toUpperCase();
      const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
      const headers: Record<string, string> = { ...req.headers };
      if (body && body.length > 0) headers['content-length'] = String(body.length);
      let request: http.ClientRequest;
      try {
        const lib = url.protocol === 'https:' ? https : http;
        const hostname = url.hostname.replace(/^\[|\]$/g, '');
        const agent = options.agentFor(url);
        request = lib.request({
          method,
          protocol: url.protocol,
          hostname,
          port: url.port || undefined,
          path: wirePath(req.url),
          headers,
          agent,
        });
      } catch (e) {
        // Node refuses some header bytes itself; the URL guard names them first, this is the backstop.
        return x.fail(
          sigilError('query', `${x.where()} could not be sent: ${mask((e as Error).message)}`, { cause: e }),
        );
      }
      x.attach(request);
      request.on('error', (e) => x.fail(requestFailed(x.where(), req.url, e, mask)));
      request.on('response', (res) => readAnswer(res, method, x, mask));
      request.end(body && body.length > 0 ? body : undefined);
    });
}
