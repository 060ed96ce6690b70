// 8-caller peak benchmark (npx tsx scripts/bench-peak.ts [plugin executable ...]; BENCH_ROUNDS, default 3):
// for each executable given (default: dist's), alternating between them round by round, a fresh plugin process
// started through Grafana's Go plugin client (e2e/grafana-host) answers 221 sequential small signed queries,
// then 8 concurrent callers for 10 s, as scripts/bench-footprint.ts's load does, against scripts/soak.ts's
// loopback target (refuses unsigned requests). Prints per run and, per executable, the medians of: peak RSS
// (sampled every 50 ms; its anonymous and file parts), calls made, the plugin's CPU per call (all threads),
// the load's call latency p50 / p99 / max, and the V8 heap right after the load.
// Alternating matters: this machine's speed drifts, and the peak grows with the calls made. The file part
// depends on the page cache (warm here: nothing drops it), so compare executables within one run.
// Needs `npm run build:backend -- --targets=linux-amd64` first. Prints numbers; asserts nothing.
import { readFileSync } from 'node:fs';
import { PLUGIN_EXECUTABLE, type HostCall } from '../e2e/lib/grafanaHost';
import { PluginSession } from '../e2e/attack/lib/session';
import { dataSource, median, metric, query, startTarget } from './soak';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SEQUENTIAL = 221;
const CALLERS = 8;
const LOAD_MS = 10_000;
const SAMPLE_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Memory {
  rss: number;
  anon: number;
  file: number;
}

/** MiB from /proc/<pid>/status. */
function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: mib('VmRSS'), anon: mib('RssAnon'), file: mib('RssFile') };
}

/** CPU seconds of all the process's threads (utime + stime, clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Run {
  peak: Memory;
  calls: number;
  cpuMsPerCall: number;
  p50: number;
  p99: number;
  max: number;
  heapTotalMiB: number;
}

async function runOnce(executable: string, call: HostCall): Promise<Run> {
  const session = new PluginSession({ SIGIL_LOG_LEVEL: 'warn' }, executable);
  await session.start();
  try {
    const timedQuery = async (): Promise<number> => {
      const out = await session.call(call);
      const response = Object.values(out.result?.responses ?? {})[0];
      if (!out.result || out.result.grpcError || !response || response.error)
        throw new Error(`query failed: ${JSON.stringify(out).slice(0, 400)}`);
      return out.result.elapsedMs;
    };
    await sleep(2000);
    for (let i = 0; i < SEQUENTIAL; i++) await timedQuery();
    let peak = memory(session.pid);
    const sampler = setInterval(() => {
      const m = memory(session.pid);
      if (m.rss > peak.rss) peak = m;
    }, SAMPLE_MS);
    const latencies: number[] = [];
    const cpu0 = cpuSeconds(session.pid);
    const end = Date.now() + LOAD_MS;
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        while (Date.now() < end) latencies.push(await timedQuery());
      }),
    );
    clearInterval(sampler);
    const cpuMsPerCall = ((cpuSeconds(session.pid) - cpu0) * 1000) / latencies.length;
    const last = memory(session.pid);
    if (last.rss > peak.rss) peak = last;
    const metrics = (await session.call({ kind: 'collectMetrics' })).result?.prometheus ?? '';
    const heapTotal = metric(metrics, 'nodejs_heap_size_total_bytes') / 2 ** 20;
    latencies.sort((a, b) => a - b);
    return {
      peak,
      calls: latencies.length,
      cpuMsPerCall,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1],
      heapTotalMiB: heapTotal,
    };
  } finally {
    await session.stop();
  }
}

function describe(run: Run): string {
  const f = (x: number, d = 1) => x.toFixed(d);
  return (
    `peak ${f(run.peak.rss)} MiB (anon ${f(run.peak.anon)}, file ${f(run.peak.file)}), ${run.calls} calls, ` +
    `CPU/call ${f(run.cpuMsPerCall, 3)} ms, latency p50/p99/max ${f(run.p50)}/${f(run.p99)}/${f(run.max)} ms, ` +
    `V8 heap after ${f(run.heapTotalMiB)} MiB`
  );
}

async function main(): Promise<void> {
  const executables = process.argv.length > 2 ? process.argv.slice(2) : [PLUGIN_EXECUTABLE];
  const target = await startTarget();
  const call = query(dataSource(target.url, 'bench-peak'), '/rows');
  const runs = new Map<string, Run[]>(executables.map((e) => [e, []]));
  try {
    for (let round = 0; round < ROUNDS; round++)
      for (const executable of executables) {
        const run = await runOnce(executable, call);
        runs.get(executable)!.push(run);
        console.log(`round ${round + 1} ${executable}: ${describe(run)}`);
      }
  } finally {
    await target.close();
  }
  console.log(`medians of ${ROUNDS} rounds`);
  for (const [executable, list] of runs) {
    const m = (f: (r: Run) => number) => median(list.map(f));
    console.log(
      `${executable}: ${describe({
        peak: { rss: m((r) => r.peak.rss), anon: m((r) => r.peak.anon), file: m((r) => r.peak.file) },
        calls: Math.round(m((r) => r.calls)),
        cpuMsPerCall: m((r) => r.cpuMsPerCall),
        p50: m((r) => r.p50),
        p99: m((r) => r.p99),
        max: m((r) => r.max),
        heapTotalMiB: m((r) => r.heapTotalMiB),
      })}`,
    );
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
