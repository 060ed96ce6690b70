// Runs the plugin executable under Grafana's own plugin client: builds e2e/grafana-host's CLI once (go build,
// rebuilt when a Go source is newer than the binary) and feeds it a script. See e2e/grafana-host/README.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const HOST_DIR = join(REPO_ROOT, 'e2e', 'grafana-host');
const HOST_BIN = join(REPO_ROOT, 'e2e', '.bin', 'grafana-host');
export const PLUGIN_EXECUTABLE = join(REPO_ROOT, 'dist', 'gpx_sigil_linux_amd64');

export interface HostDataSource {
  id?: number;
  uid: string;
  name?: string;
  url?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
  lastUpdatedMS?: number;
}

export interface HostQuery {
  refId: string;
  queryType?: string;
  /** The query model; sent as JSON. */
  json?: Record<string, unknown>;
  /** Sent verbatim instead of `json` (for malformed-JSON tests). */
  rawJson?: string;
  from?: number;
  to?: number;
  maxDataPoints?: number;
  intervalMs?: number;
}

export interface HostCall {
  kind: 'checkHealth' | 'queryData' | 'callResource' | 'collectMetrics' | 'directSigned';
  dataSource?: HostDataSource;
  grafanaConfig?: Record<string, string>;
  headers?: Record<string, string>;
  queries?: HostQuery[];
  path?: string;
  method?: string;
  url?: string;
  body?: string;
  bodyJson?: unknown;
  resourceHeaders?: Record<string, string[]>;
  timeoutMs?: number;
  /** directSigned: `url` is sent as a GET signed with these from the host's own process, no plugin involved. */
  signing?: { accessKey: string; secretKey: string; region: string; service: string };
  /** Wait this long before the call (spreads a script over time). */
  pauseMs?: number;
  /** Start the call and go on with the next at once (calls in flight together); the script waits for all. */
  async?: boolean;
  /** Wait for every async call started before this one. */
  waitAsync?: boolean;
}

export interface HostScript {
  /** Defaults to dist/gpx_sigil_linux_amd64; '' for a script of directSigned calls only (no plugin). */
  plugin?: string;
  /** Extra environment for the plugin process. */
  env?: Record<string, string>;
  /** Cap on values printed per field (row counts stay exact). */
  valuesLimit?: number;
  calls: HostCall[];
}

export interface HostField {
  name: string;
  type: 'time' | 'number' | 'string' | 'boolean' | 'other';
  goType: string;
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
  /** Time values as epoch milliseconds; null for nulls. */
  values: Array<number | string | boolean | null>;
  nulls: number;
  length: number;
}

export interface HostFrame {
  name: string;
  refId: string;
  meta?: Record<string, unknown>;
  rows: number;
  fields: HostField[];
  /** Size of the Arrow IPC bytes. */
  bytes: number;
}

export interface HostDataResponse {
  frames: HostFrame[];
  error?: string;
  status: number;
  errorSource?: string;
  /** Set when the SDK could not decode a frame (a plugin bug). */
  decodeError?: string;
}

export interface HostResult {
  kind: HostCall['kind'];
  grpcError?: string;
  grpcCode?: string;
  elapsedMs: number;
  /** When the call started and its answer arrived, ms since the script started. */
  startedMs: number;
  endedMs: number;
  status?: string;
  message?: string;
  jsonDetails?: Record<string, unknown>;
  responses?: Record<string, HostDataResponse>;
  code?: number;
  headers?: Record<string, string[]>;
  body?: string;
  json?: unknown;
  chunks?: number;
  prometheus?: string;
}

export interface HostRun {
  results: HostResult[];
  /** Log lines of the host and (re-logged by go-plugin) the plugin, hclog JSON. */
  stderr: string;
  exitCode: number;
  error?: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.go$|^go\.(mod|sum)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the CLI if it is missing or older than its sources; returns its path. */
export function ensureGrafanaHostBinary(): string {
  if (existsSync(HOST_BIN) && statSync(HOST_BIN).mtimeMs >= newestMtime(HOST_DIR)) return HOST_BIN;
  mkdirSync(join(REPO_ROOT, 'e2e', '.bin'), { recursive: true });
  // Build beside and rename: test runs in other shells may be using or building the same binary.
  const tmp = `${HOST_BIN}.${process.pid}.tmp`;
  execFileSync('go', ['build', '-o', tmp, './cmd/grafana-host'], {
    cwd: HOST_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  renameSync(tmp, HOST_BIN);
  return HOST_BIN;
}

/** Runs a script on one plugin process; resolves with results and logs even when a call failed. */
export function runGrafanaHostDetailed(script: HostScript): Promise<HostRun> {
  const bin = ensureGrafanaHostBinary();
  const full = { ...script, plugin: script.plugin ?? PLUGIN_EXECUTABLE };
  if (full.plugin !== '' && !existsSync(full.plugin)) {
    return Promise.reject(
      new Error(`plugin executable ${full.plugin} is missing; run \`npm run build:backend\` first`),
    );
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      try {
        const parsed = JSON.parse(stdout) as { results: HostResult[] | null; error?: string };
        resolvePromise({ results: parsed.results ?? [], stderr, exitCode: code ?? -1, error: parsed.error });
      } catch {
        reject(new Error(`grafana-host exited ${code} without JSON output:\n${stdout}\n${stderr.slice(-4000)}`));
      }
    });
    child.stdin.end(JSON.stringify(full));
  });
}

/** Runs a script and returns one result per call; rejects if the host could not run every call. */
export async function runGrafanaHost(script: HostScript): Promise<HostResult[]> {
  const run = await runGrafanaHostDetailed(script);
  if (run.exitCode !== 0) {
    throw new Error(`grafana-host failed (exit ${run.exitCode}): ${run.error ?? ''}\n${run.stderr.slice(-4000)}`);
  }
  return run.results;
}
