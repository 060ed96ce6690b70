// Errors that carry where they came from, so each query's error says whether the plugin (bad settings,
// bad query) or the downstream service (AWS answered 4xx/5xx, STS refused) is at fault.

export type ErrorSource = 'plugin' | 'downstream';

export class SigilError extends Error {
  readonly source: ErrorSource;
  /** HTTP-like status for the DataResponse (400 bad query, 502 downstream, ...). */
  readonly status: number;

  constructor(message: string, options: { source: ErrorSource; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'SigilError';
    this.source = options.source;
    this.status = options.status ?? (options.source === 'plugin' ? 400 : 502);
  }
}

export function pluginError(message: string, status = 400): SigilError {
  return new SigilError(message, { source: 'plugin', status });
}

export function downstreamError(message: string, status = 502, cause?: unknown): SigilError {
  return new SigilError(message, { source: 'downstream', status, cause });
}
