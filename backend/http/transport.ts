// The last step: one HTTP exchange on the instance's agents, bounded by the attempt timeout, the caller's
// cancellation and maxResponseBytes (counted on the wire and again after inflating gzip, deflate or br).
// Every listener on the caller's signal and every timer is removed in every path.
import http from 'node:http';
import https from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { sigilError, type SigilError } from '../errors';
import { urlForLog } from './allowedUrls';
import { whenAborted, type Clock } from '../clock';
import type { Send } from './types';

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

/** Answers that have no body whatever their Content-Length says (RFC 9110 6.4.1). */
function bodiless(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}

export function createTransport(options: TransportOptions): Send {
  const mask = options.mask ?? ((t: string) => t);
  return (req) => {
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    // The signed wire path, exactly as signed (a re-serialised URL could differ).
    const afterScheme = req.url.indexOf('//') + 2;
    const slash = req.url.indexOf('/', afterScheme);
    const pathAndQuery = slash < 0 ? '/' : req.url.slice(slash).replace(/#.*$/, '');
    // Only errors need it: built on first use.
    const where = (): string => `${method} ${urlForLog(req.url)}`;
    const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
    const headers: Record<string, string> = { ...req.headers };
    if (body && body.length > 0) headers['content-length'] = String(body.length);
    const { timeoutMs, maxResponseBytes: maxBytes } = options;
    const signal = req.signal;

    return new Promise((resolve, reject) => {
      let settled = false;
      let request: http.ClientRequest | undefined;
      const streams: Readable[] = [];
      let forgetAbort = (): void => undefined;
      const cancelTimer = options.clock.setTimer(timeoutMs, () =>
        fail(
          sigilError('timeout', `${where()} timed out after ${timeoutMs / 1000} s (timeoutSeconds)`, {
            details: { url: urlForLog(req.url), step: 'request' },
          }),
        ),
      );
      const cleanup = (): void => {
        settled = true;
        cancelTimer();
        forgetAbort();
      };
      function fail(e: SigilError): void {
        if (settled) return;
        cleanup();
        for (const s of streams) s.destroy();
        request?.destroy();
        reject(e);
      }
      const succeed = (status: number, h: Record<string, string>, data: Buffer): void => {
        if (settled) return;
        cleanup();
        resolve({ status, headers: h, body: data, url: req.url });
      };
      if (signal?.aborted) {
        fail(sigilError('cancelled', `${where()} was cancelled`));
        return;
      }
      if (signal) forgetAbort = whenAborted(signal, () => fail(sigilError('cancelled', `${where()} was cancelled`)));
      const tooLarge = (what: string): SigilError =>
        sigilError(
          'too_large',
          `${where()} answered with ${what} maxResponseBytes (${maxBytes}); narrow the request or raise maxResponseBytes`,
          {
            details: { url: urlForLog(req.url), maxResponseBytes: maxBytes },
          },
        );

      try {
        request = (url.protocol === 'https:' ? https : http).request({
          method,
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: pathAndQuery,
          headers,
          agent: options.agentFor(url),
        });
      } catch (e) {
        // Node refuses some header bytes itself; the URL guard names them first, this is the backstop.
        fail(sigilError('query', `${where()} could not be sent: ${mask((e as Error).message)}`, { cause: e }));
        return;
      }
      request.on('error', (e) =>
        fail(
          sigilError('network', `${where()} failed: ${mask(e.message)}`, {
            cause: e,
            details: { url: urlForLog(req.url) },
          }),
        ),
      );
      request.on('response', (res) => {
        streams.push(res);
        const status = res.statusCode ?? 0;
        const resHeaders = flattenHeaders(res.headers);
        if (bodiless(method, status)) {
          res.resume();
          res.on('end', () => succeed(status, resHeaders, Buffer.alloc(0)));
          res.on('error', () => succeed(status, resHeaders, Buffer.alloc(0)));
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          fail(tooLarge(`${declared} bytes, more than`));
          return;
        }
        const chain = decoders(res.headers['content-encoding']);
        const inflating = chain !== undefined && chain.length > 0;
        let wireBytes = 0;
        let ended = false;
        res.on('end', () => {
          ended = true;
        });
        let bytes = 0;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          wireBytes += chunk.length;
          if (wireBytes > maxBytes) fail(tooLarge('more than'));
        });
        res.on('error', (e) =>
          fail(sigilError('network', `${where()}: response interrupted: ${mask(e.message)}`, { cause: e })),
        );
        let out: Readable = res;
        if (inflating) {
          for (const d of chain) {
            streams.push(d);
            out = out.pipe(d);
            d.on('error', (e) => {
              // An empty body labelled as encoded is just empty.
              if (ended && wireBytes === 0) succeed(status, resHeaders, Buffer.alloc(0));
              else
                fail(
                  sigilError(
                    'parse',
                    `${where()}: the ${resHeaders['content-encoding']} answer could not be inflated: ${e.message}`,
                    { cause: e },
                  ),
                );
            });
          }
        }
        out.on('data', (chunk: Buffer) => {
          if (settled) return;
          bytes += chunk.length;
          if (bytes > maxBytes) {
            fail(tooLarge(inflating ? 'more than (after inflating)' : 'more than'));
            return;
          }
          chunks.push(chunk);
        });
        out.on('end', () => {
          if (!inflating) {
            succeed(status, resHeaders, Buffer.concat(chunks));
            return;
          }
          // The body handed on is the inflated one: its encoding and length headers no longer apply.
          const plain = { ...resHeaders };
          delete plain['content-encoding'];
          delete plain['content-length'];
          succeed(status, plain, Buffer.concat(chunks));
        });
      });
      request.end(body && body.length > 0 ? body : undefined);
    });
  };
}
