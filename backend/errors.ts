// One error model for the whole backend. Every failure that can reach Grafana is a SigilError with a
// `kind` (what went wrong), a `source` (whose fault: the plugin's configuration or query, or the
// downstream service) and an HTTP-like `status`; decisions (retries, health steps, converters) read the
// kind, never the message or the status.

export type ErrorKind =
  | 'settings' // data source settings unreadable/invalid
  | 'query' // query model invalid (names the field)
  | 'url_refused' // URL/redirect not under Allowed URLs, STS action refused, userinfo
  | 'credentials' // base provider failed
  | 'assume_role' // STS AssumeRole failed
  | 'timeout' // attempt or credential resolution exceeded timeoutSeconds
  | 'cancelled' // Grafana cancelled the call
  | 'network' // connection refused/reset, DNS, TLS
  | 'aws_answer' // AWS answered 4xx/5xx (code, message, request id)
  | 'parse' // answer could not be read
  | 'too_large' // answer over maxResponseBytes (raw or inflated)
  | 'budget' // query processing over its time/memory budget
  | 'internal'; // a bug

export type ErrorSource = 'plugin' | 'downstream';

export interface SigilErrorOptions {
  status?: number;
  source?: ErrorSource;
  cause?: unknown;
  /** For logs and metrics, never secrets: e.g. { awsCode, requestId, url (no query values) }. */
  details?: Record<string, string | number>;
}

/** Source and status of each kind when the call site does not say otherwise. */
export const KIND_DEFAULTS: Readonly<Record<ErrorKind, { source: ErrorSource; status: number }>> = {
  settings: { source: 'plugin', status: 400 },
  query: { source: 'plugin', status: 400 },
  url_refused: { source: 'plugin', status: 403 },
  credentials: { source: 'downstream', status: 401 },
  assume_role: { source: 'downstream', status: 403 },
  timeout: { source: 'downstream', status: 504 },
  cancelled: { source: 'downstream', status: 499 },
  network: { source: 'downstream', status: 502 },
  aws_answer: { source: 'downstream', status: 502 },
  parse: { source: 'downstream', status: 502 },
  too_large: { source: 'plugin', status: 413 },
  budget: { source: 'plugin', status: 422 },
  internal: { source: 'plugin', status: 500 },
};

export class SigilError extends Error {
  readonly kind: ErrorKind;
  readonly source: ErrorSource;
  /** HTTP-like status for the DataResponse / resource answer (400 bad query, 502 downstream, ...). */
  readonly status: number;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(kind: ErrorKind, message: string, options: SigilErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SigilError';
    this.kind = kind;
    const defaults = KIND_DEFAULTS[kind] ?? KIND_DEFAULTS.internal;
    this.source = options.source ?? defaults.source;
    this.status = options.status ?? defaults.status;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

export function sigilError(kind: ErrorKind, message: string, options?: SigilErrorOptions): SigilError {
  return new SigilError(kind, message, options);
}

/**
 * Refusals by the plugin's own system (not the target, not the query), each with what to change: a socket,
 * a worker thread or a file the system would not give. Keyed by errno code.
 */
export const SYSTEM_REFUSALS: Readonly<Record<string, string>> = {
  EMFILE:
    'the plugin process has no file descriptor left (EMFILE, too many open files): raise its open-file limit ' +
    "(ulimit -n, or LimitNOFILE= of Grafana's systemd unit) or lower SIGIL_MAX_INSTANCES",
  ENFILE:
    "the system's file table is full (ENFILE): raise the system's limit (fs.file-max) or close files other programs hold",
  ENOMEM: 'the system is out of memory (ENOMEM): give the Grafana host more memory or run fewer queries at once',
  ENOBUFS: 'the system has no socket buffer left (ENOBUFS): give the Grafana host more memory or lower the load',
};

/** What to change when `err` (its errno code, else a code named in its message) is a system refusal. */
export function systemRefusal(err: { code?: unknown; message?: unknown }): string | undefined {
  if (typeof err.code === 'string' && Object.hasOwn(SYSTEM_REFUSALS, err.code)) return SYSTEM_REFUSALS[err.code];
  const named = typeof err.message === 'string' ? /\b(EMFILE|ENFILE|ENOMEM|ENOBUFS)\b/.exec(err.message) : null;
  return named ? SYSTEM_REFUSALS[named[1]] : undefined;
}

/**
 * Source and status of an answer the query's reader could not read (not valid JSON/XML/CSV, nested too deeply):
 * kind `parse`, but the plugin's side and 422, as the query chose the format and the reader.
 */
export const UNREADABLE_ANSWER: Readonly<Pick<SigilErrorOptions, 'source' | 'status'>> = {
  source: 'plugin',
  status: 422,
};

/** Wraps any thrown value: a SigilError is returned as is; anything else becomes kind 'internal' with the cause kept. */
export function asSigilError(err: unknown): SigilError {
  if (err instanceof SigilError) return err;
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : String(err);
  return new SigilError('internal', `internal error: ${message}`, { cause: err });
}
