// Footprint benchmark (npx tsx scripts/bench-footprint.ts [repeats, default 3]): memory and start-up of the
// built linux-amd64 executable, started through Grafana's Go plugin client (e2e/grafana-host, serve mode),
// against a loopback target that refuses requests without a SigV4 signature of the benchmark's key. Prints,
// as medians over the repeats (each on fresh plugin processes):
//   RSS after start and 12 s later (idle); RSS idle after a query; peak RSS with 8 concurrent callers for
//   10 s and RSS 40 s after them; a 50 MB JSON answer's time and peak RSS, and RSS 30 s and 60 s after it;
//   exec → handshake line; QueryData p50 of a 20-row answer and, as the floor, the same request signed and
//   sent directly from the Go host's process (keep-alive), and for reference from this process.
// With each RSS figure: its anonymous and file parts, the V8 heap and external memory the plugin reports
// (CollectMetrics) and its threads. File pages depend on the page cache: the kernel maps the cached pages
// around each fault, so a just-built executable (all of it cached) shows ~15 MiB more than one read cold.
// SIGIL_IDLE_GC=0 turns the idle collection and the C heap trim off, to compare.
// Needs `npm run build:backend -- --targets=linux-amd64` first. Prints numbers; asserts nothing.
// Also: the plugin's CPU time per call under the 8 callers. The 50 MB answer (~700k rows) is parsed whole; its
// frame holds the first 100k (the default pagination.maxRows). To try settings, SIGIL_* and MALLOC_* variables
// in this process's environment reach the plugin, and BENCH_NODE_OPTIONS becomes its NODE_OPTIONS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLUGIN_EXECUTABLE, type HostCall, type HostDataSource, type HostResult } from '../e2e/lib/grafanaHost';
import { PluginSession } from '../e2e/attack/lib/session';
import { directSignedP50, goDirectSignedP50 } from './directSigned';
import { metric } from './soak';

const REPEATS = Number(process.argv[2] ?? 3);
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'bench-footprint-secret-key-0123456789abcd';
const SMALL_ROWS = 20;
const LARGE_BYTES = 50_000_000;
const CALLERS = 8;
const LOAD_MS = 10_000;
const IDLE_AFTER_LOAD_S = 40;
const IDLE_AFTER_START_S = 12;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** A JSON array of `count` objects. */
function jsonRows(count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      id: i,
      name: `metric-${i}`,
      value: i / 7,
      tags: 'a,b,c,d,e,f,g,h,i,j,k,l,m',
    })),
  );
}

/** A JSON array of such rows, just under `bytes` bytes. */
function largeAnswer(bytes: number): string {
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; ; i++) {
    const row = JSON.stringify({ id: i, name: `metric-${i}`, value: i / 7, tags: 'a,b,c,d,e,f,g,h,i,j,k,l,m' });
    if (size + row.length + 1 > bytes) break;
    parts.push(row);
    size += row.length + 1;
  }
  return `[${parts.join(',')}]`;
}

/** Loopback target: 403 without a SigV4 Authorization header for the benchmark's key; /small and /large answers. */
async function startTarget(): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const small = jsonRows(SMALL_ROWS);
  const large = Buffer.from(largeAnswer(LARGE_BYTES));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/`) || !/Signature=[0-9a-f]{64}$/.test(auth)) {
        res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"missing SigV4 signature"}');
        return;
      }
      const body = req.url?.startsWith('/large') ? large : small;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface ProcMemory {
  rssMiB: number;
  /** RSS split: anonymous (heaps, stacks, malloc) and file pages (the executable and libraries, clean and shared). */
  anonMiB: number;
  fileMiB: number;
  hwmMiB: number;
  threads: number;
}

/** CPU seconds the process used so far, all threads (Linux /proc/<pid>/stat utime + stime). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ 100)
}

function procMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return {
    rssMiB: kb('VmRSS') / 1024,
    anonMiB: kb('RssAnon') / 1024,
    fileMiB: kb('RssFile') / 1024,
    hwmMiB: kb('VmHWM') / 1024,
    threads: kb('Threads'),
  };
}

interface Breakdown extends ProcMemory {
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

class Plugin {
  private constructor(private readonly session: PluginSession) {}

  static async start(): Promise<Plugin> {
    const env: Record<string, string> = { SIGIL_LOG_LEVEL: 'warn' };
    for (const [k, v] of Object.entries(process.env))
      if ((k.startsWith('SIGIL_') || k.startsWith('MALLOC_')) && v !== undefined) env[k] = v;
    // V8/Node flags to try on the plugin only (NODE_OPTIONS here would change this script's own Node).
    if (process.env.BENCH_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS;
    const session = new PluginSession(env);
    await session.start();
    return new Plugin(session);
  }

  get pid(): number {
    return this.session.pid;
  }

  async call(call: HostCall): Promise<HostResult> {
    const out = await this.session.call(call);
    if (!out.result) throw new Error(`call failed: ${out.error}`);
    return out.result;
  }

  /** The call's first response; throws unless it is a frame without error. */
  async query(call: HostCall): Promise<HostResult> {
    const r = await this.call(call);
    const resp = Object.values(r.responses ?? {})[0];
    if (r.grpcError || !resp || resp.error || resp.decodeError || resp.frames.length === 0) {
      throw new Error(`query failed: ${JSON.stringify(r).slice(0, 600)}`);
    }
    return r;
  }

  async breakdown(): Promise<Breakdown> {
    const proc = procMemory(this.pid);
    const text = (await this.call({ kind: 'collectMetrics' })).prometheus ?? '';
    return {
      ...proc,
      heapUsedMiB: metric(text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
      heapTotalMiB: metric(text, 'nodejs_heap_size_total_bytes') / 2 ** 20,
      externalMiB: metric(text, 'nodejs_external_memory_bytes') / 2 ** 20,
    };
  }

  stop(): Promise<void> {
    return this.session.stop();
  }
}

function dataSource(target: string): HostDataSource {
  return {
    uid: 'bench-footprint',
    name: 'bench-footprint',
    jsonData: {
      authType: 'keys',
      defaultRegion: 'us-east-1',
      endpoint: target,
      service: 'execute-api',
      timeoutSeconds: 60,
    },
    secureJsonData: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
    lastUpdatedMS: 1,
  };
}

const queryCall = (target: string, path: string): HostCall => ({
  kind: 'queryData',
  dataSource: dataSource(target),
  queries: [{ refId: 'A', json: { url: path, format: 'json' } }],
  timeoutMs: 120_000,
});

/** Start-up and small queries, then 8 callers for 10 s, on one plugin process. */
async function smallAndLoad(target: string) {
  const plugin = await Plugin.start();
  try {
    await sleep(2000);
    const afterStart = await plugin.breakdown();
    // The idle collector's first look (5 s) gives start-up's own pages back.
    await sleep(IDLE_AFTER_START_S * 1000 - 2000);
    const idleAfterStart = await plugin.breakdown();
    const small = queryCall(target, '/small');
    await plugin.query(small);
    await sleep(5000);
    const idleAfterQuery = await plugin.breakdown();
    for (let i = 0; i < 20; i++) await plugin.query(small);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) times.push((await plugin.query(small)).elapsedMs);
    let peak = 0;
    let calls = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, procMemory(plugin.pid).rssMiB)), 50);
    const cpu0 = cpuSeconds(plugin.pid);
    const end = Date.now() + LOAD_MS;
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        while (Date.now() < end) {
          await plugin.query(small);
          calls++;
        }
      }),
    );
    clearInterval(sampler);
    const cpuMsPerCall = ((cpuSeconds(plugin.pid) - cpu0) * 1000) / calls;
    peak = Math.max(peak, procMemory(plugin.pid).rssMiB);
    const afterLoad = await plugin.breakdown();
    // Idle query workers exit after 30 s; the idle collector looks every 5 s.
    await sleep(IDLE_AFTER_LOAD_S * 1000);
    const idleAfterLoad = await plugin.breakdown();
    return {
      afterStart,
      idleAfterStart,
      idleAfterQuery,
      p50: percentile(times, 50),
      peakLoad: peak,
      loadCalls: calls,
      cpuMsPerCall,
      afterLoad,
      idleAfterLoad,
    };
  } finally {
    await plugin.stop();
  }
}

/** One 50 MB answer on a fresh process, then RSS while it idles. */
async function largeAnswerRun(target: string) {
  const plugin = await Plugin.start();
  try {
    await sleep(2000);
    await plugin.query(queryCall(target, '/small'));
    const r = await plugin.query(queryCall(target, '/large'));
    const rows = Object.values(r.responses!)[0].frames[0].rows;
    const peak = procMemory(plugin.pid).hwmMiB;
    const t0 = Date.now();
    const at = async (s: number) => {
      await sleep(t0 + s * 1000 - Date.now());
      return plugin.breakdown();
    };
    const after5 = await at(5);
    const after30 = await at(30);
    const after60 = await at(60);
    return { ms: r.elapsedMs, rows, peak, after5, after30, after60 };
  } finally {
    await plugin.stop();
  }
}

/** ms from exec to the handshake line, the executable started directly (as Grafana's client does). */
function execToHandshake(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(PLUGIN_EXECUTABLE, [], {
      env: { ...process.env, grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.once('error', reject);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!out.includes('\n')) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.once('exit', () => resolve(ms));
      child.kill('SIGTERM');
    });
  });
}

function describe(label: string, values: Breakdown[]): string {
  const m = (f: (b: Breakdown) => number) => median(values.map(f)).toFixed(1);
  return `${label.padEnd(34)} ${m((b) => b.rssMiB).padStart(6)} MiB  (anon ${m((b) => b.anonMiB)}, file ${m((b) => b.fileMiB)}; heap used ${m((b) => b.heapUsedMiB)} / total ${m((b) => b.heapTotalMiB)}, external ${m((b) => b.externalMiB)} MiB, threads ${m((b) => b.threads)})`;
}

async function main(): Promise<void> {
  const target = await startTarget();
  const load = await Promise.resolve().then(async () => {
    const runs = [];
    for (let i = 0; i < REPEATS; i++) runs.push(await smallAndLoad(target.url));
    return runs;
  });
  const large = [];
  for (let i = 0; i < REPEATS; i++) large.push(await largeAnswerRun(target.url));
  const starts: number[] = [];
  for (let i = 0; i < Math.max(10, REPEATS * 4); i++) starts.push(await execToHandshake());
  const floor: number[] = [];
  const nodeFloor: number[] = [];
  const credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY };
  for (let i = 0; i < REPEATS; i++) {
    floor.push(await goDirectSignedP50(`${target.url}/small`, 500, credentials));
    nodeFloor.push(await directSignedP50(`${target.url}/small`, 500, credentials));
  }
  await target.close();

  const overrides = Object.entries(process.env).filter(
    ([k]) => k.startsWith('SIGIL_') || k.startsWith('MALLOC_') || k === 'BENCH_NODE_OPTIONS',
  );
  console.log(
    `executable  ${PLUGIN_EXECUTABLE}; repeats ${REPEATS}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  if (overrides.length) console.log(`environment ${overrides.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  console.log(
    describe(
      'RSS after start (2 s)',
      load.map((l) => l.afterStart),
    ),
  );
  console.log(
    describe(
      `RSS idle, ${IDLE_AFTER_START_S} s after start`,
      load.map((l) => l.idleAfterStart),
    ),
  );
  console.log(
    describe(
      'RSS idle, 5 s after a query',
      load.map((l) => l.idleAfterQuery),
    ),
  );
  console.log(
    `peak RSS, ${CALLERS} callers, ${LOAD_MS / 1000} s             ${median(load.map((l) => l.peakLoad))
      .toFixed(1)
      .padStart(6)} MiB  (${median(load.map((l) => l.loadCalls))} calls)`,
  );
  console.log(
    `plugin CPU per call, 8 callers           ${median(load.map((l) => l.cpuMsPerCall))
      .toFixed(2)
      .padStart(6)} ms  (all threads, /proc/<pid>/stat)`,
  );
  console.log(
    describe(
      'RSS right after the 8-caller load',
      load.map((l) => l.afterLoad),
    ),
  );
  console.log(
    describe(
      `RSS ${IDLE_AFTER_LOAD_S} s after the 8-caller load`,
      load.map((l) => l.idleAfterLoad),
    ),
  );
  console.log(
    `50 MB JSON answer → frame              ${median(large.map((l) => l.ms))
      .toFixed(0)
      .padStart(6)} ms  (${large[0].rows} rows; Go client call + SDK decode)`,
  );
  console.log(
    `peak RSS with the 50 MB answer        ${median(large.map((l) => l.peak))
      .toFixed(1)
      .padStart(6)} MiB  (VmHWM)`,
  );
  console.log(
    describe(
      'RSS 5 s after the 50 MB answer',
      large.map((l) => l.after5),
    ),
  );
  console.log(
    describe(
      'RSS 30 s after the 50 MB answer',
      large.map((l) => l.after30),
    ),
  );
  console.log(
    describe(
      'RSS 60 s after the 50 MB answer',
      large.map((l) => l.after60),
    ),
  );
  console.log(
    `exec → handshake line                 ${median(starts).toFixed(0).padStart(6)} ms  (min ${Math.min(...starts).toFixed(0)}, n=${starts.length})`,
  );
  console.log(
    `QueryData p50, ${SMALL_ROWS}-row answer          ${median(load.map((l) => l.p50))
      .toFixed(2)
      .padStart(6)} ms  (Go client, warm, 200 calls per repeat)`,
  );
  console.log(
    `direct signed request p50 (floor)     ${median(floor).toFixed(2).padStart(6)} ms  (aws-sdk-go-v2 signer + keep-alive net/http from the Go host)`,
  );
  console.log(
    `same, from this process               ${median(nodeFloor).toFixed(2).padStart(6)} ms  (SignatureV4 + node:http; the target runs in this process)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
