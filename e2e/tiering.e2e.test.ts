// backend/tiering.ts on the Node that the linux-amd64 executable embeds (the unit tests' Node 20 has no Maglev
// by default): a function called as queries call it, once per event-loop turn, is optimised after 120 calls once
// tierUpForServing has run, and is not without it. Optimising compiles run on the main thread here, as in the
// executables (--no-concurrent-recompilation), so the status is read after a finished compile, not a race.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from './lib/grafanaHost';

/** V8's %GetOptimizationStatus bit for "optimised code" (Maglev or TurboFan). */
const OPTIMIZED = 1 << 4;
const CALLS = 120;

let dir: string;
let runtime: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-tiering-'));
  const found = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { nodeBinary } = await import('./scripts/build-backend.mjs'); const { targetById } = await import('./scripts/targets.mjs'); process.stdout.write(nodeBinary(targetById('linux-amd64').node));",
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (found.status !== 0) throw new Error(`cannot find the executable's Node: ${found.stderr}`);
  runtime = found.stdout;
  buildSync({
    entryPoints: [join(REPO_ROOT, 'backend', 'tiering.ts')],
    outfile: join(dir, 'tiering.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  writeFileSync(
    join(dir, 'probe.js'),
    `const { tierUpForServing } = require('./tiering.cjs');
if (process.argv[2] === 'tier-up') tierUpForServing();
function total(o) { let s = 0; for (const k in o) s += o[k].length; return s; }
const o = { a: 'xx', b: 'yyy', c: 'z' };
let calls = 0;
(function step() {
  total(o);
  if (++calls < ${CALLS}) return setImmediate(step);
  process.stdout.write(String(%GetOptimizationStatus(total)));
})();
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function statusAfterCalls(mode: 'tier-up' | 'defaults'): number {
  const run = spawnSync(runtime, ['--allow-natives-syntax', '--no-concurrent-recompilation', 'probe.js', mode], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/^\d+$/);
  return Number(run.stdout);
}

test(`a function is optimised within ${CALLS} calls once tierUpForServing has run`, () => {
  expect(statusAfterCalls('tier-up') & OPTIMIZED).toBe(OPTIMIZED);
});

test(`with V8's own thresholds the same function is still unoptimised after ${CALLS} calls`, () => {
  expect(statusAfterCalls('defaults') & OPTIMIZED).toBe(0);
});
