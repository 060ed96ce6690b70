// SigV4 signing with @smithy/signature-v4. The URL is first put in one canonical wire form (each path
// segment and query component percent-encoded per RFC 3986), so that what is signed is exactly what is sent.
// Service and region come from the request, the settings, or standard AWS host names.
import { REGION_PATTERN } from '../../src/shared/aws';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { createHash } from 'node:crypto';
import type { AwsCredentialIdentity } from '@smithy/types';
import { sigilError } from '../errors';

export interface SigningTarget {
  service: string;
  region: string;
}

/** Endpoint prefixes whose SigV4 signing name differs from the host label. */
const SIGNING_NAME: Record<string, string> = {
  'aps-workspaces': 'aps',
  email: 'ses',
  'runtime.sagemaker': 'sagemaker',
  'data.iot': 'iotdata',
  'data-ats.iot': 'iotdata',
  'streams.dynamodb': 'dynamodb',
  'runtime.lex': 'lex',
};

/** Services whose global endpoint (`<service>.amazonaws.com`) signs for us-east-1. */
const GLOBAL_SERVICES = new Set([
  'sts',
  'iam',
  's3',
  'cloudfront',
  'route53',
  'organizations',
  'support',
  'globalaccelerator',
  'shield',
]);

const REGION = REGION_PATTERN;
const AWS_SUFFIX = '(?:amazonaws\\.com(?:\\.cn)?|api\\.aws)';

function signingName(prefix: string): string {
  return SIGNING_NAME[prefix] ?? prefix.replace(/-fips$/, '');
}

// Built once: each request's host is matched against them.
const S3_REGIONAL_HOST = new RegExp(`^(?:.+\\.)?s3(?:-fips)?(?:\\.dualstack)?[.-](${REGION})\\.${AWS_SUFFIX}$`);
const S3_GLOBAL_HOST = /^(?:.+\.)?s3(?:-external-1)?\.amazonaws\.com$/;
const EXECUTE_API_HOST = new RegExp(`^[^.]+\\.execute-api\\.(${REGION})\\.${AWS_SUFFIX}$`);
const REGIONAL_HOST = new RegExp(`^(.+?)\\.(${REGION})\\.${AWS_SUFFIX}$`);
const GLOBAL_HOST = /^([a-z0-9-]+)\.amazonaws\.com$/;

/** Service and region from a standard AWS host name, or undefined for any other host. */
export function inferFromHost(hostname: string): SigningTarget | undefined {
  const host = hostname.toLowerCase();
  let m: RegExpMatchArray | null;
  // S3 virtual-hosted and path style: [bucket.]s3[.dualstack|-fips][.region|-region].amazonaws.com
  if ((m = host.match(S3_REGIONAL_HOST))) return { service: 's3', region: m[1] };
  if (S3_GLOBAL_HOST.test(host)) return { service: 's3', region: 'us-east-1' };
  // API Gateway: <id>.execute-api.<region>.amazonaws.com
  if ((m = host.match(EXECUTE_API_HOST))) return { service: 'execute-api', region: m[1] };
  // <service>[.<sub>].<region>.amazonaws.com, e.g. monitoring.us-east-1, aps-workspaces.eu-west-1, runtime.sagemaker.x
  if ((m = host.match(REGIONAL_HOST))) return { service: signingName(m[1]), region: m[2] };
  // Global endpoints: sts.amazonaws.com, iam.amazonaws.com
  if ((m = host.match(GLOBAL_HOST)) && GLOBAL_SERVICES.has(m[1])) return { service: m[1], region: 'us-east-1' };
  return undefined;
}

/**
 * Service: the request's override, the settings, or the host name. Region: the host name's (a standard
 * endpoint only accepts its own region), else the request's override or the settings'.
 */
export function resolveTarget(
  url: URL,
  defaults: { service?: string; region: string },
  override: Partial<SigningTarget> = {},
): SigningTarget {
  const inferred = inferFromHost(url.hostname);
  const service = override.service ?? defaults.service ?? inferred?.service;
  if (!service) {
    throw sigilError(
      'query',
      `cannot tell the SigV4 service for host ${url.hostname}; set the data source's Service (service), e.g. monitoring, aps, execute-api`,
    );
  }
  const region = override.region ?? inferred?.region ?? defaults.region;
  return { service, region };
}

/** RFC 3986 unreserved characters stay; everything else is %XX (upper-case), as SigV4 requires. */
export function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLoose(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a lone '%' stays literal (and is then encoded as %25)
  }
}

export interface CanonicalUrl {
  /** Path as sent on the wire: each segment decoded once, then strictly encoded ('/' inside a segment stays %2F). */
  path: string;
  query: Record<string, string | string[]>;
  /** Query string as sent (no leading '?'), strictly encoded, in the original order. */
  queryString: string;
}

/** Query components are percent-decoded once; '+' is a literal plus (AWS does not read it as a space). */
export function canonicalUrl(url: URL): CanonicalUrl {
  const path =
    url.pathname
      .split('/')
      .map((seg) => strictEncode(decodeLoose(seg)))
      .join('/') || '/';
  const query: Record<string, string | string[]> = {};
  const parts: string[] = [];
  for (const pair of url.search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeLoose(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeLoose(pair.slice(eq + 1));
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    parts.push(`${strictEncode(key)}=${strictEncode(value)}`);
  }
  return { path, query, queryString: parts.join('&') };
}

export interface SignInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array;
  target: SigningTarget;
  credentials: AwsCredentialIdentity;
  signingDate?: Date;
}

export interface SignedRequest {
  /** Path plus query as sent. */
  pathAndQuery: string;
  /** Lower-case header names, including host, x-amz-date, authorization (and x-amz-security-token). */
  headers: Record<string, string>;
}

export function sha256Hex(body: Uint8Array | undefined): string {
  return createHash('sha256')
    .update(body ?? new Uint8Array())
    .digest('hex');
}

/**
 * Signers of each credential set, by service, region and path encoding. A signer keeps the day's signing key
 * (four HMACs) for the next request; a new one per request derived it again every time. Credentials are
 * cached objects (credentials.ts), so a refresh brings a new set and the old one's signers go with it. A query
 * may name any region: a set holds at most SIGNERS_PER_CREDENTIALS signers, and starts over beyond that.
 */
const signers = new WeakMap<AwsCredentialIdentity, Map<string, SignatureV4>>();
const SIGNERS_PER_CREDENTIALS = 32;

function signerFor(credentials: AwsCredentialIdentity, target: SigningTarget, s3: boolean): SignatureV4 {
  let bySetting = signers.get(credentials);
  if (!bySetting) signers.set(credentials, (bySetting = new Map()));
  const key = `${target.service}\n${target.region}\n${s3}`;
  let signer = bySetting.get(key);
  if (!signer) {
    if (bySetting.size >= SIGNERS_PER_CREDENTIALS) bySetting.clear();
    signer = new SignatureV4({
      service: target.service,
      region: target.region,
      credentials,
      sha256: Hash.bind(null, 'sha256'),
      // S3 signs the path as sent (encoded once); every other service signs it encoded twice.
      uriEscapePath: !s3,
    });
    bySetting.set(key, signer);
  }
  return signer;
}

export async function signRequest(input: SignInput): Promise<SignedRequest> {
  const { url, target } = input;
  const s3 = target.service === 's3' || target.service === 's3-object-lambda';
  const canon = canonicalUrl(url);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers)) headers[k.toLowerCase()] = v;
  headers.host = url.host;
  // S3 requires the payload hash as a header; we always send the real hash (never UNSIGNED-PAYLOAD).
  if (s3) headers['x-amz-content-sha256'] = sha256Hex(input.body);
  const request = new HttpRequest({
    method: input.method.toUpperCase(),
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: canon.path,
    query: canon.query,
    headers,
    body: input.body,
  });
  const signed = await signerFor(input.credentials, target, s3).sign(request, {
    signingDate: input.signingDate ?? new Date(),
  });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = String(v);
  return { pathAndQuery: canon.queryString ? `${canon.path}?${canon.queryString}` : canon.path, headers: out };
}
