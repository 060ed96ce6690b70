// The signing proxy: allowed-URL guard -> credentials -> SigV4 -> send (keep-alive agent, timeout,
// response-size cap) -> manual redirects (each target checked and re-signed) -> retries on throttling.
import http from 'node:http';
import https from 'node:https';
import { ConnectionAgents } from './agents';
import { SigilError, downstreamError, pluginError } from '../errors';
import { CredentialsError, type CredentialSource } from '../aws/credentials';
import { resolveTarget, signRequest } from '../aws/sign';
import { redact } from '../aws/redact';
import type { Settings } from '../settings/types';
import { assertAllowed, parsePrefix, type UrlPrefix } from './allowedUrls';
import type { IncomingResponse, OutgoingRequest, SigningProxy } from './types';

export interface ProxyOptions {
  maxRetries?: number;
  /** First backoff step; doubles per attempt, full jitter, capped at maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  maxRedirects?: number;
  userAgent?: string;
}

const GLOBAL_STS_ENDPOINT = 'https://sts.amazonaws.com/';
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const THROTTLING_CODES = /<Code>(Throttling|ThrottlingException|ThrottledException|RequestLimitExceeded|TooManyRequestsException|SlowDown|RequestThrottled|ProvisionedThroughputExceededException)<\/Code>|"__type"\s*:\s*"[^"]*(Throttling|TooManyRequests|RequestLimitExceeded)/;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  sentHeaders?: Record<string, string>;
}

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Headers the proxy owns (signature, framing, host) are dropped from what the caller passed. */
const OWNED_HEADERS = new Set(['host', 'authorization', 'x-amz-date', 'x-amz-security-token', 'content-length', 'transfer-encoding', 'connection', 'expect', 'user-agent']);

function callerHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (!OWNED_HEADERS.has(k.toLowerCase())) out[k] = v;
  return out;
}

function isThrottled(res: RawResponse): boolean {
  if (res.status === 429) return true;
  if (res.status !== 400 && res.status !== 503) return false;
  return THROTTLING_CODES.test(res.body.subarray(0, 4096).toString('utf8'));
}

export class AwsSigningProxy implements SigningProxy {
  private readonly prefixes: UrlPrefix[];
  private readonly opts: Required<ProxyOptions>;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly settings: Settings,
    private readonly credentials: CredentialSource,
    options: ProxyOptions = {},
    private readonly agents: ConnectionAgents = new ConnectionAgents(),
  ) {
    // The STS endpoint is always allowed: it is where the credentials are checked (health, AssumeRole). So is
    // STS's global endpoint when no custom endpoint stands in for AWS: the default query calls it.
    const sts = [`${settings.stsEndpoint}/`, ...(settings.endpoint ? [] : [GLOBAL_STS_ENDPOINT])];
    this.prefixes = [...settings.allowedUrls, ...sts].map(parsePrefix);
    this.opts = {
      maxRetries: options.maxRetries ?? 3,
      baseBackoffMs: options.baseBackoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 5000,
      maxRedirects: options.maxRedirects ?? 5,
      userAgent: options.userAgent ?? 'sigil-awsapi-datasource',
    };
  }

  async send(request: OutgoingRequest): Promise<IncomingResponse> {
    this.inFlight++;
    try {
      return await this.follow(request);
    } finally {
      if (--this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Resolves once no request is under way, so a replaced instance can close its sockets without cutting one off. */
  whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async follow(request: OutgoingRequest): Promise<IncomingResponse> {
    let url = assertAllowed(request.url, this.prefixes);
    let method = request.method.toUpperCase();
    let body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
    for (let hop = 0; ; hop++) {
      const res = await this.sendWithRetries(request, method, url, body);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return { ...res, url: url.toString() };
      if (hop >= this.opts.maxRedirects) {
        throw downstreamError(`too many redirects (more than ${this.opts.maxRedirects}) starting at ${request.url.split('?')[0]}`);
      }
      let next: string;
      try {
        next = new URL(location, url).toString();
      } catch {
        throw downstreamError(`redirect to an invalid location from ${url.origin}${url.pathname}`);
      }
      // A redirect is a new request: checked against the allowed URLs and signed again.
      url = assertAllowed(next, this.prefixes);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
    }
  }

  private async sendWithRetries(request: OutgoingRequest, method: string, url: URL, body: Uint8Array | undefined): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      let res: RawResponse | undefined;
      let failure: SigilError | undefined;
      try {
        res = await this.sendOnce(request, method, url, body);
      } catch (err) {
        if (!(err instanceof SigilError) || err instanceof CredentialsError || err.source !== 'downstream' || err.status === 504 || request.signal?.aborted) throw err;
        failure = err; // connection-level failure
      }
      const retryable = res
        ? isThrottled(res) || (IDEMPOTENT.has(method) && res.status >= 500)
        : IDEMPOTENT.has(method);
      if (!retryable || attempt >= this.opts.maxRetries) {
        if (res) return res;
        throw failure;
      }
      await this.backoff(attempt, res?.headers['retry-after'], request.signal);
    }
  }

  private backoff(attempt: number, retryAfter: string | undefined, signal?: AbortSignal): Promise<void> {
    const cap = Math.min(this.opts.maxBackoffMs, this.opts.baseBackoffMs * 2 ** attempt);
    let delay = Math.random() * cap;
    const hinted = retryAfter !== undefined ? Number(retryAfter) * 1000 : NaN;
    if (Number.isFinite(hinted) && hinted > 0) delay = Math.min(hinted, this.opts.maxBackoffMs);
    return new Promise((resolve) => {
      const t = setTimeout(resolve, delay);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }

  private async sendOnce(request: OutgoingRequest, method: string, url: URL, body: Uint8Array | undefined): Promise<RawResponse> {
    const creds = await this.credentials.get();
    const target = resolveTarget(url, { service: this.settings.service, region: this.settings.region }, { service: request.service, region: request.region });
    const signed = await signRequest({ method, url, headers: callerHeaders(request.headers), body, target, credentials: creds });
    const headers: Record<string, string> = { ...signed.headers, 'user-agent': this.opts.userAgent };
    if (body && body.length > 0) headers['content-length'] = String(body.length);
    const where = `${url.origin}${url.pathname}`;
    const timeoutMs = this.settings.timeoutMs;
    const maxBytes = this.settings.maxResponseBytes;
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      const fail = (e: SigilError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(e);
      };
      const req = lib.request({
        method,
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: signed.pathAndQuery,
        headers,
        agent: this.agents.for(url),
      });
      const timer = setTimeout(() => fail(downstreamError(`${method} ${where} timed out after ${timeoutMs / 1000} s (timeoutSeconds)`, 504)), timeoutMs);
      const onAbort = (): void => fail(downstreamError(`${method} ${where} was cancelled`, 499));
      if (request.signal?.aborted) onAbort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => fail(downstreamError(redact(`${method} ${where} failed: ${e.message}`, this.settings), 502)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          fail(pluginError(`${method} ${where} answered with ${declared} bytes, more than maxResponseBytes (${maxBytes}); narrow the request or raise maxResponseBytes`, 413));
          return;
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            fail(pluginError(`${method} ${where} answered with more than maxResponseBytes (${maxBytes}) bytes; narrow the request or raise maxResponseBytes`, 413));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (e) => fail(downstreamError(`${method} ${where}: response interrupted: ${e.message}`, 502)));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks), sentHeaders: headers });
        });
      });
      req.end(body && body.length > 0 ? body : undefined);
    });
  }

  dispose(): void {
    this.agents.destroy();
  }
}
