// Protocol benchmark (npx tsx scripts/bench-protocol.ts [runs]): executable size, cold start to the handshake
// line, idle RSS, and QueryData round trips through Grafana's Go plugin client (e2e/grafana-host), with the
// Arrow bytes per row. Needs `npm run build:backend` first. Prints numbers; asserts nothing.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { PLUGIN_EXECUTABLE, runGrafanaHost, type HostCall } from '../e2e/lib/grafanaHost';
import { encodeFrame } from '../backend/frames/arrow';

const RUNS = Number(process.argv[2] ?? 10);
const PLUGIN_ENV = { ...process.env, grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Starts the executable and resolves with the ms until its handshake line, and its pid (still running). */
function startToHandshake(): Promise<{ ms: number; pid: number; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(PLUGIN_EXECUTABLE, [], { env: PLUGIN_ENV, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.once('error', reject);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (!/^1\|2\|tcp\|/.test(out)) reject(new Error(`unexpected handshake ${out}`));
        resolve({ ms, pid: child.pid!, stop: () => (child.kill('SIGTERM'), exited) });
      }
    });
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function main(): Promise<void> {
  const size = statSync(PLUGIN_EXECUTABLE).size;
  console.log(`executable            ${PLUGIN_EXECUTABLE}`);
  console.log(`executable size       ${(size / 1024 / 1024).toFixed(1)} MiB (${size} bytes)`);

  const starts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await startToHandshake();
    starts.push(run.ms);
    await run.stop();
  }
  console.log(
    `cold start→handshake  median ${median(starts).toFixed(0)} ms (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}, n=${RUNS})`,
  );

  const idle = await startToHandshake();
  await new Promise((r) => setTimeout(r, 3000));
  console.log(`idle RSS              ${rssMb(idle.pid).toFixed(1)} MiB (3 s after the handshake)`);
  await idle.stop();

  const echo = (refId: string, json: Record<string, unknown>): HostCall => ({
    kind: 'queryData',
    dataSource: { uid: 'bench', jsonData: {} },
    queries: [{ refId, queryType: 'echo', json, from: 1_700_000_000_000, to: 1_700_000_100_000 }],
  });
  const oneRow = echo('A', { values: [1] });
  const manyRows = echo('B', { rows: 100_000 });
  const warmup = 3;
  const results = await runGrafanaHost({
    valuesLimit: 1,
    calls: [...Array(warmup + RUNS).fill(oneRow), ...Array(warmup + RUNS).fill(manyRows)],
  });
  const one = results.slice(warmup, warmup + RUNS);
  const many = results.slice(2 * warmup + RUNS);
  for (const r of [...one, ...many]) {
    const resp = Object.values(r.responses ?? {})[0];
    if (r.grpcError || !resp || resp.error || resp.decodeError)
      throw new Error(`query failed: ${JSON.stringify(r).slice(0, 500)}`);
  }
  const frameOf = (r: (typeof results)[number]) => Object.values(r.responses!)[0].frames[0];
  const bigFrame = frameOf(many[0]);
  const smallFrame = frameOf(one[0]);
  console.log(
    `QueryData 1 row       median ${median(one.map((r) => r.elapsedMs)).toFixed(2)} ms (Go client call + SDK decode, warm, n=${RUNS})`,
  );
  console.log(
    `QueryData 100k rows   median ${median(many.map((r) => r.elapsedMs)).toFixed(1)} ms (Go client call + SDK decode, warm, n=${RUNS})`,
  );
  const rows = 1_000_000;
  const values = Array.from({ length: rows }, (_, i) => i);
  const encodeMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    encodeFrame({
      fields: [
        { name: 'time', type: 'time', values: values.map((v) => 1_700_000_000_000 + v) },
        { name: 'v', type: 'number', values },
      ],
    });
    encodeMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`encodeFrame 1e6 rows  median ${median(encodeMs).toFixed(0)} ms in-process (time + float64, n=5)`);
  // A small query's frame: the fixed part of encoding (schema, metadata, message) is all of its cost.
  const small = {
    refId: 'A',
    meta: { executedQueryString: 'GET https://example.test/rows' },
    fields: [
      { name: 'v', type: 'number' as const, values: [1, 2], config: {} },
      { name: 'name', type: 'string' as const, values: ['a', 'b'], config: {} },
    ],
  };
  const perFrameUs = (n: number): number => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) encodeFrame(small);
    return Number(process.hrtime.bigint() - t) / 1e3 / n;
  };
  const first = perFrameUs(300);
  perFrameUs(20_000);
  console.log(
    `encodeFrame 2 rows    ${first.toFixed(1)} µs per frame over the first 300, ${perFrameUs(20_000).toFixed(1)} µs after 20,000 (in-process)`,
  );
  console.log(
    `Arrow bytes           1 row: ${smallFrame.bytes} B; 100k rows: ${bigFrame.bytes} B = ${(bigFrame.bytes / bigFrame.rows).toFixed(2)} B/row (time + float64)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
