import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadMemoryTrim, MALLOC_TRIM_ADDON, registerTeardownCollection } from './memoryTrim';

const ROOT = join(__dirname, '..');

describe('loadMemoryTrim', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigil-trim-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The same compiler line as scripts/build-backend.mjs, for this machine's Node and glibc. */
  function compileAddon(): string {
    const out = join(dir, MALLOC_TRIM_ADDON);
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
      out,
      join(ROOT, 'native', 'malloc-trim.c'),
    ]);
    return out;
  }

  /** This process's read-only private mappings of its executable: resident and anonymous KiB of each. */
  function executableMappings(): { rssKb: number; anonKb: number }[] {
    const exe = realpathSync(process.execPath);
    return readFileSync('/proc/self/smaps', 'utf8')
      .split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)
      .filter((block) => / r-[-x]p /.test(block.split('\n')[0]) && block.split('\n')[0].endsWith(` ${exe}`))
      .map((block) => ({
        rssKb: Number(/\nRss:\s+(\d+) kB/.exec(block)?.[1]),
        anonKb: Number(/\nAnonymous:\s+(\d+) kB/.exec(block)?.[1]),
      }));
  }

  it('loads the addon beside the runtime; its trim unmaps the clean executable pages and keeps copied ones', async () => {
    const addon = compileAddon();
    // The runtime whose pages it releases is the file holding Node-API's code: this test's own Node.
    const loaded = loadMemoryTrim(join(dir, 'sigil-node'), 'linux');
    expect(loaded).toMatchObject({ from: addon });
    // Free some C heap first (a Buffer under the pool size comes from malloc), so there is something to give back.
    for (let i = 0; i < 1000; i++) Buffer.allocUnsafeSlow(32 * 1024);
    const before = executableMappings();
    const clean = (ms: { rssKb: number; anonKb: number }[]) =>
      ms.filter((m) => m.anonKb === 0).reduce((sum, m) => sum + m.rssKb, 0);
    const copied = (ms: { rssKb: number; anonKb: number }[]) => ms.filter((m) => m.anonKb > 0);
    // The dynamic linker's relocated read-only data: pages a release must keep, or the process would crash.
    expect(copied(before).length).toBeGreaterThan(0);
    expect(clean(before)).toBeGreaterThan(4096);
    loaded.trim?.();
    const after = executableMappings();
    expect(clean(after)).toBeLessThan(clean(before) / 2);
    expect(copied(after)).toEqual(copied(before));
    // The process goes on: a new thread runs code and data of the executable that were just unmapped.
    const digest = await new Promise((resolve, reject) => {
      const worker = new Worker(
        "require('worker_threads').parentPort.postMessage(require('crypto').createHash('sha256').update('sigil').digest('hex'))",
        { eval: true },
      );
      worker.once('message', (m) => void worker.terminate().then(() => resolve(m)));
      worker.once('error', reject);
    });
    expect(digest).toBe(createHash('sha256').update('sigil').digest('hex'));
  });

  it('gives a reason instead of a trim: other platforms, no addon, a file that is not one', () => {
    expect(loadMemoryTrim(join(dir, 'node'), 'darwin')).toEqual({ why: 'not built for darwin' });
    expect(loadMemoryTrim(join(dir, 'node'), 'linux')).toEqual({ why: `no ${MALLOC_TRIM_ADDON} beside the runtime` });
    writeFileSync(join(dir, MALLOC_TRIM_ADDON), 'not an ELF file');
    expect(loadMemoryTrim(join(dir, 'node'), 'linux')).toEqual({
      why: expect.stringMatching(`^${MALLOC_TRIM_ADDON} did not load: `),
    });
  });

  it("collects a worker's heap at its teardown: the worker ends cleanly when terminated mid-task or out of memory", async () => {
    const addon = compileAddon();
    // A worker that registers the collection, then grows garbage-to-be on its stack until it is ended.
    const source = `
      const { parentPort } = require('node:worker_threads');
      const m = { exports: {} };
      process.dlopen(m, ${JSON.stringify(addon)});
      parentPort.postMessage(m.exports.collectBeforeTeardown());
      const keep = [];
      for (let n = 0; ; n++) keep.push({ n, s: 'row ' + n });`;
    const run = (memoryMb: number, terminate: boolean) =>
      new Promise<{ registered: unknown; error?: string; code: number }>((resolve) => {
        const worker = new Worker(source, { eval: true, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
        let registered: unknown;
        let error: string | undefined;
        worker.once('message', (m) => {
          registered = m;
          // Ended from outside while it runs, as by the pool's time budget.
          if (terminate) setTimeout(() => void worker.terminate(), 300);
        });
        worker.once('error', (e: Error & { code?: string }) => (error = e.code));
        worker.once('exit', (code) => resolve({ registered, error, code }));
      });
    await expect(run(2048, true)).resolves.toEqual({ registered: true, error: undefined, code: 1 });
    await expect(run(16, false)).resolves.toEqual({ registered: true, error: 'ERR_WORKER_OUT_OF_MEMORY', code: 1 });
    // The process goes on, and so does a new worker.
    const answer = await new Promise((resolve) => {
      const worker = new Worker("require('worker_threads').parentPort.postMessage(6 * 7)", { eval: true });
      worker.once('message', (m) => void worker.terminate().then(() => resolve(m)));
    });
    expect(answer).toBe(42);
  });

  it('registers the teardown collection through the addon beside the runtime, or says why not', () => {
    expect(registerTeardownCollection(join(dir, 'node'), 'darwin')).toEqual({ why: 'not built for darwin' });
    expect(registerTeardownCollection(join(dir, 'node'), 'linux')).toEqual({
      why: `no ${MALLOC_TRIM_ADDON} beside the runtime`,
    });
    copyFileSync(__filename, join(dir, MALLOC_TRIM_ADDON));
    const calls: string[] = [];
    const addonWith = (exports: Record<string, unknown>) => (module: { exports: unknown }, path: string) => {
      calls.push(path);
      module.exports = exports;
    };
    expect(registerTeardownCollection(join(dir, 'node'), 'linux', addonWith({ trim: () => true }))).toEqual({
      why: `${MALLOC_TRIM_ADDON} has no collectBeforeTeardown function`,
    });
    expect(
      registerTeardownCollection(join(dir, 'node'), 'linux', addonWith({ collectBeforeTeardown: () => false })),
    ).toEqual({
      why: 'the runtime exports no V8 collection to call',
    });
    expect(
      registerTeardownCollection(join(dir, 'node'), 'linux', addonWith({ collectBeforeTeardown: () => true })),
    ).toBe(true);
    expect(calls).toEqual(Array(3).fill(join(dir, MALLOC_TRIM_ADDON)));
  });

  it('refuses an addon without both functions', () => {
    copyFileSync(__filename, join(dir, MALLOC_TRIM_ADDON));
    const fakeDlopen = (module: { exports: unknown }) => {
      module.exports = { trim: 42 };
    };
    expect(loadMemoryTrim(join(dir, 'node'), 'linux', fakeDlopen)).toEqual({
      why: `${MALLOC_TRIM_ADDON} has no trim or releaseRuntimePages function`,
    });
  });
});
