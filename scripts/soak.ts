// Soak (npx tsx scripts/soak.ts [--short] [--scale N] [--ttl seconds] [--only <name part>]): five scenarios through the built
// executable under Grafana's Go plugin client (e2e/grafana-host), against a loopback target that checks each
// request is SigV4-signed. Samples RSS, open fds, live instances and registered secrets (CollectMetrics)
// during the run and after an idle time longer than the instance TTL, and prints one table. Needs
// `npm run build:backend` first. Prints numbers; asserts nothing (e2e/soak.e2e.test.ts asserts the shape).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runGrafanaHostDetailed, type HostCall, type HostDataSource, type HostResult } from '../e2e/lib/grafanaHost';

export interface Sample {
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
  /** Samples after the idle time (the last one is the settled state). */
  idle: Sample[];
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

function dataSource(target: string, uid: string, lastUpdatedMS = 1): HostDataSource {
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

const query = (ds: HostDataSource, path: string, refId = 'A'): HostCall => ({
  kind: 'queryData',
  dataSource: ds,
  queries: [{ refId, json: { url: path, format: 'json' } }],
});
const metrics = (pauseMs = 0): HostCall => ({ kind: 'collectMetrics', pauseMs });

export interface Scenario {
  name: string;
  calls: (target: string) => HostCall[];
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
      name: 'steady, 1 data source',
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

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

function sampleOf(r: HostResult): Sample {
  const text = r.prometheus ?? '';
  return {
    rssMiB: metric(text, 'process_resident_memory_bytes') / 2 ** 20,
    fds: metric(text, 'process_open_fds'),
    live: metric(text, 'sigil_instances_live'),
    retiring: metric(text, 'sigil_instances_retiring'),
    secrets: metric(text, 'sigil_redactor_secrets'),
  };
}

/** Runs one scenario on a fresh plugin process; samples every `every` calls and `idleSamples` times after the idle time. */
export async function runScenario(
  scenario: Scenario,
  target: string,
  options: { ttlSeconds: number; samples?: number; idleSamples?: number },
): Promise<ScenarioResult> {
  const calls = scenario.calls(target);
  const every = Math.max(1, Math.floor(calls.length / (options.samples ?? 20)));
  const script: HostCall[] = [metrics()];
  calls.forEach((c, i) => {
    script.push(c);
    if ((i + 1) % every === 0) script.push(metrics());
  });
  // Idle: longer than the TTL plus a sweep period, then a few more samples a second apart.
  const idleMs = Math.ceil(options.ttlSeconds * 1000 * 1.5) + 1000;
  script.push(metrics(idleMs));
  for (let i = 1; i < (options.idleSamples ?? 3); i++) script.push(metrics(1000));
  const run = await runGrafanaHostDetailed({
    env: {
      SIGIL_INSTANCE_TTL_SECONDS: String(options.ttlSeconds),
      // Idle query workers exit on the same clock, so "back to the baseline" counts their descriptors too.
      SIGIL_QUERY_WORKER_IDLE_S: String(options.ttlSeconds),
      SIGIL_LOG_LEVEL: 'warn',
    },
    valuesLimit: 1,
    calls: script,
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
  const all = results.filter((r) => r.kind === 'collectMetrics').map(sampleOf);
  const idleCount = options.idleSamples ?? 3;
  return {
    name: scenario.name,
    calls: calls.length,
    unexpectedErrors,
    samples: all.slice(0, all.length - idleCount),
    idle: all.slice(-idleCount),
    firstErrors,
  };
}

export function formatTable(results: ScenarioResult[]): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '?');
  const rows = results.map((r) => {
    const first = r.samples[0];
    const last = r.samples[r.samples.length - 1];
    const settled = r.idle[r.idle.length - 1];
    const maxRss = Math.max(...r.samples.map((s) => s.rssMiB));
    const maxFds = Math.max(...r.samples.map((s) => s.fds));
    const maxSecrets = Math.max(...r.samples.map((s) => s.secrets));
    return `| ${r.name} | ${r.calls} | ${r.unexpectedErrors} | ${f(first.rssMiB)} → ${f(last.rssMiB)} (${f(maxRss)}) MiB | ${first.fds} → ${last.fds} (${maxFds}) | ${last.live} | ${last.secrets} (${maxSecrets}) | ${settled.fds} fds, ${settled.live} live, ${settled.secrets} secrets, ${f(settled.rssMiB)} MiB |`;
  });
  return [
    '| run | calls | unexpected errors | RSS start → end (max) | fds start → end (max) | live instances at end | secrets at end (max) | after idle > TTL |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
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
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const target = await startTarget();
  try {
    const results: ScenarioResult[] = [];
    const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
    for (const s of scenarios({
      steady: n(20_000),
      mixed: n(10_000),
      large: n(60),
      churn: n(6_000),
      updates: n(10_000),
    })) {
      if (only !== undefined && !s.name.includes(only)) continue;
      const started = Date.now();
      const r = await runScenario(s, target.url, { ttlSeconds });
      results.push(r);
      process.stderr.write(
        `${s.name}: ${r.calls} calls in ${((Date.now() - started) / 1000).toFixed(1)} s${r.firstErrors.length ? `; first errors: ${r.firstErrors.join(' | ')}` : ''}\n`,
      );
    }
    console.log(`instance TTL ${ttlSeconds} s (SIGIL_INSTANCE_TTL_SECONDS), one caller, one plugin process per run`);
    console.log(formatTable(results));
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
