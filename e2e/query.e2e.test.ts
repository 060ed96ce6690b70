// Queries through the BUILT plugin under Grafana's plugin client (e2e/grafana-host), against moto with IAM
// authentication on (every request's SigV4 signature is checked) and a local Prometheus-API fake that checks
// signatures for service `aps`. Frames are decoded by the Go SDK and their values checked.
import {
  runGrafanaHostDetailed,
  type HostCall,
  type HostDataResponse,
  type HostFrame,
  type HostQuery,
  type HostResult,
} from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';
import { startFakeAmp, type FakeAmp } from './lib/fakeAmp';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const QUEUES = 7;
const NOW_S = Math.floor(Date.now() / 1000);
const POINTS = [
  { ago: 600, api: 10, web: 1 },
  { ago: 300, api: 20, web: 2 },
  { ago: 120, api: 30, web: 3 },
];

let moto: Moto;
let amp: FakeAmp;
let results: HostResult[];
let stderr: string;

function field(frame: HostFrame, name: string) {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${frame.fields.map((x) => x.name).join(', ')}`);
  return f;
}

function ok(res: HostDataResponse | undefined): HostFrame[] {
  expect(res).toBeDefined();
  expect({ error: res?.error, decodeError: res?.decodeError }).toEqual({ error: undefined, decodeError: undefined });
  expect(res?.status).toBe(200);
  return res?.frames ?? [];
}

const cwJson = (target: string, body: unknown) => ({
  method: 'POST',
  url: '/',
  service: 'monitoring',
  bodyType: 'json',
  body: JSON.stringify(body),
  headers: [
    { key: 'Content-Type', value: 'application/x-amz-json-1.0' },
    { key: 'X-Amz-Target', value: `GraniteServiceVersion20100801.${target}` },
  ],
});
const form = (pairs: Record<string, string>) => Object.entries(pairs).map(([key, value]) => ({ key, value }));
const metricQuery = (dim: string) => ({
  Id: dim,
  MetricStat: {
    Metric: { Namespace: 'Sigil/Test', MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: dim }] },
    Period: 60,
    Stat: 'Average',
  },
});
const SEED_UQL =
  'parse-xml\n| scope "ListMetricsResponse.ListMetricsResult.Metrics"\n| mv-expand "dimension"="Dimensions"\n| project "Namespace", "MeasureName", "Dimension Name"="dimension.Name", "Dimension Value"="dimension.Value"';

beforeAll(async () => {
  moto = await startMoto();
  amp = await startFakeAmp({
    accessKeyId: 'AKIAFAKEAMP000000001',
    secretAccessKey: 'fake-amp-secret-Qx7vB2nM9kL4',
    region: 'us-west-2',
    workspace: 'ws-12345',
  });
  await moto.python(`
import datetime
cw = session.client("cloudwatch", endpoint_url=endpoint)
now = datetime.datetime.fromtimestamp(${NOW_S}, datetime.timezone.utc)
for ago, api, web in ${JSON.stringify(POINTS.map((p) => [p.ago, p.api, p.web]))}:
    t = now - datetime.timedelta(seconds=ago)
    cw.put_metric_data(Namespace="Sigil/Test", MetricData=[
        {"MetricName": "Latency", "Dimensions": [{"Name": "Service", "Value": "api"}], "Timestamp": t, "Value": api},
        {"MetricName": "Latency", "Dimensions": [{"Name": "Service", "Value": "web"}], "Timestamp": t, "Value": web}])
sqs = session.client("sqs", endpoint_url=endpoint)
for i in range(1, ${QUEUES + 1}):
    sqs.create_queue(QueueName=f"sigil-q{i}")
`);
  const dataSource = {
    uid: 'moto',
    name: 'moto',
    jsonData: { authType: 'keys', defaultRegion: moto.region, endpoint: moto.endpoint, service: 'monitoring' },
    secureJsonData: { accessKey: moto.admin.accessKeyId, secretKey: moto.admin.secretAccessKey },
    lastUpdatedMS: 1,
  };
  const ampSource = {
    uid: 'amp',
    name: 'amp',
    jsonData: { authType: 'keys', defaultRegion: 'us-west-2', endpoint: amp.workspaceUrl, service: 'aps' },
    secureJsonData: { accessKey: 'AKIAFAKEAMP000000001', secretKey: 'fake-amp-secret-Qx7vB2nM9kL4' },
    lastUpdatedMS: 1,
  };
  const range = { from: (NOW_S - 3600) * 1000, to: (NOW_S + 60) * 1000, intervalMs: 60_000 };
  const q = (refId: string, json: Record<string, unknown>): HostQuery => ({
    refId,
    json: { queryType: 'http', ...json },
    ...range,
  });
  const calls: HostCall[] = [
    {
      kind: 'queryData',
      dataSource,
      queries: [
        // CloudWatch in its JSON protocol and its XML (query) protocol.
        q('listJson', {
          ...cwJson('ListMetrics', { Namespace: 'Sigil/Test' }),
          format: 'uql',
          uql: 'parse-json | scope "Metrics" | mv-expand "dimension"="Dimensions" | project "Namespace", "MetricName", "Dimension Value"="dimension.Value" | order by "Dimension Value"',
        }),
        q('listXml', {
          method: 'POST',
          url: '/',
          bodyType: 'form',
          form: form({ Action: 'ListMetrics', Version: '2010-08-01', Namespace: 'Sigil/Test' }),
          format: 'uql',
          uql: SEED_UQL,
        }),
        q('dataJson', {
          ...cwJson('GetMetricData', {
            MetricDataQueries: [metricQuery('api'), metricQuery('web')],
            StartTime: '${__from:date:seconds}',
            EndTime: '${__to:date:seconds}',
          }),
          rootSelector:
            'MetricDataResults.($r := $; $zip(Timestamps, Values).{"time": $[0], "value": $[1], "series": $r.Id})',
          columns: [
            { selector: 'time', type: 'time', timeFormat: 'epoch_s' },
            { selector: 'value', text: 'Latency', type: 'number' },
            { selector: 'series', type: 'string' },
          ],
          timeSeries: { enabled: true, labelColumns: ['series'] },
        }),
        q('dataXml', {
          method: 'POST',
          url: '/',
          bodyType: 'form',
          format: 'xml',
          form: form({
            Action: 'GetMetricData',
            Version: '2010-08-01',
            StartTime: '${__from:date:iso}',
            EndTime: '${__to:date:iso}',
            'MetricDataQueries.member.1.Id': 'api',
            'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'Sigil/Test',
            'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'Latency',
            'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'Service',
            'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'api',
            'MetricDataQueries.member.1.MetricStat.Period': '60',
            'MetricDataQueries.member.1.MetricStat.Stat': 'Average',
          }),
          rootSelector:
            'GetMetricDataResponse.GetMetricDataResult.MetricDataResults.$zip(Timestamps, Values).{"time": $[0], "value": $[1]}',
          columns: [
            { selector: 'time', type: 'time' },
            { selector: 'value', type: 'number' },
          ],
        }),
        q('sts', {
          method: 'POST',
          url: '/',
          service: 'sts',
          bodyType: 'form',
          form: form({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
          format: 'xml',
          rootSelector: 'GetCallerIdentityResponse.GetCallerIdentityResult',
        }),
        q('sqsXml', {
          method: 'POST',
          url: '/',
          service: 'sqs',
          bodyType: 'form',
          form: form({ Action: 'ListQueues', Version: '2012-11-05', MaxResults: '2' }),
          format: 'xml',
          rootSelector: 'ListQueuesResponse.ListQueuesResult.QueueUrl',
          pagination: {
            mode: 'next_token',
            tokenPath: 'ListQueuesResponse.ListQueuesResult.NextToken',
            tokenTarget: 'body',
            tokenField: 'NextToken',
          },
        }),
        q('sqsJson', {
          method: 'POST',
          url: '/',
          service: 'sqs',
          bodyType: 'json',
          body: '{"MaxResults": 3}',
          format: 'json',
          headers: [
            { key: 'Content-Type', value: 'application/x-amz-json-1.0' },
            { key: 'X-Amz-Target', value: 'AmazonSQS.ListQueues' },
          ],
          rootSelector: 'QueueUrls',
          pagination: {
            mode: 'next_token',
            tokenPath: 'NextToken',
            tokenTarget: 'body',
            tokenField: 'NextToken',
            maxPages: 2,
          },
        }),
        q('awsErrorXml', {
          method: 'POST',
          url: '/',
          service: 'sqs',
          bodyType: 'form',
          form: form({ Action: 'GetQueueUrl', Version: '2012-11-05', QueueName: 'no-such-queue' }),
        }),
        q('awsErrorJson', {
          method: 'POST',
          url: '/',
          service: 'sqs',
          bodyType: 'json',
          body: '{"QueueName": "no-such-queue"}',
          headers: [
            { key: 'Content-Type', value: 'application/x-amz-json-1.0' },
            { key: 'X-Amz-Target', value: 'AmazonSQS.GetQueueUrl' },
          ],
        }),
        q('notAllowed', { url: 'https://evil.example.com/steal' }),
        q('badUql', { url: '/', format: 'uql', uql: 'parse-json\n| project "a" "b"' }),
        { refId: 'echo', queryType: 'echo', json: { values: [1, 2] }, ...range },
      ],
    },
    {
      kind: 'callResource',
      dataSource,
      path: 'request',
      method: 'POST',
      bodyJson: {
        query: {
          method: 'POST',
          url: '/',
          service: 'sts',
          bodyType: 'form',
          form: form({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
        },
      },
    },
    {
      kind: 'queryData',
      dataSource: ampSource,
      queries: [
        q('range', {
          url: 'api/v1/query_range',
          format: 'prometheus',
          params: form({
            query: 'up{job="node"}',
            start: '${__from:date:seconds}',
            end: '${__to:date:seconds}',
            step: '${__interval_s}',
          }),
        }),
        q('instant', {
          url: 'api/v1/query',
          method: 'POST',
          bodyType: 'form',
          format: 'prometheus',
          form: form({ query: 'up', time: '${__to:date:seconds}' }),
          params: form({ day: '${__from:date:YYYY-MM-DD HH:mm}' }),
        }),
      ],
    },
  ];
  const run = await runGrafanaHostDetailed({ env: ISOLATED_ENV, calls });
  expect(run.error).toBeUndefined();
  results = run.results;
  stderr = run.stderr;
});

afterAll(async () => {
  await moto?.stop();
  await amp?.close();
});

describe('queries through the plugin against moto (IAM auth on)', () => {
  const responses = () => results[0].responses ?? {};

  it('CloudWatch ListMetrics in JSON, read with UQL', () => {
    const [frame] = ok(responses().listJson);
    expect(frame.fields.map((f) => f.name)).toEqual(['Namespace', 'MetricName', 'Dimension Value']);
    expect(field(frame, 'Dimension Value').values).toEqual(['api', 'web']);
    expect(field(frame, 'Namespace').values).toEqual(['Sigil/Test', 'Sigil/Test']);
  });

  it('CloudWatch ListMetrics in XML, read with the seed UQL query: Infinity columns', () => {
    const [frame] = ok(responses().listXml);
    expect(frame.fields.map((f) => f.name)).toEqual(['Namespace', 'MeasureName', 'Dimension Name', 'Dimension Value']);
    expect(frame.rows).toBe(2);
    expect(field(frame, 'Dimension Name').values).toEqual(['Service', 'Service']);
    expect([...field(frame, 'Dimension Value').values].sort()).toEqual(['api', 'web']);
    expect(field(frame, 'MeasureName').values).toEqual([null, null]);
  });

  it('CloudWatch GetMetricData in JSON becomes one labelled series per dimension, values float64, times in order', () => {
    const frames = ok(responses().dataJson);
    expect(frames).toHaveLength(2);
    for (const [i, name] of ['api', 'web'].entries()) {
      const frame = frames[i];
      expect(frame.meta).toMatchObject({ type: 'timeseries-multi', typeVersion: [0, 1] });
      const value = field(frame, 'Latency');
      expect(value.labels).toEqual({ series: name });
      expect(value.goType).toMatch(/float64/);
      expect(value.values).toEqual(POINTS.map((p) => (name === 'api' ? p.api : p.web)));
      const times = field(frame, 'time').values as number[];
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[2]).toBeGreaterThan((NOW_S - 200) * 1000);
    }
  });

  it('CloudWatch GetMetricData in XML (form body, ISO time macros) gives a wide time series', () => {
    const [frame] = ok(responses().dataXml);
    expect(frame.meta).toMatchObject({ type: 'timeseries-wide' });
    expect(field(frame, 'value').values).toEqual(POINTS.map((p) => p.api));
  });

  it('STS GetCallerIdentity as XML names the signer, account id kept as text', () => {
    const [frame] = ok(responses().sts);
    expect(field(frame, 'Arn').values).toEqual([moto.admin.arn]);
    expect(field(frame, 'Account').values).toEqual([moto.account]);
  });

  it('SQS ListQueues (XML) follows NextToken over 4 pages through a form field', () => {
    const [frame] = ok(responses().sqsXml);
    const urls = field(frame, 'value').values as string[];
    expect(urls).toHaveLength(QUEUES);
    expect(urls.map((u) => u.replace(/^.*\//, '')).sort()).toEqual(
      Array.from({ length: QUEUES }, (_, i) => `sigil-q${i + 1}`).sort(),
    );
    expect(frame.meta?.executedQueryString).toMatch(/\(4 page\(s\)\)$/);
    expect(frame.meta?.notices).toBeUndefined();
  });

  it('SQS ListQueues (JSON body token) stops at max pages and says so', () => {
    const [frame] = ok(responses().sqsJson);
    expect(frame.rows).toBe(6);
    expect(frame.meta?.notices).toEqual([
      { severity: 'warning', text: 'the result was cut after 2 pages (max pages); more pages remain' },
    ]);
  });

  it('errors stay per query and say where they came from', () => {
    expect(responses().awsErrorXml).toMatchObject({
      errorSource: 'downstream',
      status: 400,
      error: expect.stringMatching(
        /^127\.0\.0\.1:\d+ answered HTTP 400 AWS\.SimpleQueueService\.NonExistentQueue: The specified queue does not exist/,
      ),
    });
    expect(responses().awsErrorJson).toMatchObject({
      errorSource: 'downstream',
      status: 400,
      error: expect.stringMatching(/answered HTTP 400 QueueDoesNotExist: The specified queue does not exist/),
    });
    expect(responses().notAllowed).toMatchObject({ errorSource: 'plugin', error: expect.stringMatching(/allowed/i) });
    expect(responses().badUql).toMatchObject({
      errorSource: 'plugin',
      status: 400,
      error: expect.stringContaining('UQL error at line 2, column 15'),
    });
    expect(ok(responses().echo)[0].fields[1].values).toEqual([1, 2]);
  });

  it('the editor preview resource sends the same signed request and shows the raw answer', () => {
    const res = results[1];
    expect(res.code).toBe(200);
    const json = res.json as {
      status: number;
      body: string;
      headers: Record<string, string>;
      request: { url: string };
    };
    expect(json.status).toBe(200);
    expect(json.request.url).toBe(`${moto.endpoint}/`);
    expect(json.body).toContain('<GetCallerIdentityResponse');
    expect(Object.keys(json.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it('never logs or returns the secret key', () => {
    expect(JSON.stringify(results)).not.toContain(moto.admin.secretAccessKey);
    expect(stderr).not.toContain(moto.admin.secretAccessKey);
  });
});

describe('Prometheus API (AMP) through the plugin, signatures checked for service aps', () => {
  const responses = () => results[2].responses ?? {};

  it('every request reached the fake with a valid aps signature', () => {
    expect(amp.requests.length).toBe(2);
    expect(amp.requests.map((r) => r.verdict)).toEqual(['ok', 'ok']);
    expect(amp.requests[0].query).toMatchObject({
      query: 'up{job="node"}',
      start: String(NOW_S - 3600),
      end: String(NOW_S + 60),
      step: '60',
    });
    // A moment.js format macro, resolved inside the single executable; the form body's fields arrive too.
    const from = new Date((NOW_S - 3600) * 1000).toISOString();
    expect(amp.requests[1]).toMatchObject({
      method: 'POST',
      query: { day: `${from.slice(0, 10)} ${from.slice(11, 16)}`, query: 'up', time: String(NOW_S + 60) },
    });
  });

  it('query_range gives one frame per series with labels and float64 values, NaN and Inf included', () => {
    const frames = ok(responses().range);
    expect(frames).toHaveLength(2);
    const [a, b] = frames;
    expect(a.name).toBe('up{instance="a:9100", job="node"}');
    expect(a.meta).toMatchObject({ type: 'timeseries-multi', typeVersion: [0, 1] });
    expect(field(a, 'Value').labels).toEqual({ __name__: 'up', job: 'node', instance: 'a:9100' });
    expect(field(a, 'Value').goType).toMatch(/float64/);
    expect(field(a, 'Value').values.slice(0, 4)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(field(a, 'Value').length).toBe(62);
    expect(field(b, 'Value').values.slice(0, 3)).toEqual(['+Inf', 'NaN', -2]);
    expect(field(a, 'Time').values[0]).toBe((NOW_S - 3600) * 1000);
  });

  it('an instant query gives a vector frame', () => {
    const [frame] = ok(responses().instant);
    expect(field(frame, 'Value').values).toEqual([1]);
    expect(field(frame, 'Value').labels).toEqual({ __name__: 'up', instance: 'a:9100' });
  });
});
