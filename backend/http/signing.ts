// Layer: credentials and SigV4. Drops the headers the signer owns from what the caller passed, waits for
// the data source's credentials (bounded by the credential source's own timeout, or the caller's
// cancellation), signs, and hands the wire form (canonical URL, every header) to the next layer.
import { sigilError } from '../errors';
import type { CredentialSource } from '../aws/credentials';
import { resolveTarget, signRequest } from '../aws/sign';
import { urlForLog } from './allowedUrls';
import { untilAborted } from '../clock';
import { OWNED_HEADERS } from '../../src/shared/aws';
import type { Layer, OutgoingRequest } from './types';

/** Headers the signer and transport own (signature, framing, host) are dropped from what the caller passed. */
const OWNED = new Set(OWNED_HEADERS);

/** Sent when the caller asked for no encoding; the transport inflates each of them. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

export interface SigningOptions {
  credentials: Pick<CredentialSource, 'get'>;
  /** The data source's service and region (per-request overrides and the host name come first, see resolveTarget). */
  defaults: { service?: string; region: string };
  userAgent: string;
  signingDate?: () => Date;
}

function callerHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (!OWNED.has(k.toLowerCase())) out[k] = v;
  return out;
}

export function signingLayer(options: SigningOptions): Layer {
  return (next) => async (req) => {
    const url = new URL(req.url);
    const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
    const credentials = await untilAborted(options.credentials.get(), req.signal, () =>
      sigilError(
        'cancelled',
        `${req.method.toUpperCase()} ${urlForLog(req.url)} was cancelled while waiting for credentials`,
      ),
    );
    const target = resolveTarget(url, options.defaults, { service: req.service, region: req.region });
    const headers = callerHeaders(req.headers);
    const signed = await signRequest({
      method: req.method,
      url,
      headers,
      body,
      target,
      credentials,
      signingDate: options.signingDate?.(),
    });
    const wire: Record<string, string> = { ...signed.headers, 'user-agent': options.userAgent };
    // Added after signing, so not signed: it is a hop-by-hop negotiation that CDNs in front of AWS
    // endpoints may rewrite, and an altered value only changes which encoding we inflate.
    if (!Object.keys(wire).some((k) => k === 'accept-encoding')) wire['accept-encoding'] = ACCEPT_ENCODING;
    const signedRequest: OutgoingRequest = {
      ...req,
      method: req.method.toUpperCase(),
      url: `${url.origin}${signed.pathAndQuery}`,
      headers: wire,
      body,
    };
    req.onSigned?.(signedRequest);
    const res = await next(signedRequest);
    return { ...res, url: req.url };
  };
}

/**
 * A signed request as the editor's preview may show it: method, URL without query values, and headers
 * with the signature, the credential scope's key id and the session token masked.
 */
export function describeSignedRequest(
  req: Pick<OutgoingRequest, 'method' | 'url' | 'headers'>,
  mask: (text: string) => string = (t) => t,
): {
  method: string;
  url: string;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    const name = k.toLowerCase();
    if (name === 'authorization') headers[k] = v.replace(/^(\S+).*$/s, '$1 [redacted]');
    else if (name === 'x-amz-security-token' || name === 'proxy-authorization' || name === 'cookie')
      headers[k] = '[redacted]';
    else headers[k] = mask(v);
  }
  return { method: req.method.toUpperCase(), url: mask(urlForLog(req.url)), headers };
}
