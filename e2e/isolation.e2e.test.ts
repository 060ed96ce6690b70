// Query isolation through the BUILT plugin under Grafana's plugin client: runaway queries of one data source
// (over the time budget, over the memory budget, catastrophic regexes) end with their own errors while another
// data source's queries are answered meanwhile, and the process lives on (no V8 heap abort, still answering).
import { runGrafanaHostDetailed, type HostCall, type HostDataSource, type HostRun } from './lib/grafanaHost';
import { startFake, type FakeServer } from './lib/fakes/server';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};
// Two plugin processes, so that each runaway meets the budget it is about and not the other one on a busy
// machine: a time budget lowered to 3 s, and a memory budget lowered to 256 MiB with time to reach it.
const TIME_ENV = { SIGIL_QUERY_TIME_BUDGET_S: '3' };
const MEMORY_ENV = { SIGIL_QUERY_TIME_BUDGET_S: '300', SIGIL_QUERY_MEMORY_MB: '256' };

const ITEMS = Array.from({ length: 300 }, (_, i) => ({
  id: i,
  name: `n${i}`,
  tags: Array.from({ length: 300 }, (_, k) => k),
}));
const ANSWER = JSON.stringify({ items: ITEMS, evil: `${'a'.repeat(40)}!` });

const ENDLESS = '($f := function($x){ $f($x) }; $f(1))';
// Each extend makes every row's text 4 times longer: 300 rows of 4^14 x 4 characters, far past the memory
// budget (a query of this shape used to abort the whole process at V8's heap limit).
const EXPLODING = `parse-json | scope "items" | project "s"="name"${' | extend "s"=strcat("s", "s", "s", "s")'.repeat(14)}`;

let server: FakeServer;
let timeRun: HostRun;
let memoryRun: HostRun;

function dataSource(uid: string): HostDataSource {
  return {
    uid,
    name: uid,
    lastUpdatedMS: 1,
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: server.url, service: 'execute-api' },
    secureJsonData: { accessKey: 'AKIAISOLATION0000001', secretKey: 'isolation-secret-key-0000000000000000001' },
  };
}

function query(dsUid: string, refId: string, json: Record<string, unknown>, extra: Partial<HostCall> = {}): HostCall {
  return {
    kind: 'queryData',
    dataSource: dataSource(dsUid),
    queries: [{ refId, json: { queryType: 'http', url: '/', ...json }, from: 0, to: 1000, intervalMs: 1000 }],
    ...extra,
  };
}

const bystander = (extra: Partial<HostCall> = {}) =>
  query('bystander', 'B', { rootSelector: 'items[id < 3].{"id": id, "name": name}' }, extra);

beforeAll(async () => {
  server = await startFake((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(ANSWER);
  });
  timeRun = await runGrafanaHostDetailed({
    env: { ...ISOLATED_ENV, ...TIME_ENV },
    calls: [
      bystander(), // 0: warms the plugin (instance, first worker)
      query('victim', 'T', { rootSelector: ENDLESS }, { async: true }), // 1: over the time budget
      bystander({ pauseMs: 300 }), // 2..4: another data source meanwhile
      bystander(),
      bystander(),
      query('victim', 'R', { rootSelector: '$match(evil, /^(a+)+$/)' }, { async: true }), // 5: catastrophic regex (RE2)
      query(
        'victim',
        'U',
        { format: 'uql', uql: 'parse-json | where "evil" matches \'^(a+)+$\' | count' },
        { async: true },
      ), // 6
      bystander({ waitAsync: true }), // 7: after every runaway ended
    ],
  });
  memoryRun = await runGrafanaHostDetailed({
    env: { ...ISOLATED_ENV, ...MEMORY_ENV },
    calls: [
      bystander(), // 0
      query('victim', 'M', { format: 'uql', uql: EXPLODING }, { async: true }), // 1: over the memory budget
      bystander({ pauseMs: 300 }), // 2..4
      bystander(),
      bystander(),
      bystander({ waitAsync: true }), // 5: after the runaway ended
      { kind: 'collectMetrics', dataSource: dataSource('bystander') }, // 6
    ],
  });
});

afterAll(async () => {
  await server?.close();
});

it('runs each script on one plugin process that never dies', () => {
  for (const run of [timeRun, memoryRun]) {
    expect({ exitCode: run.exitCode, error: run.error }).toEqual({ exitCode: 0, error: undefined });
    expect(run.stderr).not.toMatch(/FATAL ERROR|Reached heap limit|Unavailable|uncaught|unhandled/i);
    for (const r of run.results) expect(r.grpcError).toBeUndefined();
  }
});

it('ends the runaway queries with their own errors that name the budget and what to do', () => {
  const time = timeRun.results[1].responses?.T;
  expect(time?.status).toBe(422);
  expect(time?.errorSource).toBe('plugin');
  expect(time?.error).toMatch(
    /^the query's processing exceeded its time budget \(3 s\) and was stopped; narrow the root selector/,
  );
  const memory = memoryRun.results[1].responses?.M;
  expect(memory?.status).toBe(422);
  expect(memory?.errorSource).toBe('plugin');
  expect(memory?.error).toMatch(/^the query's processing exceeded its memory budget \(256 MiB\) and was stopped; /);
});

it("answers the other data source's queries while a runaway one runs, before its error", () => {
  for (const run of [timeRun, memoryRun]) {
    const runaway = run.results[1];
    for (const i of [2, 3, 4]) {
      const r = run.results[i];
      expect(r.responses?.B.error).toBeUndefined();
      expect(r.responses?.B.frames[0].rows).toBe(3);
      expect(r.startedMs).toBeGreaterThan(runaway.startedMs);
      // The time runaway ends only at its 3 s budget, so the bystanders must be answered before it. A memory
      // runaway ends whenever its heap fills, which a quiet machine does in well under a second: there the
      // bystanders must be answered and the process live (checked above), whichever finished first.
      if (run === timeRun) expect(r.endedMs).toBeLessThan(runaway.endedMs);
    }
    const times = [2, 3, 4].map((i) => run.results[i].elapsedMs.toFixed(1)).join(', ');
    process.stdout.write(`isolation e2e: bystander query times while a runaway query ran: ${times} ms\n`);
  }
});

it('matches catastrophic regexes in linear time (RE2) in JSONata and UQL', () => {
  const regex = timeRun.results[5].responses?.R;
  expect(regex?.error).toBeUndefined();
  expect(regex?.frames[0]?.rows ?? 0).toBe(0); // no match, found without backtracking
  const uql = timeRun.results[6].responses?.U;
  expect(uql?.error).toBeUndefined();
  expect(uql?.frames[0].fields[0].values).toEqual([0]);
});

it('still answers after the runaway queries', () => {
  for (const [run, last] of [
    [timeRun, 7],
    [memoryRun, 5],
  ] as const) {
    expect(run.results[last].startedMs).toBeGreaterThanOrEqual(run.results[1].endedMs);
    expect(run.results[last].responses?.B.frames[0].fields.map((f) => f.values)).toEqual([
      [0, 1, 2],
      ['n0', 'n1', 'n2'],
    ]);
  }
  const rss = /^process_resident_memory_bytes(?:\{[^}]*\})? (\S+)$/m.exec(memoryRun.results[6].prometheus ?? '');
  expect(rss).not.toBeNull();
  process.stdout.write(
    `isolation e2e: plugin RSS after the memory runaway: ${(Number(rss?.[1]) / 2 ** 20).toFixed(0)} MiB\n`,
  );
});
