import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_QUERY, type SigilQuery } from '../../src/shared/query';
import { SigilError } from '../errors';
import { runQuery, runQueryEncoded, type EngineContext } from './engine';
import { readFrames } from '../frames/testing';
import { FakeProxy, JSON_HEADERS, XML_HEADERS, type FakeAnswer } from './testing';
import type { OutgoingRequest } from '../http/types';

const data = (name: string) => readFileSync(path.join(__dirname, 'testdata', name), 'utf8');
const timeRange = { fromMs: 1_714_557_600_000, toMs: 1_714_561_200_000 };

function engine(answer: (req: OutgoingRequest, i: number) => FakeAnswer, settings: EngineContext['settings'] = {}) {
  const proxy = new FakeProxy(answer);
  const run = (q: Partial<SigilQuery>) =>
    runQuery({ refId: 'A', ...q }, { proxy, settings, timeRange, intervalMs: 60_000 });
  return { proxy, run };
}

async function failure(p: Promise<unknown>): Promise<SigilError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SigilError);
    return e as SigilError;
  }
  throw new Error('expected the query to fail');
}

describe('query engine', () => {
  it('runs the default query (STS GetCallerIdentity as XML) into a one-row table', async () => {
    const { proxy, run } = engine(() => ({ headers: XML_HEADERS, body: data('getCallerIdentity.xml') }));
    const [frame] = await run(DEFAULT_QUERY);
    expect(proxy.sent[0]).toMatchObject({
      method: 'POST',
      url: 'https://sts.amazonaws.com/',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(frame.refId).toBe('A');
    expect(frame.fields).toEqual([
      { name: 'Arn', type: 'string', values: ['arn:aws:iam::012345678901:user/alice'] },
      { name: 'UserId', type: 'string', values: ['AIDAEXAMPLE'] },
      { name: 'Account', type: 'string', values: ['012345678901'] },
    ]);
    expect(frame.meta?.executedQueryString).toBe('POST https://sts.amazonaws.com/');
  });

  it('reads JSON with a JSONata root selector and typed columns', async () => {
    const { run } = engine(() => ({ headers: JSON_HEADERS, body: data('listMetrics.json') }));
    const [frame] = await run({
      url: 'https://monitoring.us-east-1.amazonaws.com/',
      format: 'auto',
      rootSelector: "ListMetricsResponse.ListMetricsResult.Metrics[Namespace != 'AWS/SQS']",
      columns: [
        { selector: 'MetricName', type: 'string' },
        { selector: 'Dimensions.0.Value', text: 'First dimension', type: 'string' },
      ],
    });
    expect(frame.fields).toEqual([
      { name: 'MetricName', type: 'string', values: ['CPUUtilization', 'Duration'] },
      { name: 'First dimension', type: 'string', values: ['i-0abc', 'resize'] },
    ]);
  });

  it('reads CSV with inferred number columns, and makes a wide time series from typed columns', async () => {
    const csv = 'ts,requests,errors\n1714557660,10,1\n1714557600,5,0\n';
    const { run } = engine(() => ({ headers: { 'content-type': 'text/csv' }, body: csv }));
    const [table] = await run({ url: 'https://x.amazonaws.com/report.csv' });
    expect(table.fields.map((f) => [f.name, f.type])).toEqual([
      ['ts', 'number'],
      ['requests', 'number'],
      ['errors', 'number'],
    ]);
    const [series] = await run({
      url: 'https://x.amazonaws.com/report.csv',
      format: 'csv',
      columns: [
        { selector: 'ts', type: 'time', timeFormat: 'epoch_s' },
        { selector: 'requests', type: 'number' },
      ],
    });
    expect(series.meta?.type).toBe('timeseries-wide');
    expect(series.fields[0].values).toEqual([1714557600000, 1714557660000]);
    expect(series.fields[1].values).toEqual([5, 10]);
  });

  it('follows NextToken pages through a param, with macros resolved on every page', async () => {
    const pages = [
      { Items: [{ n: 1 }, { n: 2 }], NextToken: 't2' },
      { Items: [{ n: 3 }], NextToken: 't3' },
      { Items: [{ n: 4 }], NextToken: null },
    ];
    const { proxy, run } = engine((_req, i) => ({ headers: JSON_HEADERS, body: JSON.stringify(pages[i]) }));
    const [frame] = await run({
      url: 'https://api.amazonaws.com/items',
      params: [{ key: 'since', value: '${__from:date:seconds}' }],
      rootSelector: 'Items',
      pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenTarget: 'param', tokenField: 'NextToken' },
    });
    expect(proxy.sent.map((r) => r.url)).toEqual([
      'https://api.amazonaws.com/items?since=1714557600',
      'https://api.amazonaws.com/items?since=1714557600&NextToken=t2',
      'https://api.amazonaws.com/items?since=1714557600&NextToken=t3',
    ]);
    expect(frame.fields).toEqual([{ name: 'n', type: 'number', values: [1, 2, 3, 4] }]);
    expect(frame.meta?.executedQueryString).toBe('GET https://api.amazonaws.com/items?since=1714557600 (3 page(s))');
    expect(frame.meta?.notices).toBeUndefined();
  });

  it('follows XML pages through a form field (AWS Query API) and notes the page limit', async () => {
    const page = (n: number) =>
      `<ListMetricsResponse><ListMetricsResult><Metrics><member><MetricName>m${n}</MetricName></member></Metrics><NextToken>tok${n + 1}</NextToken></ListMetricsResult></ListMetricsResponse>`;
    const { proxy, run } = engine((_req, i) => ({ headers: XML_HEADERS, body: page(i + 1) }));
    const [frame] = await run({
      url: 'https://monitoring.us-east-1.amazonaws.com/',
      bodyType: 'form',
      form: [
        { key: 'Action', value: 'ListMetrics' },
        { key: 'Version', value: '2010-08-01' },
      ],
      format: 'xml',
      rootSelector: 'ListMetricsResponse.ListMetricsResult.Metrics',
      pagination: {
        mode: 'next_token',
        tokenPath: 'ListMetricsResponse.ListMetricsResult.NextToken',
        tokenTarget: 'body',
        tokenField: 'NextToken',
        maxPages: 3,
      },
    });
    expect(proxy.sent.map((r) => r.body)).toEqual([
      'Action=ListMetrics&Version=2010-08-01',
      'Action=ListMetrics&Version=2010-08-01&NextToken=tok2',
      'Action=ListMetrics&Version=2010-08-01&NextToken=tok3',
    ]);
    expect(frame.fields[0].values).toEqual(['m1', 'm2', 'm3']);
    expect(frame.meta?.notices).toEqual([
      { severity: 'warning', text: 'the result was cut after 3 pages (max pages); more pages remain' },
    ]);
  });

  it('cuts at max rows with a notice, and stops on a repeated token', async () => {
    const body = JSON.stringify({ Items: [1, 2, 3], Next: 'same' });
    const { proxy, run } = engine(() => ({ headers: JSON_HEADERS, body }));
    const pagination = { mode: 'next_token' as const, tokenPath: 'Next', tokenField: 'next' };
    const [cut] = await run({
      url: 'https://a.amazonaws.com/',
      rootSelector: 'Items',
      pagination: { ...pagination, maxRows: 5 },
    });
    expect(cut.fields[0].values).toEqual([1, 2, 3, 1, 2]);
    expect(cut.meta?.notices?.[0].text).toMatch(/cut at 5 rows/);
    proxy.sent.length = 0;
    const [looped] = await run({ url: 'https://a.amazonaws.com/', rootSelector: 'Items', pagination });
    expect(proxy.sent).toHaveLength(2);
    expect(looped.meta?.notices?.[0].text).toMatch(/token already seen/);
  });

  it('reports a cut result once to onCut, with the reason, limit and the last page URL', async () => {
    const body = JSON.stringify({ Items: [1, 2, 3], Next: 'n' });
    const proxy = new FakeProxy((_req, i) => ({ headers: JSON_HEADERS, body: body.replace('"n"', `"n${i}"`) }));
    const cuts: unknown[] = [];
    const ctx = { proxy, settings: {}, timeRange, intervalMs: 60_000, onCut: (c: unknown) => cuts.push(c) };
    const pagination = {
      mode: 'next_token' as const,
      tokenPath: 'Next',
      tokenTarget: 'param' as const,
      tokenField: 'next',
    };
    await runQuery(
      { refId: 'A', url: 'https://a.amazonaws.com/', rootSelector: 'Items', pagination: { ...pagination, maxRows: 5 } },
      ctx,
    );
    await runQuery(
      {
        refId: 'B',
        url: 'https://a.amazonaws.com/',
        rootSelector: 'Items',
        pagination: { ...pagination, maxPages: 2 },
      },
      ctx,
    );
    await runQuery({ refId: 'C', url: 'https://a.amazonaws.com/', rootSelector: 'Items' }, ctx);
    expect(cuts).toEqual([
      { reason: 'max_rows', limit: 5, rows: 5, pages: 2, url: 'https://a.amazonaws.com/?next=n0' },
      { reason: 'max_pages', limit: 2, rows: 6, pages: 2, url: 'https://a.amazonaws.com/?next=n2' },
    ]);
  });

  it('keeps AWS error code and message as a downstream error with AWS status', async () => {
    const { run } = engine(() => ({
      status: 403,
      headers: XML_HEADERS,
      body: '<ErrorResponse><Error><Code>AccessDenied</Code><Message>User is not authorized to perform: cloudwatch:ListMetrics</Message></Error></ErrorResponse>',
    }));
    const err = await failure(run({ url: 'https://monitoring.us-east-1.amazonaws.com/' }));
    expect(err.source).toBe('downstream');
    expect(err.status).toBe(403);
    expect(err.message).toBe(
      'monitoring.us-east-1.amazonaws.com answered HTTP 403 AccessDenied: User is not authorized to perform: cloudwatch:ListMetrics',
    );
  });

  it('refuses a bad query as a plugin error listing what to fix, before sending anything', async () => {
    const { proxy, run } = engine(() => ({ body: '{}' }));
    const err = await failure(
      run({ url: '', pagination: { mode: 'next_token' }, headers: [{ key: 'Authorization', value: 'x' }] }),
    );
    expect(err.source).toBe('plugin');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(
      /url: enter a URL.*headers\[0\]\.key: header "Authorization" is set by the SigV4 signer.*pagination\.tokenPath/,
    );
    expect(proxy.sent).toHaveLength(0);
  });

  it('names the line of a parse failure', async () => {
    const { run } = engine(() => ({ headers: JSON_HEADERS, body: '{\n"a": tru\n}' }));
    const err = await failure(run({ url: 'https://a.amazonaws.com/' }));
    expect(err.message).toMatch(/not valid JSON at line 2, column 6/);
  });

  it('reads Prometheus answers into labelled series', async () => {
    const { proxy, run } = engine(() => ({ headers: JSON_HEADERS, body: data('queryRange.json') }), {
      endpoint: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1',
    });
    const frames = await run({
      url: 'api/v1/query_range',
      params: [
        { key: 'query', value: 'up' },
        { key: 'start', value: '${__from:date:seconds}' },
        { key: 'end', value: '${__to:date:seconds}' },
        { key: 'step', value: '${__interval_s}' },
      ],
      format: 'prometheus',
    });
    expect(proxy.sent[0].url).toBe(
      'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/query_range?query=up&start=1714557600&end=1714561200&step=60',
    );
    expect(frames.map((f) => [f.refId, f.fields[1].labels?.instance])).toEqual([
      ['A', 'a:9100'],
      ['A', 'b:9100'],
    ]);
  });

  it('runs UQL on the answer', async () => {
    const { run } = engine(() => ({ headers: JSON_HEADERS, body: data('listMetrics.json') }));
    const [frame] = await run({
      url: 'https://monitoring.us-east-1.amazonaws.com/',
      format: 'uql',
      uql: 'parse-json | scope "ListMetricsResponse.ListMetricsResult.Metrics" | summarize count() by "Namespace"',
    });
    expect(frame.fields).toEqual([
      { name: 'Namespace', type: 'string', values: ['AWS/EC2', 'AWS/SQS', 'AWS/Lambda'] },
      { name: 'count_', type: 'number', values: [1, 1, 1] },
    ]);
  });

  it('reads an empty answer (204, DELETE) as an empty result in any format', async () => {
    const { run } = engine(() => ({ status: 204, body: '' }));
    for (const format of ['auto', 'json', 'xml', 'csv'] as const) {
      const [frame] = await run({ url: 'https://a.amazonaws.com/', method: 'DELETE', format });
      expect(frame.fields).toEqual([]);
    }
  });

  it('never puts the data source secret into a frame', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const { run } = engine(() => ({ headers: JSON_HEADERS, body: JSON.stringify([{ echoed: `key=${secret}` }]) }), {
      secretKey: secret,
    });
    const [frame] = await run({ url: 'https://a.amazonaws.com/' });
    expect(JSON.stringify(frame)).not.toContain(secret);
    expect(frame.fields[0].values).toEqual(['key=[redacted]']);
  });
});

describe('frames written by the worker (QueryData)', () => {
  it('encodes in the worker exactly the frames the engine builds', async () => {
    const proxy = new FakeProxy(() => ({ headers: XML_HEADERS, body: data('listMetrics.xml') }));
    const ctx = { proxy, settings: {}, timeRange, intervalMs: 60_000 };
    const query = { refId: 'R', url: 'https://monitoring.us-east-1.amazonaws.com/', format: 'xml' as const };
    const plain = await runQuery({ ...query, rootSelector: 'ListMetricsResponse.ListMetricsResult.Metrics' }, ctx);
    const encoded = await runQueryEncoded(
      { ...query, rootSelector: 'ListMetricsResponse.ListMetricsResult.Metrics' },
      ctx,
    );
    expect(encoded).toEqual([{ arrow: expect.any(Uint8Array) }]);
    expect(plain[0].fields.length).toBeGreaterThan(1);
    expect(readFrames(encoded)).toEqual(plain);
  });

  it('keeps time series frames, times and labels through the encoding', async () => {
    const body = JSON.stringify({
      Items: [
        { t: 1_714_557_600, v: 1.5, host: 'a' },
        { t: 1_714_557_660, v: null, host: 'b' },
      ],
    });
    const proxy = new FakeProxy(() => ({ headers: JSON_HEADERS, body }));
    const ctx = { proxy, settings: {}, timeRange, intervalMs: 60_000 };
    const query: SigilQuery = {
      refId: 'T',
      url: 'https://x.amazonaws.com/',
      rootSelector: 'Items',
      columns: [
        { selector: 't', type: 'time' },
        { selector: 'v', type: 'number' },
        { selector: 'host', type: 'string' },
      ],
      timeSeries: { enabled: true, labelColumns: ['host'] },
    };
    const plain = await runQuery(query, ctx);
    expect(plain.length).toBe(2);
    expect(readFrames(await runQueryEncoded(query, ctx))).toEqual(plain);
  });
});
