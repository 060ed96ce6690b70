// The soak script's short mode: data sources churned through the built executable, then an idle time
// longer than the instance TTL. Asserts the resource shape (CollectMetrics), never timings: instances
// are disposed after the idle time, their sockets closed and their secrets forgotten, and at no point
// does the redactor hold more secrets than the live instances own.
import { existsSync } from 'node:fs';
import { PLUGIN_EXECUTABLE } from './lib/grafanaHost';
import { formatTable, runScenario, scenarios, startTarget } from '../scripts/soak';

const built = existsSync(PLUGIN_EXECUTABLE);
if (!built && (process.env.CI || process.env.SIGIL_REQUIRE_DIST)) {
  throw new Error(`${PLUGIN_EXECUTABLE} is missing; run npm run build`);
}
const describeBuilt = built ? describe : describe.skip;

/** Each soak data source registers two secrets (access key and secret key). */
const SECRETS_PER_INSTANCE = 2;

describeBuilt('soak, short mode', () => {
  let target: Awaited<ReturnType<typeof startTarget>>;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  const [, , , churn, updates] = scenarios({ steady: 1, mixed: 1, large: 1, churn: 40, updates: 120 });

  it.each([
    { name: churn.name, scenario: churn, distinct: 40 },
    { name: updates.name, scenario: updates, distinct: 50 },
  ])('$name: instances, sockets and secrets go back after the idle time', async ({ scenario, distinct }) => {
    const r = await runScenario(scenario, target.url, { ttlSeconds: 1, samples: 8, idleSamples: 3, healthChecks: 5 });
    expect(r.firstErrors).toEqual([]);
    expect(r.unexpectedErrors).toBe(0);
    // The script's own numbers are there (health probes timed, data sources counted), whatever their values.
    expect([r.healthStartMs.length, r.healthEndMs.length]).toEqual([5, 5]);
    expect([...r.healthStartMs, ...r.healthEndMs].every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
    expect(r.samples[r.samples.length - 1].dataSources).toBe(distinct);
    expect(r.idle.map((s) => s.sinceLastCallMs > 0)).toEqual([true, true, true]);
    const baseline = r.samples[0];
    expect(baseline.live).toBe(0);
    // The churn really built instances (so the checks below are not about an idle process).
    expect(Math.max(...r.samples.map((s) => s.live))).toBeGreaterThan(1);
    for (const s of [...r.samples, ...r.idle]) {
      expect({ ...s, secretsWithinLive: s.secrets <= SECRETS_PER_INSTANCE * (s.live + s.retiring) }).toMatchObject({
        secretsWithinLive: true,
      });
    }
    const settled = r.idle[r.idle.length - 1];
    expect({ live: settled.live, retiring: settled.retiring, secrets: settled.secrets }).toEqual({
      live: 0,
      retiring: 0,
      secrets: 0,
    });
    // Sockets of disposed instances are closed: back to the baseline (one descriptor of slack for the runtime).
    expect(settled.fds).toBeLessThanOrEqual(baseline.fds + 1);
    // The printed row has a cell under every heading, and its verdict agrees with the checks above.
    const [heading, , row] = formatTable([r]).split('\n');
    expect(row.split(' | ')).toHaveLength(heading.split(' | ').length);
    expect(row).toMatch(/ \| flat \|$/);
  });
});
