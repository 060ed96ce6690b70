// The contract of the signing proxy: every request that leaves the backend goes through `send`, which
// checks the allowed URLs, signs with SigV4 and enforces timeouts, size caps and retries.

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
}

export interface IncomingResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered, after any allowed redirects. */
  url: string;
  /** The headers of the last request sent, as signed (secrets in them: for masked display only). */
  sentHeaders?: Record<string, string>;
}

export interface SigningProxy {
  /**
   * Rejects with a SigilError: source `plugin` for a URL outside the allowed list or bad credentials settings,
   * `downstream` for network failures and timeouts. A 4xx/5xx answer resolves (the caller reads AWS's error).
   */
  send(request: OutgoingRequest): Promise<IncomingResponse>;
}
