// The query a dashboard author writes: a request and how to read its answer.
// Shared by the query editor and the backend query engine: types, defaults and pure helpers only
// (no React, no Node). The backend validates with the same `validateQuery` the editor shows problems with.
import type { DataQuery } from '@grafana/schema';
import { isRegion, SIGNER_HEADERS } from './aws';
import { PROTOTYPE_KEYS } from './prototypeKeys';
import { blankProblems } from './blanks';

/**
 * - `http`: a panel or alert query (frames as the answer gives them).
 * - `variable`: a dashboard variable query: the same request, answered as a frame of `text` and `value`.
 * - `annotation`: a dashboard annotation query: rows become `time`, `timeEnd`, `title`, `text`, `tags`.
 * - `echo`: a diagnostic that returns its own input.
 */
export const QUERY_TYPES = ['http', 'variable', 'annotation', 'echo'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * How the answer is read.
 * - `auto`: from the Content-Type (json, xml, csv; text/tab-separated-values = tsv).
 * - `prometheus`: a Prometheus HTTP API answer (`/api/v1/query`, `/api/v1/query_range`), one frame per series.
 * - `uql`: the `uql` text runs on the answer (Infinity's UQL).
 */
export const QUERY_FORMATS = ['auto', 'json', 'xml', 'csv', 'tsv', 'prometheus', 'uql'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/**
 * - `none`: no body.
 * - `raw`: `body` sent as is.
 * - `json`: `body` must be JSON after time macros are resolved; Content-Type defaults to application/json.
 * - `form`: `form` pairs URL-encoded (AWS Query APIs: Action, Version, ...).
 */
export const BODY_TYPES = ['none', 'raw', 'json', 'form'] as const;
export type BodyType = (typeof BODY_TYPES)[number];

export const COLUMN_TYPES = ['string', 'number', 'boolean', 'time'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** Named time formats for `time` columns; anything else is a moment.js format string, read as UTC. */
export const TIME_FORMAT_PRESETS = ['iso', 'epoch_s', 'epoch_ms'] as const;

export interface KeyValue {
  key: string;
  value: string;
}

export interface ColumnDefinition {
  /** Path into a row: dotted (`Dimensions.0.Name`), or a key of the row as is (`Dimension Name`). */
  selector: string;
  /** Display name; the selector when empty. */
  text?: string;
  type: ColumnType;
  /** For `time`: `iso` (default), `epoch_s`, `epoch_ms`, or a moment.js format such as `YYYY-MM-DD HH:mm:ss`. */
  timeFormat?: string;
}

/**
 * How further pages are asked for:
 * - `next_token`: a string token (`NextToken`, S3's `NextContinuationToken`), sent back as a param or body field.
 * - `object_token`: a JSON value copied as is into a JSON body field (DynamoDB `LastEvaluatedKey` ->
 *   `ExclusiveStartKey`, composite keys included).
 * - `marker`: a marker string (`Marker`/`NextMarker`), usually with a truncation flag (`IsTruncated`).
 */
export const PAGINATION_MODES = ['none', 'next_token', 'object_token', 'marker'] as const;
export type PaginationMode = (typeof PAGINATION_MODES)[number];

export interface PaginationOptions {
  mode: PaginationMode;
  /** Where the next token is read from in the parsed answer (root selector syntax), e.g. `ListMetricsResponse.ListMetricsResult.NextToken`. */
  tokenPath?: string;
  /** Where it is sent back: a query param, or a field of the JSON or form body. */
  tokenTarget?: 'param' | 'body';
  /** Name of that param or body field, e.g. `NextToken`. Dotted names set nested JSON fields. */
  tokenField?: string;
  /**
   * Optional: where the answer says whether more pages remain (`IsTruncated`, `true`/`false`). When set, a
   * `false` stops even if a token is present, and a `true` without a token is an error.
   */
  truncatedPath?: string;
  /** At most this many requests per query (default 10, at most 1000). */
  maxPages?: number;
  /** At most this many rows per query (default 100000); also applies without pagination. */
  maxRows?: number;
}

/** Dashboard variable query: which columns give each option's value and its display text. */
export interface VariableOptions {
  /** Column with the value (`$var`); empty = the first column. */
  valueField?: string;
  /** Column with the text shown in the picker; empty = the value. */
  textField?: string;
}

/** Dashboard annotation query: which columns give each annotation's parts. */
export interface AnnotationOptions {
  /** Column with the start time; empty = the first time column. */
  timeField?: string;
  /** Column with the end time (the annotation becomes a region); optional. */
  timeEndField?: string;
  titleField?: string;
  /** Column with the text; empty = the first string column. */
  textField?: string;
  /** Columns whose values become tags (a list column gives one tag per item). */
  tagsFields?: string[];
}

export interface TimeSeriesOptions {
  /** Mark a frame with a time column and number columns as a time series (sorted by time). */
  enabled: boolean;
  /**
   * Split a long frame into one series per distinct value of these columns (they become labels), so that
   * alert rules evaluate each series. Empty: every string column is a label column.
   */
  labelColumns?: string[];
}

export interface SigilQuery extends DataQuery {
  queryType?: QueryType;
  method?: HttpMethod;
  /** Absolute `https://...`, or a path joined to the data source's endpoint. Time macros allowed. */
  url?: string;
  params?: KeyValue[];
  headers?: KeyValue[];
  bodyType?: BodyType;
  /** With bodyType `raw` or `json`. Time macros allowed. */
  body?: string;
  /** With bodyType `form`. Time macros allowed in values. */
  form?: KeyValue[];
  format?: QueryFormat;
  /** JSONata expression selecting the rows in the parsed answer (JSON, or XML converted); empty = the whole answer. */
  rootSelector?: string;
  /** Typed columns; empty = every field found, nested objects flattened with dotted names. */
  columns?: ColumnDefinition[];
  timeSeries?: TimeSeriesOptions;
  pagination?: PaginationOptions;
  /** With queryType `variable`. */
  variable?: VariableOptions;
  /** With queryType `annotation`. */
  annotation?: AnnotationOptions;
  /** With format `uql`. */
  uql?: string;
  /** SigV4 service for this query, e.g. `sqs` (default: the data source's service, else inferred from the host). */
  service?: string;
  /** SigV4 region for this query (default: inferred from a standard AWS host, else the data source's region). */
  region?: string;
  /** A hint for Explore and panels (frame meta preferredVisualisationType), e.g. `logs` for time + body rows. */
  preferredVisualisation?: PreferredVisualisation;
}

export const PREFERRED_VISUALISATIONS = ['logs', 'table', 'graph'] as const;
export type PreferredVisualisation = (typeof PREFERRED_VISUALISATIONS)[number];

export const DEFAULT_MAX_PAGES = 10;
export const MAX_PAGES_LIMIT = 1000;
export const DEFAULT_MAX_ROWS = 100_000;

/** A new query: STS GetCallerIdentity (an AWS Query API answering in XML), which any credentials may call. */
export const DEFAULT_QUERY: Omit<SigilQuery, 'refId'> = {
  queryType: 'http',
  method: 'POST',
  url: 'https://sts.amazonaws.com/',
  params: [],
  headers: [],
  bodyType: 'form',
  form: [
    { key: 'Action', value: 'GetCallerIdentity' },
    { key: 'Version', value: '2011-06-15' },
  ],
  format: 'xml',
  rootSelector: 'GetCallerIdentityResponse.GetCallerIdentityResult',
  columns: [],
  timeSeries: { enabled: false },
  pagination: { mode: 'none' },
};

/** The query with every optional part filled in, as the backend runs it. */
export type ResolvedQuery = Required<
  Omit<SigilQuery, keyof DataQuery | 'queryType' | 'variable' | 'annotation' | 'preferredVisualisation'>
> &
  Pick<SigilQuery, 'variable' | 'annotation' | 'preferredVisualisation'> &
  Pick<SigilQuery, 'refId'> & { queryType: QueryType; pagination: Required<PaginationOptions> };

export function resolveQuery(input: SigilQuery): ResolvedQuery {
  // Only own, well-typed fields count; a wrong-typed one is left to its default (validateQuery names it).
  const q = wellTypedFields(input);
  const p = q.pagination ?? { mode: 'none' };
  return {
    refId: q.refId,
    queryType: q.queryType ?? 'http',
    method:
      (q.method?.toUpperCase() as HttpMethod | undefined) ?? (q.bodyType && q.bodyType !== 'none' ? 'POST' : 'GET'),
    url: q.url ?? '',
    params: q.params ?? [],
    headers: q.headers ?? [],
    bodyType: q.bodyType ?? 'none',
    body: q.body ?? '',
    form: q.form ?? [],
    format: q.format ?? 'auto',
    rootSelector: q.rootSelector ?? '',
    columns: q.columns ?? [],
    timeSeries: { enabled: q.timeSeries?.enabled ?? false, labelColumns: q.timeSeries?.labelColumns ?? [] },
    pagination: {
      mode: p.mode ?? 'none',
      tokenPath: p.tokenPath ?? '',
      tokenTarget: p.tokenTarget ?? 'param',
      tokenField: p.tokenField ?? '',
      truncatedPath: p.truncatedPath ?? '',
      maxPages: p.maxPages ?? DEFAULT_MAX_PAGES,
      maxRows: p.maxRows ?? DEFAULT_MAX_ROWS,
    },
    uql: q.uql ?? '',
    service: q.service?.trim() ?? '',
    region: q.region?.trim() ?? '',
    variable: q.variable,
    annotation: q.annotation,
    preferredVisualisation: q.preferredVisualisation,
  };
}

/** One thing wrong with a query, with the part of the model to fix (`url`, `columns[2].type`, ...). */
export interface QueryProblem {
  path: string;
  message: string;
}

export function isAbsoluteUrl(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}

/** Joins a path to an endpoint, keeping the endpoint's own path (e.g. an AMP workspace). */
export function joinUrl(endpoint: string, path: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${path.trim().replace(/^\/+/, '')}`;
}

/** Headers the signer owns; a query setting them would break or forge the signature. */
export const RESERVED_HEADERS: readonly string[] = SIGNER_HEADERS;

/** The JSON type each field of the query model must have (`pairs`: a list of { key, value } strings). */
type FieldType = 'string' | 'boolean' | 'number' | 'pairs' | 'strings' | 'columns' | 'object';

const QUERY_FIELD_TYPES: ReadonlyArray<readonly [string, FieldType]> = [
  ['queryType', 'string'],
  ['method', 'string'],
  ['url', 'string'],
  ['params', 'pairs'],
  ['headers', 'pairs'],
  ['bodyType', 'string'],
  ['body', 'string'],
  ['form', 'pairs'],
  ['format', 'string'],
  ['rootSelector', 'string'],
  ['columns', 'columns'],
  ['timeSeries', 'object'],
  ['pagination', 'object'],
  ['uql', 'string'],
  ['service', 'string'],
  ['region', 'string'],
  ['variable', 'object'],
  ['annotation', 'object'],
  ['preferredVisualisation', 'string'],
];

const NESTED_FIELD_TYPES: Readonly<Record<string, ReadonlyArray<readonly [string, FieldType]>>> = {
  timeSeries: [
    ['enabled', 'boolean'],
    ['labelColumns', 'strings'],
  ],
  pagination: [
    ['mode', 'string'],
    ['tokenPath', 'string'],
    ['tokenTarget', 'string'],
    ['tokenField', 'string'],
    ['truncatedPath', 'string'],
    ['maxPages', 'number'],
    ['maxRows', 'number'],
  ],
  variable: [
    ['valueField', 'string'],
    ['textField', 'string'],
  ],
  annotation: [
    ['timeField', 'string'],
    ['timeEndField', 'string'],
    ['titleField', 'string'],
    ['textField', 'string'],
    ['tagsFields', 'strings'],
  ],
};

const COLUMN_FIELD_TYPES: ReadonlyArray<readonly [string, FieldType, boolean]> = [
  ['selector', 'string', true],
  ['text', 'string', false],
  ['type', 'string', true],
  ['timeFormat', 'string', false],
];

/** `record[key]` when it is the record's own property (null counts as absent), else undefined. */
function ownField(record: object, key: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(record, key)) return undefined;
  const value = (record as Record<string, unknown>)[key];
  return value === null ? undefined : value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  return Array.isArray(v)
    ? 'a list'
    : v === null
      ? 'null'
      : typeof v === 'object'
        ? 'an object'
        : `${typeof v} ${JSON.stringify(v)}`;
}

const TYPE_WORDS: Record<FieldType, string> = {
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  pairs: 'a list of { "key": string, "value": string }',
  strings: 'a list of strings',
  columns: 'a list of columns { "selector", "type", "text"?, "timeFormat"? }',
  object: 'an object',
};

/** Problems of one value against its type, each naming the exact path (`params[1].value`). */
function typeProblemsOf(path: string, value: unknown, type: FieldType): QueryProblem[] {
  const wrong = (p: string, v: unknown, t: FieldType): QueryProblem => ({
    path: p,
    message: `${p} must be ${TYPE_WORDS[t]} (got ${describeValue(v)})`,
  });
  switch (type) {
    case 'string':
    case 'boolean':
      return typeof value === type ? [] : [wrong(path, value, type)];
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [wrong(path, value, type)];
    case 'object':
      return isRecord(value) ? [] : [wrong(path, value, type)];
    case 'strings':
      if (!Array.isArray(value)) return [wrong(path, value, type)];
      return value.flatMap((v, i) => (typeof v === 'string' ? [] : [wrong(`${path}[${i}]`, v, 'string')]));
    case 'pairs':
      if (!Array.isArray(value)) return [wrong(path, value, type)];
      return value.flatMap((pair, i) => {
        if (!isRecord(pair)) return [wrong(`${path}[${i}]`, pair, 'object')];
        return (['key', 'value'] as const).flatMap((k) => {
          const v = ownField(pair, k);
          return v === undefined || typeof v === 'string' ? [] : [wrong(`${path}[${i}].${k}`, v, 'string')];
        });
      });
    case 'columns':
      if (!Array.isArray(value)) return [wrong(path, value, type)];
      return value.flatMap((column, i) => {
        if (!isRecord(column)) return [wrong(`${path}[${i}]`, column, 'object')];
        return COLUMN_FIELD_TYPES.flatMap(([k, t]) => {
          const v = ownField(column, k);
          return v === undefined ? [] : typeProblemsOf(`${path}[${i}].${k}`, v, t);
        });
      });
  }
}

/** Every field of the query model whose JSON type is wrong, named by its path. Empty = well typed. */
export function queryTypeProblems(input: unknown): QueryProblem[] {
  if (!isRecord(input)) return [{ path: '', message: `the query must be an object (got ${describeValue(input)})` }];
  const problems: QueryProblem[] = [];
  for (const [field, type] of QUERY_FIELD_TYPES) {
    const value = ownField(input, field);
    if (value === undefined) continue;
    const own = typeProblemsOf(field, value, type);
    problems.push(...own);
    const nested = NESTED_FIELD_TYPES[field];
    if (own.length === 0 && nested && isRecord(value)) {
      for (const [k, t] of nested) {
        const v = ownField(value, k);
        if (v !== undefined) problems.push(...typeProblemsOf(`${field}.${k}`, v, t));
      }
    }
  }
  return problems;
}

/** The query with only its own, well-typed fields (wrong-typed list items dropped), for resolveQuery. */
function wellTypedFields(input: SigilQuery): SigilQuery {
  // Null-prototype objects throughout, with the nested objects always present, so that resolveQuery's
  // reads (and its defaults) never reach Object.prototype.
  const out = Object.create(null) as Record<string, unknown>;
  out.refId = isRecord(input) ? ownField(input, 'refId') : undefined;
  out.timeSeries = Object.create(null);
  out.pagination = Object.create(null);
  if (!isRecord(input)) return out as unknown as SigilQuery;
  for (const [field, type] of QUERY_FIELD_TYPES) {
    const value = ownField(input, field);
    if (value === undefined) continue;
    if (type === 'pairs' || type === 'columns') {
      if (!Array.isArray(value)) continue;
      out[field] = value
        .filter((item, i) => isRecord(item) && typeProblemsOf(`${field}[${i}]`, [item], type).length === 0)
        .map((item: Record<string, unknown>) => {
          const copy = Object.create(null) as Record<string, unknown>;
          for (const k of type === 'pairs' ? ['key', 'value'] : COLUMN_FIELD_TYPES.map(([name]) => name)) {
            const v = ownField(item, k);
            if (v !== undefined) copy[k] = v;
          }
          if (type === 'pairs') {
            copy.key ??= '';
            copy.value ??= '';
          } else {
            copy.selector ??= '';
          }
          return copy;
        });
    } else if (typeProblemsOf(field, value, type).length === 0) {
      const nested = NESTED_FIELD_TYPES[field];
      if (nested && isRecord(value)) {
        const copy = Object.create(null) as Record<string, unknown>;
        for (const [k, t] of nested) {
          const v = ownField(value, k);
          if (v !== undefined && typeProblemsOf(k, v, t).length === 0) copy[k] = v;
        }
        out[field] = copy;
      } else {
        out[field] = value;
      }
    }
  }
  return out as unknown as SigilQuery;
}

const NAMES_OF: Record<string, readonly string[]> = {
  method: HTTP_METHODS,
  format: QUERY_FORMATS,
  bodyType: BODY_TYPES,
};

/** Problems the editor shows and the backend refuses with (as a `plugin` error). Empty = runnable. */
export function validateQuery(input: SigilQuery): QueryProblem[] {
  // A wrong JSON type is named first; the rules below read well-typed values only.
  const typeProblems = queryTypeProblems(input);
  if (typeProblems.length > 0) return typeProblems;
  const q = resolveQuery(input);
  if (!QUERY_TYPES.includes(q.queryType)) {
    return [
      {
        path: 'queryType',
        message: `queryType must be one of ${QUERY_TYPES.join(', ')} (got ${JSON.stringify(q.queryType)})`,
      },
    ];
  }
  if (q.queryType === 'echo') {
    return [];
  }
  return [
    ...requestProblems(q),
    ...columnProblems(q),
    ...settingProblems(q),
    ...paginationProblems(q),
    ...limitProblems(q),
    ...blankProblems(q),
  ];
}

/** Method, format and body type names, URL, headers, and a body where the method has none. */
function requestProblems(q: ResolvedQuery): QueryProblem[] {
  const problems: QueryProblem[] = [];
  for (const [key, allowed] of Object.entries(NAMES_OF)) {
    const value = (q as unknown as Record<string, unknown>)[key];
    if (!allowed.includes(value as string)) {
      problems.push({
        path: key,
        message: `${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`,
      });
    }
  }
  if (q.url.trim() === '') {
    problems.push({
      path: 'url',
      message: 'enter a URL: absolute (https://...) or a path joined to the data source endpoint',
    });
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(q.url.trim()) && !isAbsoluteUrl(q.url)) {
    problems.push({ path: 'url', message: 'the URL must use http or https' });
  } else if (badPercent(q.url) !== undefined) {
    problems.push({
      path: 'url',
      message: `the URL has a "%" that is not a percent-encoding (${badPercent(q.url)}); write a literal % as %25`,
    });
  }
  q.headers.forEach((h, i) => {
    if (RESERVED_HEADERS.includes(h.key.trim().toLowerCase())) {
      problems.push({ path: `headers[${i}].key`, message: `header "${h.key}" is set by the SigV4 signer; remove it` });
    } else if (h.key.trim() !== '' && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h.key.trim())) {
      problems.push({ path: `headers[${i}].key`, message: `"${h.key}" is not a valid header name` });
    }
  });
  if ((q.method === 'GET' || q.method === 'HEAD') && q.bodyType !== 'none') {
    problems.push({ path: 'bodyType', message: `a ${q.method} request has no body; use POST or body type none` });
  }
  return problems;
}

function columnProblems(q: ResolvedQuery): QueryProblem[] {
  const problems: QueryProblem[] = [];
  q.columns.forEach((c, i) => {
    if (c.selector.trim() === '') {
      problems.push({ path: `columns[${i}].selector`, message: 'enter the column selector' });
    } else if (c.selector.split('.').some((part) => FORBIDDEN_FIELD_SEGMENTS.includes(part))) {
      problems.push({
        path: `columns[${i}].selector`,
        message: `the selector "${c.selector}" may not have __proto__, constructor or prototype parts`,
      });
    }
    if (!COLUMN_TYPES.includes(c.type)) {
      problems.push({ path: `columns[${i}].type`, message: `type must be one of ${COLUMN_TYPES.join(', ')}` });
    }
  });
  return problems;
}

/** Per-query signing overrides, the visualisation hint and the UQL text. */
function settingProblems(q: ResolvedQuery): QueryProblem[] {
  const problems: QueryProblem[] = [];
  if (q.service !== '' && !/^[a-z0-9-]+$/.test(q.service)) {
    problems.push({ path: 'service', message: 'the SigV4 service is a lowercase name such as monitoring, sqs, aps' });
  }
  if (q.region !== '' && !isRegion(q.region)) {
    problems.push({ path: 'region', message: 'the region looks like us-east-1' });
  }
  if (q.preferredVisualisation !== undefined && !PREFERRED_VISUALISATIONS.includes(q.preferredVisualisation)) {
    problems.push({
      path: 'preferredVisualisation',
      message: `preferredVisualisation must be one of ${PREFERRED_VISUALISATIONS.join(', ')}`,
    });
  }
  if (q.format === 'uql' && q.uql.trim() === '') {
    problems.push({ path: 'uql', message: 'enter a UQL query, e.g. parse-json | project "name"' });
  }
  return problems;
}

function limitProblems(q: ResolvedQuery): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const p = q.pagination;
  if (!Number.isInteger(p.maxPages) || p.maxPages < 1 || p.maxPages > MAX_PAGES_LIMIT) {
    problems.push({
      path: 'pagination.maxPages',
      message: `max pages must be a whole number from 1 to ${MAX_PAGES_LIMIT}`,
    });
  }
  if (!Number.isInteger(p.maxRows) || p.maxRows < 1) {
    problems.push({ path: 'pagination.maxRows', message: 'max rows must be a whole number of at least 1' });
  }
  return problems;
}

/** Path segments that would reach an object's prototype if a token were written through them. */
export const FORBIDDEN_FIELD_SEGMENTS = PROTOTYPE_KEYS;

function paginationProblems(q: ResolvedQuery): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const p = q.pagination;
  if (!PAGINATION_MODES.includes(p.mode)) {
    problems.push({
      path: 'pagination.mode',
      message: `pagination mode must be one of ${PAGINATION_MODES.join(', ')} (got ${JSON.stringify(p.mode)})`,
    });
    return problems;
  }
  if (p.mode === 'none') {
    return problems;
  }
  const example = p.mode === 'object_token' ? 'LastEvaluatedKey' : p.mode === 'marker' ? 'Marker' : 'NextToken';
  if (p.tokenPath.trim() === '') {
    problems.push({
      path: 'pagination.tokenPath',
      message: `enter where the next token is in the answer, e.g. ${example}`,
    });
  }
  if (p.tokenField.trim() === '') {
    problems.push({
      path: 'pagination.tokenField',
      message: 'enter the param or body field the token is sent back in',
    });
  } else if (
    p.tokenTarget === 'body' &&
    q.bodyType === 'json' &&
    p.tokenField.split('.').some((s) => FORBIDDEN_FIELD_SEGMENTS.includes(s) || s === '')
  ) {
    problems.push({
      path: 'pagination.tokenField',
      message: `the token field "${p.tokenField}" may not have empty, __proto__, constructor or prototype parts`,
    });
  }
  if (p.tokenTarget !== 'param' && p.tokenTarget !== 'body') {
    problems.push({ path: 'pagination.tokenTarget', message: 'the token is sent back as a param or a body field' });
  } else if (p.mode === 'object_token' && (p.tokenTarget !== 'body' || q.bodyType !== 'json')) {
    problems.push({
      path: 'pagination.tokenTarget',
      message:
        'an object token (e.g. DynamoDB LastEvaluatedKey) is copied as JSON into a body field: use a JSON body and send the token as a body field',
    });
  } else if (p.tokenTarget === 'body' && q.bodyType !== 'json' && q.bodyType !== 'form') {
    problems.push({ path: 'pagination.tokenTarget', message: 'a token sent in the body needs a JSON or form body' });
  }
  if (q.format === 'csv' || q.format === 'tsv' || q.format === 'prometheus') {
    problems.push({
      path: 'pagination.mode',
      message: `${p.mode} pagination reads JSON or XML answers, not ${q.format}`,
    });
  }
  return problems;
}

/** The first `%` not followed by two hex digits, with what follows it (e.g. `"%.t"`), or undefined. */
export function badPercent(url: string): string | undefined {
  const m = /%(?![0-9A-Fa-f]{2})(.{0,2})/s.exec(url);
  return m ? JSON.stringify(`%${m[1]}`) : undefined;
}

/** Time macros resolved by the backend (so alert rules get them too). */
export interface TimeMacroDoc {
  macro: string;
  description: string;
}

export const TIME_MACROS: TimeMacroDoc[] = [
  { macro: '${__from}', description: 'range start, epoch milliseconds (also $__from)' },
  { macro: '${__to}', description: 'range end, epoch milliseconds (also $__to)' },
  { macro: '${__from:date:seconds}', description: 'range start, epoch seconds' },
  { macro: '${__from:date}', description: 'range start, ISO 8601 UTC (same as ${__from:date:iso})' },
  { macro: '${__from:date:iso}', description: 'range start, ISO 8601 UTC, e.g. 2024-05-01T10:00:00.000Z' },
  { macro: '${__from:date:YYYY-MM-DD}', description: 'range start in a moment.js format, UTC' },
  { macro: '${__to:date:seconds}', description: 'range end, epoch seconds (all __from forms work with __to)' },
  { macro: '${__interval_ms}', description: 'suggested interval between points, milliseconds (also $__interval_ms)' },
  { macro: '${__interval}', description: 'suggested interval as a duration, e.g. 30s, 5m (also $__interval)' },
  { macro: '${__interval_s}', description: 'suggested interval, whole seconds (at least 1)' },
  { macro: '${__range_ms}', description: 'range length, milliseconds' },
  { macro: '${__range_s}', description: 'range length, whole seconds' },
];

/** Form pairs for an AWS Query API call (IAM, STS, EC2, CloudWatch's query protocol). */
export function awsQueryForm(action: string, version: string, more: KeyValue[] = []): KeyValue[] {
  return [{ key: 'Action', value: action }, { key: 'Version', value: version }, ...more];
}
