// AWS (or any downstream) answered 4xx/5xx: keep its error code and message, from the JSON protocols
// (`__type` / `message`), the Query/REST-XML protocols (`<Error><Code>..<Message>..`), Prometheus's
// `{"status":"error","errorType","error"}`, or the `x-amzn-ErrorType` header. The wording is
// src/shared/aws.ts's, shared with the editors.
import { SigilError, sigilError } from '../errors';
import { parseXml } from '../query/parse/xml';
import { awsAnswerMessage, awsErrorDetail } from '../../src/shared/aws';

/** The parts of an answer an error body is read from (http/types IncomingResponse has them). */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const MAX_TEXT = 300;

export interface AwsErrorInfo {
  code?: string;
  message?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

// `com.amazon.coral.validate#ValidationException` and `ValidationException:http://...` -> `ValidationException`.
function shortCode(code: string | undefined): string | undefined {
  return code?.replace(/^.*#/, '').replace(/:.*$/, '');
}

function fromJson(value: unknown): AwsErrorInfo {
  if (typeof value !== 'object' || value === null) {
    return {};
  }
  const o = value as Record<string, unknown>;
  if (o.status === 'error' && (o.error !== undefined || o.errorType !== undefined)) {
    return { code: str(o.errorType), message: str(o.error) };
  }
  const nested = typeof o.Error === 'object' && o.Error !== null ? (o.Error as Record<string, unknown>) : undefined;
  return {
    code: shortCode(str(o.__type) ?? str(o.code) ?? str(o.Code) ?? str(nested?.Code)),
    message: str(o.message) ?? str(o.Message) ?? str(nested?.Message) ?? str(o.errorMessage),
  };
}

function findError(node: unknown, depth = 0): AwsErrorInfo {
  if (typeof node !== 'object' || node === null || depth > 4) {
    return {};
  }
  const o = node as Record<string, unknown>;
  if ('Code' in o || 'Message' in o) {
    return { code: str(o.Code), message: str(o.Message) };
  }
  for (const v of Object.values(o)) {
    const child = Array.isArray(v) ? v[0] : v;
    const found = findError(child, depth + 1);
    if (found.code || found.message) {
      return found;
    }
  }
  return {};
}

export function parseAwsError(res: Pick<ErrorAnswer, 'body' | 'headers'>): AwsErrorInfo {
  const text = res.body
    .subarray(0, 64 * 1024)
    .toString('utf8')
    .trim();
  let info: AwsErrorInfo = {};
  if (text.startsWith('{')) {
    try {
      info = fromJson(JSON.parse(text));
    } catch {
      // not JSON after all; fall through to the header and raw text
    }
  } else if (text.startsWith('<')) {
    try {
      info = findError(parseXml(text));
    } catch {
      // malformed XML; fall through
    }
  }
  const header = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
  info.code = info.code ?? shortCode(str(header));
  if (!info.code && !info.message && text !== '') {
    // An HTML error page: keep its words, not its markup.
    const plain = /^<(!doctype|html)/i.test(text)
      ? text
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      : text;
    info.message = plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}…` : plain;
  }
  return info;
}

/** `Code: message` of an error answer, on one line; empty when the answer says nothing. */
export function awsErrorSummary(res: Pick<ErrorAnswer, 'body' | 'headers'>): string {
  const { code, message } = parseAwsError(res);
  return awsErrorDetail(code, message);
}

/** The downstream error for a 4xx/5xx answer, keeping AWS's status, code and message. */
export function downstreamHttpError(res: ErrorAnswer, what: string): SigilError {
  const { code, message } = parseAwsError(res);
  return sigilError('aws_answer', awsAnswerMessage(what, res.status, awsErrorDetail(code, message)), {
    status: res.status,
    details: { status: res.status, ...(code ? { awsCode: code } : {}) },
  });
}
