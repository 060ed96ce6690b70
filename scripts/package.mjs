// Packs the built plugin (dist/, from `npm run build`) into the archive Grafana's catalogue and
// `grafana cli --pluginUrl <zip> plugins install <id>` expect: sigil-awsapi-datasource-<version>.zip whose
// top folder is the plugin id, plus its sha256 (sha256sum format) beside it. Debian's zip keeps the
// executable bits. Fails, saying what is missing, unless dist/ holds every executable and every file below.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { TARGETS, LINUX_NODE, executableName } from './targets.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function fail(message) {
  process.stderr.write(`package: ${message}\n`);
  process.exit(1);
}

/** Every path (relative to dist/) the archive must hold, with whether it must be executable. */
function requiredFiles() {
  const files = [
    { path: 'module.js', hint: 'npm run build:frontend' },
    { path: 'plugin.json', hint: 'npm run build:frontend' },
    { path: 'img', hint: 'npm run build:frontend' },
    { path: 'README.md', hint: 'README.md at the repository root, then npm run build:frontend' },
    { path: 'CHANGELOG.md', hint: 'CHANGELOG.md at the repository root, then npm run build:frontend' },
    { path: 'LICENSE', hint: 'LICENSE at the repository root, then npm run build:frontend' },
  ];
  for (const t of TARGETS) {
    const exe = executableName(t);
    files.push({ path: exe, executable: true, hint: 'npm run build:backend' });
    if (t.os === 'linux') {
      files.push({ path: `lib/${t.goArch}/${LINUX_NODE}`, hint: 'npm run build:backend' });
      files.push({ path: `lib/${t.goArch}/${t.loader}`, executable: true, hint: 'npm run build:backend' });
    }
  }
  return files;
}

function sha256File(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function main() {
  const pluginJson = join(dist, 'plugin.json');
  if (!existsSync(pluginJson)) fail(`${pluginJson} is missing: run \`npm run build\` first`);
  const { id, info } = JSON.parse(readFileSync(pluginJson, 'utf8'));
  const version = info?.version;
  if (!id || !version || version.includes('%'))
    fail(`${pluginJson} has no plugin id or version (id ${id}, version ${version})`);

  const missing = requiredFiles().filter(
    (f) => !existsSync(join(dist, f.path)) || (f.executable && (statSync(join(dist, f.path)).mode & 0o111) === 0),
  );
  if (missing.length > 0) {
    fail(
      `dist/ is incomplete:\n${missing.map((f) => `  ${f.path}${existsSync(join(dist, f.path)) ? ' is not executable' : ' is missing'} (${f.hint})`).join('\n')}`,
    );
  }

  // The top folder must be the plugin id: stage dist/ under that name (hard links, no copies).
  const stage = join(root, 'build', 'package');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  execFileSync('cp', ['-al', dist, join(stage, id)]);
  for (const stray of execFileSync('find', [join(stage, id), '-name', '*.tmp'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean))
    rmSync(stray);

  const zip = join(root, `${id}-${version}.zip`);
  rmSync(zip, { force: true });
  try {
    // -X: no extra file attributes (owner, times beyond the DOS one); unix modes are kept.
    execFileSync('zip', ['-r', '-X', '-q', zip, id], { cwd: stage, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    fail(e.code === 'ENOENT' ? 'zip is not installed (apt-get install zip)' : `zip failed: ${e.message}`);
  }
  rmSync(stage, { recursive: true, force: true });

  // The archive must keep the executable bits Grafana needs to start the plugin.
  const listing = execFileSync('zipinfo', [zip], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  for (const f of requiredFiles().filter((r) => r.executable)) {
    const line = listing.split('\n').find((l) => l.endsWith(` ${id}/${f.path}`));
    if (!line || !/^-rwx/.test(line))
      fail(`${zip}: ${id}/${f.path} is ${line ? 'not executable' : 'missing'} in the archive`);
  }

  const digest = await sha256File(zip);
  writeFileSync(`${zip}.sha256`, `${digest}  ${basename(zip)}\n`);
  process.stdout.write(`${zip} ${(statSync(zip).size / 2 ** 20).toFixed(1)} MiB sha256 ${digest}\n`);
}

main().catch((e) => fail(e.stack ?? String(e)));
