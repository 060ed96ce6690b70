// The `echo` query type: a frame built from the query's own JSON. It exercises the protocol and the frame
// encoder without AWS, and stays as a fixture for end-to-end tests of the plumbing.
import type { Field, FieldValue, Frame } from '../frames/model';
import type { DataQuery } from '../protocol/types';
import { sigilError } from '../errors';

interface EchoQuery {
  /** Values of a number field, one row each; null allowed. Default: [1]. */
  values?: unknown;
  /** Optional strings for a string field, same length as values. */
  strings?: unknown;
  /** Number of rows to generate (0..5e6) instead of `values`. */
  rows?: unknown;
  labels?: unknown;
  frameName?: unknown;
}

const MAX_ROWS = 5_000_000;

export function echoFrame(query: DataQuery, body: Record<string, unknown>): Frame {
  const q = body as EchoQuery;
  let numbers: FieldValue[];
  if (q.rows !== undefined) {
    if (typeof q.rows !== 'number' || !Number.isInteger(q.rows) || q.rows < 0 || q.rows > MAX_ROWS) {
      throw sigilError('query', `echo: "rows" must be a whole number from 0 to ${MAX_ROWS}`);
    }
    numbers = Array.from({ length: q.rows }, (_, i) => i);
  } else {
    const values = q.values ?? [1];
    if (!Array.isArray(values) || !values.every((v) => v === null || typeof v === 'number')) {
      throw sigilError('query', 'echo: "values" must be an array of numbers or nulls');
    }
    numbers = values as FieldValue[];
  }
  const labels = q.labels ?? undefined;
  if (
    labels !== undefined &&
    (typeof labels !== 'object' ||
      labels === null ||
      Array.isArray(labels) ||
      !Object.values(labels).every((v) => typeof v === 'string'))
  ) {
    throw sigilError('query', 'echo: "labels" must be an object of string values');
  }
  const { fromMs, toMs } = query.timeRange;
  const step = numbers.length > 1 ? (toMs - fromMs) / (numbers.length - 1) : 0;
  const fields: Field[] = [
    { name: 'time', type: 'time', values: numbers.map((_, i) => Math.round(fromMs + i * step)) },
    { name: 'value', type: 'number', values: numbers, labels: labels as Record<string, string> | undefined },
  ];
  if (q.strings !== undefined) {
    if (
      !Array.isArray(q.strings) ||
      q.strings.length !== numbers.length ||
      !q.strings.every((s) => s === null || typeof s === 'string')
    ) {
      throw sigilError('query', 'echo: "strings" must be an array of strings or nulls as long as "values"');
    }
    fields.push({ name: 'text', type: 'string', values: q.strings as FieldValue[] });
  }
  return {
    name: typeof q.frameName === 'string' ? q.frameName : 'echo',
    refId: query.refId,
    meta: { type: 'timeseries-wide', typeVersion: [0, 1] },
    fields,
  };
}
