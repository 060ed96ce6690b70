// Prometheus HTTP API answers (`/api/v1/query`, `/api/v1/query_range`; Amazon Managed Service for
// Prometheus speaks the same): one frame per series, as Grafana's Prometheus data source builds them:
// a `Time` field and a float64 `Value` field carrying the series labels, frame type timeseries-multi, and
// the series named `metric{label="value", ...}` like Prometheus shows it.
import type { Frame, Notice } from '../../frames/model';
import { UNREADABLE_ANSWER, sigilError } from '../../errors';
import { parseJson } from './json';

type Sample = [number, string];

interface PromSeries {
  metric?: Record<string, string>;
  values?: Sample[];
  value?: Sample;
}

function fail(detail: string): never {
  throw sigilError('parse', `the answer is not a Prometheus API answer: ${detail}`, UNREADABLE_ANSWER);
}

/** Go's strconv.ParseFloat spellings that Prometheus emits: "NaN", "+Inf", "-Inf". */
export function promFloat(s: unknown, where: string): number {
  if (typeof s !== 'string') {
    fail(`${where}: the sample value must be a string, got ${JSON.stringify(s)}`);
  }
  if (s === 'NaN') {
    return NaN;
  }
  if (s === '+Inf' || s === 'Inf') {
    return Infinity;
  }
  if (s === '-Inf') {
    return -Infinity;
  }
  const n = Number(s);
  if (s.trim() === '' || Number.isNaN(n)) {
    fail(`${where}: "${s}" is not a number`);
  }
  return n;
}

function sampleTime(t: unknown, where: string): number {
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    fail(`${where}: the sample time must be a number of seconds`);
  }
  return Math.round(t * 1000);
}

function sample(s: unknown, where: string): [number, unknown] {
  if (!Array.isArray(s) || s.length !== 2) {
    fail(`${where}: a sample must be [time, "value"]`);
  }
  return [sampleTime(s[0], where), s[1]];
}

/** `up{instance="a:9090", job="node"}`, labels sorted, as Prometheus prints a series. */
export function seriesName(labels: Record<string, string>): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  if (rest.length === 0) {
    return name || 'Value';
  }
  return `${name}{${rest.join(', ')}}`;
}

function labelsOf(s: PromSeries, where: string): Record<string, string> {
  const metric = s.metric ?? {};
  if (
    typeof metric !== 'object' ||
    metric === null ||
    Array.isArray(metric) ||
    !Object.values(metric).every((v) => typeof v === 'string')
  ) {
    fail(`${where}: "metric" must be an object of string labels`);
  }
  return metric;
}

function seriesFrame(labels: Record<string, string>, times: number[], values: number[], notices: Notice[]): Frame {
  const name = seriesName(labels);
  return {
    name,
    meta: { type: 'timeseries-multi', typeVersion: [0, 1], ...(notices.length ? { notices } : {}) },
    fields: [
      { name: 'Time', type: 'time', values: times },
      { name: 'Value', type: 'number', values, labels, config: { displayNameFromDS: name } },
    ],
  };
}

/** The answer's object once its status says success; an error answer is the API's own error. */
function successDocument(text: string): Record<string, unknown> {
  const doc = parseJson(text) as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    fail('expected an object with "status" and "data"');
  }
  if (doc.status === 'error') {
    // The API answered, with an error of its own (bad PromQL, limits): its answer, its fault.
    throw sigilError(
      'aws_answer',
      `Prometheus answered ${String(doc.errorType ?? 'error')}: ${String(doc.error ?? 'no message')}`,
      { status: 400 },
    );
  }
  if (doc.status !== 'success') {
    fail('"status" must be "success" or "error"');
  }
  return doc;
}

/** One series of a matrix (its values) or a vector (its one value). */
function seriesAt(raw: unknown, i: number, matrix: boolean, notices: Notice[]): Frame {
  const where = `data.result[${i}]`;
  if (typeof raw !== 'object' || raw === null) {
    fail(`${where} must be an object`);
  }
  const s = raw as PromSeries;
  const labels = labelsOf(s, where);
  const samples = matrix ? (s.values ?? []) : s.value === undefined ? [] : [s.value];
  if (!Array.isArray(samples)) {
    fail(`${where}.values must be an array`);
  }
  const times: number[] = new Array(samples.length);
  const values: number[] = new Array(samples.length);
  samples.forEach((smp, j) => {
    const [t, v] = sample(smp, `${where} sample ${j}`);
    times[j] = t;
    values[j] = promFloat(v, `${where} sample ${j}`);
  });
  return seriesFrame(labels, times, values, notices);
}

function seriesFrames(result: unknown, resultType: 'matrix' | 'vector', notices: Notice[]): Frame[] {
  if (!Array.isArray(result)) {
    fail(`data.result of a ${resultType} must be an array`);
  }
  const frames = result.map((raw, i) => seriesAt(raw, i, resultType === 'matrix', notices));
  if (frames.length === 0) {
    return [
      { meta: { type: 'timeseries-multi', typeVersion: [0, 1], ...(notices.length ? { notices } : {}) }, fields: [] },
    ];
  }
  return frames;
}

export function parsePrometheus(text: string): Frame[] {
  const doc = successDocument(text);
  const notices: Notice[] = [
    ...(Array.isArray(doc.warnings) ? doc.warnings : []),
    ...(Array.isArray(doc.infos) ? doc.infos : []),
  ].map((w) => ({ severity: 'warning' as const, text: String(w) }));
  const data = doc.data as { resultType?: unknown; result?: unknown } | undefined;
  if (typeof data !== 'object' || data === null) {
    fail('"data" is missing');
  }
  const result = data.result;
  switch (data.resultType) {
    case 'matrix':
    case 'vector':
      return seriesFrames(result, data.resultType, notices);
    case 'scalar': {
      const [t, v] = sample(result, 'data.result');
      return [seriesFrame({}, [t], [promFloat(v, 'data.result')], notices)];
    }
    case 'string': {
      const [t, v] = sample(result, 'data.result');
      return [
        {
          meta: { type: 'table', ...(notices.length ? { notices } : {}) },
          fields: [
            { name: 'Time', type: 'time', values: [t] },
            { name: 'Value', type: 'string', values: [String(v)] },
          ],
        },
      ];
    }
    default:
      fail(`unknown resultType ${JSON.stringify(data.resultType)}; expected matrix, vector, scalar or string`);
  }
}
