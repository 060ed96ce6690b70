// AWS facts used by both the editors and the backend, in one place: what a region code looks like, which
// headers the SigV4 signer (and the transport) own, and how an AWS error answer is worded.

/** An AWS region code such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1 (unanchored source). */
export const REGION_PATTERN = '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}';

const REGION_RE = new RegExp(`^${REGION_PATTERN}$`);

export function isRegion(text: string): boolean {
  return REGION_RE.test(text);
}

/** Headers the SigV4 signer sets; a query setting them would break or forge the signature. */
export const SIGNER_HEADERS: readonly string[] = [
  'authorization',
  'host',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
];

/** Headers the transport sets (framing, connection, identity); a query's value is replaced. */
export const TRANSPORT_HEADERS: readonly string[] = [
  'content-length',
  'transfer-encoding',
  'connection',
  'expect',
  'user-agent',
];

/** Every header a query may not set: the signer's and the transport's. */
export const OWNED_HEADERS: readonly string[] = [...SIGNER_HEADERS, ...TRANSPORT_HEADERS];

/** AWS's error code and message on one line, `SlowDown: Reduce your request rate.`; empty when it gave neither. */
export function awsErrorDetail(code?: string, message?: string): string {
  return [code, message].filter(Boolean).join(': ').replace(/\s+/g, ' ');
}

/**
 * The one wording of an AWS error answer: `<where> answered HTTP <status> <code>: <message>`, where the
 * detail is AWS's error code and message when the body has them (`SlowDown: Reduce your request rate.`).
 */
export function awsAnswerMessage(where: string, status: number, detail?: string): string {
  return `${where} answered HTTP ${status}${detail ? ` ${detail}` : ''}`;
}
