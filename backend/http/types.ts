// The contract of the outgoing path: every request that leaves the backend goes through `send`, which
// checks the allowed URLs, refuses credential-minting STS calls, signs with SigV4 and enforces timeouts,
// size caps and retries. The path is built from layers of one shape (see stack.ts for their order).

export interface OutgoingRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
  /** SigV4 service for this request (default: the data source's service, else inferred from the host). */
  service?: string;
  /** SigV4 region for this request (default: inferred from a standard AWS host, else the data source's region). */
  region?: string;
  /**
   * Called with each request as signed and sent (every attempt and redirect hop), e.g. for the editor's
   * preview, which shows it through `describeSignedRequest` (masked).
   */
  onSigned?: (wire: OutgoingRequest) => void;
}

export interface IncomingResponse {
  status: number;
  headers: Record<string, string>;
  /** The answer's bytes, inflated when it was sent gzip, deflate or br encoded. */
  body: Buffer;
  /** The URL that answered, after any allowed redirects. */
  url: string;
  /** The headers of the last request sent, as signed (secrets in them: for masked display only). */
  sentHeaders?: Record<string, string>;
}

export interface SigningProxy {
  /**
   * Rejects with a SigilError (see its kind: url_refused, query, credentials, assume_role, timeout,
   * cancelled, network, too_large, parse). A 4xx/5xx answer resolves (the caller reads AWS's error).
   */
  send(request: OutgoingRequest): Promise<IncomingResponse>;
}

/** One step of the outgoing path. */
export type Send = (request: OutgoingRequest) => Promise<IncomingResponse>;

/** A layer wraps the next step: it may check or change the request, call `next` (or not, or again) and read the answer. */
export type Layer = (next: Send) => Send;

/** The stack an instance owns: `send`, plus what the instance cache needs to retire it. */
export interface OutgoingStack extends SigningProxy {
  /** Resolves once no request is under way, so a replaced instance can close its sockets without cutting one off. */
  whenIdle(): Promise<void>;
  /** Closes the stack's sockets. */
  dispose(): void;
}
