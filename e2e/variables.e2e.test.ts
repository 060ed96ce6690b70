// Dashboard variables, end to end:
// - in chromium, the variable query editor (dashboard harness) sets the value and text columns, and the data
//   source's applyTemplateVariables, with a template service following Grafana's rules, expands multi-value
//   and "All" variables into repeated params, numbered AWS Query members and JSON lists;
// - through the BUILT plugin against moto with IAM auth on, variable queries answer text/value frames for
//   $instance (EC2), $bucket (S3), $queue (SQS) and $region (EC2 DescribeRegions), equal to what boto3 lists,
//   the browser-expanded multi-value query returns exactly the chosen instances, and an unknown variable is
//   named in a notice.
import type { Page } from 'playwright-core';
import { buildHarness, HARNESS_OUT } from './browser/harnessBuild';
import { expectLikeReference, screenshotPath } from './browser/screenshots';
import { launchChromium, serveFiles, type Browser, type StaticSite } from './browser/chromium';
import {
  runGrafanaHostDetailed,
  type HostDataResponse,
  type HostFrame,
  type HostQuery,
  type HostResult,
} from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';
import type { SigilQuery } from '../src/shared/query';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const ICONS = `${__dirname}/../node_modules/@grafana/ui/dist/public/img/icons`;
const ICON_PREFIX = 'public/build/img/icons/';

let moto: Moto;
let site: StaticSite;
let browser: Browser;
let seeded: { instances: Array<{ id: string; name: string }>; buckets: string[]; queues: string[]; regions: string[] };

const form = (pairs: Record<string, string>) => Object.entries(pairs).map(([key, value]) => ({ key, value }));

const INSTANCES_VARIABLE: SigilQuery = {
  refId: 'instance',
  queryType: 'variable',
  method: 'POST',
  url: '/',
  service: 'ec2',
  bodyType: 'form',
  format: 'xml',
  form: form({ Action: 'DescribeInstances', Version: '2016-11-15' }),
  rootSelector:
    'DescribeInstancesResponse.reservationSet.instancesSet.{"id": instanceId, "name": tagSet[key="Name"].value}',
  variable: { valueField: 'id', textField: 'name' },
};
const BUCKETS_VARIABLE: SigilQuery = {
  refId: 'bucket',
  queryType: 'variable',
  url: '/',
  service: 's3',
  format: 'xml',
  rootSelector: 'ListAllMyBucketsResult.Buckets.Bucket',
  variable: { valueField: 'Name' },
};
const QUEUES_VARIABLE: SigilQuery = {
  refId: 'queue',
  queryType: 'variable',
  method: 'POST',
  url: '/',
  service: 'sqs',
  bodyType: 'form',
  format: 'xml',
  form: form({ Action: 'ListQueues', Version: '2012-11-05' }),
  rootSelector: 'ListQueuesResponse.ListQueuesResult.QueueUrl.{"url": $, "name": $split($, "/")[-1]}',
  variable: { valueField: 'url', textField: 'name' },
};
const REGIONS_VARIABLE: SigilQuery = {
  refId: 'region',
  queryType: 'variable',
  method: 'POST',
  url: '/',
  service: 'ec2',
  bodyType: 'form',
  format: 'xml',
  form: form({ Action: 'DescribeRegions', Version: '2016-11-15' }),
  rootSelector: 'DescribeRegionsResponse.regionInfo',
  variable: { valueField: 'regionName' },
};

function ok(res: HostDataResponse | undefined): HostFrame {
  expect(res).toBeDefined();
  expect({ error: res?.error, decodeError: res?.decodeError }).toEqual({ error: undefined, decodeError: undefined });
  expect(res?.frames).toHaveLength(1);
  return (res?.frames ?? [])[0];
}
const values = (frame: HostFrame, name: string) => frame.fields.find((f) => f.name === name)?.values;

async function runThroughPlugin(queries: SigilQuery[]): Promise<HostResult> {
  const dataSource = {
    uid: 'moto',
    name: 'moto',
    jsonData: { authType: 'keys', defaultRegion: moto.region, endpoint: moto.endpoint },
    secureJsonData: { accessKey: moto.admin.accessKeyId, secretKey: moto.admin.secretAccessKey },
    lastUpdatedMS: 1,
  };
  const hostQueries: HostQuery[] = queries.map((q) => ({
    refId: q.refId,
    queryType: q.queryType,
    json: q as unknown as Record<string, unknown>,
    from: 0,
    to: 1,
    intervalMs: 60_000,
  }));
  const run = await runGrafanaHostDetailed({
    env: ISOLATED_ENV,
    calls: [{ kind: 'queryData', dataSource, queries: hostQueries }],
  });
  expect(run.error).toBeUndefined();
  expect(run.stderr).not.toContain(moto.admin.secretAccessKey);
  return run.results[0];
}

async function openDashboardHarness(view: string, vars: unknown[]): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.origin}/dashboard.html?view=${view}&vars=${encodeURIComponent(JSON.stringify(vars))}`);
  await page.waitForSelector('#dashboard-editor');
  expect(errors).toEqual([]);
  return page;
}

beforeAll(async () => {
  moto = await startMoto();
  seeded = JSON.parse(
    await moto.python(`
ec2 = session.client("ec2", endpoint_url=endpoint)
ami = ec2.describe_images()["Images"][0]["ImageId"]
ids = []
for name in ["web", "db", "cache"]:
    r = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                          TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}])
    ids.append({"id": r["Instances"][0]["InstanceId"], "name": name})
s3 = session.client("s3", endpoint_url=endpoint)
for b in ["var-logs", "var-assets", "var-backups"]:
    s3.create_bucket(Bucket=b)
sqs = session.client("sqs", endpoint_url=endpoint)
for q in ["orders", "payments"]:
    sqs.create_queue(QueueName=q)
print(json.dumps({
    "instances": ids,
    "buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"]),
    "queues": sorted(sqs.list_queues()["QueueUrls"]),
    "regions": sorted(r["RegionName"] for r in ec2.describe_regions()["Regions"]),
}))
`),
  ) as typeof seeded;
  await buildHarness();
  site = await serveFiles((path) =>
    path.startsWith(ICON_PREFIX) ? [ICONS, path.slice(ICON_PREFIX.length)] : [HARNESS_OUT, path || 'dashboard.html'],
  );
  browser = await launchChromium({ width: 1100, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await moto?.stop();
});

describe('variable queries through the plugin against moto (IAM auth on)', () => {
  let result: HostResult;
  beforeAll(async () => {
    result = await runThroughPlugin([INSTANCES_VARIABLE, BUCKETS_VARIABLE, QUEUES_VARIABLE, REGIONS_VARIABLE]);
  });

  it('$instance: EC2 instance ids as values, Name tags as texts', () => {
    const frame = ok(result.responses?.instance);
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['text', 'string'],
      ['value', 'string'],
    ]);
    const pairs = (values(frame, 'value') as string[]).map((v, i) => ({
      id: v,
      name: (values(frame, 'text') as string[])[i],
    }));
    expect(pairs.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...seeded.instances].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('$bucket, $queue and $region: what boto3 lists', () => {
    expect([...(values(ok(result.responses?.bucket), 'value') as string[])].sort()).toEqual(seeded.buckets);
    const queues = ok(result.responses?.queue);
    expect([...(values(queues, 'value') as string[])].sort()).toEqual(seeded.queues);
    expect([...(values(queues, 'text') as string[])].sort()).toEqual(['orders', 'payments']);
    const regions = values(ok(result.responses?.region), 'value') as string[];
    expect(regions.length).toBeGreaterThan(10);
    expect([...regions].sort()).toEqual(seeded.regions);
  });
});

describe('the variable editor and multi-value expansion in chromium, then through the plugin', () => {
  it('sets value and text columns on a variable query', async () => {
    const page = await openDashboardHarness('variable', []);
    await page.getByLabel('Value column').fill('id');
    await page.getByLabel('Text column').fill('name');
    const query = await page.evaluate(() => window.sigilDashboard.query);
    expect(query).toMatchObject({
      queryType: 'variable',
      variable: { valueField: 'id', textField: 'name' },
      url: 'https://sts.amazonaws.com/',
    });
    await page.close();
  });

  it('a multi-value $instance becomes numbered form members; the plugin returns exactly the chosen instances', async () => {
    const chosen = seeded.instances.slice(0, 2).map((i) => i.id);
    const page = await openDashboardHarness('variable', [
      { name: 'instance', current: chosen },
      { name: 'bucket', current: '$__all', options: seeded.buckets },
    ]);
    const describe: SigilQuery = {
      refId: 'chosen',
      queryType: 'http',
      method: 'POST',
      url: '/',
      service: 'ec2',
      bodyType: 'form',
      format: 'xml',
      form: [
        ...form({ Action: 'DescribeInstances', Version: '2016-11-15' }),
        { key: 'InstanceId.1', value: '$instance' },
      ],
      rootSelector: 'DescribeInstancesResponse.reservationSet.instancesSet',
      columns: [{ selector: 'instanceId', type: 'string' }],
    };
    const expanded = await page.evaluate((q) => window.sigilDashboard.expand(q), describe);
    expect(expanded.form).toEqual([
      ...form({
        Action: 'DescribeInstances',
        Version: '2016-11-15',
        'InstanceId.1': chosen[0],
        'InstanceId.2': chosen[1],
      }),
    ]);
    const params = await page.evaluate(() =>
      window.sigilDashboard.expand({
        refId: 'p',
        url: 'https://x/',
        params: [{ key: 'bucket', value: '${bucket}' }],
        bodyType: 'json',
        body: '{"Buckets": ${bucket:json}, "Ids": "$instance"}',
      }),
    );
    expect(params.params).toEqual(seeded.buckets.map((b) => ({ key: 'bucket', value: b })));
    expect(JSON.parse(params.body ?? '')).toEqual({ Buckets: seeded.buckets, Ids: chosen.join(',') });
    await page.close();

    const unknown: SigilQuery = {
      ...describe,
      refId: 'unknown',
      form: [
        ...form({ Action: 'DescribeInstances', Version: '2016-11-15' }),
        { key: 'Filter.1.Name', value: 'tag:Name' },
        { key: 'Filter.1.Value.1', value: '$nosuch' },
      ],
    };
    const result = await runThroughPlugin([expanded, unknown]);
    const frame = ok(result.responses?.chosen);
    expect([...(values(frame, 'instanceId') as string[])].sort()).toEqual([...chosen].sort());
    const notices = ok(result.responses?.unknown).meta?.notices;
    expect(notices).toEqual([
      {
        severity: 'warning',
        text: 'variable $nosuch is not defined in this dashboard and was sent as typed; define it or remove the reference',
      },
    ]);
  });
});

describe('screenshots', () => {
  it.each(['light', 'dark'])('variable query editor, %s theme', async (theme) => {
    const page = await openDashboardHarness(`variable&theme=${theme}`, []);
    await page.getByLabel('Value column').fill('InstanceId');
    await page.getByLabel('Text column').fill('Name');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const shot = await page
      .locator('#dashboard-editor')
      .screenshot({ path: screenshotPath(`variable-editor-${theme}.png`) });
    await expectLikeReference(page, shot, (t) => `variable-editor-${t}.png`, theme);
    await page.close();
  });
});
