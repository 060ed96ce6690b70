// Scalar functions usable in extend, project, where and order by, and the aggregations of summarize.
// Names and behaviour follow Infinity's UQL (itself after Kusto).
import moment from 'moment';
import { toNumber, toText, toTime } from '../table';
import { cachedLinear } from '../regex';

export type Value = unknown;

export interface FunctionSpec {
  min: number;
  max: number;
  fn: (...args: Value[]) => Value;
}

const num = (v: Value): number | null => {
  const n = toNumber(v instanceof Date ? v.getTime() : v);
  return n === undefined ? null : n;
};
const text = (v: Value): string => toText(v) ?? '';
const math = (f: (x: number) => number) => (v: Value) => {
  const n = num(v);
  return n === null ? null : f(n);
};
const date = (ms: number | null | undefined): Date | null =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms);
const isEmpty = (v: Value) => v === null || v === undefined || v === '';

export const FUNCTIONS: Record<string, FunctionSpec> = {
  strcat: { min: 1, max: 64, fn: (...a) => a.map(text).join('') },
  tolower: { min: 1, max: 1, fn: (v) => (isEmpty(v) ? (v ?? null) : text(v).toLowerCase()) },
  toupper: { min: 1, max: 1, fn: (v) => (isEmpty(v) ? (v ?? null) : text(v).toUpperCase()) },
  trim: { min: 1, max: 1, fn: (v) => (isEmpty(v) ? (v ?? null) : text(v).trim()) },
  trim_start: { min: 1, max: 1, fn: (v) => (isEmpty(v) ? (v ?? null) : text(v).trimStart()) },
  trim_end: { min: 1, max: 1, fn: (v) => (isEmpty(v) ? (v ?? null) : text(v).trimEnd()) },
  strlen: { min: 1, max: 1, fn: (v) => (v === null || v === undefined ? null : text(v).length) },
  reverse: { min: 1, max: 1, fn: (v) => (v === null || v === undefined ? null : [...text(v)].reverse().join('')) },
  substring: {
    min: 2,
    max: 3,
    fn: (v, start, len) => {
      const s = num(start) ?? 0;
      const l = len === undefined ? undefined : (num(len) ?? 0);
      return v === null || v === undefined ? null : text(v).substr(s, l);
    },
  },
  replace_string: {
    min: 3,
    max: 3,
    fn: (v, find, repl) => (v === null || v === undefined ? null : text(v).split(text(find)).join(text(repl))),
  },
  split: { min: 2, max: 2, fn: (v, sep) => (v === null || v === undefined ? null : text(v).split(text(sep))) },
  extract: {
    min: 3,
    max: 3,
    fn: (re, group, v) => {
      const m = cachedLinear(text(re), 'extract pattern').matcher(text(v));
      const g = num(group) ?? 0;
      return m.find() && Number.isInteger(g) && g >= 0 && g <= m.groupCount() ? (m.group(g) ?? null) : null;
    },
  },
  tostring: { min: 1, max: 1, fn: (v) => toText(v) },
  tonumber: { min: 1, max: 1, fn: (v) => num(v) },
  todouble: { min: 1, max: 1, fn: (v) => num(v) },
  toint: { min: 1, max: 1, fn: math(Math.trunc) },
  tolong: { min: 1, max: 1, fn: math(Math.trunc) },
  tobool: { min: 1, max: 1, fn: (v) => (isEmpty(v) ? null : v === true || /^(true|1)$/i.test(text(v))) },
  todatetime: { min: 1, max: 1, fn: (v) => date(toTime(v, 'iso')) },
  unixtime_seconds_todatetime: { min: 1, max: 1, fn: (v) => date(toTime(v, 'epoch_s')) },
  unixtime_milliseconds_todatetime: { min: 1, max: 1, fn: (v) => date(toTime(v, 'epoch_ms')) },
  unixtime_nanoseconds_todatetime: {
    min: 1,
    max: 1,
    fn: (v) => {
      const n = num(v);
      return n === null ? null : date(n / 1e6);
    },
  },
  format_datetime: {
    min: 2,
    max: 2,
    fn: (v, fmt) => {
      const t = toTime(v);
      return t === null || t === undefined ? null : moment.utc(t).format(text(fmt));
    },
  },
  now: { min: 0, max: 0, fn: () => new Date() },
  floor: { min: 1, max: 1, fn: math(Math.floor) },
  ceil: { min: 1, max: 1, fn: math(Math.ceil) },
  abs: { min: 1, max: 1, fn: math(Math.abs) },
  sqrt: { min: 1, max: 1, fn: math(Math.sqrt) },
  log: { min: 1, max: 1, fn: math(Math.log) },
  log10: { min: 1, max: 1, fn: math(Math.log10) },
  log2: { min: 1, max: 1, fn: math(Math.log2) },
  round: {
    min: 1,
    max: 2,
    fn: (v, digits) => {
      const n = num(v);
      const d = digits === undefined ? 0 : (num(digits) ?? 0);
      return n === null ? null : Math.round(n * 10 ** d) / 10 ** d;
    },
  },
  pow: {
    min: 2,
    max: 2,
    fn: (a, b) => {
      const x = num(a);
      const y = num(b);
      return x === null || y === null ? null : x ** y;
    },
  },
  sum: { min: 1, max: 64, fn: (...a) => a.reduce<number>((s, v) => s + (num(v) ?? 0), 0) },
  diff: {
    min: 2,
    max: 2,
    fn: (a, b) => {
      const x = num(a);
      const y = num(b);
      return x === null || y === null ? null : x - y;
    },
  },
  mul: {
    min: 2,
    max: 2,
    fn: (a, b) => {
      const x = num(a);
      const y = num(b);
      return x === null || y === null ? null : x * y;
    },
  },
  div: {
    min: 2,
    max: 2,
    fn: (a, b) => {
      const x = num(a);
      const y = num(b);
      return x === null || y === null || y === 0 ? null : x / y;
    },
  },
  percentage: {
    min: 2,
    max: 2,
    fn: (a, b) => {
      const x = num(a);
      const y = num(b);
      return x === null || y === null || y === 0 ? null : (x / y) * 100;
    },
  },
  coalesce: { min: 1, max: 64, fn: (...a) => a.find((v) => !isEmpty(v)) ?? null },
  isnull: { min: 1, max: 1, fn: (v) => v === null || v === undefined },
  isnotnull: { min: 1, max: 1, fn: (v) => v !== null && v !== undefined },
  isempty: { min: 1, max: 1, fn: (v) => isEmpty(v) },
  isnotempty: { min: 1, max: 1, fn: (v) => !isEmpty(v) },
  iif: { min: 3, max: 3, fn: (c, a, b) => (c === true ? a : b) },
  parse_json: {
    min: 1,
    max: 1,
    fn: (v) => {
      if (typeof v !== 'string') {
        return v ?? null;
      }
      try {
        return JSON.parse(v);
      } catch {
        return null;
      }
    },
  },
};

/** Aggregations for summarize: name -> (values of the argument in one group) -> result. */
export const AGGREGATIONS: Record<string, { arg: boolean; fn: (values: Value[]) => Value }> = {
  count: { arg: false, fn: (v) => v.length },
  sum: { arg: true, fn: (v) => v.reduce<number>((s, x) => s + (num(x) ?? 0), 0) },
  min: { arg: true, fn: (v) => minMax(v, (a, b) => a < b) },
  max: { arg: true, fn: (v) => minMax(v, (a, b) => a > b) },
  avg: { arg: true, fn: average },
  mean: { arg: true, fn: average },
  dcount: { arg: true, fn: (v) => new Set(v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : x))).size },
  countif: { arg: true, fn: (v) => v.filter((x) => x === true).length },
  first: { arg: true, fn: (v) => v[0] ?? null },
  last: { arg: true, fn: (v) => v[v.length - 1] ?? null },
};

function average(values: Value[]): number | null {
  const nums = values.map(num).filter((n): n is number => n !== null);
  return nums.length === 0 ? null : nums.reduce((s, n) => s + n, 0) / nums.length;
}

function minMax(values: Value[], better: (a: number, b: number) => boolean): number | null {
  let best: number | null = null;
  for (const v of values) {
    const n = num(v);
    if (n !== null && !Number.isNaN(n) && (best === null || better(n, best))) {
      best = n;
    }
  }
  return best;
}
