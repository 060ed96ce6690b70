// Column types without `columns`: a column gets a type only when every value agrees.
// - JSON values keep their own types (numbers, booleans); ISO-8601 date-time strings become times, and
//   numbers in a time-named column (`time`, `Timestamp`, `EventTime`, `created_at`) become times when all
//   are epoch seconds or all are epoch milliseconds.
// - XML and CSV/TSV values are all text: plain decimals become numbers, `true`/`false` booleans, ISO-8601
//   dates and date-times times, epoch numbers in time-named columns times, by the same rules.
// Text that only looks numeric stays text: leading zeros (zip codes, ids: `02139`, `000123`), integers too
// long for a float64, version numbers (`1.10` beside `1.9`), and columns named like identifiers or versions
// (`InstanceId`, `Account`, `Version`, `ZipCode`), whose digits are names, not quantities.
import type { ColumnType } from '../../src/shared/query';

export interface InferredType {
  type: ColumnType;
  /** For `time`: how the values are read (see table.ts `toTime`). */
  timeFormat?: 'iso' | 'epoch_s' | 'epoch_ms';
}

/** How the answer carried its values: with their own types (JSON), or all as text (XML, CSV, TSV). */
export type ValueSource = 'typed' | 'text';

// A plain decimal without leading zeros.
const STRICT_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
// ISO-8601 date, or date-time with optional seconds, fraction and zone (T or a space between).
const ISO_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?([zZ]|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;
const BOOLEAN = /^(true|false)$/i;

// Epoch bounds: 2000-01-01 .. 2100-01-01, in seconds and in milliseconds.
const EPOCH_S = [946_684_800, 4_102_444_800];
const EPOCH_MS = [946_684_800_000, 4_102_444_800_000];

// The pattern bounds every part (month 01-12, day 01-31, hour 00-23); only days past the 28th need a date
// check (Date.parse would roll 02-30 over into March).
function isIsoTime(s: string): boolean {
  if (!ISO_TIME.test(s)) return false;
  const day = Number(s.slice(8, 10));
  return day <= 28 || new Date(Date.parse(s.slice(0, 10))).getUTCDate() === day;
}

function lastSegment(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? name : name.slice(dot + 1);
}

/** `time`, `Timestamp`, `EventTime`, `StartDate`, `created_at`, `LastModified`: a column that holds times. */
export function isTimeName(name: string): boolean {
  const n = lastSegment(name);
  return (
    /^(time|timestamp|timestamps|date|datetime)$/i.test(n) ||
    /[a-z0-9_ -](Time|Timestamp|Date|DateTime)$/.test(n) ||
    /[_ -](time|timestamp|date|at)$/i.test(n) ||
    /^(created|updated|modified|started|ended)At$/i.test(n) ||
    /^LastModified$/i.test(n)
  );
}

/** `id`, `InstanceId`, `OwnerID`, `account_id`, `Account`, `Version`, `ZipCode`: digits that are names. */
export function isNameLikeColumn(name: string): boolean {
  const n = lastSegment(name);
  return (
    /^id$/i.test(n) ||
    /[a-z0-9](Id|ID|Ids|IDs)$/.test(n) ||
    /[_ -]id$/i.test(n) ||
    /account(id|number)?$/i.test(n) ||
    /version$/i.test(n) ||
    /(zip|postal)(code)?$/i.test(n)
  );
}

function epochFormat(numbers: number[]): InferredType['timeFormat'] | undefined {
  if (numbers.length === 0) return undefined;
  const within = ([lo, hi]: number[]) => numbers.every((n) => n >= lo && n < hi);
  if (within(EPOCH_S)) return 'epoch_s';
  if (numbers.every((n) => Number.isInteger(n)) && within(EPOCH_MS)) return 'epoch_ms';
  return undefined;
}

/** Decimal text a float64 keeps exactly as the column means it. */
function numericTexts(texts: string[]): number[] | undefined {
  const numbers: number[] = new Array(texts.length);
  let fractionLengths: Set<number> | undefined;
  let trailingZero = false;
  for (let i = 0; i < texts.length; i++) {
    const s = texts[i];
    if (!STRICT_NUMBER.test(s)) return undefined;
    const n = Number(s);
    const dot = s.indexOf('.');
    let exp = s.indexOf('e');
    if (exp === -1) exp = s.indexOf('E');
    if (dot === -1 && exp === -1 && !Number.isSafeInteger(n)) return undefined; // an id too long for a float64
    if (dot !== -1) {
      const end = exp === -1 ? s.length : exp;
      (fractionLengths ??= new Set()).add(end - dot - 1);
      if (s.charCodeAt(end - 1) === 48) trailingZero = true; // '0'
    }
    numbers[i] = n;
  }
  // `1.10` beside `1.9`: a trailing zero that is not fixed-point formatting is part of a name (a version).
  if (trailingZero && fractionLengths !== undefined && fractionLengths.size > 1) return undefined;
  return numbers;
}

function inferText(name: string, texts: string[]): InferredType {
  if (texts.every(isIsoTime)) {
    return { type: 'time', timeFormat: 'iso' };
  }
  if (texts.every((s) => BOOLEAN.test(s))) return { type: 'boolean' };
  if (isNameLikeColumn(name)) return { type: 'string' };
  const numbers = numericTexts(texts);
  if (numbers === undefined) return { type: 'string' };
  if (isTimeName(name)) {
    const epoch = epochFormat(numbers);
    if (epoch) return { type: 'time', timeFormat: epoch };
  }
  return { type: 'number' };
}

/**
 * The type of one column from all its values. Missing values (null, undefined) never decide; empty text
 * does not either when the values come as text (an empty CSV cell or XML element is a missing value).
 */
export function inferColumnType(name: string, values: readonly unknown[], source: ValueSource): InferredType {
  let kind: 'number' | 'boolean' | 'date' | 'string' | undefined;
  const texts: string[] = [];
  const numbers: number[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    let k: typeof kind;
    if (typeof v === 'number') {
      k = 'number';
      numbers.push(v);
    } else if (typeof v === 'boolean') {
      k = 'boolean';
    } else if (v instanceof Date) {
      k = 'date';
    } else if (typeof v === 'string') {
      if (v === '' && source === 'text') continue;
      k = 'string';
      texts.push(source === 'text' ? v.trim() : v);
    } else {
      return { type: 'string' }; // objects and lists are shown as JSON text
    }
    if (kind !== undefined && kind !== k) return { type: 'string' };
    kind = k;
  }
  switch (kind) {
    case undefined:
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'time' };
    case 'number': {
      const epoch = isTimeName(name) ? epochFormat(numbers) : undefined;
      return epoch ? { type: 'time', timeFormat: epoch } : { type: 'number' };
    }
    case 'string':
      if (source === 'text') return inferText(name, texts);
      return texts.every(isIsoTime) ? { type: 'time', timeFormat: 'iso' } : { type: 'string' };
  }
}
