// Dashboard annotations, end to end:
// - in chromium, the annotation query editor (dashboard harness) maps columns to time, title, text and tags;
// - that query, and a CloudWatch alarm-state one, run through the BUILT plugin against moto with IAM auth on
//   (moto has no CloudTrail LookupEvents nor DescribeAlarmHistory): CloudWatch Logs FilterLogEvents marks
//   deployments, DescribeAlarms marks alarm state changes. The frames carry the fields Grafana's standard
//   annotation mapping reads by name: time, title, text, tags.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHarness, HARNESS_OUT } from './browser/harnessBuild';
import { expectLikeReference, screenshotPath } from './browser/screenshots';
import { launchChromium, serveFiles, type Browser, type StaticSite } from './browser/chromium';
import { runGrafanaHostDetailed, type HostDataResponse, type HostFrame, type HostResult } from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';
import type { SigilQuery } from '../src/shared/query';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const ICONS = `${__dirname}/../node_modules/@grafana/ui/dist/public/img/icons`;
const ICON_PREFIX = 'public/build/img/icons/';
const NOW_MS = Math.floor(Date.now() / 1000) * 1000;
const DEPLOYS = [
  { ago: 3000_000, stream: 'api', message: 'deployed api v1.4.0' },
  { ago: 1800_000, stream: 'web', message: 'deployed web v2.0.1' },
  { ago: 600_000, stream: 'api', message: 'deployed api v1.4.1' },
];

let moto: Moto;
let site: StaticSite;
let browser: Browser;
let fromBrowser: SigilQuery;
let result: HostResult;

function ok(res: HostDataResponse | undefined): HostFrame {
  expect(res).toBeDefined();
  expect({ error: res?.error, decodeError: res?.decodeError }).toEqual({ error: undefined, decodeError: undefined });
  expect(res?.frames).toHaveLength(1);
  return (res?.frames ?? [])[0];
}
const field = (frame: HostFrame, name: string) => {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${frame.fields.map((x) => x.name).join(', ')}`);
  return f;
};

const DEPLOYMENTS: SigilQuery = {
  refId: 'deploys',
  method: 'POST',
  url: '/',
  service: 'logs',
  bodyType: 'json',
  format: 'json',
  headers: [
    { key: 'Content-Type', value: 'application/x-amz-json-1.1' },
    { key: 'X-Amz-Target', value: 'Logs_20140328.FilterLogEvents' },
  ],
  body: '{"logGroupName": "deployments", "startTime": ${__from}, "endTime": ${__to}}',
  rootSelector: 'events',
};
const ALARMS: SigilQuery = {
  refId: 'alarms',
  queryType: 'annotation',
  method: 'POST',
  url: '/',
  service: 'monitoring',
  bodyType: 'form',
  format: 'xml',
  form: [
    { key: 'Action', value: 'DescribeAlarms' },
    { key: 'Version', value: '2010-08-01' },
  ],
  rootSelector: 'DescribeAlarmsResponse.DescribeAlarmsResult.MetricAlarms',
  annotation: {
    timeField: 'StateUpdatedTimestamp',
    titleField: 'AlarmName',
    textField: 'StateReason',
    tagsFields: ['StateValue', 'Namespace'],
  },
};

beforeAll(async () => {
  moto = await startMoto();
  await moto.python(`
logs = session.client("logs", endpoint_url=endpoint)
logs.create_log_group(logGroupName="deployments")
for stream in ["api", "web"]:
    logs.create_log_stream(logGroupName="deployments", logStreamName=stream)
for ago, stream, message in ${JSON.stringify(DEPLOYS.map((d) => [d.ago, d.stream, d.message]))}:
    logs.put_log_events(logGroupName="deployments", logStreamName=stream, logEvents=[{"timestamp": ${NOW_MS} - ago, "message": message}])
cw = session.client("cloudwatch", endpoint_url=endpoint)
for name in ["api-latency", "web-errors"]:
    cw.put_metric_alarm(AlarmName=name, Namespace="Sigil/Test", MetricName="Latency", Statistic="Average", Period=60,
                        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
cw.set_alarm_state(AlarmName="web-errors", StateValue="ALARM", StateReason="errors above 1 for 1 minute")
cw.set_alarm_state(AlarmName="api-latency", StateValue="OK", StateReason="latency back to normal")
`);
  await buildHarness();
  site = await serveFiles((path) =>
    path.startsWith(ICON_PREFIX) ? [ICONS, path.slice(ICON_PREFIX.length)] : [HARNESS_OUT, path || 'dashboard.html'],
  );
  browser = await launchChromium({ width: 1100, height: 900 });

  // The author maps the columns in the annotation editor; the request itself is the FilterLogEvents query.
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.origin}/dashboard.html?view=annotation`);
  await page.waitForSelector('#dashboard-editor');
  await page.getByLabel('Time column', { exact: true }).fill('timestamp');
  await page.getByLabel('Title column', { exact: true }).fill('logStreamName');
  await page.getByLabel('Text column', { exact: true }).fill('message');
  await page.getByLabel('Tag columns', { exact: true }).fill('logStreamName');
  await page.getByLabel('Tag columns', { exact: true }).blur();
  const edited = await page.evaluate(() => window.sigilDashboard.query);
  expect(errors).toEqual([]);
  await page.close();
  fromBrowser = { ...edited, ...DEPLOYMENTS, queryType: edited.queryType, annotation: edited.annotation };

  const dataSource = {
    uid: 'moto',
    name: 'moto',
    jsonData: { authType: 'keys', defaultRegion: moto.region, endpoint: moto.endpoint },
    secureJsonData: { accessKey: moto.admin.accessKeyId, secretKey: moto.admin.secretAccessKey },
    lastUpdatedMS: 1,
  };
  const range = { from: NOW_MS - 3600_000, to: NOW_MS + 60_000, intervalMs: 60_000 };
  const run = await runGrafanaHostDetailed({
    env: ISOLATED_ENV,
    calls: [
      {
        kind: 'queryData',
        dataSource,
        queries: [fromBrowser, ALARMS].map((q) => ({
          refId: q.refId,
          queryType: q.queryType,
          json: q as unknown as Record<string, unknown>,
          ...range,
        })),
      },
    ],
  });
  expect(run.error).toBeUndefined();
  expect(run.stderr).not.toContain(moto.admin.secretAccessKey);
  result = run.results[0];
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await moto?.stop();
});

describe('annotations', () => {
  it('plugin.json declares annotation support, so Grafana lists the data source for annotations', () => {
    expect(JSON.parse(readFileSync(join(__dirname, '..', 'src', 'plugin.json'), 'utf8'))).toMatchObject({
      annotations: true,
      metrics: true,
    });
  });

  it('the annotation editor stores the column mapping on an annotation query', () => {
    expect(fromBrowser).toMatchObject({
      queryType: 'annotation',
      annotation: {
        timeField: 'timestamp',
        titleField: 'logStreamName',
        textField: 'message',
        tagsFields: ['logStreamName'],
      },
    });
  });

  it('CloudWatch Logs deployments become annotations: time, title, text, tags', () => {
    const frame = ok(result.responses?.deploys);
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', 'time'],
      ['title', 'string'],
      ['text', 'string'],
      ['tags', 'string'],
    ]);
    const rows = field(frame, 'time').values.map((t, i) => ({
      t,
      title: field(frame, 'title').values[i],
      text: field(frame, 'text').values[i],
      tags: field(frame, 'tags').values[i],
    }));
    expect(rows.sort((a, b) => (a.t as number) - (b.t as number))).toEqual(
      DEPLOYS.map((d) => ({ t: NOW_MS - d.ago, title: d.stream, text: d.message, tags: d.stream })),
    );
  });

  it('CloudWatch alarm states become annotations tagged with the state', () => {
    const frame = ok(result.responses?.alarms);
    const byTitle = new Map(
      field(frame, 'title').values.map((title, i) => [
        title,
        {
          text: field(frame, 'text').values[i],
          tags: field(frame, 'tags').values[i],
          time: field(frame, 'time').values[i],
        },
      ]),
    );
    expect(byTitle.get('web-errors')).toMatchObject({ text: 'errors above 1 for 1 minute', tags: 'ALARM,Sigil/Test' });
    expect(byTitle.get('api-latency')).toMatchObject({ text: 'latency back to normal', tags: 'OK,Sigil/Test' });
    expect(Math.abs((byTitle.get('web-errors')?.time as number) - Date.now())).toBeLessThan(600_000);
  });
});

describe('screenshots', () => {
  it.each(['light', 'dark'])('annotation query editor, %s theme', async (theme) => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/dashboard.html?view=annotation&theme=${theme}`);
    await page.waitForSelector('#dashboard-editor');
    await page.getByLabel('Time column', { exact: true }).fill('timestamp');
    await page.getByLabel('Text column', { exact: true }).fill('message');
    await page.getByLabel('Tag columns', { exact: true }).fill('logStreamName');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const shot = await page
      .locator('#dashboard-editor')
      .screenshot({ path: screenshotPath(`annotation-editor-${theme}.png`) });
    await expectLikeReference(page, shot, (t) => `annotation-editor-${t}.png`, theme);
    await page.close();
  });
});
