// The built executable under a low open-file limit (a bash wrapper lowers `ulimit -n`, then execs it), as on a
// host whose plugin limit is far below the data sources in use: queries that need a new socket fail, each
// with an error of its own that names EMFILE and says what to raise, and the process goes on answering
// queries and health checks of data sources whose sockets are open.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLUGIN_EXECUTABLE, runGrafanaHostDetailed, type HostCall } from './lib/grafanaHost';
import { startTarget } from '../scripts/soak';

const built = existsSync(PLUGIN_EXECUTABLE);
if (!built && (process.env.CI || process.env.SIGIL_REQUIRE_DIST)) {
  throw new Error(`${PLUGIN_EXECUTABLE} is missing; run npm run build`);
}
const describeBuilt = built ? describe : describe.skip;

/** Few descriptors beyond what the process holds at rest (about 25): a few dozen data sources exhaust them. */
const OPEN_FILE_LIMIT = 48;
const DATA_SOURCES = 60;

function dataSource(target: string, uid: string) {
  return {
    uid,
    name: uid,
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: target, service: 'execute-api' },
    secureJsonData: { accessKey: 'AKIAFDLIMITTEST00001', secretKey: `fd-limit-secret-${uid}-xxxxxxxxxxxxxxxx` },
    lastUpdatedMS: 1,
  };
}

describeBuilt('a low open-file limit', () => {
  let target: Awaited<ReturnType<typeof startTarget>>;
  let dir: string;
  beforeAll(async () => {
    target = await startTarget();
    dir = mkdtempSync(join(tmpdir(), 'sigil-fd-limit-'));
  });
  afterAll(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails only the queries that need a descriptor, with an EMFILE error that says what to raise', async () => {
    const wrapper = join(dir, 'low-nofile.sh');
    writeFileSync(wrapper, `#!/bin/bash\nulimit -n ${OPEN_FILE_LIMIT} || exit 97\nexec '${PLUGIN_EXECUTABLE}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const query = (uid: string): HostCall => ({
      kind: 'queryData',
      dataSource: dataSource(target.url, uid),
      queries: [{ refId: 'A', json: { url: '/rows', format: 'json' } }],
    });
    const first = dataSource(target.url, 'ds-0');
    // A new data source per query; every 5th call the first one again, whose kept-alive socket (used well
    // within its 30 s idle time) carries its queries through the exhaustion.
    const calls: HostCall[] = [];
    const roles: Array<'new' | 'first'> = [];
    for (let i = 0; i < DATA_SOURCES; i++) {
      calls.push(query(`ds-${i}`));
      roles.push('new');
      if (i % 5 === 4) {
        calls.push(query('ds-0'));
        roles.push('first');
      }
    }
    calls.push({ kind: 'checkHealth', dataSource: first }, { kind: 'collectMetrics' });
    const run = await runGrafanaHostDetailed({
      plugin: wrapper,
      // Sockets, instances and query workers outlive the run: no descriptor is freed meanwhile.
      env: { SIGIL_LOG_LEVEL: 'warn', SIGIL_QUERY_WORKER_IDLE_S: '3600' },
      valuesLimit: 1,
      calls,
    });
    expect({ exitCode: run.exitCode, error: run.error }).toEqual({ exitCode: 0, error: undefined });
    const results = run.results;
    expect(results).toHaveLength(calls.length);
    expect(results.filter((r) => r.grpcError)).toEqual([]);

    const churn = results.filter((_, i) => roles[i] === 'new').map((r) => r.responses?.A);
    const answered = churn.filter((r) => r && !r.error && r.frames.length > 0);
    const refused = churn.filter((r) => r?.error);
    // The limit was reached (the test is about it), and not at once (the process had descriptors to work with).
    expect(answered.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(answered.length + refused.length).toBe(DATA_SOURCES);
    for (const r of refused) {
      expect(r?.error).toMatch(
        /could not be sent: the plugin process has no file descriptor left \(EMFILE, too many open files\): raise its open-file limit \(ulimit -n/,
      );
      expect(r?.error).not.toMatch(/fd-limit-secret/);
      expect(r?.status).toBe(503);
    }

    const again = results.filter((_, i) => roles[i] === 'first').map((r) => r.responses?.A);
    expect(again.map((r) => r?.error ?? r?.frames[0]?.rows)).toEqual(again.map(() => 2));
    const [health, metrics] = results.slice(calls.length - 2);
    expect(health.status).toBe('OK');
    // Metrics answer too (the RSS and fd counts need a descriptor to read /proc, the instance gauges do not).
    expect(metrics.prometheus).toMatch(/^sigil_instances_live \d+$/m);
  });
});
