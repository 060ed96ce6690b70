// Per data source metrics for CollectMetrics, in the Prometheus text format: requests by outcome, request
// duration, bytes read, STS AssumeRole calls, credential refresh failures, cut results. Labels are the
// organisation and the data source uid only (never a name or URL: bounded, and nothing secret); a data
// source's series live while an instance of it does and are dropped with its last instance, so the series
// count follows the live instances.
import type { ErrorKind } from '../errors';

/** What became of one request through the outgoing stack: an answer (ok / aws_error) or the error's kind. */
export type RequestOutcome = 'ok' | 'aws_error' | 'refused' | Exclude<ErrorKind, 'aws_answer' | 'url_refused'>;

/** Upper bounds (seconds) of the request duration histogram. */
export const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** The counting handle of one data source instance. */
export interface InstanceMeter {
  request(outcome: RequestOutcome, seconds: number, bytesRead: number): void;
  stsCall(): void;
  refreshFailure(): void;
  truncated(): void;
  /** The instance is disposed: the series go when no other instance of the data source holds them. */
  release(): void;
}

/** A meter that counts nothing (tests, callers without a registry). */
export const NO_METER: InstanceMeter = {
  request: () => undefined,
  stsCall: () => undefined,
  refreshFailure: () => undefined,
  truncated: () => undefined,
  release: () => undefined,
};

interface Series {
  labels: string;
  holders: number;
  outcomes: Map<RequestOutcome, number>;
  buckets: number[];
  durationSum: number;
  durationCount: number;
  bytesRead: number;
  stsCalls: number;
  refreshFailures: number;
  truncated: number;
}

export function requestOutcomeOf(kind: ErrorKind): RequestOutcome {
  return kind === 'aws_answer' ? 'aws_error' : kind === 'url_refused' ? 'refused' : kind;
}

export class DataSourceMetrics {
  private readonly series = new Map<string, Series>();

  /** A meter for one instance of data source `uid` in organisation `orgId`; call release() when it is disposed. */
  acquire(orgId: number, uid: string): InstanceMeter {
    const key = `${orgId}/${uid}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        labels: `org_id="${orgId}",uid="${escapeLabel(uid)}"`,
        holders: 0,
        outcomes: new Map(),
        buckets: DURATION_BUCKETS.map(() => 0),
        durationSum: 0,
        durationCount: 0,
        bytesRead: 0,
        stsCalls: 0,
        refreshFailures: 0,
        truncated: 0,
      };
      this.series.set(key, s);
    }
    s.holders++;
    const series = s;
    let released = false;
    return {
      request: (outcome, seconds, bytesRead) => {
        series.outcomes.set(outcome, (series.outcomes.get(outcome) ?? 0) + 1);
        DURATION_BUCKETS.forEach((le, i) => {
          if (seconds <= le) series.buckets[i]++;
        });
        series.durationSum += seconds;
        series.durationCount++;
        series.bytesRead += bytesRead;
      },
      stsCall: () => void series.stsCalls++,
      refreshFailure: () => void series.refreshFailures++,
      truncated: () => void series.truncated++,
      release: () => {
        if (released) return;
        released = true;
        if (--series.holders === 0) this.series.delete(key);
      },
    };
  }

  /** Data sources with series now. */
  get dataSources(): number {
    return this.series.size;
  }

  prometheusText(): string {
    const all = [...this.series.values()].sort((a, b) => a.labels.localeCompare(b.labels));
    const lines: string[] = [];
    const family = (name: string, type: string, help: string, rows: (s: Series) => string[]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const s of all) lines.push(...rows(s));
    };
    family('sigil_datasource_requests_total', 'counter', 'Requests through the outgoing stack, by outcome.', (s) =>
      [...s.outcomes.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([outcome, n]) => `sigil_datasource_requests_total{${s.labels},outcome="${outcome}"} ${n}`),
    );
    family(
      'sigil_datasource_request_duration_seconds',
      'histogram',
      'Time from sending a request to its answer or error (redirects and retries included).',
      (s) => [
        ...DURATION_BUCKETS.map(
          (le, i) => `sigil_datasource_request_duration_seconds_bucket{${s.labels},le="${le}"} ${s.buckets[i]}`,
        ),
        `sigil_datasource_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.durationCount}`,
        `sigil_datasource_request_duration_seconds_sum{${s.labels}} ${s.durationSum}`,
        `sigil_datasource_request_duration_seconds_count{${s.labels}} ${s.durationCount}`,
      ],
    );
    const counter = (name: string, help: string, value: (s: Series) => number): void =>
      family(name, 'counter', help, (s) => [`${name}{${s.labels}} ${value(s)}`]);
    counter('sigil_datasource_response_bytes_total', 'Answer body bytes read (after inflating).', (s) => s.bytesRead);
    counter('sigil_datasource_sts_calls_total', 'STS AssumeRole calls made for credentials.', (s) => s.stsCalls);
    counter(
      'sigil_datasource_credential_refresh_failures_total',
      'Failed credential resolutions or refreshes (base provider or AssumeRole).',
      (s) => s.refreshFailures,
    );
    counter(
      'sigil_datasource_truncated_results_total',
      'Query results cut at pagination.maxRows or maxPages.',
      (s) => s.truncated,
    );
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
