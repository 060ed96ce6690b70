// Every catalogue entry, placed on a data source the way the editor places it and with its blanks filled,
// run through the BUILT plugin under Grafana's plugin client against moto with IAM authentication on (the
// AMP fake for `aps`, a signed execute-api fake for API Gateway), its frames checked for columns, types
// and rows against the data seeded by e2e/lib/catalogue_seed.py.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  runGrafanaHostDetailed,
  type HostDataResponse,
  type HostDataSource,
  type HostField,
  type HostFrame,
  type HostQuery,
} from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';
import { startFakeAmp, type FakeAmp } from './lib/fakeAmp';
import { startFakeExecuteApi, type FakeExecuteApi } from './lib/fakeExecuteApi';
import { CATALOGUE, entryQuery, findEntry, type CatalogueEntry } from '../src/catalogue';
import { fillBlanks } from '../src/shared/blanks';
import type { PreviewAnswer } from '../src/shared/preview';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const NOW_S = Math.floor(Date.now() / 1000);
const RANGE = { from: (NOW_S - 3600) * 1000, to: (NOW_S + 60) * 1000, intervalMs: 60_000 };
const AMP_KEYS = {
  accessKeyId: 'AKIAFAKEAMP000000001',
  secretAccessKey: 'fake-amp-secret-Qx7vB2nM9kL4',
  region: 'us-west-2',
};
const API_ROUTES = {
  '/prod/orders': [
    { id: 'o-1', total: 12.5, customer: { name: 'Ada' } },
    { id: 'o-2', total: 3, customer: { name: 'Grace' } },
  ],
};

interface Seeded {
  queueUrl: string;
  instances: Array<{ id: string; name: string }>;
  costDays: string[];
  /** Items per page when boto3 follows LastEvaluatedKey for the same calls. */
  dynamodb: { scanPages: number[]; queryPages: number[] };
}

let moto: Moto;
let amp: FakeAmp;
let api: FakeExecuteApi;
let seeded: Seeded;
const responses: Record<string, HostDataResponse> = {};
let stderr = '';
/** The editor's preview of the STS entry through the plugin's `request` resource. */
let preview: { code?: number; json?: unknown } = {};

/** The values each entry's blanks are filled with (the seeded data's names). */
function blanksOf(entry: CatalogueEntry): Record<string, string> {
  const byName: Record<string, string> = {
    Namespace: 'Sigil/Test',
    MetricName: 'Latency',
    DimensionName: 'Service',
    DimensionValue: 'api',
    LogGroupName: '/sigil/app',
    Bucket: 'sigil-data',
    TableName: 'sigil-orders',
    PartitionKeyName: 'customer',
    PartitionKeyValue: 'c-1',
    QueueUrl: seeded.queueUrl,
    PromQL: 'up{job="node"}',
    Stage: 'prod',
    Resource: 'orders',
    QueryId: queryIdFromStartQuery(),
  };
  const key: Record<string, string> = {
    's3.get_object_csv': 'reports/daily.csv',
    's3.get_object_json': 'reports/daily.json',
  };
  return Object.fromEntries(entry.blanks.map((b) => [b.name, b.name === 'Key' ? key[entry.id] : byName[b.name]]));
}

function queryIdFromStartQuery(): string {
  const frame = responses['logs.start_query']?.frames?.[0];
  return String(frame?.fields.find((f) => f.name === 'queryId')?.values[0] ?? '');
}

function motoSource(): HostDataSource {
  return {
    uid: 'moto',
    name: 'moto',
    lastUpdatedMS: 1,
    jsonData: { authType: 'keys', defaultRegion: moto.region, endpoint: moto.endpoint },
    secureJsonData: { accessKey: moto.admin.accessKeyId, secretKey: moto.admin.secretAccessKey },
  };
}

function sourceFor(entry: CatalogueEntry): HostDataSource {
  if (entry.service === 'aps') {
    return {
      uid: 'amp',
      name: 'amp',
      lastUpdatedMS: 1,
      jsonData: { authType: 'keys', defaultRegion: AMP_KEYS.region, endpoint: amp.workspaceUrl, service: 'aps' },
      secureJsonData: { accessKey: AMP_KEYS.accessKeyId, secretKey: AMP_KEYS.secretAccessKey },
    };
  }
  if (entry.service === 'execute-api') {
    return {
      uid: 'api',
      name: 'api',
      lastUpdatedMS: 1,
      jsonData: { authType: 'keys', defaultRegion: AMP_KEYS.region, endpoint: api.url, service: 'execute-api' },
      secureJsonData: { accessKey: AMP_KEYS.accessKeyId, secretKey: AMP_KEYS.secretAccessKey },
    };
  }
  return motoSource();
}

function hostQuery(entry: CatalogueEntry, source: HostDataSource): HostQuery {
  const placed = entryQuery(entry, source.jsonData as { endpoint?: string; defaultRegion?: string; service?: string });
  const json = fillBlanks({ ...placed, refId: entry.id }, blanksOf(entry));
  return { refId: entry.id, json: json as unknown as Record<string, unknown>, ...RANGE };
}

async function run(entries: CatalogueEntry[]): Promise<void> {
  const bySource = new Map<string, { source: HostDataSource; queries: HostQuery[] }>();
  for (const entry of entries) {
    const source = sourceFor(entry);
    const group = bySource.get(source.uid) ?? { source, queries: [] };
    group.queries.push(hostQuery(entry, source));
    bySource.set(source.uid, group);
  }
  const result = await runGrafanaHostDetailed({
    env: ISOLATED_ENV,
    calls: [...bySource.values()].map((g) => ({
      kind: 'queryData' as const,
      dataSource: g.source,
      queries: g.queries,
    })),
  });
  expect(result.error).toBeUndefined();
  stderr += result.stderr;
  for (const r of result.results) Object.assign(responses, r.responses ?? {});
}

beforeAll(async () => {
  moto = await startMoto();
  amp = await startFakeAmp({ ...AMP_KEYS, workspace: 'ws-catalogue' });
  api = await startFakeExecuteApi({ ...AMP_KEYS, routes: API_ROUTES });
  const seed = readFileSync(join(__dirname, 'lib', 'catalogue_seed.py'), 'utf8');
  seeded = JSON.parse(await moto.python(`NOW_S = ${NOW_S}\n${seed}`)) as Seeded;
  // GetQueryResults needs the id StartQuery answered: a second run.
  await run(CATALOGUE.filter((e) => e.id !== 'logs.get_query_results'));
  await run([findEntry('logs.get_query_results') as CatalogueEntry]);
  const sts = hostQuery(findEntry('sts.get_caller_identity') as CatalogueEntry, motoSource());
  const previewRun = await runGrafanaHostDetailed({
    env: ISOLATED_ENV,
    calls: [
      {
        kind: 'callResource',
        dataSource: motoSource(),
        path: 'request',
        method: 'POST',
        bodyJson: { query: sts.json, timeRange: { from: RANGE.from, to: RANGE.to } },
      },
    ],
  });
  stderr += previewRun.stderr;
  preview = { code: previewRun.results[0]?.code, json: previewRun.results[0]?.json };
});

afterAll(async () => {
  await moto?.stop();
  await amp?.close();
  await api?.close();
});

function frames(id: string): HostFrame[] {
  const res = responses[id];
  expect(res).toBeDefined();
  expect({ error: res?.error, decodeError: res?.decodeError, status: res?.status }).toEqual({
    error: undefined,
    decodeError: undefined,
    status: 200,
  });
  return res?.frames ?? [];
}

function field(frame: HostFrame, name: string): HostField {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field "${name}" in ${frame.fields.map((x) => x.name).join(', ')}`);
  return f;
}

/** Field names and their types, in order. */
function shape(frame: HostFrame): Array<[string, string]> {
  return frame.fields.map((f) => [f.name, f.type]);
}

function one(id: string): HostFrame {
  const all = frames(id);
  expect(all).toHaveLength(1);
  return all[0];
}

const sorted = (values: unknown[]) => [...values].map(String).sort();

const CHECKS: Record<string, () => void> = {
  'sts.get_caller_identity': () => {
    const f = one('sts.get_caller_identity');
    expect(shape(f)).toEqual([
      ['Account', 'string'],
      ['Arn', 'string'],
      ['UserId', 'string'],
    ]);
    expect(field(f, 'Arn').values).toEqual([moto.admin.arn]);
    expect(field(f, 'Account').values).toEqual([moto.account]);
  },
  'cloudwatch.get_metric_data': () => {
    const f = one('cloudwatch.get_metric_data');
    expect(f.meta).toMatchObject({ type: 'timeseries-multi' });
    expect(shape(f)).toEqual([
      ['time', 'time'],
      ['value', 'number'],
    ]);
    expect(field(f, 'value').labels).toEqual({ label: 'api' });
    expect(field(f, 'value').values).toEqual([10, 20, 30]);
  },
  'cloudwatch.get_metric_statistics': () => {
    const f = one('cloudwatch.get_metric_statistics');
    expect(shape(f)).toEqual([
      ['Timestamp', 'time'],
      ['Average', 'number'],
      ['Maximum', 'number'],
    ]);
    expect(field(f, 'Average').values).toEqual([10, 20, 30]);
  },
  'cloudwatch.list_metrics': () => {
    const f = one('cloudwatch.list_metrics');
    expect(shape(f)).toEqual([
      ['Namespace', 'string'],
      ['MetricName', 'string'],
      ['Dimension', 'string'],
      ['Dimension value', 'string'],
    ]);
    expect(f.rows).toBe(2);
    expect(sorted(field(f, 'Dimension value').values)).toEqual(['api', 'web']);
  },
  'cloudwatch.describe_alarms': () => {
    const f = one('cloudwatch.describe_alarms');
    expect(shape(f)).toEqual([
      ['AlarmName', 'string'],
      ['State', 'string'],
      ['Namespace', 'string'],
      ['MetricName', 'string'],
      ['Threshold', 'number'],
      ['State updated', 'time'],
    ]);
    expect(field(f, 'AlarmName').values).toEqual(['sigil-latency-high']);
    expect(field(f, 'Threshold').values).toEqual([25]);
  },
  'logs.filter_log_events': () => {
    const f = one('logs.filter_log_events');
    expect(f.meta).toMatchObject({ preferredVisualisationType: 'logs' });
    expect(shape(f)).toEqual([
      ['time', 'time'],
      ['body', 'string'],
      ['stream', 'string'],
    ]);
    expect(field(f, 'body').values).toEqual(['started', 'GET /orders 200', 'GET /orders 500']);
    expect(field(f, 'time').values).toEqual([900, 600, 300].map((ago) => (NOW_S - ago) * 1000));
  },
  'logs.start_query': () => {
    const f = one('logs.start_query');
    expect(shape(f)).toEqual([['queryId', 'string']]);
    expect(field(f, 'queryId').values[0]).toMatch(/^[0-9a-f-]{36}$/);
  },
  'logs.get_query_results': () => {
    const f = one('logs.get_query_results');
    expect(f.fields.map((x) => x.name)).toEqual(['@timestamp', '@message']);
    expect(field(f, '@message').values).toEqual(['GET /orders 500', 'GET /orders 200', 'started']);
  },
  'costexplorer.get_cost_and_usage': () => {
    const all = frames('costexplorer.get_cost_and_usage');
    expect(all).toHaveLength(2);
    const byService = Object.fromEntries(
      all.map((f) => [field(f, 'cost (USD)').labels?.service, field(f, 'cost (USD)').values]),
    );
    expect(byService).toEqual({ 'Amazon Simple Storage Service': [1.25, 2.75], 'AWS Lambda': [0.5, 0] });
    expect(field(all[0], 'time').values).toEqual(seeded.costDays.slice(0, 2).map((d) => Date.parse(`${d}T00:00:00Z`)));
  },
  'ec2.describe_instances': () => {
    const f = one('ec2.describe_instances');
    expect(shape(f)).toEqual([
      ['InstanceId', 'string'],
      ['Name', 'string'],
      ['Type', 'string'],
      ['State', 'string'],
      ['PrivateIp', 'string'],
      ['LaunchTime', 'time'],
    ]);
    expect(sorted(field(f, 'Name').values)).toEqual(['sigil-db', 'sigil-web']);
    expect(sorted(field(f, 'InstanceId').values)).toEqual(sorted(seeded.instances.map((i) => i.id)));
    expect(field(f, 'Type').values).toEqual(['t3.micro', 't3.micro']);
    expect(field(f, 'State').values).toEqual(['running', 'running']);
  },
  's3.list_buckets': () => {
    const f = one('s3.list_buckets');
    expect(shape(f)).toEqual([
      ['Name', 'string'],
      ['Created', 'time'],
    ]);
    expect(sorted(field(f, 'Name').values)).toEqual(['sigil-data', 'sigil-logs']);
  },
  's3.list_objects_v2': () => {
    const f = one('s3.list_objects_v2');
    expect(shape(f)).toEqual([
      ['Key', 'string'],
      ['Size', 'number'],
      ['LastModified', 'time'],
      ['StorageClass', 'string'],
    ]);
    expect(field(f, 'Key').values).toEqual([
      'raw/part-0.bin',
      'raw/part-1.bin',
      'raw/part-2.bin',
      'reports/daily.csv',
      'reports/daily.json',
    ]);
    expect(field(f, 'Size').values.slice(0, 3)).toEqual([1, 2, 3]);
  },
  's3.get_object_csv': () => {
    const f = one('s3.get_object_csv');
    expect(f.fields.map((x) => x.name)).toEqual(['day', 'service', 'cost']);
    expect(field(f, 'service').values).toEqual(['s3', 'lambda']);
    expect(field(f, 'cost').values.map(Number)).toEqual([1.5, 0.25]);
  },
  's3.get_object_json': () => {
    const f = one('s3.get_object_json');
    expect(shape(f)).toEqual([
      ['day', 'time'],
      ['cost', 'number'],
      ['tags.team', 'string'],
    ]);
    expect(field(f, 'cost').values).toEqual([1.5, 0.25]);
  },
  'dynamodb.scan': () => {
    const f = one('dynamodb.scan');
    expect(sorted(f.fields.map((x) => x.name))).toEqual(['customer', 'note', 'order', 'paid', 'total']);
    // Several pages of at most 1 MB each: every item, as many as boto3's paginator reads.
    expect(seeded.dynamodb.scanPages.length).toBeGreaterThanOrEqual(3);
    expect(f.rows).toBe(seeded.dynamodb.scanPages.reduce((a, b) => a + b, 0));
    expect(f.rows).toBe(12);
    expect(field(f, 'order').type).toBe('number');
    expect(field(f, 'paid').type).toBe('boolean');
    expect([...(field(f, 'order').values as number[])].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i),
    );
  },
  'dynamodb.query': () => {
    const f = one('dynamodb.query');
    expect(seeded.dynamodb.queryPages.length).toBeGreaterThanOrEqual(2);
    expect(field(f, 'order').values).toEqual([1, 4, 7, 10]);
    expect(field(f, 'total').values).toEqual([1.5, 4.5, 7.5, 10.5]);
    expect(field(f, 'customer').values).toEqual(['c-1', 'c-1', 'c-1', 'c-1']);
  },
  'lambda.list_functions': () => {
    const f = one('lambda.list_functions');
    expect(shape(f)).toEqual([
      ['FunctionName', 'string'],
      ['Runtime', 'string'],
      ['MemorySize', 'number'],
      ['Timeout', 'number'],
      ['LastModified', 'time'],
    ]);
    expect(field(f, 'FunctionName').values).toEqual(['sigil-fn-a', 'sigil-fn-b']);
    expect(field(f, 'MemorySize').values).toEqual([128, 256]);
  },
  'sqs.list_queues': () => {
    const f = one('sqs.list_queues');
    expect(shape(f)).toEqual([
      ['QueueName', 'string'],
      ['QueueUrl', 'string'],
    ]);
    expect(sorted(field(f, 'QueueName').values)).toEqual(['sigil-dead', 'sigil-jobs']);
  },
  'sqs.get_queue_attributes': () => {
    const f = one('sqs.get_queue_attributes');
    expect(shape(f)).toEqual([
      ['QueueArn', 'string'],
      ['Messages', 'number'],
      ['In flight', 'number'],
      ['Delayed', 'number'],
      ['VisibilityTimeout', 'number'],
      ['Created', 'time'],
    ]);
    expect(field(f, 'Messages').values).toEqual([3]);
    expect(field(f, 'QueueArn').values[0]).toMatch(/:sigil-jobs$/);
  },
  'sns.list_topics': () => {
    const f = one('sns.list_topics');
    expect(shape(f)).toEqual([
      ['TopicName', 'string'],
      ['TopicArn', 'string'],
    ]);
    expect(sorted(field(f, 'TopicName').values)).toEqual(['sigil-alerts', 'sigil-deploys']);
  },
  'kinesis.list_streams': () => {
    const f = one('kinesis.list_streams');
    expect(shape(f)).toEqual([
      ['StreamName', 'string'],
      ['Status', 'string'],
      ['Mode', 'string'],
      ['Created', 'time'],
    ]);
    expect(field(f, 'StreamName').values).toEqual(['sigil-clicks']);
  },
  'iam.list_users': () => {
    const f = one('iam.list_users');
    expect(shape(f)).toEqual([
      ['UserName', 'string'],
      ['UserId', 'string'],
      ['Arn', 'string'],
      ['Created', 'time'],
    ]);
    expect(sorted(field(f, 'UserName').values)).toEqual(['sigil-admin', 'sigil-ops-1', 'sigil-ops-2', 'sigil-user']);
  },
  'amp.query_range': () => {
    const all = frames('amp.query_range');
    expect(all).toHaveLength(2);
    expect(field(all[0], 'Value').labels).toEqual({ __name__: 'up', job: 'node', instance: 'a:9100' });
    expect(field(all[0], 'Value').values.slice(0, 3)).toEqual([0, 0.25, 0.5]);
    expect(amp.requests.find((r) => r.path.endsWith('/query_range'))?.query).toMatchObject({
      query: 'up{job="node"}',
      step: '60',
    });
  },
  'amp.query': () => {
    const f = one('amp.query');
    expect(field(f, 'Value').values).toEqual([1]);
  },
  'apigateway.get': () => {
    const f = one('apigateway.get');
    expect(shape(f)).toEqual([
      ['id', 'string'],
      ['total', 'number'],
      ['customer.name', 'string'],
    ]);
    expect(field(f, 'customer.name').values).toEqual(['Ada', 'Grace']);
    expect(api.requests.map((r) => [r.path, r.verdict])).toEqual([['/prod/orders', 'ok']]);
  },
};

describe('every catalogue entry through the plugin (moto with IAM auth, AMP and execute-api fakes)', () => {
  it('has a check for every entry', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(CATALOGUE.map((e) => e.id).sort());
  });

  it.each(CATALOGUE.map((e) => [e.id]))('%s', (id) => {
    CHECKS[id]();
  });

  it('the editor preview shows the request as signed, access key id and signature masked', () => {
    expect(preview.code).toBe(200);
    const answer = preview.json as PreviewAnswer;
    expect(answer.status).toBe(200);
    expect(answer.request).toMatchObject({
      method: 'POST',
      url: `${moto.endpoint}/`,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(answer.request?.headers?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=\*\*\*\*\/\d{8}\/us-east-1\/sts\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=\*\*\*\*$/,
    );
    expect(JSON.stringify(answer)).not.toContain(moto.admin.accessKeyId);
    expect(answer.body).toContain(moto.admin.arn);
  });

  it('never logs or returns a secret key', () => {
    for (const secret of [moto.admin.secretAccessKey, AMP_KEYS.secretAccessKey]) {
      expect(JSON.stringify(preview)).not.toContain(secret);
      expect(JSON.stringify(responses)).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  });
});
