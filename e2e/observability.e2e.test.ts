// What an admin sees of the BUILT plugin under Grafana's plugin client: each event (failed health check,
// refused URL, AWS error answer, retry, answer over maxResponseBytes, result cut at maxRows, AssumeRole
// refresh failure) writes exactly one log line naming the data source, with the URL without query values;
// CollectMetrics' per data source series count the calls made; no log line or metric carries a secret.
// The plugin's level follows Grafana's per-plugin filter (GF_LOG_FILTERS).
import { runGrafanaHostDetailed, type HostDataSource, type HostRun } from './lib/grafanaHost';
import { startFake, type FakeServer } from './lib/fakes/server';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const SECRET_KEY = 'obs-secret-Qm8vT3xLp0Zr5Wc2Hn7';
const ROLE_SECRET_KEY = 'obs-role-secret-Yb4kN9sJd1Fg6';
const QUERY_VALUE = 'query-value-Kx2Rj7Pw9Vt4';
const SECRETS = [SECRET_KEY, ROLE_SECRET_KEY, QUERY_VALUE];
const BIG_BODY = JSON.stringify({ items: 'x'.repeat(8 * 1024) });
const LIST_BODY = JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: i, name: `item ${i}` })));
const OK_BODY = '{"ok":true}';

let api: FakeServer;
let sts: FakeServer;
let flakyCalls = 0;

const xmlError = (code: string, requestId: string): string =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>denied</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;

beforeAll(async () => {
  api = await startFake((req, res) => {
    const path = req.path.split('?')[0];
    if (path === '/api/ok') return void res.writeHead(200, { 'content-type': 'application/json' }).end(OK_BODY);
    if (path === '/api/denied') {
      return void res
        .writeHead(403, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-obs-denied-1' })
        .end(xmlError('AccessDenied', 'req-obs-denied-1'));
    }
    if (path === '/api/flaky') {
      flakyCalls++;
      if (flakyCalls === 1) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(OK_BODY);
    }
    if (path === '/api/big') return void res.writeHead(200, { 'content-type': 'application/json' }).end(BIG_BODY);
    if (path === '/api/list') return void res.writeHead(200, { 'content-type': 'application/json' }).end(LIST_BODY);
    res.writeHead(404).end();
  });
  // STS that refuses every caller: GetCallerIdentity and AssumeRole answer 403.
  sts = await startFake((req, res) => {
    const action = new URLSearchParams(req.body).get('Action');
    const [code, id] =
      action === 'AssumeRole' ? ['AccessDenied', 'req-obs-assume-1'] : ['InvalidClientTokenId', 'req-obs-identity-1'];
    res.writeHead(403, { 'content-type': 'text/xml' }).end(xmlError(code, id));
  });
});
afterAll(async () => {
  await Promise.all([api?.close(), sts?.close()]);
});

function dataSource(uid: string, jsonData: Record<string, unknown> = {}, secretKey = SECRET_KEY): HostDataSource {
  return {
    uid,
    name: `Observed ${uid}`,
    lastUpdatedMS: 1,
    jsonData: {
      authType: 'keys',
      region: 'us-east-1',
      endpoint: sts.url,
      allowedUrls: [`${api.url}/api/`],
      maxResponseBytes: 2048,
      ...jsonData,
    },
    secureJsonData: { accessKey: 'AKIAOBSERVED00000001', secretKey },
  };
}

const get = (url: string, extra: Record<string, unknown> = {}) => ({
  method: 'GET',
  url,
  service: 'execute-api',
  format: 'json',
  ...extra,
});

interface Line {
  '@level': string;
  '@message': string;
  [field: string]: unknown;
}

function logLines(run: HostRun): Line[] {
  return run.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('log lines and metrics an admin can use', () => {
  let run: HostRun;
  let lines: Line[];
  let metrics: string;

  beforeAll(async () => {
    run = await runGrafanaHostDetailed({
      env: ISOLATED_ENV,
      calls: [
        {
          kind: 'queryData',
          dataSource: dataSource('obs-main'),
          queries: [
            { refId: 'OK', json: get(`${api.url}/api/ok`) },
            { refId: 'DENIED', json: get(`${api.url}/api/denied?token=${QUERY_VALUE}`) },
            { refId: 'REFUSED', json: get(`${api.url}/elsewhere/data?apikey=${QUERY_VALUE}`) },
            { refId: 'FLAKY', json: get(`${api.url}/api/flaky`) },
            { refId: 'BIG', json: get(`${api.url}/api/big?page=${QUERY_VALUE}`) },
            { refId: 'CUT', json: get(`${api.url}/api/list?next=${QUERY_VALUE}`, { pagination: { maxRows: 3 } }) },
          ],
        },
        { kind: 'checkHealth', dataSource: dataSource('obs-health') },
        {
          kind: 'queryData',
          dataSource: dataSource(
            'obs-role',
            { assumeRoleArn: 'arn:aws:iam::123456789012:role/observed' },
            ROLE_SECRET_KEY,
          ),
          queries: [{ refId: 'ROLE', json: get(`${api.url}/api/ok`) }],
        },
        { kind: 'collectMetrics' },
      ],
    });
    lines = logLines(run);
    metrics = run.results[3].prometheus ?? '';
  });

  const only = (message: string, uid: string): Line[] =>
    lines.filter((l) => l['@message'] === message && l.uid === uid);

  it('answers every call as the events imply', () => {
    expect(run.exitCode).toBe(0);
    const r = run.results[0].responses ?? {};
    expect(r.OK?.status).toBe(200);
    expect(r.DENIED?.status).toBeGreaterThanOrEqual(400);
    expect(r.REFUSED?.status).toBe(403);
    expect(r.FLAKY?.status).toBe(200);
    expect(r.BIG?.status).toBe(413);
    expect(r.CUT?.status).toBe(200);
    expect(r.CUT?.frames[0]?.rows).toBe(3);
    expect(run.results[1].status).toBe('ERROR');
    expect(run.results[2].responses?.ROLE?.error).toMatch(/AccessDenied/);
    expect(flakyCalls).toBe(2);
  });

  it('writes one warn line per AWS error answer, with code, request id and the URL without query values', () => {
    const denied = only('error answer', 'obs-main');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      '@level': 'warn',
      name: 'Observed obs-main',
      url: `${api.url}/api/denied?token=`,
      status: 403,
      awsCode: 'AccessDenied',
      requestId: 'req-obs-denied-1',
    });
  });

  it('writes one warn line per refused URL', () => {
    const refused = only('request refused', 'obs-main');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      '@level': 'warn',
      name: 'Observed obs-main',
      url: `${api.url}/elsewhere/data?apikey=`,
    });
  });

  it('writes one info line per retry', () => {
    const retries = only('retrying request', 'obs-main');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ '@level': 'info', name: 'Observed obs-main', url: `${api.url}/api/flaky` });
  });

  it('writes one warn line per answer over maxResponseBytes and per result cut at maxRows', () => {
    const big = only('answer too large', 'obs-main');
    expect(big).toHaveLength(1);
    expect(big[0]).toMatchObject({ '@level': 'warn', url: `${api.url}/api/big?page=`, maxResponseBytes: 2048 });
    const cut = only('result truncated', 'obs-main');
    expect(cut).toHaveLength(1);
    expect(cut[0]).toMatchObject({
      '@level': 'warn',
      name: 'Observed obs-main',
      refId: 'CUT',
      reason: 'max_rows',
      limit: 3,
      rows: 3,
      url: `${api.url}/api/list?next=`,
    });
  });

  it('writes one warn line per failed health check, beside the one for the STS answer that failed it', () => {
    const health = only('health check failed', 'obs-health');
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({
      '@level': 'warn',
      name: 'Observed obs-health',
      step: 'identity',
      url: `${sts.url}/`,
    });
    expect(String(health[0].error)).toMatch(/STS GetCallerIdentity failed/);
    const cause = only('error answer', 'obs-health');
    expect(cause).toHaveLength(1);
    expect(cause[0]).toMatchObject({ awsCode: 'InvalidClientTokenId', requestId: 'req-obs-identity-1' });
  });

  it('writes one warn line per failed AssumeRole refresh and a debug line per successful refresh', () => {
    const failed = only('credentials refresh failed', 'obs-role');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      '@level': 'warn',
      name: 'Observed obs-role',
      assumeRole: 'arn:aws:iam::123456789012:role/observed',
      url: sts.url,
    });
    expect(String(failed[0].error)).toMatch(/AccessDenied/);
    const refreshed = only('credentials refreshed', 'obs-main');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]['@level']).toBe('debug');
  });

  it('writes no other warn line for these calls: one line per failed query', () => {
    const warnings = lines.filter((l) => l['@level'] === 'warn' || l['@level'] === 'error');
    expect(warnings.map((l) => `${String(l.uid)} ${l['@message']}`).sort()).toEqual([
      'obs-health error answer',
      'obs-health health check failed',
      'obs-main answer too large',
      'obs-main error answer',
      'obs-main request refused',
      'obs-main result truncated',
      'obs-role credentials refresh failed',
    ]);
  });

  it('counts the calls made in the per data source series', () => {
    const main = 'org_id="1",uid="obs-main"';
    const outcome = (labels: string, o: string) =>
      sample(metrics, `sigil_datasource_requests_total{${labels},outcome="${o}"}`);
    expect(outcome(main, 'ok')).toBe(3);
    expect(outcome(main, 'aws_error')).toBe(1);
    expect(outcome(main, 'refused')).toBe(1);
    expect(outcome(main, 'too_large')).toBe(1);
    expect(sample(metrics, `sigil_datasource_request_duration_seconds_count{${main}}`)).toBe(6);
    expect(sample(metrics, `sigil_datasource_request_duration_seconds_bucket{${main},le="+Inf"}`)).toBe(6);
    const denied = Buffer.byteLength(xmlError('AccessDenied', 'req-obs-denied-1'));
    const okBytes = 2 * Buffer.byteLength(OK_BODY) + Buffer.byteLength(LIST_BODY);
    expect(sample(metrics, `sigil_datasource_response_bytes_total{${main}}`)).toBe(okBytes + denied);
    expect(sample(metrics, `sigil_datasource_truncated_results_total{${main}}`)).toBe(1);
    expect(sample(metrics, `sigil_datasource_sts_calls_total{${main}}`)).toBe(0);

    const health = 'org_id="1",uid="obs-health"';
    expect(outcome(health, 'aws_error')).toBe(1);

    const role = 'org_id="1",uid="obs-role"';
    expect(outcome(role, 'assume_role')).toBe(1);
    expect(sample(metrics, `sigil_datasource_sts_calls_total{${role}}`)).toBe(1);
    expect(sample(metrics, `sigil_datasource_credential_refresh_failures_total{${role}}`)).toBe(1);
    expect(sample(metrics, `sigil_datasource_credential_refresh_failures_total{${main}}`)).toBe(0);

    // Series per data source: 14 (histogram 10, four counters) plus one per outcome seen (obs-main: 4).
    const seriesOf = (labels: string) => metrics.split('\n').filter((l) => l.includes(`{${labels}`)).length;
    expect(seriesOf(main)).toBe(18);
    expect(seriesOf(health)).toBe(15);
    expect(seriesOf(role)).toBe(15);
    expect(new Set([...metrics.matchAll(/uid="([^"]*)"/g)].map((m) => m[1]))).toEqual(
      new Set(['obs-main', 'obs-health', 'obs-role']),
    );
  });

  it('names no secret in any log line or in the metrics', () => {
    for (const secret of SECRETS) {
      expect(run.stderr).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
    // Labels are the organisation and uid only: no data source name or URL.
    expect(metrics).not.toContain('Observed');
    expect(metrics).not.toContain('127.0.0.1');
  });
});

describe("Grafana's per-plugin log level", () => {
  it('writes no info or warn line when GF_LOG_FILTERS sets the plugin to error', async () => {
    const run = await runGrafanaHostDetailed({
      env: { ...ISOLATED_ENV, GF_LOG_LEVEL: 'debug', GF_LOG_FILTERS: 'plugin.sigil-awsapi-datasource:error' },
      calls: [
        {
          kind: 'queryData',
          dataSource: dataSource('obs-quiet'),
          queries: [
            { refId: 'REFUSED', json: get(`${api.url}/elsewhere/data`) },
            { refId: 'OK', json: get(`${api.url}/api/ok`) },
          ],
        },
      ],
    });
    expect(run.results[0].responses?.REFUSED?.status).toBe(403);
    expect(run.results[0].responses?.OK?.status).toBe(200);
    const messages = logLines(run).map((l) => l['@message']);
    expect(messages).not.toContain('request refused');
    expect(messages).not.toContain('credentials refreshed');
    // go-plugin's own "plugin started" (with path and pid) stays; Sigil's (with its Node version) does not.
    expect(logLines(run).filter((l) => l['@message'] === 'plugin started' && 'node' in l)).toEqual([]);
  });

  it('writes the debug lines again when the filter says debug', async () => {
    const run = await runGrafanaHostDetailed({
      env: { ...ISOLATED_ENV, GF_LOG_LEVEL: 'error', GF_LOG_FILTERS: 'plugin.sigil-awsapi-datasource:debug' },
      calls: [
        {
          kind: 'queryData',
          dataSource: dataSource('obs-loud'),
          queries: [
            { refId: 'REFUSED', json: get(`${api.url}/elsewhere/data`) },
            { refId: 'OK', json: get(`${api.url}/api/ok`) },
          ],
        },
      ],
    });
    const messages = logLines(run).map((l) => l['@message']);
    expect(messages.filter((m) => m === 'request refused')).toHaveLength(1);
    expect(messages).toContain('credentials refreshed');
    expect(logLines(run).filter((l) => l['@message'] === 'plugin started' && 'node' in l)).toHaveLength(1);
  });
});
