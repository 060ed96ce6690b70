// Soak (npx tsx scripts/soak.ts [--short] [--scale N] [--churn N] [--ttl seconds] [--settle seconds]
// [--only <name part>] [--json <file> for every sample]): five scenarios through the built executable under Grafana's Go plugin client
// (e2e/grafana-host), against a loopback target that checks each request is SigV4-signed. Samples RSS, open
// fds, live instances and registered secrets (CollectMetrics) during the run, after an idle time longer than
// the instance TTL and `--settle` seconds (default 60) after the last call; times 50 health checks of a probe
// data source before and after the scenario's calls (masking cost must not grow with history); prints one
// table. Needs `npm run build:backend` first. Prints numbers; asserts nothing (e2e/soak.e2e.test.ts asserts
// the shape). `--scale` scales every scenario's calls; `--churn` sets the number of distinct data sources of
// the churn scenario whatever the scale.
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runGrafanaHostDetailed, type HostCall, type HostDataSource, type HostResult } from '../e2e/lib/grafanaHost';

export interface Sample {
  /** Distinct data sources (uids) the scenario had called when the sample was taken. */
  dataSources: number;
  /** Milliseconds since the scenario's last data source call ended (idle samples), else 0. */
  sinceLastCallMs: number;
  rssMiB: number;
  fds: number;
  live: number;
  retiring: number;
  secrets: number;
}

export interface ScenarioResult {
  name: string;
  calls: number;
  unexpectedErrors: number;
  /** Samples during the run: the first before any data source call. */
  samples: Sample[];
  /** Samples after the idle time (the last one is the settled state, `settleMs` after the last call). */
  idle: Sample[];
  /** Health-check round trips (ms, as Grafana's client saw them) before and after the scenario's calls. */
  healthStartMs: number[];
  healthEndMs: number[];
  firstErrors: string[];
}

const CALLER_IDENTITY =
  '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/soak</Arn>' +
  '<UserId>AIDASOAK</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';

/** A loopback target: refuses unsigned requests, answers STS identity, rows, failures, slow and large answers. */
export async function startTarget(): Promise<{ url: string; close(): Promise<void> }> {
  const big = JSON.stringify(
    Array.from({ length: 100_000 }, (_, i) => ({
      id: i,
      name: `metric-${i}`,
      value: i / 7,
      tags: 'a,b,c,d,e,f,g,h,i,j,k,l,m',
    })),
  );
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!/^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? '')) {
        res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"missing SigV4 signature"}');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://target');
      const body = Buffer.concat(chunks).toString('utf8');
      if (body.includes('Action=GetCallerIdentity')) {
        res.writeHead(200, { 'content-type': 'text/xml' }).end(CALLER_IDENTITY);
      } else if (url.searchParams.has('fail')) {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end('{"__type":"InternalFailure","message":"soak failure"}');
      } else if (url.searchParams.has('slow')) {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('[{"v":1}]'), 200);
      } else if (url.pathname === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(big);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('[{"v":1,"name":"a"},{"v":2,"name":"b"}]');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function dataSource(target: string, uid: string, lastUpdatedMS = 1): HostDataSource {
  return {
    uid,
    name: uid,
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: target, service: 'execute-api' },
    // Distinct per data source, as real keys are: the redactor must hold only live instances' secrets.
    secureJsonData: {
      accessKey: `AKIASOAK${uid
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .padEnd(12, '0')
        .slice(0, 12)}`,
      secretKey: `soak-secret-${uid}-${'x'.repeat(24)}`,
    },
    lastUpdatedMS,
  };
}

export const query = (ds: HostDataSource, path: string, refId = 'A'): HostCall => ({
  kind: 'queryData',
  dataSource: ds,
  queries: [{ refId, json: { url: path, format: 'json' } }],
});
const metrics = (pauseMs = 0): HostCall => ({ kind: 'collectMetrics', pauseMs });

export interface Scenario {
  name: string;
  calls: (target: string) => HostCall[];
  /** Calls in flight together (Grafana's concurrent panels); 1 when unset. */
  callers?: number;
  /** refIds whose errors are part of the scenario (injected 500s). */
  expectedErrorRefIds?: string[];
}

/** The five scenarios; `n` scales the number of calls (full: 1, the e2e short mode: small fractions). */
export function scenarios(n: {
  steady: number;
  mixed: number;
  large: number;
  churn: number;
  updates: number;
}): Scenario[] {
  return [
    {
      name: 'steady, 4 callers, 1 data source',
      callers: 4,
      calls: (t) => Array.from({ length: n.steady }, () => query(dataSource(t, 'steady'), '/rows')),
    },
    {
      name: 'mixed health/preview/query, 1% 500s, 1% slow',
      expectedErrorRefIds: ['F'],
      calls: (t) =>
        Array.from({ length: n.mixed }, (_, i): HostCall => {
          const ds = dataSource(t, 'mixed');
          if (i % 100 === 7) return query(ds, '/rows?fail=1', 'F');
          if (i % 100 === 53) return query(ds, '/rows?slow=1');
          if (i % 3 === 1) return { kind: 'checkHealth', dataSource: ds };
          if (i % 3 === 2)
            return {
              kind: 'callResource',
              dataSource: ds,
              path: 'request',
              method: 'POST',
              bodyJson: { query: { url: '/rows' } },
            };
          return query(ds, '/rows');
        }),
    },
    {
      name: '~10 MB answers',
      calls: (t) => Array.from({ length: n.large }, () => query(dataSource(t, 'large'), '/big')),
    },
    {
      name: 'churn: a new data source uid per query',
      calls: (t) => Array.from({ length: n.churn }, (_, i) => query(dataSource(t, `churn-${i}`), '/rows')),
    },
    {
      name: 'churn: 50 uids, new lastUpdatedMS every 50 queries',
      calls: (t) =>
        Array.from({ length: n.updates }, (_, i) =>
          query(dataSource(t, `upd-${i % 50}`, 1 + Math.floor(i / 50)), '/rows'),
        ),
    },
  ];
}

/** A metric's value in CollectMetrics' Prometheus text (an unlabelled series), or NaN when absent. */
export function metric(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

function sampleOf(r: HostResult): Omit<Sample, 'dataSources' | 'sinceLastCallMs'> {
  const text = r.prometheus ?? '';
  return {
    rssMiB: metric(text, 'process_resident_memory_bytes') / 2 ** 20,
    fds: metric(text, 'process_open_fds'),
    live: metric(text, 'sigil_instances_live'),
    retiring: metric(text, 'sigil_instances_retiring'),
    secrets: metric(text, 'sigil_redactor_secrets'),
  };
}

/** The data source whose health checks time the masking and request path at the start and end of a run. */
const PROBE_UID = 'health-probe';

function distinctUid(call: HostCall): string | undefined {
  return call.dataSource?.uid;
}

export interface RunOptions {
  ttlSeconds: number;
  /** Samples during the run (about). */
  samples?: number;
  /** Samples after the idle time > TTL, a second apart. */
  idleSamples?: number;
  /** Health checks timed before and after the calls. */
  healthChecks?: number;
  /** The last sample is taken this long after the last call, when longer than the idle samples take (default 0). */
  settleMs?: number;
}

/** Runs one scenario on a fresh plugin process; samples during the run, after the idle time and at `settleMs`. */
export async function runScenario(scenario: Scenario, target: string, options: RunOptions): Promise<ScenarioResult> {
  const calls = scenario.calls(target);
  const every = Math.max(1, Math.floor(calls.length / (options.samples ?? 20)));
  const callers = Math.max(1, scenario.callers ?? 1);
  const healthChecks = options.healthChecks ?? 50;
  const probe: HostCall = { kind: 'checkHealth', dataSource: dataSource(target, PROBE_UID) };
  type Role = 'sample' | 'call' | 'warmUp' | 'healthStart' | 'healthEnd';
  const script: Array<{ call: HostCall; role: Role; seen: number }> = [];
  const seen = new Set<string>();
  const push = (call: HostCall, role: Role) => script.push({ call, role, seen: seen.size });
  push(metrics(), 'sample');
  // Untimed warm-up first (instance build, JIT), so start and end compare the same warm path.
  for (let i = 0; i < healthChecks; i++) push(probe, 'warmUp');
  for (let i = 0; i < healthChecks; i++) push(probe, 'healthStart');
  calls.forEach((c, i) => {
    const uid = distinctUid(c);
    if (uid !== undefined) seen.add(uid);
    // Groups of `callers` calls in flight together; the group after waits for them.
    const inGroup = i % callers;
    push({ ...c, async: callers > 1 && inGroup < callers - 1, waitAsync: callers > 1 && inGroup === 0 }, 'call');
    if ((i + 1) % every === 0) push({ ...metrics(), waitAsync: callers > 1 }, 'sample');
  });
  push({ ...metrics(), waitAsync: callers > 1 }, 'sample');
  for (let i = 0; i < healthChecks; i++) push(probe, 'healthEnd');
  // Idle: longer than the TTL plus a sweep period, then a few more samples a second apart, then the settled one.
  const idleMs = Math.ceil(options.ttlSeconds * 1000 * 1.5) + 1000;
  const idleSamples = Math.max(1, options.idleSamples ?? 3);
  push(metrics(idleMs), 'sample');
  for (let i = 1; i < idleSamples; i++) push(metrics(1000), 'sample');
  const idleSoFar = idleMs + (idleSamples - 1) * 1000;
  const settleMs = options.settleMs ?? 0;
  if (settleMs > idleSoFar) push(metrics(settleMs - idleSoFar), 'sample');
  const run = await runGrafanaHostDetailed({
    env: {
      SIGIL_INSTANCE_TTL_SECONDS: String(options.ttlSeconds),
      // Idle query workers exit on the same clock, so "back to the baseline" counts their descriptors too.
      SIGIL_QUERY_WORKER_IDLE_S: String(options.ttlSeconds),
      SIGIL_LOG_LEVEL: 'warn',
    },
    valuesLimit: 1,
    calls: script.map((s) => s.call),
  });
  if (run.exitCode !== 0)
    throw new Error(`grafana-host failed (exit ${run.exitCode}): ${run.error ?? ''}\n${run.stderr.slice(-2000)}`);
  const results = run.results;
  const firstErrors: string[] = [];
  let unexpectedErrors = 0;
  const note = (text: string) => {
    unexpectedErrors++;
    if (firstErrors.length < 5) firstErrors.push(text);
  };
  for (const r of results) {
    if (r.kind === 'collectMetrics') continue;
    if (r.grpcError) note(`${r.kind}: ${r.grpcError}`);
    else if (r.kind === 'checkHealth' && r.status !== 'OK') note(`health: ${r.message}`);
    else if (r.kind === 'callResource' && r.code !== 200) note(`resource ${r.code}: ${r.body?.slice(0, 200)}`);
    for (const [refId, resp] of Object.entries(r.responses ?? {})) {
      if (resp.error && !(scenario.expectedErrorRefIds ?? []).includes(refId)) note(`${refId}: ${resp.error}`);
    }
  }
  // The last data source call (scenario or probe) ends the busy time: idle samples count from it.
  let lastCallEnd = 0;
  results.forEach((r, i) => {
    if (script[i].role !== 'sample') lastCallEnd = Math.max(lastCallEnd, r.endedMs);
  });
  const all: Sample[] = [];
  results.forEach((r, i) => {
    if (script[i].role !== 'sample') return;
    const idle = r.startedMs > lastCallEnd;
    all.push({ ...sampleOf(r), dataSources: script[i].seen, sinceLastCallMs: idle ? r.startedMs - lastCallEnd : 0 });
  });
  const elapsed = (role: Role) => results.filter((_, i) => script[i].role === role).map((r) => r.elapsedMs);
  const idleCount = all.filter((s) => s.sinceLastCallMs > 0).length;
  return {
    name: scenario.name,
    calls: calls.length,
    unexpectedErrors,
    samples: all.slice(0, all.length - idleCount),
    idle: all.slice(-idleCount),
    healthStartMs: elapsed('healthStart'),
    healthEndMs: elapsed('healthEnd'),
    firstErrors,
  };
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Least-squares slope of RSS (MiB) per 1,000 distinct data sources, over the samples from `fromFraction` of
 * the run's data sources on (0: all; 0.5: the second half, once warm-up and the live-instance bound are
 * behind); NaN when the run saw fewer than 100.
 */
export function rssSlopePer1000(samples: Sample[], fromFraction = 0): number {
  const most = Math.max(0, ...samples.map((s) => s.dataSources));
  const points = samples.filter((s) => Number.isFinite(s.rssMiB) && s.dataSources >= most * fromFraction);
  if (points.length < 2 || most < 100) return NaN;
  const mx = points.reduce((a, s) => a + s.dataSources, 0) / points.length;
  const my = points.reduce((a, s) => a + s.rssMiB, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const s of points) {
    num += (s.dataSources - mx) * (s.rssMiB - my);
    den += (s.dataSources - mx) ** 2;
  }
  return den === 0 ? NaN : (num / den) * 1000;
}

export function formatTable(results: ScenarioResult[]): string {
  const f = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
  const rows = results.map((r) => {
    const first = r.samples[0];
    const last = r.samples[r.samples.length - 1];
    const afterTtl = r.idle[0];
    const settled = r.idle[r.idle.length - 1];
    const maxRss = Math.max(...r.samples.map((s) => s.rssMiB));
    const maxFds = Math.max(...r.samples.map((s) => s.fds));
    const maxSecrets = Math.max(...r.samples.map((s) => s.secrets));
    // Flat: once idle past the TTL, no instance, secret or descriptor is left beyond the start (1 fd of slack).
    const flat = settled.live === 0 && settled.secrets === 0 && settled.fds <= first.fds + 1;
    return [
      r.name,
      String(r.calls),
      String(r.unexpectedErrors),
      `${f(first.rssMiB)} → ${f(last.rssMiB)} (${f(maxRss)})`,
      `${f(rssSlopePer1000(r.samples))} / ${f(rssSlopePer1000(r.samples, 0.5))}`,
      `${first.fds} → ${last.fds} (${maxFds})`,
      `${last.live}`,
      `${last.secrets} (${maxSecrets})`,
      `${f(median(r.healthStartMs), 2)} → ${f(median(r.healthEndMs), 2)}`,
      `${afterTtl.fds} fds, ${afterTtl.live} live, ${afterTtl.secrets} secrets (${f(afterTtl.sinceLastCallMs / 1000, 0)} s)`,
      `${f(settled.rssMiB)} (${f(settled.sinceLastCallMs / 1000, 0)} s)`,
      flat ? 'flat' : 'grows',
    ].join(' | ');
  });
  return [
    '| run | calls | unexpected errors | RSS MiB start → end (max) | RSS MiB per 1,000 data sources (all / 2nd half) | fds start → end (max) | live instances at end | secrets at end (max) | health p50 ms start → end | after idle > TTL | RSS MiB after last call | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string, fallback: number) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const short = args.includes('--short');
  const scale = value('--scale', short ? 0.05 : 1);
  const ttlSeconds = value('--ttl', short ? 1 : 5);
  const settleMs = value('--settle', short ? 0 : 60) * 1000;
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const target = await startTarget();
  try {
    const results: ScenarioResult[] = [];
    const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
    for (const s of scenarios({
      steady: n(20_000),
      mixed: n(10_000),
      large: n(60),
      churn: args.includes('--churn') ? value('--churn', 6_000) : n(6_000),
      updates: n(10_000),
    })) {
      if (only !== undefined && !s.name.includes(only)) continue;
      const started = Date.now();
      const r = await runScenario(s, target.url, { ttlSeconds, settleMs });
      results.push(r);
      process.stderr.write(
        `${s.name}: ${r.calls} calls in ${((Date.now() - started) / 1000).toFixed(1)} s${r.firstErrors.length ? `; first errors: ${r.firstErrors.join(' | ')}` : ''}\n`,
      );
    }
    console.log(
      `instance TTL ${ttlSeconds} s (SIGIL_INSTANCE_TTL_SECONDS), one plugin process per run, ` +
        `health p50 of 50 checks of a probe data source (after 50 untimed) before and after the calls`,
    );
    console.log(formatTable(results));
    const json = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
    if (json !== undefined) writeFileSync(json, JSON.stringify({ ttlSeconds, settleMs, results }, null, 1));
  } finally {
    await target.close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
