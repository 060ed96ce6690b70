// One plugin process for the whole attack suite, driven by Grafana's plugin client in serve mode
// (`grafana-host -serve`, see e2e/grafana-host/README.md): calls run concurrently, every log line is kept
// with its offset, and the death of the plugin process is seen (and a fresh one started for the next case).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ensureGrafanaHostBinary, PLUGIN_EXECUTABLE, type HostCall, type HostResult } from '../../lib/grafanaHost';

interface ServeLine {
  event?: 'started' | 'exited';
  pid?: number;
  id?: number;
  result?: HostResult;
  error?: string;
}

export interface CallOutcome {
  result?: HostResult;
  /** The host could not perform the call (bad description) or the plugin process went away. */
  error?: string;
}

export class PluginSession {
  private child?: ChildProcessWithoutNullStreams;
  private nextId = 1;
  private readonly waiting = new Map<number, (o: CallOutcome) => void>();
  private logs = '';
  private exited = false;
  private stopping = false;
  /** Plugin processes that died while the suite ran (each is replaced by a fresh one). */
  deaths = 0;
  pid = 0;

  constructor(
    private readonly env: Record<string, string>,
    private readonly executable: string = PLUGIN_EXECUTABLE,
  ) {}

  async start(): Promise<void> {
    const bin = ensureGrafanaHostBinary();
    if (!existsSync(this.executable))
      throw new Error(`plugin executable ${this.executable} is missing; run \`npm run build:backend\` first`);
    this.exited = false;
    this.stopping = false;
    const child = spawn(bin, ['-serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr.on('data', (b: Buffer) => {
      this.logs += b.toString('utf8');
    });
    const started = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        let msg: ServeLine;
        try {
          msg = JSON.parse(line) as ServeLine;
        } catch {
          return;
        }
        if (msg.event === 'started') {
          this.pid = msg.pid ?? 0;
          resolve();
        } else if (msg.event === 'exited') {
          this.markDead();
        } else if (msg.id !== undefined) {
          const done = this.waiting.get(msg.id);
          this.waiting.delete(msg.id);
          done?.({ result: msg.result, error: msg.error });
        }
      });
      child.on('close', () => {
        reject(new Error(`grafana-host ended before the plugin started:\n${this.logs.slice(-3000)}`));
        this.markDead();
      });
    });
    child.stdin.write(JSON.stringify({ plugin: this.executable, env: this.env, valuesLimit: 200 }) + '\n');
    await started;
  }

  private markDead(): void {
    if (!this.exited && !this.stopping) this.deaths++;
    this.exited = true;
    for (const [, done] of this.waiting) done({ error: 'the plugin process exited' });
    this.waiting.clear();
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Restarts the host and a fresh plugin (after a death or a stall; a death stays counted). */
  async revive(): Promise<void> {
    await this.stop();
    await this.start();
  }

  call(call: HostCall): Promise<CallOutcome> {
    if (!this.alive || !this.child) return Promise.resolve({ error: 'the plugin process exited' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child?.stdin.write(JSON.stringify({ id, call }) + '\n');
    });
  }

  /** Everything logged so far (host and plugin stderr, hclog JSON); slice it with logOffset. */
  get logOffset(): number {
    return this.logs.length;
  }

  logsSince(offset: number): string {
    return this.logs.slice(offset);
  }

  /** Resident set size of the plugin process in MiB (Linux /proc), or undefined once it is gone. */
  rssMiB(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
    } catch {
      return undefined;
    }
  }

  /** Ends the host and its plugin (a stalled plugin is killed, never left behind burning CPU). */
  async stop(): Promise<void> {
    const child = this.child;
    this.stopping = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.on('close', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      });
    }
    this.killPlugin();
    this.markDead();
  }

  private killPlugin(): void {
    if (this.pid <= 0) return;
    try {
      process.kill(this.pid, 0);
    } catch {
      return; // already gone
    }
    try {
      // Only our own plugin: its pid came from the host that started it, and it still runs our executable.
      if (readFileSync(`/proc/${this.pid}/cmdline`, 'utf8').startsWith(this.executable))
        process.kill(this.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
