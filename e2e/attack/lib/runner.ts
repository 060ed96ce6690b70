// Runs the attack table on one plugin process: each case, then the checks every case gets (no credential in
// any output in any encoding, no canary hit, no stray request, the process alive and answering a bystander
// from another data source, no prototype pollution left behind, no Node warning on stderr), and for runaway
// cases how long a bystander query waited while the case ran.
import type { HostCall, HostDataResponse, HostDataSource, HostQuery, HostResult } from '../../lib/grafanaHost';
import { PluginSession } from './session';
import { CanaryField } from './canaries';
import { startFakeApi, type FakeApi } from './fakeApi';
import { findSecrets, makeCredentials, type Credential, type Finding } from './secrets';

export interface AttackCase {
  /** Unique, stable id, e.g. `proto.tokenField.__proto__.endpoint`. */
  id: string;
  /** The class of attack or fault (one file of cases/ per class). */
  klass: string;
  /** What the case does and what must happen, in one line. */
  title: string;
  /** Runs the attack and throws (see `must`) when the expectation does not hold. */
  run(ctx: CaseContext): Promise<void>;
  /** Measure how long bystander queries wait while this case runs. */
  runaway?: boolean;
  /** Start a fresh plugin process after this case (its damage, if any, must not leak into the next case). */
  freshProcessAfter?: boolean;
}

export interface CaseResult {
  id: string;
  klass: string;
  title: string;
  held: boolean;
  problems: string[];
  secrets: Finding[];
  canaryHits: string[];
  died: boolean;
  /** The plugin stopped answering a bystander for STALL_MS and was killed to go on. */
  stalled: boolean;
  elapsedMs: number;
  bystanderMaxMs?: number;
  /** Plugin RSS after the case (and after a bystander query). */
  rssMiB?: number;
  /** Highest plugin RSS sampled while a runaway case ran. */
  rssPeakDuringMiB?: number;
}

export interface SuiteReport {
  cases: CaseResult[];
  run: number;
  held: number;
  broken: number;
  secretsFound: number;
  canaryHits: number;
  processDeaths: number;
  stalls: number;
  longestBystanderWaitMs: number;
  rssAfterRunawayMiB?: number;
  peakRssMiB?: number;
}

export class CaseFailure extends Error {}

/**
 * A bystander query that waits this long means the plugin stalled: the case is broken, and the plugin is
 * killed and replaced so the table goes on. Not the latency target (100 ms, reported); a functional bound.
 */
export const STALL_MS = 2_000;
/** A bystander that gets no answer in this long: the plugin is stuck (killed and replaced). */
const STUCK_MS = 15_000;

/** Throws a case failure with `message` unless `cond`. */
export function must(cond: unknown, message: string): asserts cond {
  if (!cond) throw new CaseFailure(message);
}

/** Resolves once `cond()` holds (polled every 20 ms); fails the case after `timeoutMs`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new CaseFailure(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A short, readable view of a response for failure messages. */
export function show(r: HostDataResponse | undefined): string {
  if (!r) return 'no response';
  const frames = r.frames.map((f) => `${f.rows} rows [${f.fields.map((x) => x.name).join(',')}]`).join('; ');
  return `status ${r.status} source ${r.errorSource ?? '-'} error ${JSON.stringify((r.error ?? '').slice(0, 300))} frames ${frames || 'none'}${r.decodeError ? ` decodeError ${r.decodeError}` : ''}`;
}

/** The environment credentials of the plugin process (what the default chain would find). */
export const ENV_CREDENTIALS = makeCredentials('envchain');

export class CaseContext {
  readonly outputs: HostResult[] = [];
  readonly extraSecrets: Credential[] = [];
  private serial = 0;
  private readonly cleanups: Array<() => Promise<void>> = [];

  constructor(
    readonly suite: Suite,
    readonly api: FakeApi,
    readonly caseId: string,
  ) {}

  /** A data source with configured keys (and session token) whose endpoint is this case's allowed server. */
  ds(
    jsonData: Record<string, unknown> = {},
    opts: { creds?: boolean; secure?: Record<string, string>; uid?: string; lastUpdatedMS?: number } = {},
  ): HostDataSource {
    const creds = makeCredentials(this.caseId);
    const secure =
      opts.secure ??
      (opts.creds === false
        ? {}
        : { accessKey: creds.accessKeyId, secretKey: creds.secretAccessKey, sessionToken: creds.sessionToken });
    this.suite.register(`configured (${this.caseId})`, secure);
    return {
      uid:
        opts.uid ?? `${this.caseId.replace(/[^A-Za-z0-9]/g, '').slice(0, 30)}-${++this.serial}-${Date.now() % 100000}`,
      name: `attack ${this.caseId}`,
      jsonData: {
        authType: 'keys',
        defaultRegion: 'us-east-1',
        endpoint: this.api.url,
        service: 'execute-api',
        ...jsonData,
      },
      secureJsonData: secure,
      lastUpdatedMS: opts.lastUpdatedMS ?? 1,
    };
  }

  /** Registers a value that must never appear in any output. */
  secret(label: string, value: string): void {
    this.extraSecrets.push({ label, value });
  }

  async call(call: HostCall): Promise<HostResult> {
    const outcome = await this.suite.session.call({ timeoutMs: 60_000, ...call });
    if (outcome.result) this.outputs.push(outcome.result);
    must(outcome.result, `the call got no answer: ${outcome.error ?? 'unknown'}`);
    return outcome.result;
  }

  /** Runs queries; returns the responses by refId and the host's result (elapsed time, gRPC error). */
  async query(
    ds: HostDataSource,
    queries: Array<Omit<HostQuery, 'refId'> & { refId?: string }>,
    extra: Partial<HostCall> = {},
  ): Promise<{ responses: Record<string, HostDataResponse>; result: HostResult }> {
    const now = Date.now();
    const qs = queries.map((q, i) => ({
      from: now - 3600_000,
      to: now,
      intervalMs: 60_000,
      ...q,
      refId: q.refId ?? `Q${i}`,
    }));
    const result = await this.call({ kind: 'queryData', dataSource: ds, queries: qs, ...extra });
    return { responses: result.responses ?? {}, result };
  }

  /** One http query (the model's `queryType` is filled in); returns its response. */
  async one(
    ds: HostDataSource,
    model: Record<string, unknown>,
    extra: Partial<HostCall> = {},
  ): Promise<HostDataResponse & { elapsedMs: number; grpcError?: string }> {
    const { responses, result } = await this.query(ds, [{ refId: 'A', json: { queryType: 'http', ...model } }], extra);
    const r = responses.A ?? {
      frames: [],
      status: 0,
      error: `no response for A (gRPC ${result.grpcCode ?? '-'}: ${result.grpcError ?? '-'})`,
    };
    return { ...r, elapsedMs: result.elapsedMs, grpcError: result.grpcError };
  }

  async health(ds: HostDataSource, extra: Partial<HostCall> = {}): Promise<HostResult> {
    return this.call({ kind: 'checkHealth', dataSource: ds, ...extra });
  }

  async resource(ds: HostDataSource, body: unknown, extra: Partial<HostCall> = {}): Promise<HostResult> {
    return this.call({
      kind: 'callResource',
      dataSource: ds,
      path: 'request',
      method: 'POST',
      bodyJson: body,
      ...extra,
    });
  }

  /** Another allowed server for this case (closed after it). */
  async otherApi(): Promise<FakeApi> {
    const api = await startFakeApi();
    this.cleanups.push(() => api.close());
    return api;
  }

  onCleanup(f: () => Promise<void>): void {
    this.cleanups.push(f);
  }

  async cleanup(): Promise<void> {
    for (const f of this.cleanups) await f().catch(() => undefined);
  }
}

/** Every string in a result (keys too), so a secret is found however the host printed it. */
function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out);
    }
  }
}

export class Suite {
  session = new PluginSession({});
  readonly canaries = new CanaryField();
  private readonly credentials: Credential[] = [];
  private bystanderApi?: FakeApi;
  private bystanderDs?: HostDataSource;
  private probeSerial = 0;

  constructor() {
    this.register('environment (default chain)', {
      accessKey: ENV_CREDENTIALS.accessKeyId,
      secretKey: ENV_CREDENTIALS.secretAccessKey,
      sessionToken: ENV_CREDENTIALS.sessionToken,
    });
  }

  register(label: string, secure: Record<string, string>): void {
    for (const [k, v] of Object.entries(secure)) {
      if (typeof v === 'string' && v.length >= 8 && !this.credentials.some((c) => c.value === v))
        this.credentials.push({ label: `${label} ${k}`, value: v });
    }
  }

  pluginEnv(): Record<string, string> {
    const loopback = '127.0.0.1';
    return {
      AWS_ACCESS_KEY_ID: ENV_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ENV_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: ENV_CREDENTIALS.sessionToken,
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      // Anything not for 127.0.0.1 goes to the proxy canary (counted, refused), never to the network.
      HTTPS_PROXY: this.canaries.proxyUrl,
      HTTP_PROXY: this.canaries.proxyUrl,
      https_proxy: this.canaries.proxyUrl,
      http_proxy: this.canaries.proxyUrl,
      NO_PROXY: loopback,
      no_proxy: loopback,
      SIGIL_LOG_LEVEL: 'debug',
    };
  }

  async start(): Promise<void> {
    await this.canaries.start();
    this.session = new PluginSession(this.pluginEnv());
    await this.session.start();
    this.bystanderApi = await startFakeApi();
    const creds = makeCredentials('bystander');
    this.register('bystander', {
      accessKey: creds.accessKeyId,
      secretKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    });
    this.bystanderDs = {
      uid: 'bystander',
      name: 'bystander',
      lastUpdatedMS: 1,
      jsonData: {
        authType: 'keys',
        defaultRegion: 'us-east-1',
        endpoint: this.bystanderApi.url,
        service: 'execute-api',
      },
      secureJsonData: {
        accessKey: creds.accessKeyId,
        secretKey: creds.secretAccessKey,
        sessionToken: creds.sessionToken,
      },
    };
  }

  async stop(): Promise<void> {
    await this.session.stop();
    await this.bystanderApi?.close();
    await this.canaries.close();
  }

  /** One bystander query on another data source; returns its latency (ms) and a problem, if any. */
  async bystander(): Promise<{ ms: number; problem?: string; stuck?: boolean }> {
    const started = Date.now();
    const now = Date.now();
    const outcome = await this.session.call({
      kind: 'queryData',
      dataSource: this.bystanderDs,
      timeoutMs: STUCK_MS,
      queries: [
        {
          refId: 'B',
          json: { queryType: 'http', url: 'api/rows', format: 'json' },
          from: now - 3600_000,
          to: now,
          intervalMs: 60_000,
        },
      ],
    });
    const ms = Date.now() - started;
    const r = outcome.result?.responses?.B;
    const stuck = outcome.result?.grpcCode === 'DeadlineExceeded';
    if (!r || r.status !== 200 || r.frames[0]?.rows !== 3)
      return {
        ms,
        stuck,
        problem: `bystander query failed after ${ms} ms: ${outcome.error ?? outcome.result?.grpcError ?? show(r)}`,
      };
    return { ms };
  }

  /**
   * After each case: a fresh data source without an endpoint must still have none (a polluted prototype would
   * lend it one), and a fresh one with an endpoint must still reach it (a polluted allowedUrls breaks it).
   */
  async pollutionProbe(): Promise<string | undefined> {
    const n = ++this.probeSerial;
    const now = Date.now();
    const range = { from: now - 3600_000, to: now, intervalMs: 60_000 };
    const creds = makeCredentials('probe');
    this.register('probe', { accessKey: creds.accessKeyId, secretKey: creds.secretAccessKey });
    const secure = { accessKey: creds.accessKeyId, secretKey: creds.secretAccessKey };
    const bare = await this.session.call({
      kind: 'queryData',
      timeoutMs: 30_000,
      dataSource: {
        uid: `probe-bare-${n}`,
        name: 'probe',
        lastUpdatedMS: 1,
        jsonData: {
          authType: 'keys',
          defaultRegion: 'us-east-1',
          service: 'execute-api',
          allowedUrls: [`${this.bystanderApi?.url}/api/`],
        },
        secureJsonData: secure,
      },
      queries: [{ refId: 'P', json: { queryType: 'http', url: 'api/rows', format: 'json' }, ...range }],
    });
    const p = bare.result?.responses?.P;
    if (!p || p.status !== 400 || !/no endpoint/.test(p.error ?? ''))
      return `a fresh data source without an endpoint did not answer "no endpoint" (prototype polluted?): ${bare.error ?? show(p)}`;
    const full = await this.session.call({
      kind: 'queryData',
      timeoutMs: 30_000,
      dataSource: {
        uid: `probe-full-${n}`,
        name: 'probe',
        lastUpdatedMS: 1,
        jsonData: {
          authType: 'keys',
          defaultRegion: 'us-east-1',
          service: 'execute-api',
          endpoint: this.bystanderApi?.url,
        },
        secureJsonData: secure,
      },
      queries: [{ refId: 'P', json: { queryType: 'http', url: 'api/rows', format: 'json' }, ...range }],
    });
    const f = full.result?.responses?.P;
    if (!f || f.status !== 200 || f.frames[0]?.rows !== 3)
      return `a fresh data source with an endpoint could not query it (prototype polluted?): ${full.error ?? show(f)}`;
    return undefined;
  }

  async runCase(c: AttackCase): Promise<CaseResult> {
    const problems: string[] = [];
    const api = await startFakeApi();
    const sidecars = await this.canaries.besides(api.port);
    const ctx = new CaseContext(this, api, c.id);
    const hitsBefore = this.canaries.hits.length;
    const logStart = this.session.logOffset;
    const deathsBefore = this.session.deaths;
    const started = Date.now();
    let bystanderMaxMs: number | undefined;
    let stop = false;
    let stalled = false;
    let rssPeakDuringMiB: number | undefined;
    const loop = (async () => {
      if (!c.runaway) return;
      bystanderMaxMs = 0;
      while (!stop && this.session.alive) {
        rssPeakDuringMiB = Math.max(rssPeakDuringMiB ?? 0, this.session.rssMiB() ?? 0);
        const b = await this.bystander();
        bystanderMaxMs = Math.max(bystanderMaxMs, b.ms);
        if (b.problem && this.session.alive) problems.push(`while the case ran: ${b.problem}`);
        if (b.stuck && this.session.alive && !stop) {
          // The plugin answers nobody: kill it, so that the case's own call ends and the table goes on.
          stalled = true;
          await this.session.stop();
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await c.run(ctx);
    } catch (e) {
      problems.push(e instanceof CaseFailure ? e.message : `the case threw: ${(e as Error).stack ?? String(e)}`);
    }
    stop = true;
    await loop;
    const elapsedMs = Date.now() - started;
    if (bystanderMaxMs !== undefined && bystanderMaxMs >= STALL_MS)
      problems.push(
        `a bystander query of another data source waited ${bystanderMaxMs} ms (stall bound ${STALL_MS} ms)`,
      );
    let died = this.session.deaths > deathsBefore || (!this.session.alive && !stalled);
    if (!died && !stalled) {
      const b = await this.bystander();
      if (b.problem) problems.push(`after the case: ${b.problem}`);
      if (b.stuck) stalled = true;
      const polluted = await this.pollutionProbe();
      if (polluted) problems.push(polluted);
      died = this.session.deaths > deathsBefore || !this.session.alive;
    }
    const rssMiB = this.session.rssMiB();
    const logs = this.session.logsSince(logStart);
    if (died) {
      problems.push(`the plugin process died (log tail: ${logs.slice(-600).replace(/\s+/g, ' ')})`);
      await this.session.revive();
    } else if (stalled) {
      problems.push(`the plugin stalled (a bystander got no answer in ${STUCK_MS} ms); it was killed and replaced`);
      await this.session.revive();
    } else if (c.freshProcessAfter) {
      await this.session.revive();
    }
    const warnings = logs.split('\n').filter((l) => /\(node:\d+\)|\bWarning:/.test(l));
    if (warnings.length > 0) problems.push(`Node warnings on stderr: ${warnings[0].slice(0, 300)}`);

    const texts: string[] = [];
    strings(ctx.outputs, texts);
    const outputs: Record<string, string> = { outputs: texts.join('\n'), stderr: logs };
    const issued = api.sts.issued.flatMap((x, i) => [
      { label: `issued by STS #${i + 1} secretAccessKey`, value: x.secretAccessKey },
      { label: `issued by STS #${i + 1} sessionToken`, value: x.sessionToken ?? '' },
      { label: `issued by STS #${i + 1} accessKeyId`, value: x.accessKeyId },
    ]);
    const secrets = findSecrets(
      [...this.credentials, ...ctx.extraSecrets, ...issued].filter((x) => x.value.length >= 8),
      outputs,
    );
    if (secrets.length > 0)
      problems.push(
        `credentials in outputs: ${secrets
          .slice(0, 5)
          .map((s) => `${s.label} (${s.form}) in ${s.where}`)
          .join('; ')}`,
      );
    const canaryHits = [...this.canaries.hits.slice(hitsBefore), ...api.strayHits()];
    if (canaryHits.length > 0) problems.push(`canary hits: ${canaryHits.slice(0, 3).join('; ')}`);
    await ctx.cleanup();
    await Promise.all(sidecars.map((s) => s.close()));
    await api.close();
    return {
      id: c.id,
      klass: c.klass,
      title: c.title,
      held: problems.length === 0,
      problems,
      secrets,
      canaryHits,
      died,
      stalled,
      elapsedMs,
      bystanderMaxMs,
      rssMiB,
      rssPeakDuringMiB,
    };
  }

  report(cases: CaseResult[]): SuiteReport {
    const runaway = cases.filter((c) => c.bystanderMaxMs !== undefined);
    return {
      cases,
      run: cases.length,
      held: cases.filter((c) => c.held).length,
      broken: cases.filter((c) => !c.held).length,
      secretsFound: cases.reduce((n, c) => n + c.secrets.length, 0),
      canaryHits: cases.reduce((n, c) => n + c.canaryHits.length, 0),
      processDeaths: cases.filter((c) => c.died).length,
      stalls: cases.filter((c) => c.stalled).length,
      longestBystanderWaitMs: Math.max(0, ...runaway.map((c) => c.bystanderMaxMs ?? 0)),
      rssAfterRunawayMiB: Math.max(0, ...runaway.map((c) => c.rssMiB ?? 0)),
      peakRssMiB: Math.max(0, ...cases.map((c) => Math.max(c.rssMiB ?? 0, c.rssPeakDuringMiB ?? 0))),
    };
  }
}

export function formatReport(r: SuiteReport): string {
  const lines = [
    'attack suite summary',
    `  cases run:                    ${r.run}`,
    `  held:                         ${r.held}`,
    `  broken:                       ${r.broken}`,
    `  secrets found in outputs:     ${r.secretsFound} (target 0)`,
    `  canary hits:                  ${r.canaryHits} (target 0)`,
    `  process deaths:               ${r.processDeaths} (target 0)`,
    `  stalls (plugin killed):       ${r.stalls} (target 0)`,
    `  longest bystander wait:       ${r.longestBystanderWaitMs} ms (target < 100 ms)`,
    `  plugin RSS after runaways:    ${r.rssAfterRunawayMiB ?? '-'} MiB (highest right after a runaway case; peak sampled ${r.peakRssMiB ?? '-'} MiB)`,
    '',
    'by class (held/run):',
  ];
  const classes = [...new Set(r.cases.map((c) => c.klass))];
  for (const k of classes) {
    const cs = r.cases.filter((c) => c.klass === k);
    lines.push(`  ${k.padEnd(34)} ${cs.filter((c) => c.held).length}/${cs.length}`);
  }
  const broken = r.cases.filter((c) => !c.held);
  if (broken.length > 0) {
    lines.push('', 'broken cases:');
    for (const c of broken) lines.push(`  ✗ ${c.id}: ${c.problems.join(' | ').slice(0, 400)}`);
  }
  return lines.join('\n');
}
