// Query isolation numbers through the BUILT plugin (npm run build:backend first) under Grafana's plugin client,
// with the default budgets. Run: npx tsx scripts/bench-isolation.ts
// Prints: a bystander data source's query times alone, then while runaway queries of another data source run
// (over the time budget, over the memory budget, catastrophic regexes), how each runaway ended, the plugin's
// RSS after the runaways and again after the idle workers have exited.
import { runGrafanaHostDetailed, type HostCall, type HostDataSource, type HostResult } from '../e2e/lib/grafanaHost';
import { startFake } from '../e2e/lib/fakes/server';

const ITEMS = Array.from({ length: 300 }, (_, i) => ({
  id: i,
  name: `n${i}`,
  tags: Array.from({ length: 300 }, (_, k) => k),
}));
const ANSWER = JSON.stringify({ items: ITEMS, evil: `${'a'.repeat(40)}!` });
const RUNAWAYS: [string, Record<string, unknown>][] = [
  ['JSONata endless recursion', { rootSelector: '($f := function($x){ $f($x) }; $f(1))' }],
  ['JSONata $sort of 10^7 items (one built-in call)', { rootSelector: '$count($sort([1..10000000]))' }],
  [
    'UQL exponential strcat (heap)',
    {
      format: 'uql',
      uql: `parse-json | scope "items" | project "s"="name"${' | extend "s"=strcat("s", "s", "s", "s")'.repeat(14)}`,
    },
  ],
  [
    'UQL 27 million rows mv-expand (heap)',
    {
      format: 'uql',
      uql: 'parse-json | scope "items" | extend "t2"="tags" | mv-expand "a"="tags" | mv-expand "b"="t2" | extend "s"=strcat("a", "b", "name")',
    },
  ],
  ['JSONata $match /^(a+)+$/ (RE2)', { rootSelector: '$match(evil, /^(a+)+$/)' }],
  ["UQL matches '^(a+)+$' (RE2)", { format: 'uql', uql: 'parse-json | where "evil" matches \'^(a+)+$\' | count' }],
];
const BYSTANDERS = 60;
const IDLE_WAIT_MS = 32_000; // the pool's idle timeout is 30 s
/** Extra plugin environment as JSON, e.g. BENCH_PLUGIN_ENV='{"SIGIL_QUERY_WORKER_NICE":"10"}'. */
const EXTRA_ENV = process.env.BENCH_PLUGIN_ENV
  ? (JSON.parse(process.env.BENCH_PLUGIN_ENV) as Record<string, string>)
  : {};

function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `n=${s.length} p50 ${p(0.5).toFixed(1)} ms  p99 ${p(0.99).toFixed(1)} ms  max ${s[s.length - 1].toFixed(1)} ms`;
}

function rss(r: HostResult): string {
  const m = /^process_resident_memory_bytes(?:\{[^}]*\})? (\S+)$/m.exec(r.prometheus ?? '');
  return m ? `${(Number(m[1]) / 2 ** 20).toFixed(0)} MiB` : '?';
}

async function main(): Promise<void> {
  const server = await startFake((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(ANSWER);
  });
  try {
    const ds = (uid: string): HostDataSource => ({
      uid,
      name: uid,
      lastUpdatedMS: 1,
      jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: server.url, service: 'execute-api' },
      secureJsonData: { accessKey: 'AKIAIOSFODNN7EXAMPLE', secretKey: 'bench-secret-key-000000000000000000000001' },
    });
    const query = (uid: string, json: Record<string, unknown>, extra: Partial<HostCall> = {}): HostCall => ({
      kind: 'queryData',
      dataSource: ds(uid),
      queries: [{ refId: 'A', json: { queryType: 'http', url: '/', ...json }, from: 0, to: 1000, intervalMs: 1000 }],
      ...extra,
    });
    const bystander = (extra: Partial<HostCall> = {}) =>
      query('bystander', { rootSelector: 'items[id < 3].{"id": id, "name": name}' }, extra);
    const calls: HostCall[] = [
      { kind: 'collectMetrics', dataSource: ds('bystander') },
      ...Array.from({ length: 20 }, () => bystander()),
      ...RUNAWAYS.map(([, json]) => query('victim', json, { async: true })),
      ...Array.from({ length: BYSTANDERS }, () => bystander({ pauseMs: 100 })),
      { kind: 'collectMetrics', dataSource: ds('bystander'), waitAsync: true },
      { kind: 'collectMetrics', dataSource: ds('bystander'), pauseMs: IDLE_WAIT_MS },
    ];
    const run = await runGrafanaHostDetailed({
      env: {
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...EXTRA_ENV,
      },
      calls,
    });
    if (run.exitCode !== 0) throw new Error(`the host failed: ${run.error}\n${run.stderr.slice(-3000)}`);
    const r = run.results;
    const first = 1;
    const runawayAt = first + 20;
    const bystanderAt = runawayAt + RUNAWAYS.length;
    const runaways = r.slice(runawayAt, bystanderAt);
    const lastEnd = Math.max(...runaways.map((x) => x.endedMs));
    const during = r.slice(bystanderAt, bystanderAt + BYSTANDERS).filter((x) => x.startedMs < lastEnd);
    const bad = r
      .slice(first, bystanderAt + BYSTANDERS)
      .filter((x, i) => (i < 20 || i >= 20 + RUNAWAYS.length) && x.responses?.A.error);
    console.log(
      `Plugin ${run.results.length} calls; stderr has a V8 abort: ${/FATAL ERROR|Reached heap limit/.test(run.stderr)}; failed bystanders: ${bad.length}`,
    );
    console.log(`RSS at start (no query yet): ${rss(r[0])}`);
    console.log(
      `bystander alone (first is cold: ${r[first].elapsedMs.toFixed(1)} ms): ${stats(r.slice(first + 1, runawayAt).map((x) => x.elapsedMs))}`,
    );
    console.log(`bystander while runaways ran: ${stats(during.map((x) => x.elapsedMs))}`);
    const start = runaways[0].startedMs;
    const slowest = [...during].sort((a, b) => b.elapsedMs - a.elapsedMs).slice(0, 3);
    console.log(
      `  slowest: ${slowest.map((x) => `${x.elapsedMs.toFixed(0)} ms at +${(x.startedMs - start).toFixed(0)} ms`).join(', ')} (after the runaways started)`,
    );
    runaways.forEach((x, i) => {
      const resp = x.responses?.A;
      const outcome = resp?.error
        ? `${resp.status}: ${resp.error.slice(0, 90)}`
        : `${resp?.status} ok (${resp?.frames[0]?.rows ?? 0} rows)`;
      console.log(`runaway "${RUNAWAYS[i][0]}": ${(x.endedMs - x.startedMs).toFixed(0)} ms -> ${outcome}`);
    });
    console.log(
      `RSS after the runaways: ${rss(r[bystanderAt + BYSTANDERS])}; after ${IDLE_WAIT_MS / 1000} s idle: ${rss(r[bystanderAt + BYSTANDERS + 1])}`,
    );
  } finally {
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
