// Pagination styles: where the next page's token is read from an answer, and where it is put in the next
// request. Three styles cover the AWS APIs:
// - `next_token`: a string (`NextToken`, S3 ListObjectsV2's `NextContinuationToken`), sent as a param or a
//   JSON/form body field;
// - `object_token`: any JSON value copied as is into a JSON body field (DynamoDB `LastEvaluatedKey` ->
//   `ExclusiveStartKey`, composite keys included);
// - `marker`: a marker string (`Marker`, `NextMarker`), with the answer's truncation flag (`IsTruncated`).
// A token that cannot be followed is an error naming the query field to change, never a silent stop.
import type { KeyValue, PaginationOptions } from '../../src/shared/query';
import { FORBIDDEN_FIELD_SEGMENTS } from '../../src/shared/query';
import { sigilError } from '../errors';
import { selectRoot } from './select';

export type Pagination = Required<PaginationOptions>;

/** A token read from an answer: text for params and form fields, or a JSON value for a JSON body. */
export type PageToken = { kind: 'text'; value: string } | { kind: 'json'; value: unknown };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAbsent(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (isRecord(v)) {
    for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return false;
    return true;
  }
  return Array.isArray(v) && v.length === 0;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length} values`;
  if (isRecord(v)) return 'an object';
  return `a ${typeof v}`;
}

/** The truncation flag: true/false (JSON booleans or XML text), or undefined when the answer has none. */
async function readTruncated(doc: unknown, p: Pagination): Promise<boolean | undefined> {
  if (p.truncatedPath.trim() === '') return undefined;
  const v = await selectRoot(doc, p.truncatedPath, 'pagination truncated path');
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === false) return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  throw sigilError(
    'query',
    `pagination.truncatedPath "${p.truncatedPath}" gave ${describe(v)} (${JSON.stringify(v)?.slice(0, 40)}), not true or false; point it at a flag such as IsTruncated`,
  );
}

/**
 * The token for the next page, or undefined when the answer is the last page. Throws when the answer has a
 * token this style cannot send back, or says more pages remain without giving a token.
 */
export async function readPageToken(doc: unknown, p: Pagination): Promise<PageToken | undefined> {
  if (p.mode === 'none') return undefined;
  const truncated = await readTruncated(doc, p);
  if (truncated === false) return undefined;
  const found = await selectRoot(doc, p.tokenPath, 'pagination token path');
  if (isAbsent(found)) {
    if (truncated === true) {
      throw sigilError(
        'query',
        `the answer says more pages remain (${p.truncatedPath} is true) but has no token at pagination.tokenPath "${p.tokenPath}"; fix the token path`,
      );
    }
    return undefined;
  }
  if (p.mode === 'object_token') {
    return { kind: 'json', value: found };
  }
  if (typeof found === 'string') return { kind: 'text', value: found };
  if (typeof found === 'number' && Number.isFinite(found)) return { kind: 'text', value: String(found) };
  const hint = isRecord(found)
    ? 'choose pagination mode "object token" to copy it as JSON into a body field'
    : 'make pagination.tokenPath pick a single text value';
  throw sigilError(
    'query',
    `the pagination token at "${p.tokenPath}" is ${describe(found)}, which ${p.mode} pagination cannot send back; ${hint}`,
  );
}

/** A key to recognise a token already followed (an API that answers the same token again would loop). */
export function tokenKey(token: PageToken): string {
  return token.kind === 'text' ? `t:${token.value}` : `j:${JSON.stringify(token.value)}`;
}

function asText(token: PageToken, where: string): string {
  if (token.kind === 'text') return token.value;
  if (typeof token.value === 'string') return token.value;
  throw sigilError(
    'query',
    `an object token cannot be sent as ${where}; send it as a field of a JSON body (pagination.tokenTarget = body)`,
  );
}

/** Params with the token as `field` (replacing a param of that name). */
export function withTokenParam(params: KeyValue[], field: string, token: PageToken): KeyValue[] {
  const value = asText(token, `the query parameter "${field}"`);
  return [...params.filter((p) => p.key !== field), { key: field, value }];
}

/** Form fields with the token as `field` (replacing a field of that name). */
export function withTokenFormField(pairs: KeyValue[], field: string, token: PageToken): KeyValue[] {
  const value = asText(token, `the form field "${field}"`);
  return [...pairs.filter((p) => p.key !== field), { key: field, value }];
}

function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The parts of a dotted token field; refuses empty, `__proto__`, `constructor` and `prototype` parts by name. */
function tokenFieldParts(dotted: string): string[] {
  const keys = dotted.split('.');
  const bad = keys.find((k) => k === '' || FORBIDDEN_FIELD_SEGMENTS.includes(k));
  if (bad !== undefined) {
    throw sigilError(
      'query',
      `pagination.tokenField "${dotted}" has ${bad === '' ? 'an empty part' : `the part "${bad}"`}, which cannot name a body field; use plain names such as NextToken or Page.Token`,
    );
  }
  return keys;
}

/**
 * Writes `value` at a dotted path of a JSON body (`Page.Token`), creating objects on the way. Refuses
 * `__proto__`, `constructor` and `prototype` parts, reads only own properties, and defines own properties
 * (new objects have no prototype), so a token field can never reach or change an object prototype.
 */
export function setOwnDotted(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = tokenFieldParts(dotted);
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    if (isRecord(next)) {
      node = next;
    } else {
      const fresh = Object.create(null) as Record<string, unknown>;
      defineOwn(node, key, fresh);
      node = fresh;
    }
  }
  defineOwn(node, keys[keys.length - 1], value);
}

/** A JSON body (already parsed) with the token written into `field`. */
export function withTokenInJson(body: unknown, field: string, token: PageToken): unknown {
  tokenFieldParts(field); // a bad field is named whatever the body is
  if (!isRecord(body)) {
    throw sigilError('query', 'a pagination token sent in the body needs the JSON body to be an object');
  }
  setOwnDotted(body, field, token.value);
  return body;
}
