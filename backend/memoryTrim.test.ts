import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMallocTrim, MALLOC_TRIM_ADDON } from './memoryTrim';

const ROOT = join(__dirname, '..');

describe('loadMallocTrim', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-trim-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the addon beside the runtime, whose trim calls malloc_trim and answers a boolean', () => {
    // The same compiler line as scripts/build-backend.mjs, for this machine's Node and glibc.
    execFileSync('gcc', [
      '-shared',
      '-fPIC',
      '-O2',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-I',
      join(ROOT, 'node_modules', 'node-api-headers', 'include'),
      '-o',
      join(dir, MALLOC_TRIM_ADDON),
      join(ROOT, 'native', 'malloc-trim.c'),
    ]);
    const loaded = loadMallocTrim(join(dir, 'sigil-node'), 'linux');
    expect(loaded).toMatchObject({ from: join(dir, MALLOC_TRIM_ADDON) });
    // Free some C heap first (a Buffer under the pool size comes from malloc), so there is something to give back.
    for (let i = 0; i < 1000; i++) Buffer.allocUnsafeSlow(32 * 1024);
    expect(typeof loaded.trim?.()).toBe('boolean');
  });

  it('gives a reason instead of a trim: other platforms, no addon, a file that is not one', () => {
    expect(loadMallocTrim(join(dir, 'node'), 'darwin')).toEqual({ why: 'not built for darwin' });
    expect(loadMallocTrim(join(dir, 'node'), 'linux')).toEqual({ why: `no ${MALLOC_TRIM_ADDON} beside the runtime` });
    writeFileSync(join(dir, MALLOC_TRIM_ADDON), 'not an ELF file');
    expect(loadMallocTrim(join(dir, 'node'), 'linux')).toEqual({
      why: expect.stringMatching(`^${MALLOC_TRIM_ADDON} did not load: `),
    });
  });

  it('refuses an addon without a trim function', () => {
    copyFileSync(__filename, join(dir, MALLOC_TRIM_ADDON));
    const fakeDlopen = (module: { exports: unknown }) => {
      module.exports = { trim: 42 };
    };
    expect(loadMallocTrim(join(dir, 'node'), 'linux', fakeDlopen)).toEqual({
      why: `${MALLOC_TRIM_ADDON} has no trim function`,
    });
  });
});
