// Runtime benchmark. Run after `npm run build`: npx tsx scripts/bench-runtime.ts
// Prints, per platform, the executable's size (Linux: launcher + lib/<arch>/, i.e. loader, libraries and the
// Node single executable) and what it adds to the release zip (deflated as `zip` does). For Linux amd64, in
// one run, before and after: the previous runtime (Node 20, host libraries; built into a temp folder with
// `scripts/build-backend.mjs --legacy-node20`) and dist/'s (Node 24 with its bundled loader and libraries):
// cold start to the handshake line (median of 10), idle RSS after the handshake (median), and QueryData
// latency for a small answer (an echo query) under Grafana's plugin client (median and p90 of 30 calls).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { runGrafanaHost } from '../e2e/lib/grafanaHost';

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const RUNS = 10;
const QUERIES = 30;
const MiB = 2 ** 20;

const PLATFORMS = [
  { name: 'linux amd64', files: ['gpx_sigil_linux_amd64', 'lib/amd64'] },
  { name: 'linux arm64', files: ['gpx_sigil_linux_arm64', 'lib/arm64'] },
  { name: 'windows amd64', files: ['gpx_sigil_windows_amd64.exe'] },
  { name: 'darwin amd64', files: ['gpx_sigil_darwin_amd64'] },
  { name: 'darwin arm64', files: ['gpx_sigil_darwin_arm64'] },
];

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((f) => filesUnder(join(path, f)));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];

function sizes(): void {
  console.log('platform        executable (MiB)  in zip (MiB)');
  for (const p of PLATFORMS) {
    const paths = p.files.map((f) => join(DIST, f));
    if (!paths.every(existsSync)) {
      console.log(`${p.name.padEnd(16)}not built`);
      continue;
    }
    let raw = 0;
    let zipped = 0;
    for (const f of paths.flatMap(filesUnder)) {
      const data = readFileSync(f);
      raw += data.length;
      zipped += deflateRawSync(data, { level: 6 }).length; // zip's default method and level
    }
    console.log(
      `${p.name.padEnd(16)}${(raw / MiB).toFixed(1).padStart(16)}  ${(zipped / MiB).toFixed(1).padStart(12)}`,
    );
  }
  const zip = readdirSync(ROOT).find((f) => /^sigil-awsapi-datasource-.*\.zip$/.test(f));
  if (zip) console.log(`release zip ${zip}: ${(statSync(join(ROOT, zip)).size / MiB).toFixed(1)} MiB`);
}

/** Starts the executable, times it to the handshake line, reads its RSS once idle, stops it with SIGTERM. */
function coldStart(executable: string): Promise<{ ms: number; rssKiB: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(executable, [], {
      env: { PATH: process.env.PATH, grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    let ms = 0;
    child.on('error', reject);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (ms === 0 && out.includes('\n')) {
        ms = Number(process.hrtime.bigint() - started) / 1e6;
        // Idle: no request in flight; one second lets start-up work (code cache, timers) settle.
        setTimeout(() => {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
          child.once('exit', () => resolve({ ms, rssKiB }));
          child.kill('SIGTERM');
        }, 1000);
      }
    });
    child.on('exit', (code) => {
      if (ms === 0) reject(new Error(`${executable} exited ${code} before its handshake`));
    });
  });
}

async function queryLatency(executable: string): Promise<number[]> {
  const dataSource = { uid: 'bench', jsonData: {}, lastUpdatedMS: 1 };
  const call = {
    kind: 'queryData' as const,
    dataSource,
    queries: [{ refId: 'A', queryType: 'echo', json: { values: [1, 2, 3] }, from: 1000, to: 3000 }],
  };
  const results = await runGrafanaHost({ plugin: executable, calls: Array.from({ length: QUERIES + 1 }, () => call) });
  for (const r of results)
    if (r.grpcError || r.responses?.A?.error) throw new Error(`query failed: ${r.grpcError ?? r.responses?.A?.error}`);
  return results.slice(1).map((r) => r.elapsedMs); // the first call pays for instance creation
}

async function measure(label: string, executable: string): Promise<void> {
  const starts: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await coldStart(executable);
    starts.push(r.ms);
    rss.push(r.rssKiB);
  }
  const q = await queryLatency(executable);
  console.log(
    `${label.padEnd(34)}${median(starts).toFixed(0).padStart(8)} ms ${(median(rss) / 1024).toFixed(1).padStart(8)} MiB ` +
      `${median(q).toFixed(2).padStart(8)} ms ${p90(q).toFixed(2).padStart(8)} ms`,
  );
}

async function main(): Promise<void> {
  sizes();
  const after = join(DIST, 'gpx_sigil_linux_amd64');
  if (!existsSync(after)) throw new Error(`${after} is missing: run \`npm run build:backend\` first`);
  const legacyDir = mkdtempSync(join(tmpdir(), 'sigil-node20-'));
  try {
    const built = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts', 'build-backend.mjs'), '--legacy-node20', legacyDir],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (built.status !== 0) throw new Error('building the Node 20 executable failed');
    console.log(
      `\nlinux amd64 (median of ${RUNS} starts; ${QUERIES} echo queries)   start     idle RSS    query p50  query p90`,
    );
    await measure('before: Node 20, host libraries', join(legacyDir, 'gpx_sigil_linux_amd64'));
    await measure('after: Node 24, bundled libraries', after);
  } finally {
    rmSync(legacyDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
