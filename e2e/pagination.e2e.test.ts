// Every pagination style through the BUILT plugin (Grafana's plugin client) against moto with IAM
// authentication on, each over 3 or more pages, with the row count compared to what boto3's own paginator
// returns for the same call:
// - next_token: SQS ListQueues (JSON protocol, token in the JSON body);
// - object_token: DynamoDB Scan on a table with a composite key (LastEvaluatedKey -> ExclusiveStartKey);
// - marker: IAM ListRoles (XML, Marker + IsTruncated in a form body) and S3 ListObjects v1 (NextMarker);
// - S3 ListObjectsV2 continuation tokens (NextContinuationToken -> continuation-token param, IsTruncated).
import {
  runGrafanaHostDetailed,
  type HostDataResponse,
  type HostFrame,
  type HostQuery,
  type HostResult,
} from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const QUEUES = 10;
const ITEMS = 30;
const ROLES = 7;
const OBJECTS = 17;

let moto: Moto;
let results: HostResult[];
let stderr: string;
/** What boto3's paginators count for the same calls. */
let boto: Record<string, number>;

function ok(res: HostDataResponse | undefined): HostFrame {
  expect(res).toBeDefined();
  expect({ error: res?.error, decodeError: res?.decodeError }).toEqual({ error: undefined, decodeError: undefined });
  expect(res?.frames).toHaveLength(1);
  return (res?.frames ?? [])[0];
}

const pages = (frame: HostFrame) => Number(/\((\d+) page\(s\)\)$/.exec(String(frame.meta?.executedQueryString))?.[1]);
const field = (frame: HostFrame, name: string) => {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${frame.fields.map((x) => x.name).join(', ')}`);
  return f;
};
const form = (pairs: Record<string, string>) => Object.entries(pairs).map(([key, value]) => ({ key, value }));
const json10 = (target: string) => [
  { key: 'Content-Type', value: 'application/x-amz-json-1.0' },
  { key: 'X-Amz-Target', value: target },
];

beforeAll(async () => {
  moto = await startMoto();
  const counts = await moto.python(`
sqs = session.client("sqs", endpoint_url=endpoint)
for i in range(${QUEUES}):
    sqs.create_queue(QueueName=f"pg-q{i:02d}")
ddb = session.client("dynamodb", endpoint_url=endpoint)
ddb.create_table(TableName="pg-items", BillingMode="PAY_PER_REQUEST",
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}])
for i in range(${ITEMS}):
    ddb.put_item(TableName="pg-items", Item={"pk": {"S": f"tenant-{i % 4}"}, "sk": {"N": str(i)}, "zip": {"S": f"{i:05d}"}})
iam = session.client("iam", endpoint_url=endpoint)
for i in range(${ROLES}):
    iam.create_role(RoleName=f"pg-role-{i}", AssumeRolePolicyDocument="{}")
s3 = session.client("s3", endpoint_url=endpoint)
s3.create_bucket(Bucket="pg-bucket")
for i in range(${OBJECTS}):
    s3.put_object(Bucket="pg-bucket", Key=f"logs/{i:03d}.json", Body=b"x" * i)

def count(client, op, key, page_size, **kw):
    n = 0
    for page in client.get_paginator(op).paginate(PaginationConfig={"PageSize": page_size}, **kw):
        n += len(page.get(key, []))
    return n

print(json.dumps({
    "sqs": count(sqs, "list_queues", "QueueUrls", 3),
    "dynamodb": count(ddb, "scan", "Items", 10, TableName="pg-items"),
    "iam": count(iam, "list_roles", "Roles", 3),
    "s3v2": count(s3, "list_objects_v2", "Contents", 5, Bucket="pg-bucket"),
    "s3v1": count(s3, "list_objects", "Contents", 5, Bucket="pg-bucket"),
}))
`);
  boto = JSON.parse(counts) as Record<string, number>;
  const dataSource = {
    uid: 'moto',
    name: 'moto',
    jsonData: { authType: 'keys', defaultRegion: moto.region, endpoint: moto.endpoint },
    secureJsonData: { accessKey: moto.admin.accessKeyId, secretKey: moto.admin.secretAccessKey },
    lastUpdatedMS: 1,
  };
  const q = (refId: string, json: Record<string, unknown>): HostQuery => ({
    refId,
    json: { queryType: 'http', ...json },
    from: 0,
    to: 1,
    intervalMs: 60_000,
  });
  const scan = {
    method: 'POST',
    url: '/',
    service: 'dynamodb',
    bodyType: 'json',
    body: '{"TableName": "pg-items", "Limit": 10}',
    headers: json10('DynamoDB_20120810.Scan'),
    format: 'json',
    rootSelector: 'Items',
  };
  const queries: HostQuery[] = [
    q('nextToken', {
      method: 'POST',
      url: '/',
      service: 'sqs',
      bodyType: 'json',
      body: '{"MaxResults": 3}',
      headers: json10('AmazonSQS.ListQueues'),
      format: 'json',
      rootSelector: 'QueueUrls',
      pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenTarget: 'body', tokenField: 'NextToken' },
    }),
    q('objectToken', {
      ...scan,
      pagination: {
        mode: 'object_token',
        tokenPath: 'LastEvaluatedKey',
        tokenTarget: 'body',
        tokenField: 'ExclusiveStartKey',
      },
    }),
    q('objectAsText', {
      ...scan,
      pagination: {
        mode: 'next_token',
        tokenPath: 'LastEvaluatedKey',
        tokenTarget: 'body',
        tokenField: 'ExclusiveStartKey',
      },
    }),
    q('marker', {
      method: 'POST',
      url: '/',
      service: 'iam',
      bodyType: 'form',
      form: form({ Action: 'ListRoles', Version: '2010-05-08', MaxItems: '3' }),
      format: 'xml',
      rootSelector: 'ListRolesResponse.ListRolesResult.Roles',
      pagination: {
        mode: 'marker',
        tokenPath: 'ListRolesResponse.ListRolesResult.Marker',
        truncatedPath: 'ListRolesResponse.ListRolesResult.IsTruncated',
        tokenTarget: 'body',
        tokenField: 'Marker',
      },
    }),
    q('s3Marker', {
      url: '/pg-bucket',
      service: 's3',
      params: form({ 'max-keys': '5' }),
      format: 'xml',
      rootSelector: 'ListBucketResult.Contents',
      pagination: {
        mode: 'marker',
        tokenPath: 'ListBucketResult.NextMarker',
        truncatedPath: 'ListBucketResult.IsTruncated',
        tokenTarget: 'param',
        tokenField: 'marker',
      },
    }),
    q('s3Continuation', {
      url: '/pg-bucket',
      service: 's3',
      params: form({ 'list-type': '2', 'max-keys': '5' }),
      format: 'xml',
      rootSelector: 'ListBucketResult.Contents',
      pagination: {
        mode: 'next_token',
        tokenPath: 'ListBucketResult.NextContinuationToken',
        truncatedPath: 'ListBucketResult.IsTruncated',
        tokenTarget: 'param',
        tokenField: 'continuation-token',
      },
    }),
    q('protoField', {
      ...scan,
      pagination: {
        mode: 'object_token',
        tokenPath: 'LastEvaluatedKey',
        tokenTarget: 'body',
        tokenField: '__proto__.polluted',
      },
    }),
  ];
  const run = await runGrafanaHostDetailed({ env: ISOLATED_ENV, calls: [{ kind: 'queryData', dataSource, queries }] });
  expect(run.error).toBeUndefined();
  results = run.results;
  stderr = run.stderr;
});

afterAll(async () => {
  await moto?.stop();
});

describe('pagination styles through the plugin against moto (IAM auth on)', () => {
  const responses = () => results[0].responses ?? {};

  it('next_token: SQS ListQueues over 4 pages, as many queues as boto3 lists', () => {
    const frame = ok(responses().nextToken);
    expect(boto.sqs).toBe(QUEUES);
    expect(frame.rows).toBe(boto.sqs);
    expect(pages(frame)).toBeGreaterThanOrEqual(4);
    expect(new Set(field(frame, 'value').values).size).toBe(QUEUES);
  });

  it('object_token: DynamoDB Scan copies the composite LastEvaluatedKey, every item once', () => {
    const frame = ok(responses().objectToken);
    expect(boto.dynamodb).toBe(ITEMS);
    expect(frame.rows).toBe(boto.dynamodb);
    expect(pages(frame)).toBeGreaterThanOrEqual(3);
    const keys = (field(frame, 'pk.S').values as string[]).map((pk, i) => `${pk}/${field(frame, 'sk.N').values[i]}`);
    expect(new Set(keys).size).toBe(ITEMS);
    // DynamoDB's typed text stays text: the zip codes keep their leading zeros.
    expect(field(frame, 'zip.S').values).toContain('00007');
    expect(frame.meta?.notices).toBeUndefined();
  });

  it('an object token in next_token mode is an error that says what to choose, not a silent page 1', () => {
    expect(responses().objectAsText).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringMatching(/token at "LastEvaluatedKey" is an object.*choose pagination mode "object token"/),
    });
  });

  it('a token field reaching a prototype is refused, naming the field', () => {
    expect(responses().protoField).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringMatching(/pagination\.tokenField/),
    });
  });

  it('marker: IAM ListRoles with Marker and IsTruncated over 3 pages, as many roles as boto3 lists', () => {
    const frame = ok(responses().marker);
    expect(boto.iam).toBe(ROLES + 1); // the seeded sigil-reader role too
    expect(frame.rows).toBe(boto.iam);
    expect(pages(frame)).toBe(3);
    expect(new Set(field(frame, 'RoleName').values).size).toBe(boto.iam);
  });

  it('marker: S3 ListObjects (v1) with NextMarker over 4 pages; sizes are numbers without columns', () => {
    const frame = ok(responses().s3Marker);
    expect(boto.s3v1).toBe(OBJECTS);
    expect(frame.rows).toBe(boto.s3v1);
    expect(pages(frame)).toBe(4);
    expect(field(frame, 'Size').goType).toMatch(/float64/);
    expect([...(field(frame, 'Size').values as number[])].sort((a, b) => a - b)).toEqual(
      Array.from({ length: OBJECTS }, (_, i) => i),
    );
    expect(field(frame, 'LastModified').type).toBe('time');
  });

  it('S3 ListObjectsV2 continuation tokens over 4 pages, as many objects as boto3 lists', () => {
    const frame = ok(responses().s3Continuation);
    expect(boto.s3v2).toBe(OBJECTS);
    expect(frame.rows).toBe(boto.s3v2);
    expect(pages(frame)).toBe(4);
    expect(new Set(field(frame, 'Key').values).size).toBe(OBJECTS);
  });

  it('never logs or returns the secret key', () => {
    expect(JSON.stringify(results)).not.toContain(moto.admin.secretAccessKey);
    expect(stderr).not.toContain(moto.admin.secretAccessKey);
  });
});
