// Start-up and per-query overhead benchmark (npx tsx scripts/bench-overhead.ts [plugin executable ...]), for
// each executable given (default: dist's), alternating between them run by run: exec to the handshake line
// (median of 40 starts), then through Grafana's Go plugin client (e2e/grafana-host) three small queries: a signed one (a 2-row JSON answer from a loopback target that refuses unsigned
// requests, scripts/soak.ts's), a signed STS GetCallerIdentity (XML) to the same target, and an echo query (a 20-row frame, no network: protocol and Arrow encoding
// only). Prints per executable and query the median over runs of the QueryData p50, the CPU per query of
// host and plugin together: (CPU of a run with W+N calls - CPU of a run with W calls) / N, from /usr/bin/time,
// and the plugin's own CPU per query (its process_cpu_seconds_total, read through CollectMetrics before and
// after the N calls), which leaves out the Go host's share and so varies less between runs.
// BENCH_WARMUP sets W (default 20: a query of a plugin just started, when most of its code is not yet
// optimised; 3000 shows a long-running plugin, where the host + plugin figure, a difference of two long runs,
// is mostly noise and the plugin's own is the one to read).
// Each run also times the signed request sent directly from the Go host's own process, without a plugin
// (scripts/directSigned.ts; as issue 13 measured its starting point), the floor, and for reference from this
// process, whose target runs in the same process (no process switch, unlike any real request):
// the signed query's overhead is its p50 minus the floor's, per run, and with several executables each one's
// overhead divided by the first's, run by run.
// BENCH_CURVE=N prints instead how the signed query's overhead falls over a plugin's first N calls (per window of
// CURVE_WINDOW calls, each executable in one host run of N calls, alternating, RUNS times): V8 optimises a
// function after hundreds of calls, so a plugin just started and one that has served thousands differ.
// Needs `npm run build:backend` first. Prints numbers; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGrafanaHostBinary, PLUGIN_EXECUTABLE, type HostCall, type HostResult } from '../e2e/lib/grafanaHost';
import { metric, startTarget } from './soak';
import { directSignedP50, goDirectSignedP50 } from './directSigned';
import { DEFAULT_QUERY } from '../src/shared/query';

const STARTS = 40;
const RUNS = 7;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const CALLS = 300;
const CURVE = Number(process.env.BENCH_CURVE ?? 0);
const CURVE_WINDOW = 300;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// The starts are killed at the handshake line (SIGKILL: no clean-up), so their unix sockets go in a folder
// removed at the end.
const SOCKET_DIR = mkdtempSync(join(tmpdir(), 'sigil-bench-'));
const PLUGIN_ENV = {
  ...process.env,
  grafana_plugin_type: 'datasource',
  PLUGIN_PROTOCOL_VERSIONS: '2',
  PLUGIN_UNIX_SOCKET_DIR: SOCKET_DIR,
};

/** Milliseconds from spawning the executable to its handshake line on stdout. */
function startToHandshake(plugin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(plugin, [], { env: PLUGIN_ENV, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.once('error', reject);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!out.includes('\n')) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.once('exit', () =>
        /^1\|2\|(tcp|unix)\|/.test(out) ? resolve(ms) : reject(new Error(`unexpected handshake ${out}`)),
      );
      child.kill('SIGKILL');
    });
  });
}

/** The plugin's CPU seconds so far, from a CollectMetrics answer. */
function pluginCpuSeconds(result: HostResult): number {
  const seconds = metric(result.prometheus ?? '', 'process_cpu_seconds_total');
  if (Number.isNaN(seconds))
    throw new Error(`no process_cpu_seconds_total in CollectMetrics: ${JSON.stringify(result).slice(0, 300)}`);
  return seconds;
}

/** One host run: the results and the CPU seconds (user + system) of the host and the plugin it waited for. */
function run(plugin: string, calls: HostCall[]): Promise<{ results: HostResult[]; cpu: number }> {
  const bin = ensureGrafanaHostBinary();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'CPU %U %S', bin], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', () => {
      const stderr = Buffer.concat(err).toString();
      const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      try {
        const parsed = JSON.parse(Buffer.concat(out).toString()) as { results: HostResult[] | null };
        if (!cpu) throw new Error('no CPU line');
        resolve({ results: parsed.results ?? [], cpu: Number(cpu[1]) + Number(cpu[2]) });
      } catch (e) {
        reject(new Error(`host run failed: ${(e as Error).message}\n${stderr.slice(-2000)}`));
      }
    });
    child.stdin.end(JSON.stringify({ plugin, valuesLimit: 1, calls }));
  });
}

/** Throws on the first query whose call or answer failed: a benchmark of failures measures nothing. */
function throwOnFailedQuery(results: HostResult[]): void {
  for (const x of results) {
    const resp = Object.values(x.responses ?? {})[0];
    if (x.grpcError || !resp || resp.error || resp.decodeError)
      throw new Error(`query failed: ${JSON.stringify(x).slice(0, 400)}`);
  }
}

/**
 * The signed query's overhead over the floor per window of CURVE_WINDOW calls, over each executable's first
 * CURVE calls (one host run each, executables alternating), RUNS times: medians per window, and each
 * executable's overhead divided by the first's, window by window.
 */
async function overheadCurve(plugins: string[], signed: HostCall, floor: () => Promise<number>): Promise<void> {
  const windows = Math.floor(CURVE / CURVE_WINDOW);
  if (windows < 1) throw new Error(`BENCH_CURVE must be at least ${CURVE_WINDOW}`);
  // overheads.get(plugin)[window][run]
  const overheads = new Map(plugins.map((p) => [p, Array.from({ length: windows }, () => [] as number[])]));
  for (let r = 0; r < RUNS; r++) {
    const f = await floor();
    for (const plugin of plugins) {
      const { results } = await run(plugin, Array(windows * CURVE_WINDOW).fill(signed));
      throwOnFailedQuery(results);
      for (let w = 0; w < windows; w++) {
        const window = results.slice(w * CURVE_WINDOW, (w + 1) * CURVE_WINDOW).map((x) => x.elapsedMs);
        overheads.get(plugin)![w].push(median(window) - f);
      }
    }
  }
  console.log(
    `signed query's overhead over the floor (ms), median of ${RUNS} runs, by window of ${CURVE_WINDOW} calls`,
  );
  const calls = (w: number) => `calls ${w * CURVE_WINDOW + 1}-${(w + 1) * CURVE_WINDOW}`;
  for (const plugin of plugins) {
    console.log(plugin);
    console.log(
      '  ' +
        overheads
          .get(plugin)!
          .map((o, w) => `${calls(w)}: ${median(o).toFixed(2)}`)
          .join(', '),
    );
  }
  const first = overheads.get(plugins[0])!;
  for (const plugin of plugins.slice(1)) {
    // Run by run within a window (the same minutes for both), then the median over runs.
    const ratios = overheads.get(plugin)!.map((o, w) => median(o.map((x, r) => x / first[w][r])));
    console.log(`overhead of ${plugin} / ${plugins[0]}, median of the runs' ratios, by window`);
    console.log('  ' + ratios.map((x, w) => `${calls(w)}: ${x.toFixed(2)}`).join(', '));
  }
}

async function main(): Promise<void> {
  const plugins = process.argv.length > 2 ? process.argv.slice(2) : [PLUGIN_EXECUTABLE];
  const starts = new Map<string, number[]>(plugins.map((p) => [p, []]));
  for (let i = 0; i < STARTS; i++) for (const p of plugins) starts.get(p)!.push(await startToHandshake(p));
  console.log(`exec → handshake line: median (min) of ${STARTS} starts`);
  for (const p of plugins)
    console.log(`  ${p}: ${median(starts.get(p)!).toFixed(0)} ms (${Math.min(...starts.get(p)!).toFixed(0)} ms)`);
  const target = await startTarget();
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: `bench-secret-${'x'.repeat(28)}` };
  const signed: HostCall = {
    kind: 'queryData',
    dataSource: {
      uid: 'bench',
      name: 'bench',
      jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: target.url, service: 'execute-api' },
      secureJsonData: { accessKey: credentials.accessKeyId, secretKey: credentials.secretAccessKey },
      lastUpdatedMS: 1,
    },
    queries: [{ refId: 'A', json: { url: '/rows', format: 'json' } }],
  };
  const echo: HostCall = {
    kind: 'queryData',
    dataSource: { uid: 'echo', jsonData: {} },
    queries: [{ refId: 'A', queryType: 'echo', json: { values: Array.from({ length: 20 }, (_, i) => i / 3) } }],
  };
  // An AWS Query API call answering in XML: the editor's default query (STS GetCallerIdentity), sent to the target.
  const xml: HostCall = { ...signed, queries: [{ refId: 'A', json: { ...DEFAULT_QUERY, url: '/' } }] };
  if (CURVE > 0) {
    try {
      await overheadCurve(plugins, signed, () => goDirectSignedP50(`${target.url}/rows`, CALLS, credentials));
    } finally {
      await target.close();
    }
    return;
  }
  const cases = [
    ['small signed query', signed],
    ['signed XML query', xml],
    ['echo, 20 rows', echo],
  ] as const;
  const key = (plugin: string, name: string) => `${plugin}\t${name}`;
  const keys = plugins.flatMap((p) => cases.map(([name]) => key(p, name)));
  const p50s = new Map<string, number[]>(keys.map((k) => [k, []]));
  const cpus = new Map<string, number[]>(keys.map((k) => [k, []]));
  const pluginCpus = new Map<string, number[]>(keys.map((k) => [k, []]));
  const overheads = new Map<string, number[]>(plugins.map((p) => [p, []]));
  const floors: number[] = [];
  const nodeFloors: number[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      const floor = await goDirectSignedP50(`${target.url}/rows`, CALLS, credentials);
      floors.push(floor);
      nodeFloors.push(await directSignedP50(`${target.url}/rows`, CALLS, credentials));
      for (const plugin of plugins)
        for (const [name, call] of cases) {
          const base = await run(plugin, Array(WARMUP).fill(call));
          const metrics: HostCall = { kind: 'collectMetrics' };
          const full = await run(plugin, [...Array(WARMUP).fill(call), metrics, ...Array(CALLS).fill(call), metrics]);
          const [before, after] = full.results.filter((x) => x.kind === 'collectMetrics').map(pluginCpuSeconds);
          const results = full.results.filter((x) => x.kind !== 'collectMetrics');
          throwOnFailedQuery(results);
          p50s.get(key(plugin, name))!.push(median(results.slice(WARMUP).map((x) => x.elapsedMs)));
          cpus.get(key(plugin, name))!.push(((full.cpu - base.cpu) / CALLS) * 1000);
          pluginCpus.get(key(plugin, name))!.push(((after - before) / CALLS) * 1000);
          if (call === signed) overheads.get(plugin)!.push(p50s.get(key(plugin, name))!.at(-1)! - floor);
        }
    }
  } finally {
    await target.close();
  }
  console.log(`medians of ${RUNS} runs of ${CALLS} sequential calls after ${WARMUP} warm-up calls`);
  console.log(`direct signed request from the Go host (the floor): p50 ${median(floors).toFixed(2)} ms`);
  console.log(`  the same from this process, target in the same process: p50 ${median(nodeFloors).toFixed(2)} ms`);
  for (const plugin of plugins) {
    console.log(plugin);
    for (const [name] of cases) {
      const k = key(plugin, name);
      console.log(
        `  ${name.padEnd(20)} QueryData p50 ${median(p50s.get(k)!).toFixed(2)} ms, CPU per query (host + plugin) ${median(cpus.get(k)!).toFixed(2)} ms, plugin alone ${median(pluginCpus.get(k)!).toFixed(3)} ms`,
      );
    }
    console.log(`  signed query's overhead over the floor: ${median(overheads.get(plugin)!).toFixed(2)} ms`);
  }
  // Each run measures every executable within the same minutes, so its ratio to the first executable's
  // overhead carries less of the machine's drift than the ratio of the medians.
  const first = overheads.get(plugins[0])!;
  const firstCpu = pluginCpus.get(key(plugins[0], cases[0][0]))!;
  for (const plugin of plugins.slice(1)) {
    const ratios = overheads.get(plugin)!.map((o, r) => o / first[r]);
    console.log(
      `overhead of ${plugin} / ${plugins[0]}, run by run: ${ratios.map((x) => x.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)})`,
    );
    const cpuRatios = pluginCpus.get(key(plugin, cases[0][0]))!.map((c, r) => c / firstCpu[r]);
    console.log(
      `  its plugin CPU per signed query / the first's, run by run: ${cpuRatios.map((x) => x.toFixed(2)).join(' ')} (median ${median(cpuRatios).toFixed(2)})`,
    );
  }
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(SOCKET_DIR, { recursive: true, force: true }));
