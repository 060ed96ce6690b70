// Query isolation through the BUILT plugin under Grafana's plugin client: runaway queries of one data source
// (over the time budget, over the memory budget, catastrophic regexes) end with their own errors while another
// data source's queries are answered meanwhile, and the process lives on (no V8 heap abort, still answering).
import { runGrafanaHostDetailed, type HostCall, type HostDataSource, type HostRun } from './lib/grafanaHost';
import { startFake, type FakeServer } from './lib/fakes/server';

const ISOLATED_ENV = { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' };
// Budgets lowered so that the runaway cases end quickly; the defaults are documented in docs/query-isolation.md.
const BUDGET_ENV = { SIGIL_QUERY_TIME_BUDGET_S: '3', SIGIL_QUERY_MEMORY_MB: '256' };

const ITEMS = Array.from({ length: 300 }, (_, i) => ({ id: i, name: `n${i}`, tags: Array.from({ length: 300 }, (_, k) => k) }));
const ANSWER = JSON.stringify({ items: ITEMS, evil: `${'a'.repeat(40)}!` });

const ENDLESS = '($f := function($x){ $f($x) }; $f(1))';
// Each extend makes every row's text 4 times longer: 300 rows of 4^14 x 4 characters, far past the memory
// budget (a query of this shape used to abort the whole process at V8's heap limit).
const EXPLODING = `parse-json | scope "items" | project "s"="name"${' | extend "s"=strcat("s", "s", "s", "s")'.repeat(14)}`;

let server: FakeServer;
let run: HostRun;

function dataSource(uid: string): HostDataSource {
  return {
    uid, name: uid, lastUpdatedMS: 1,
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: server.url, service: 'execute-api' },
    secureJsonData: { accessKey: 'AKIAISOLATION0000001', secretKey: 'isolation-secret-key-0000000000000000001' },
  };
}

function query(dsUid: string, refId: string, json: Record<string, unknown>, extra: Partial<HostCall> = {}): HostCall {
  return { kind: 'queryData', dataSource: dataSource(dsUid), queries: [{ refId, json: { queryType: 'http', url: '/', ...json }, from: 0, to: 1000, intervalMs: 1000 }], ...extra };
}

const bystander = (extra: Partial<HostCall> = {}) => query('bystander', 'B', { rootSelector: 'items[id < 3].{"id": id, "name": name}' }, extra);

beforeAll(async () => {
  server = await startFake((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(ANSWER);
  });
  run = await runGrafanaHostDetailed({
    env: { ...ISOLATED_ENV, ...BUDGET_ENV },
    calls: [
      bystander(), // 0: warms the plugin (instance, first worker)
      query('victim', 'T', { rootSelector: ENDLESS }, { async: true }), // 1: over the time budget
      query('victim', 'M', { format: 'uql', uql: EXPLODING }, { async: true }), // 2: over the memory budget
      bystander({ pauseMs: 300 }), // 3..5: another data source meanwhile
      bystander(),
      bystander(),
      query('victim', 'R', { rootSelector: '$match(evil, /^(a+)+$/)' }, { async: true }), // 6: catastrophic regex (RE2)
      query('victim', 'U', { format: 'uql', uql: "parse-json | where \"evil\" matches '^(a+)+$' | count" }, { async: true }), // 7
      bystander({ waitAsync: true }), // 8: after every runaway ended
      { kind: 'collectMetrics', dataSource: dataSource('bystander'), waitAsync: true }, // 9
    ],
  });
}, 180_000);

afterAll(async () => {
  await server?.close();
});

it('runs the whole script on one plugin process that never dies', () => {
  expect({ exitCode: run.exitCode, error: run.error }).toEqual({ exitCode: 0, error: undefined });
  expect(run.stderr).not.toMatch(/FATAL ERROR|Reached heap limit|Unavailable|uncaught|unhandled/i);
  for (const r of run.results) expect(r.grpcError).toBeUndefined();
});

it('ends the runaway queries with their own errors that name the budget and what to do', () => {
  const time = run.results[1].responses?.T;
  expect(time?.status).toBe(422);
  expect(time?.errorSource).toBe('plugin');
  expect(time?.error).toMatch(/^the query's processing exceeded its time budget \(3 s\) and was stopped; narrow the root selector/);
  const memory = run.results[2].responses?.M;
  expect(memory?.status).toBe(422);
  expect(memory?.error).toMatch(/^the query's processing exceeded its memory budget \(256 MiB\) and was stopped; /);
});

it('answers the other data source\'s queries while the runaway ones run, before their errors', () => {
  const runawayEnds = Math.min(run.results[1].endedMs, run.results[2].endedMs);
  for (const i of [3, 4, 5]) {
    const r = run.results[i];
    expect(r.responses?.B.error).toBeUndefined();
    expect(r.responses?.B.frames[0].rows).toBe(3);
    expect(r.startedMs).toBeGreaterThan(run.results[2].startedMs);
    expect(r.endedMs).toBeLessThan(runawayEnds);
  }
  const waits = [3, 4, 5].map((i) => run.results[i].elapsedMs);
  process.stdout.write(`isolation e2e: bystander query times while runaway queries ran: ${waits.map((w) => w.toFixed(1)).join(', ')} ms\n`);
});

it('matches catastrophic regexes in linear time (RE2) in JSONata and UQL', () => {
  const regex = run.results[6].responses?.R;
  expect(regex?.error).toBeUndefined();
  expect(regex?.frames[0]?.rows ?? 0).toBe(0); // no match, found without backtracking
  const uql = run.results[7].responses?.U;
  expect(uql?.error).toBeUndefined();
  expect(uql?.frames[0].fields[0].values).toEqual([0]);
});

it('still answers after the runaway queries', () => {
  expect(run.results[8].startedMs).toBeGreaterThanOrEqual(Math.max(run.results[1].endedMs, run.results[2].endedMs));
  expect(run.results[8].responses?.B.frames[0].fields.map((f) => f.values)).toEqual([[0, 1, 2], ['n0', 'n1', 'n2']]);
  const rss = /^process_resident_memory_bytes(?:\{[^}]*\})? (\S+)$/m.exec(run.results[9].prometheus ?? '');
  expect(rss).not.toBeNull();
  process.stdout.write(`isolation e2e: plugin RSS after the runaway queries: ${(Number(rss?.[1]) / 2 ** 20).toFixed(0)} MiB\n`);
});
