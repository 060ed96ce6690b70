// The built Linux executables run with nothing from the host but the kernel: Grafana's plugin client
// (e2e/grafana-host) starts them inside root file systems made here, with only the plugin folder, /dev, /proc
// and /tmp (and, for Grafana's Alpine image on amd64, exactly its glibc-compat files), runs CheckHealth and a
// QueryData against moto over loopback, decodes the frames and shuts the plugin down. arm64 runs under
// qemu-user through binfmt_misc. A broken plugin folder gives one line on stderr and exit 127.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runGrafanaHostDetailed, type HostRun } from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';
import { ALPINE_GLIBC_COMPAT, listFiles, makePluginRoot, registerAarch64Binfmt, rootPrerequisites } from './lib/rootfs';

const DIST = join(REPO_ROOT, 'dist');
const QEMU_AARCH64 = '/usr/bin/qemu-aarch64-static';
const NODE_VERSION = /"node":"v24\.\d+\.\d+"/;
const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const form = (pairs: Record<string, string>) => Object.entries(pairs).map(([key, value]) => ({ key, value }));

let moto: Moto;
let tlsServer: Server;
let tlsEndpoint: string;

/** An https server on loopback with a self-signed certificate (made here by openssl). */
async function startSelfSignedServer(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    const server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.end('{"ok":true}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const missing = rootPrerequisites();
  if (missing.length > 0) throw new Error(`the runtime tests need: ${missing.join(', ')}`);
  for (const arch of ['amd64', 'arm64']) {
    const exe = join(DIST, `gpx_sigil_linux_${arch}`);
    if (!existsSync(exe)) throw new Error(`${exe} is missing: run \`npm run build:backend\` first`);
  }
  moto = await startMoto();
  tlsServer = await startSelfSignedServer();
  tlsEndpoint = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await moto?.stop();
  await new Promise((resolve) => (tlsServer ? tlsServer.close(resolve) : resolve(undefined)));
});

/** CheckHealth, then a QueryData (STS GetCallerIdentity as XML, and an echo) through the plugin in a root. */
function runInRoot(wrapper: string): Promise<HostRun> {
  const dataSource = {
    uid: 'moto',
    name: 'moto',
    lastUpdatedMS: 1,
    jsonData: { authType: 'keys', defaultRegion: moto.region, endpoint: moto.endpoint, service: 'sts' },
    secureJsonData: { accessKey: moto.admin.accessKeyId, secretKey: moto.admin.secretAccessKey },
  };
  return runGrafanaHostDetailed({
    plugin: wrapper,
    env: ISOLATED_ENV,
    calls: [
      { kind: 'checkHealth', dataSource, timeoutMs: 120_000 },
      {
        kind: 'queryData',
        dataSource,
        timeoutMs: 120_000,
        queries: [
          {
            refId: 'sts',
            json: {
              queryType: 'http',
              method: 'POST',
              url: '/',
              service: 'sts',
              bodyType: 'form',
              form: form({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
              format: 'xml',
              rootSelector: 'GetCallerIdentityResponse.GetCallerIdentityResult',
            },
          },
          { refId: 'echo', queryType: 'echo', json: { values: [1, null, 3] }, from: 1000, to: 3000 },
        ],
      },
      {
        // TLS works with nothing from the image (no CA bundle, no openssl.cnf): Node's bundled CA store
        // refuses the loopback server's self-signed certificate.
        kind: 'queryData',
        timeoutMs: 120_000,
        dataSource: {
          ...dataSource,
          uid: 'tls',
          jsonData: { ...dataSource.jsonData, endpoint: tlsEndpoint, service: 'execute-api' },
        },
        queries: [{ refId: 'tls', json: { queryType: 'http', method: 'GET', url: '/', format: 'json' } }],
      },
    ],
  });
}

function expectWorked(run: HostRun): void {
  expect({ error: run.error, exitCode: run.exitCode }).toEqual({ error: undefined, exitCode: 0 });
  const [health, query] = run.results;
  expect(health.grpcError).toBeUndefined();
  expect(health.status).toBe('OK');
  expect(health.message).toContain(moto.admin.arn);
  const sts = query.responses?.sts;
  expect({ error: sts?.error, decodeError: sts?.decodeError, status: sts?.status }).toEqual({
    error: undefined,
    decodeError: undefined,
    status: 200,
  });
  const arn = sts?.frames[0]?.fields.find((f) => f.name === 'Arn');
  expect(arn?.values).toEqual([moto.admin.arn]);
  const echo = query.responses?.echo?.frames[0]?.fields.find((f) => f.type === 'number');
  expect(echo?.values).toEqual([1, null, 3]);
  expect(run.results[2].responses?.tls?.error).toMatch(/self[- ]signed certificate/i);
  // The bundled runtime answered (its start-up log line, re-logged by go-plugin), and was shut down cleanly.
  expect(run.stderr).toMatch(NODE_VERSION);
  // The memory trim addon loaded from the plugin folder, against the bundled glibc and Node.
  expect(run.stderr).toMatch(/"memoryTrim":"malloc_trim, executable pages"/);
  // Grafana reached it on its unix socket in /tmp, not on the fallback port.
  expect(run.stderr).toMatch(/"plugin started".*"address":"\/tmp\/plugin[0-9a-f]{12}"/);
  expect(run.stderr).toMatch(/"@message":"stopped"/);
}

describe('the Linux executables in root file systems made by the test', () => {
  it('amd64, in a root with only the plugin folder, /dev, /proc and /tmp', async () => {
    const root = makePluginRoot(DIST, 'gpx_sigil_linux_amd64');
    try {
      expect(listFiles(root.dir)).toEqual([]);
      expectWorked(await runInRoot(root.wrapper));
    } finally {
      root.remove();
    }
  });

  it("amd64, in a root with exactly Grafana's Alpine image glibc-compat files", async () => {
    const root = makePluginRoot(DIST, 'gpx_sigil_linux_amd64', { glibcCompat: true });
    try {
      expect(listFiles(root.dir).sort()).toEqual(
        [...ALPINE_GLIBC_COMPAT.map((f) => `usr/glibc-compat/lib/${f}`), 'lib64/ld-linux-x86-64.so.2'].sort(),
      );
      expectWorked(await runInRoot(root.wrapper));
    } finally {
      root.remove();
    }
  });

  it('arm64 under qemu-user, in a root with only the plugin folder, /dev, /proc and /tmp', async () => {
    const unregister = registerAarch64Binfmt(QEMU_AARCH64);
    const root = makePluginRoot(DIST, 'gpx_sigil_linux_arm64');
    try {
      expect(listFiles(root.dir)).toEqual([]);
      expectWorked(await runInRoot(root.wrapper));
    } finally {
      root.remove();
      unregister();
    }
  });
});

describe('a broken plugin folder: one line on stderr, exit 127, no hang', () => {
  let dir: string;
  const lib = () => join(dir, 'lib', 'amd64');

  /** A copy of the amd64 plugin folder (the big files linked, not copied). */
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-broken-'));
    copyFileSync(join(DIST, 'gpx_sigil_linux_amd64'), join(dir, 'gpx_sigil_linux_amd64'));
    chmodSync(join(dir, 'gpx_sigil_linux_amd64'), 0o755);
    mkdirSync(lib(), { recursive: true });
    for (const f of readdirSync(join(DIST, 'lib', 'amd64'))) symlinkSync(join(DIST, 'lib', 'amd64', f), join(lib(), f));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function start() {
    const result = spawnSync(join(dir, 'gpx_sigil_linux_amd64'), [], {
      env: { grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2', SIGIL_SMOKE_TEST: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(127);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0];
  }

  it('the intact copy starts (so the cases below fail for their own reason)', () => {
    const result = spawnSync(join(dir, 'gpx_sigil_linux_amd64'), [], {
      env: { grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2', SIGIL_SMOKE_TEST: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    // A unix socket in the temp folder, as go-plugin's own servers (protocol/handshake.ts).
    expect(result.stdout).toMatch(/^1\|2\|unix\|\/tmp\/plugin[0-9a-f]{12}\|grpc\n$/);
  });

  it('no lib/ folder', () => {
    rmSync(join(dir, 'lib'), { recursive: true });
    expect(start()).toMatch(new RegExp(`ELF loader is missing.*${join(lib(), 'ld-linux-x86-64.so.2')}: No such file`));
  });

  it('a library missing from lib/', () => {
    rmSync(join(lib(), 'libstdc++.so.6'));
    expect(start()).toMatch(
      new RegExp(`shared library is missing.*${join(lib(), 'libstdc\\+\\+.so.6')}: No such file`),
    );
  });

  it('a runtime for the wrong architecture', () => {
    rmSync(join(lib(), 'sigil-node'));
    symlinkSync(join(DIST, 'lib', 'arm64', 'sigil-node'), join(lib(), 'sigil-node'));
    expect(start()).toMatch(
      new RegExp(`Node runtime .*not built for amd64 \\(ELF machine 183\\).*${join(lib(), 'sigil-node')}`),
    );
  });

  it('a damaged runtime', () => {
    rmSync(join(lib(), 'sigil-node'));
    writeFileSync(join(lib(), 'sigil-node'), 'not an executable');
    expect(start()).toMatch(new RegExp(`not an ELF file: ${join(lib(), 'sigil-node')}`));
  });

  it('a loader that is not executable', () => {
    rmSync(join(lib(), 'ld-linux-x86-64.so.2'));
    copyFileSync(join(DIST, 'lib', 'amd64', 'ld-linux-x86-64.so.2'), join(lib(), 'ld-linux-x86-64.so.2'));
    chmodSync(join(lib(), 'ld-linux-x86-64.so.2'), 0o644);
    expect(start()).toMatch(new RegExp(`not executable: ${join(lib(), 'ld-linux-x86-64.so.2')}: Permission denied`));
  });
});
