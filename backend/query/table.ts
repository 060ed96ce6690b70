// The row/column model every parser produces (rows of JSON-like values), and its conversion to frame
// fields: typed columns when the query names them, otherwise every field found, nested objects flattened
// with dotted names and types inferred.
import moment from 'moment';
import type { ColumnDefinition, ColumnType } from '../../src/shared/query';
import type { Field, FieldValue, Notice } from '../frames/model';
import { getPath } from './select';
import { inferColumnType, type ValueSource } from './infer';
import type { Row } from './parse/csv';

export type { Row };

/** What a root selector picked, as rows: an array's items, an object, or a scalar as `{ value }`. */
export function toRows(selected: unknown): Row[] {
  if (selected === undefined || selected === null || selected === '') {
    return [];
  }
  const items = Array.isArray(selected) ? selected : [selected];
  return items.map((item) =>
    typeof item === 'object' && item !== null && !Array.isArray(item) && !(item instanceof Date)
      ? (item as Row)
      : { value: item },
  );
}

/**
 * When a root selector matched nothing: a notice naming the first part of its leading path that the answer
 * does not have. None when the path runs into an empty list (an empty result, not a mistake) or when only a
 * filter or function after the path left nothing.
 */
export function unmatchedRootNotice(selector: string, doc: unknown): Notice | undefined {
  const path = /^\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/.exec(selector)?.[1];
  if (!path) return undefined;
  const keys = path.split('.');
  let nodes: unknown[] = [doc];
  for (let i = 0; i < keys.length; i++) {
    const records = (nodes.flat(Infinity) as unknown[]).filter(isPlainObject);
    if (records.length === 0) return undefined; // an empty list or element on the way
    const next = records.filter((r) => Object.prototype.hasOwnProperty.call(r, keys[i])).map((r) => r[keys[i]]);
    if (next.length === 0) {
      const where = i === 0 ? 'the answer' : `"${keys.slice(0, i).join('.')}"`;
      const has = Object.keys(records[0])
        .slice(0, 10)
        .map((k) => `"${k}"`)
        .join(', ');
      return {
        severity: 'warning',
        text: `root selector "${selector.trim()}" matched nothing: ${where} has no "${keys[i]}"${has ? ` (it has ${has})` : ''}; check the path`,
      };
    }
    nodes = next;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Row {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function isEmptyObject(v: Row): boolean {
  for (const k in v) {
    if (Object.prototype.hasOwnProperty.call(v, k)) {
      return false;
    }
  }
  return true;
}

/** Flattening stops at this depth; deeper objects stay one JSON value. */
const MAX_FLATTEN_DEPTH = 32;

/** Tracks values a column could not convert, for one warning notice per column. */
class Problems {
  private readonly byColumn = new Map<string, { count: number; first: string }>();

  add(column: string, row: number, value: unknown, type: string): void {
    const seen = this.byColumn.get(column);
    if (seen) {
      seen.count++;
    } else {
      this.byColumn.set(column, {
        count: 1,
        first: `row ${row + 1}: ${JSON.stringify(value)?.slice(0, 80)} is not a ${type}`,
      });
    }
  }

  notices(): Notice[] {
    return [...this.byColumn.entries()].map(([column, p]) => ({
      severity: 'warning' as const,
      text: `column "${column}": ${p.count} value(s) could not be converted and are empty (first at ${p.first})`,
    }));
  }
}

export function toText(v: unknown): string | null {
  if (v === undefined || v === null) {
    return null;
  }
  if (typeof v === 'string') {
    return v;
  }
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? null : v.toISOString();
  }
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return '[value nested too deeply]';
    }
  }
  return String(v);
}

/** Numbers from numbers and numeric text, including Prometheus/Go spellings of NaN and infinities. */
export function toNumber(v: unknown): number | null | undefined {
  if (v === undefined || v === null || v === '') {
    return null;
  }
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'boolean') {
    return v ? 1 : 0;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') {
      return null;
    }
    if (/^[+-]?inf(inity)?$/i.test(s)) {
      return s.startsWith('-') ? -Infinity : Infinity;
    }
    if (/^nan$/i.test(s)) {
      return NaN;
    }
    const n = Number(s);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function toBoolean(v: unknown): boolean | null | undefined {
  if (v === undefined || v === null || v === '') {
    return null;
  }
  if (typeof v === 'boolean') {
    return v;
  }
  if (typeof v === 'number') {
    return v !== 0;
  }
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes') {
      return true;
    }
    if (s === 'false' || s === '0' || s === 'no') {
      return false;
    }
  }
  return undefined;
}

const HAS_ZONE = /([zZ]|[+-]\d\d:?\d\d)$/;

/** Epoch ms from a value, by format: `iso` (default; numbers are taken as ms), `epoch_s`, `epoch_ms`, or a moment format (UTC). */
export function toTime(v: unknown, format = 'iso'): number | null | undefined {
  if (v === undefined || v === null || v === '') {
    return null;
  }
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  if (format === 'epoch_s' || format === 'epoch_ms') {
    const n = toNumber(v);
    if (n === null || n === undefined || !Number.isFinite(n)) {
      return n === null ? null : undefined;
    }
    return format === 'epoch_s' ? Math.round(n * 1000) : Math.round(n);
  }
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : undefined;
  }
  if (typeof v !== 'string') {
    return undefined;
  }
  const s = v.trim();
  if (format === 'iso' || format === '') {
    // A date-time without a zone is read as UTC, not as the server's local time.
    const withZone = /\d[T ]\d/.test(s) && !HAS_ZONE.test(s) ? `${s.replace(' ', 'T')}Z` : s;
    const t = Date.parse(withZone);
    return Number.isNaN(t) ? undefined : t;
  }
  const m = moment.utc(s, format, true);
  return m.isValid() ? m.valueOf() : undefined;
}

export function convert(v: unknown, type: ColumnType, timeFormat?: string): FieldValue | undefined {
  switch (type) {
    case 'string':
      return toText(v);
    case 'number':
      return toNumber(v);
    case 'boolean':
      return toBoolean(v);
    case 'time':
      return toTime(v, timeFormat);
  }
}

export interface FieldsResult {
  fields: Field[];
  notices: Notice[];
}

/** Fields for the columns the query defined; a missing value is null. */
export function definedFields(rows: Row[], columns: ColumnDefinition[]): FieldsResult {
  const problems = new Problems();
  const fields = columns.map((c): Field => {
    const name = c.text?.trim() || c.selector;
    const values: FieldValue[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const raw = getPath(rows[i], c.selector);
      const value = convert(raw, c.type, c.timeFormat);
      if (value === undefined) {
        problems.add(name, i, raw, c.type === 'time' ? `time (${c.timeFormat || 'iso'})` : c.type);
      }
      values[i] = value ?? null;
    }
    return { name, type: c.type, values };
  });
  return { fields, notices: problems.notices() };
}

/** Calls `put` with each field of a row as autoFields names it: nested objects flattened with dotted names. */
function visitFlattened(obj: Row, prefix: string, depth: number, put: (name: string, value: unknown) => void): void {
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) {
      continue;
    }
    const value = obj[key];
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (!isPlainObject(value)) {
      put(name, value);
    } else if (isEmptyObject(value)) {
      put(name, null);
    } else if (depth < MAX_FLATTEN_DEPTH) {
      visitFlattened(value, name, depth + 1, put);
    } else {
      put(name, value); // too deep to flatten: one JSON text
    }
  }
}

/** How many fields autoFields makes of these rows; counting stops soon after `atMost`. */
export function autoFieldCount(rows: Row[], atMost: number): number {
  const names = new Set<string>();
  for (const row of rows) {
    visitFlattened(row, '', 0, (name) => names.add(name));
    if (names.size > atMost) break;
  }
  return names.size;
}

/**
 * Every field found, in first-seen order, each typed when all its values agree (see infer.ts): `source`
 * says whether the answer carried types (JSON) or only text (XML, CSV, TSV).
 */
export function autoFields(rows: Row[], source: ValueSource = 'typed'): Field[] {
  // Values go straight into their columns (no flattened copy of each row), which keeps memory near the
  // size of the parsed answer on large results.
  const columns = new Map<string, unknown[]>();
  const put = (name: string, row: number, value: unknown) => {
    let values = columns.get(name);
    if (!values) {
      values = new Array(rows.length).fill(null);
      columns.set(name, values);
    }
    values[row] = value;
  };
  for (let i = 0; i < rows.length; i++) {
    visitFlattened(rows[i], '', 0, (name, value) => put(name, i, value));
  }
  return [...columns.entries()].map(([name, values]) => {
    const { type, timeFormat } = inferColumnType(name, values, source);
    for (let i = 0; i < values.length; i++) {
      values[i] = convert(values[i], type, timeFormat) ?? null;
    }
    return { name, type, values: values as FieldValue[] };
  });
}
