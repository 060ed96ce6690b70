import { DataSourceMetrics, requestOutcomeOf } from './dataSources';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('DataSourceMetrics', () => {
  it('counts requests by outcome, the duration histogram, bytes, STS calls, refresh failures and cut results', () => {
    const metrics = new DataSourceMetrics();
    const m = metrics.acquire(1, 'ds-a');
    m.request('ok', 0.2, 100);
    m.request('ok', 3, 50);
    m.request(requestOutcomeOf('aws_answer'), 0.05, 0);
    m.request(requestOutcomeOf('url_refused'), 0, 0);
    m.stsCall();
    m.refreshFailure();
    m.truncated();
    const text = metrics.prometheusText();
    const l = 'org_id="1",uid="ds-a"';
    expect(sample(text, `sigil_datasource_requests_total{${l},outcome="ok"}`)).toBe(2);
    expect(sample(text, `sigil_datasource_requests_total{${l},outcome="aws_error"}`)).toBe(1);
    expect(sample(text, `sigil_datasource_requests_total{${l},outcome="refused"}`)).toBe(1);
    expect(sample(text, `sigil_datasource_request_duration_seconds_bucket{${l},le="0.1"}`)).toBe(2);
    expect(sample(text, `sigil_datasource_request_duration_seconds_bucket{${l},le="0.25"}`)).toBe(3);
    expect(sample(text, `sigil_datasource_request_duration_seconds_bucket{${l},le="2.5"}`)).toBe(3);
    expect(sample(text, `sigil_datasource_request_duration_seconds_bucket{${l},le="5"}`)).toBe(4);
    expect(sample(text, `sigil_datasource_request_duration_seconds_bucket{${l},le="+Inf"}`)).toBe(4);
    expect(sample(text, `sigil_datasource_request_duration_seconds_count{${l}}`)).toBe(4);
    expect(sample(text, `sigil_datasource_request_duration_seconds_sum{${l}}`)).toBeCloseTo(3.25);
    expect(sample(text, `sigil_datasource_response_bytes_total{${l}}`)).toBe(150);
    expect(sample(text, `sigil_datasource_sts_calls_total{${l}}`)).toBe(1);
    expect(sample(text, `sigil_datasource_credential_refresh_failures_total{${l}}`)).toBe(1);
    expect(sample(text, `sigil_datasource_truncated_results_total{${l}}`)).toBe(1);
    // Every family is declared once, with HELP and TYPE.
    expect(text.match(/^# TYPE /gm)).toHaveLength(6);
  });

  it('keeps a data source series while any instance holds it and drops them with the last one', () => {
    const metrics = new DataSourceMetrics();
    const old = metrics.acquire(1, 'ds-a');
    old.request('ok', 0.1, 1);
    const replacement = metrics.acquire(1, 'ds-a');
    const other = metrics.acquire(2, 'ds-a');
    expect(metrics.dataSources).toBe(2);
    old.release();
    old.release(); // a second release of one handle changes nothing
    replacement.request('ok', 0.1, 1);
    expect(
      sample(metrics.prometheusText(), 'sigil_datasource_requests_total{org_id="1",uid="ds-a",outcome="ok"}'),
    ).toBe(2);
    replacement.release();
    expect(metrics.prometheusText()).not.toContain('org_id="1"');
    other.release();
    expect(metrics.dataSources).toBe(0);
    expect(metrics.prometheusText()).not.toMatch(/uid=/);
  });

  it('escapes a uid so it cannot break the exposition format', () => {
    const metrics = new DataSourceMetrics();
    metrics.acquire(1, 'a"b\\c\nd').stsCall();
    expect(metrics.prometheusText()).toContain('sigil_datasource_sts_calls_total{org_id="1",uid="a\\"b\\\\c\\nd"} 1');
  });
});
