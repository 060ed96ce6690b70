// The editor's raw preview: what the query editor posts to the backend's `request` resource route
// (backend/handlers/callResource.ts) and what it answers. Declared once for both sides.
import type { SigilQuery } from './query';

/** Body of POST resources/request: the query to preview and the dashboard time range for its macros. */
export interface PreviewRequest {
  query: SigilQuery;
  /** Epoch milliseconds. Default: the last hour. */
  timeRange?: { from: number; to: number };
}

/** The request as signed and sent, with the signature, the access key id and any session token masked. */
export interface SentRequest {
  method: string;
  url: string;
  /** Signed headers (Authorization shows scope and signed header names only). Absent from older backends. */
  headers?: Record<string, string>;
  /** The body sent (capped), when there was one. */
  body?: string;
}

/** Answer of POST resources/request: AWS's raw answer, capped, authentication headers filtered out. */
export interface PreviewAnswer {
  request?: SentRequest;
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  truncated?: boolean;
  /** Size of the whole answer; the body shown may be capped. */
  bytes?: number;
}

export const MASK = '****';

/**
 * An Authorization header of SigV4 with the access key id and the signature masked, keeping what helps
 * debugging: algorithm, scope (date, region, service) and the signed header names.
 */
export function maskAuthorization(value: string): string {
  return value
    .replace(/Credential=[^/,\s]+/, `Credential=${MASK}`)
    .replace(/Signature=[0-9a-fA-F]+/, `Signature=${MASK}`);
}
