// The query a dashboard author writes: a request and how to read its answer.
// Shared by the query editor and the backend query engine: types only (no React, no Node).
import type { DataQuery } from '@grafana/schema';

export type QueryType = 'http' | 'echo';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
export type QueryFormat = 'auto' | 'json' | 'xml' | 'csv' | 'tsv' | 'prometheus' | 'uql';
export type BodyType = 'none' | 'raw' | 'json' | 'form';
export type ColumnType = 'string' | 'number' | 'boolean' | 'time';

export interface KeyValue {
  key: string;
  value: string;
}

export interface ColumnDefinition {
  /** Path into a row (dotted, or the root selector's language). */
  selector: string;
  /** Display name; the selector when empty. */
  text?: string;
  type: ColumnType;
  /** For `time`: `iso` (default), `epoch_s`, `epoch_ms`, or a format string. */
  timeFormat?: string;
}

export interface PaginationOptions {
  mode: 'none' | 'next_token';
  /** Where the next token is read from in the answer, e.g. `NextToken` or `ListMetricsResult.NextToken`. */
  tokenPath?: string;
  /** Where it is sent back: a query param or a body field. */
  tokenTarget?: 'param' | 'body';
  tokenField?: string;
  maxPages?: number;
  maxRows?: number;
}

export interface SigilQuery extends DataQuery {
  queryType?: QueryType;
  method?: HttpMethod;
  url?: string;
  params?: KeyValue[];
  headers?: KeyValue[];
  bodyType?: BodyType;
  body?: string;
  format?: QueryFormat;
  rootSelector?: string;
  columns?: ColumnDefinition[];
  /** Mark the frame as time series, and split long frames by this label column when set. */
  timeSeries?: { enabled: boolean; labelColumns?: string[] };
  pagination?: PaginationOptions;
  uql?: string;
}
