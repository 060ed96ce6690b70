// Starts a moto server (from the project's venv) on 127.0.0.1 with IAM authentication turned on, so that
// every request must carry a valid SigV4 signature from keys moto issued and be allowed by IAM policy.
// Seeded with: an admin user (Action *), a user that may only AssumeRole/GetCallerIdentity, and a role
// whose trust policy requires an External ID. Reused by the query e2e tests (CloudWatch, SQS, S3, ...).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface MotoKeys {
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Moto {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  endpoint: string;
  port: number;
  region: string;
  account: string;
  /** May do anything: use it to create queues, buckets, metrics. */
  admin: MotoKeys;
  /** May only call sts:AssumeRole and sts:GetCallerIdentity. */
  user: MotoKeys;
  /** Trusts `user` and `admin` only with the External ID below; may do anything once assumed. */
  role: { arn: string; externalId: string };
  /** Runs Python with `boto3`, `endpoint`, `region` and an admin `session` defined; returns stdout. */
  python(code: string): Promise<string>;
  stop(): Promise<void>;
}

export const REPO_ROOT = join(__dirname, '..', '..');

export function venvPath(): string {
  return process.env.SIGIL_VENV || join(REPO_ROOT, '.venv');
}

export function venvPython(): string {
  return join(venvPath(), 'bin', 'python');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(endpoint: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${deadlineMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startMoto(options: { region?: string; externalId?: string } = {}): Promise<Moto> {
  const region = options.region ?? 'us-east-1';
  const externalId = options.externalId ?? 'sigil-external-id-4711';
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, MOTO_PORT: String(port) };
  delete env.INITIAL_NO_AUTH_ACTION_COUNT; // auth is switched on after seeding, via /moto-api/reset-auth
  const child = spawn(join(venvPath(), 'bin', 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    await waitReady(endpoint, child, 30_000);
    const { stdout } = await execFileAsync(
      venvPython(),
      [join(__dirname, 'moto_setup.py'), endpoint, region, externalId],
      {
        env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      },
    );
    const seeded = JSON.parse(stdout) as Pick<Moto, 'account' | 'admin' | 'user' | 'role'>;
    const moto: Moto = {
      endpoint,
      port,
      region,
      ...seeded,
      python: async (code: string) => {
        const prelude = [
          'import boto3, json',
          `endpoint = ${JSON.stringify(endpoint)}`,
          `region = ${JSON.stringify(region)}`,
          `session = boto3.Session(aws_access_key_id=${JSON.stringify(seeded.admin.accessKeyId)}, ` +
            `aws_secret_access_key=${JSON.stringify(seeded.admin.secretAccessKey)}, region_name=region)`,
        ].join('\n');
        const { stdout: out } = await execFileAsync(venvPython(), ['-c', `${prelude}\n${code}`], {
          env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
          maxBuffer: 64 * 1024 * 1024,
        });
        return out;
      },
      stop: () => stopChild(child),
    };
    return moto;
  } catch (err) {
    await stopChild(child);
    throw new Error(`could not start moto: ${(err as Error).message}\n${stderr}`, { cause: err });
  }
}
