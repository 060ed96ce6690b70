// Query engine benchmark. Run: npx tsx scripts/bench-query.ts
// The engine processes answers in its worker pool (docs/query-isolation.md), so the times include the hand-over
// of each answer to a worker and of the frames back; the peak RSS is the process's, workers included.
// Prints, for a ~50 MB answer in JSON, XML and CSV: rows/s turning it into a frame (parse + root selector +
// columns; and with Arrow encoding), and peak RSS of a fresh process doing it; then the same answer on
// QueryData's path (the worker writes the Arrow bytes), in another fresh process. Then the engine's added
// latency per query with no network (a fake proxy answering at once): p50/p99 for small answers.
// Each size case runs in its own child process that reads the answer from a file, so that its peak RSS is
// the query's own (plus the 50 MB answer buffer and the runtime), not the generator's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_QUERY, type SigilQuery } from '../src/shared/query';
import { runQuery, runQueryEncoded } from '../backend/query/engine';
import { FakeProxy } from '../backend/query/testing';
import { encodeFrame } from '../backend/frames/arrow';

const TARGET_BYTES = 50 * 1024 * 1024;
const MB = 1024 * 1024;

function item(i: number) {
  return {
    Id: `i-${(1e9 + i).toString(16)}`,
    Timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    Value: (i % 1000) / 7,
    Count: i,
    Healthy: i % 3 !== 0,
    Region: ['us-east-1', 'eu-west-1', 'ap-south-1'][i % 3],
    Tags: { Team: `team-${i % 17}`, Env: i % 2 ? 'prod' : 'dev' },
  };
}

function buildAnswer(format: string): { body: Buffer; contentType: string; query: Partial<SigilQuery> } {
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  const columns = [
    { selector: 'Id', type: 'string' as const },
    { selector: 'Timestamp', type: 'time' as const },
    { selector: 'Value', type: 'number' as const },
    { selector: 'Healthy', type: 'boolean' as const },
    { selector: 'Tags.Team', text: 'Team', type: 'string' as const },
  ];
  if (format === 'json') {
    while (size < TARGET_BYTES) {
      const s = JSON.stringify(item(i++));
      parts.push(s);
      size += s.length + 1;
    }
    return {
      body: Buffer.from(`{"Items":[${parts.join(',')}],"NextToken":null}`),
      contentType: 'application/json',
      query: { format: 'json', rootSelector: 'Items' },
    };
  }
  if (format === 'json-typed') {
    const r = buildAnswer('json');
    return { ...r, query: { ...r.query, columns } };
  }
  if (format === 'xml') {
    while (size < TARGET_BYTES) {
      const it = item(i++);
      const s = `<member><Id>${it.Id}</Id><Timestamp>${it.Timestamp}</Timestamp><Value>${it.Value}</Value><Count>${it.Count}</Count><Healthy>${it.Healthy}</Healthy><Region>${it.Region}</Region><Tags><Team>${it.Tags.Team}</Team><Env>${it.Tags.Env}</Env></Tags></member>`;
      parts.push(s);
      size += s.length;
    }
    return {
      body: Buffer.from(
        `<?xml version="1.0"?><ListResponse><ListResult><Items>${parts.join('')}</Items></ListResult></ListResponse>`,
      ),
      contentType: 'text/xml',
      query: { format: 'xml', rootSelector: 'ListResponse.ListResult.Items', columns },
    };
  }
  parts.push('Id,Timestamp,Value,Count,Healthy,Region,Team,Env');
  while (size < TARGET_BYTES) {
    const it = item(i++);
    const s = `${it.Id},${it.Timestamp},${it.Value},${it.Count},${it.Healthy},${it.Region},${it.Tags.Team},${it.Tags.Env}`;
    parts.push(s);
    size += s.length + 1;
  }
  return { body: Buffer.from(parts.join('\n')), contentType: 'text/csv', query: { format: 'csv' } };
}

async function sizeCase(format: string, file: string, mode = 'frames'): Promise<void> {
  const { contentType, query } = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as {
    contentType: string;
    query: Partial<SigilQuery>;
  };
  const body = readFileSync(file);
  const rssBefore = process.memoryUsage().rss;
  const proxy = new FakeProxy(() => ({ headers: { 'content-type': contentType }, body }));
  const ctx = { proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 };
  const t0 = process.hrtime.bigint();
  const model: SigilQuery = {
    refId: 'A',
    url: 'https://bench.amazonaws.com/',
    pagination: { mode: 'none', maxRows: 10_000_000 },
    ...query,
  };
  if (mode === 'querydata') {
    // QueryData's own path: the worker writes the Arrow bytes and moves them (runQueryEncoded).
    const encoded = await runQueryEncoded(model, ctx);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const arrowMb = encoded.reduce((n, f) => n + f.arrow.byteLength, 0) / MB;
    console.log(
      `${format.padEnd(10)} QueryData's path, Arrow (${arrowMb.toFixed(1)} MB) written in the worker: ${seconds.toFixed(2)} s; ` +
        `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (${(rssBefore / MB).toFixed(0)} MB before the query)`,
    );
    return;
  }
  const frames = await runQuery(model, ctx);
  const t1 = process.hrtime.bigint();
  let arrowBytes = 0;
  for (const f of frames) arrowBytes += encodeFrame(f).byteLength;
  const t2 = process.hrtime.bigint();
  const rows = frames[0].fields[0]?.values.length ?? 0;
  const toFrameS = Number(t1 - t0) / 1e9;
  const withArrowS = Number(t2 - t0) / 1e9;
  const peakMb = process.resourceUsage().maxRSS / 1024;

  console.log(
    `${format.padEnd(10)} ${(body.length / MB).toFixed(1)} MB, ${rows} rows x ${frames[0].fields.length} cols: ` +
      `to frame ${toFrameS.toFixed(2)} s = ${Math.round(rows / toFrameS).toLocaleString('en-US')} rows/s; ` +
      `+ Arrow (${(arrowBytes / MB).toFixed(1)} MB) ${withArrowS.toFixed(2)} s = ${Math.round(rows / withArrowS).toLocaleString('en-US')} rows/s; ` +
      `peak RSS ${peakMb.toFixed(0)} MB (${(rssBefore / MB).toFixed(0)} MB before the query, with the answer read)`,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `run` `warmup` times, then `n` times timed; the times in ns / `unit`, sorted. */
async function sortedTimes(run: () => Promise<unknown>, warmup: number, n: number, unit: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - t) / unit);
  }
  return times.sort((a, b) => a - b);
}

async function latencyCase(): Promise<void> {
  const cases: [string, Partial<SigilQuery>, string, string][] = [
    [
      'STS GetCallerIdentity XML',
      DEFAULT_QUERY,
      'text/xml',
      '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/a</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
    ],
    [
      'JSON 100 rows + JSONata',
      { url: 'https://x.amazonaws.com/?a=${__from:date:seconds}', rootSelector: "Items[Region != 'x']" },
      'application/json',
      JSON.stringify({ Items: Array.from({ length: 100 }, (_, i) => item(i)) }),
    ],
    [
      'UQL seed on ListMetrics',
      {
        url: 'https://x.amazonaws.com/',
        format: 'uql',
        uql: 'parse-json | scope "Metrics" | mv-expand "dimension"="Dimensions" | project "Namespace", "MeasureName", "Dimension Name"="dimension.Name", "Dimension Value"="dimension.Value"',
      },
      'application/json',
      JSON.stringify({
        Metrics: Array.from({ length: 50 }, (_, i) => ({
          Namespace: 'AWS/EC2',
          MetricName: `m${i}`,
          Dimensions: [
            { Name: 'InstanceId', Value: `i-${i}` },
            { Name: 'Type', Value: 't3' },
          ],
        })),
      }),
    ],
    [
      'Prometheus 2 series x 60',
      { url: 'https://aps.amazonaws.com/api/v1/query_range', format: 'prometheus' },
      'application/json',
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [0, 1].map((s) => ({
            metric: { __name__: 'up', instance: `h${s}` },
            values: Array.from({ length: 60 }, (_, i) => [1714557600 + i * 60, String(i / 3)]),
          })),
        },
      }),
    ],
  ];
  for (const [label, query, contentType, body] of cases) {
    const bytes = Buffer.from(body);
    const proxy = new FakeProxy(() => ({ headers: { 'content-type': contentType }, body: bytes }));
    const ctx = {
      proxy,
      settings: {},
      timeRange: { fromMs: 1_714_557_600_000, toMs: 1_714_561_200_000 },
      intervalMs: 60_000,
    };
    const frames = () => runQuery({ refId: 'A', ...query }, ctx);
    // QueryData's own path: the worker writes the Arrow bytes, the main thread passes them on.
    const queryData = () => runQueryEncoded({ refId: 'A', ...query }, ctx);
    const p: Record<string, number> = {};
    for (const [name, run] of [
      ['frames', frames],
      ['queryData', queryData],
    ] as const) {
      const times = await sortedTimes(run, 200, 2000, 1000);
      p[`${name}50`] = percentile(times, 50);
      p[`${name}99`] = percentile(times, 99);
    }
    console.log(
      `latency ${label.padEnd(28)} (${bytes.length} B answer): p50 ${p.frames50.toFixed(0)} µs  p99 ${p.frames99.toFixed(0)} µs  (n=2000, no network); ` +
        `QueryData's path (with Arrow) p50 ${p.queryData50.toFixed(0)} µs  p99 ${p.queryData99.toFixed(0)} µs`,
    );
  }
}

/**
 * CloudWatch GetMetricData with 10 series x 1,440 points (a day at one minute), read without typed columns,
 * so column type inference runs on every value: in JSON (epoch-second Timestamps) and in XML (ISO text).
 */
async function getMetricDataCase(): Promise<void> {
  const SERIES = 10;
  const POINTS = 1440;
  const start = 1_714_557_600;
  const results = Array.from({ length: SERIES }, (_, s) => ({
    Id: `m${s}`,
    Label: `series ${s}`,
    Timestamps: Array.from({ length: POINTS }, (_, i) => start + (POINTS - 1 - i) * 60),
    Values: Array.from({ length: POINTS }, (_, i) => ((i * 7 + s) % 1000) / 10),
    StatusCode: 'Complete',
  }));
  const json = JSON.stringify({ MetricDataResults: results, Messages: [] });
  const xml = `<GetMetricDataResponse><GetMetricDataResult><MetricDataResults>${results
    .map(
      (r) =>
        `<member><Id>${r.Id}</Id><Label>${r.Label}</Label><Timestamps>${r.Timestamps.map((t) => `<member>${new Date(t * 1000).toISOString()}</member>`).join('')}</Timestamps><Values>${r.Values.map((v) => `<member>${v}</member>`).join('')}</Values><StatusCode>Complete</StatusCode></member>`,
    )
    .join('')}</MetricDataResults></GetMetricDataResult></GetMetricDataResponse>`;
  const zip = '($r := $; $zip(Timestamps, Values).{"time": $[0], "value": $[1], "series": $r.Id})';
  const timeSeries = { enabled: true, labelColumns: ['series'] };
  const cases: [string, Partial<SigilQuery>, string, string][] = [
    [
      'GetMetricData JSON 10x1440',
      {
        method: 'POST',
        url: 'https://monitoring.us-east-1.amazonaws.com/',
        bodyType: 'json',
        body: '{}',
        rootSelector: `MetricDataResults.${zip}`,
        timeSeries,
      },
      'application/x-amz-json-1.0',
      json,
    ],
    [
      'GetMetricData XML 10x1440',
      {
        method: 'POST',
        url: 'https://monitoring.us-east-1.amazonaws.com/',
        bodyType: 'form',
        form: [{ key: 'Action', value: 'GetMetricData' }],
        format: 'xml',
        rootSelector: `GetMetricDataResponse.GetMetricDataResult.MetricDataResults.${zip}`,
        timeSeries,
      },
      'text/xml',
      xml,
    ],
  ];
  for (const [label, query, contentType, body] of cases) {
    const bytes = Buffer.from(body);
    const proxy = new FakeProxy(() => ({ headers: { 'content-type': contentType }, body: bytes }));
    const ctx = {
      proxy,
      settings: {},
      timeRange: { fromMs: start * 1000, toMs: (start + 86_400) * 1000 },
      intervalMs: 60_000,
    };
    const run = () => runQuery({ refId: 'A', ...query }, ctx);
    const frames = await run();
    const times = await sortedTimes(run, 10, 60, 1e6);
    const shape = `${frames.length} frame(s), types ${frames[0].fields.map((f) => f.type).join('/')}`;
    console.log(
      `latency ${label.padEnd(28)} (${(bytes.length / 1024).toFixed(0)} KiB answer, ${shape}): p50 ${percentile(times, 50).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms  (n=60, no network)`,
    );
  }
}

async function main(): Promise<void> {
  const [which, file, mode] = process.argv.slice(2);
  if (which === 'getmetricdata') {
    await getMetricDataCase();
    return;
  }
  if (which) {
    await (which === 'latency' ? latencyCase() : sizeCase(which, file, mode));
    return;
  }
  console.log(`Node ${process.version}; each case in a fresh process`);
  const dir = mkdtempSync(join(tmpdir(), 'sigil-bench-'));
  try {
    // BENCH_CASES=json,latency runs only those cases.
    const cases = process.env.BENCH_CASES?.split(',') ?? [
      'json',
      'json-typed',
      'xml',
      'csv',
      'latency',
      'getmetricdata',
    ];
    for (const c of cases) {
      const file = join(dir, c);
      if (c !== 'latency' && c !== 'getmetricdata') {
        const { body, contentType, query } = buildAnswer(c);
        writeFileSync(file, body);
        writeFileSync(`${file}.json`, JSON.stringify({ contentType, query }));
      }
      // A size case runs twice, each in a fresh process: to frame objects (then Arrow here), and QueryData's path.
      for (const mode of c === 'latency' || c === 'getmetricdata' ? ['frames'] : ['frames', 'querydata']) {
        const r = spawnSync(process.execPath, [...process.execArgv, __filename, c, file, mode], { stdio: 'inherit' });
        if (r.status !== 0) process.exitCode = 1;
      }
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
