// Which calls mint AWS credentials. A query may not make them: the credentials would come back as frame
// columns and leave Grafana. The check reads every place an AWS API takes its action from (the query
// string's and the form body's `Action`, a JSON body's `Action`, the `X-Amz-Target` header), in any letter
// case, repeated, percent- or plus-encoded (decoded up to three times), with separators ignored. It
// refuses by name on every host: behind a custom endpoint or a proxy the host says nothing.
import { inflateSync, gunzipSync, brotliDecompressSync } from 'node:zlib';

/** Normalised action name -> the name shown in errors. */
const MINTING_ACTIONS = new Map<string, string>([
  ['getsessiontoken', 'GetSessionToken'],
  ['getfederationtoken', 'GetFederationToken'],
  ['assumerole', 'AssumeRole'],
  ['assumerolewithsaml', 'AssumeRoleWithSAML'],
  ['assumerolewithwebidentity', 'AssumeRoleWithWebIdentity'],
  ['assumeroot', 'AssumeRoot'],
  // Cognito identity pools and IAM Identity Center hand out credentials the same way.
  ['getcredentialsforidentity', 'GetCredentialsForIdentity'],
  ['getrolecredentials', 'GetRoleCredentials'],
]);

/** Lower case, letters and digits only: `Assume_Role`, ` assumerole ` and `ASSUMEROLE` read the same. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function decodeRepeatedly(text: string): string {
  let out = text;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(out.replace(/\+/g, ' '));
    } catch {
      next = out
        .replace(/\+/g, ' ')
        .replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
    if (next === out) break;
    out = next;
  }
  return out;
}

/** The refused action an action name stands for, if any (`AssumeRole*` covers the whole family). */
export function mintingAction(name: string): string | undefined {
  const n = normalise(decodeRepeatedly(name));
  return MINTING_ACTIONS.get(n) ?? (n.startsWith('assumerole') ? 'AssumeRole*' : undefined);
}

/** Values of every `Action` pair of a query string or form body (`&` or `;` separated). */
function formActions(text: string): string[] {
  const out: string[] = [];
  for (const pair of text.split(/[&;]/)) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (normalise(decodeRepeatedly(pair.slice(0, eq))) === 'action') out.push(pair.slice(eq + 1));
  }
  return out;
}

function jsonActions(text: string): string[] {
  if (!/^\s*[{[]/.test(text)) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  const objects = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const o of objects) {
    if (typeof o !== 'object' || o === null) continue;
    for (const [k, v] of Object.entries(o as Record<string, unknown>))
      if (normalise(k) === 'action' && typeof v === 'string') out.push(v);
  }
  return out;
}

/** A request body as text, inflated when the request says it is compressed (bounded). */
function bodyText(body: Uint8Array | string | undefined, encoding: string | undefined): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const limit = { maxOutputLength: 16 * 1024 * 1024 };
  try {
    switch ((encoding ?? '').trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(buf, limit).toString('utf8');
      case 'deflate':
        return inflateSync(buf, limit).toString('utf8');
      case 'br':
        return brotliDecompressSync(buf, limit).toString('utf8');
    }
  } catch {
    // not what it claims to be: read the raw bytes below
  }
  return buf.toString('utf8');
}

export interface ActionSource {
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/** The credential-minting action this request names, or undefined. */
export function refusedAction(req: ActionSource): string | undefined {
  const headers = Object.entries(req.headers ?? {}).map(([k, v]) => [normalise(k), v] as const);
  const header = (name: string): string[] => headers.filter(([k]) => k === name).map(([, v]) => v);
  const qIndex = req.url.indexOf('?');
  const query = qIndex < 0 ? '' : req.url.slice(qIndex + 1).replace(/#.*$/, '');
  const text = bodyText(req.body, header('contentencoding')[0]);
  const candidates = [
    ...formActions(query),
    ...formActions(text),
    ...jsonActions(text),
    // `AWSSecurityTokenServiceV20110615.AssumeRole`, `AWSCognitoIdentityService.GetCredentialsForIdentity`
    ...header('xamztarget').map((v) => v.slice(v.lastIndexOf('.') + 1)),
  ];
  for (const c of candidates) {
    const refused = mintingAction(c);
    if (refused) return refused;
  }
  return undefined;
}

// A field name, not prose: AWS's own SignatureDoesNotMatch message says "Check your AWS Secret Access Key".
const CREDENTIAL_FIELD = /secret[_-]?access[_-]?key|["'<]secret[_-]?key["'>]/i;

/**
 * Whether an answer carries an AWS secret key field (`SecretAccessKey`, `secretAccessKey`, Cognito's
 * `SecretKey`), in XML or JSON, also behind JSON `\uXXXX` or XML `&#NN;` escapes.
 */
export function carriesCredentials(body: Buffer): boolean {
  if (body.length === 0) return false;
  const text = body.toString('latin1');
  if (CREDENTIAL_FIELD.test(text)) return true;
  if (!text.includes('\\u') && !text.includes('&#')) return false;
  const unescaped = text
    .replace(/\\u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16) & 0xffff))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d) & 0xffff));
  return CREDENTIAL_FIELD.test(unescaped);
}
