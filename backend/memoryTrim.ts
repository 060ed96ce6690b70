// Memory the idle plugin can give back that no JavaScript API reaches, for the idle collector
// (idleCollector.ts). The Linux executables ship a small Node-API addon (native/malloc-trim.c) beside the
// bundled glibc and Node, in the folder of the running executable. It does two things:
// - glibc's malloc_trim(0): glibc gives freed memory back to the system only from the top of each arena, so
//   after a burst (concurrent queries, query workers that have exited, a large answer) tens of MiB of free
//   blocks stay resident; malloc_trim releases free pages anywhere in every arena.
// - the executable's clean pages: every page of the Node executable the process ever touched stays mapped
//   (45-75 MiB, more than all its heaps when idle). The addon unmaps the clean pages of the executable's
//   read-only mappings; they stay in the page cache and a page used again is mapped back by a minor fault.
// In each query worker the same addon registers a collection at the worker's teardown (see
// registerTeardownCollection), so that a worker's heap goes back from its own thread.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const MALLOC_TRIM_ADDON = 'sigil-malloc-trim.node';

/** What the loaded trim does, for the "plugin started" line. */
export const MEMORY_TRIM_KINDS = 'malloc_trim, executable pages';

/** Gives free C heap memory and the executable's unused pages back to the system. */
export type MemoryTrim = () => void;

export type MemoryTrimLoad = { trim: MemoryTrim; from: string } | { trim?: undefined; why: string };

interface AddonExports {
  trim?: unknown;
  releaseRuntimePages?: unknown;
  collectBeforeTeardown?: unknown;
}

type Dlopen = (module: { exports: unknown }, path: string) => void;

/** The addon beside the runtime, loaded; a reason when there is none (other platforms, tests, `tsx`). */
function loadAddon(execPath: string, platform: NodeJS.Platform, dlopen: Dlopen): AddonExports | { why: string } {
  if (platform !== 'linux') return { why: `not built for ${platform}` };
  const path = join(dirname(execPath), MALLOC_TRIM_ADDON);
  if (!existsSync(path)) return { why: `no ${MALLOC_TRIM_ADDON} beside the runtime` };
  try {
    const module = { exports: {} as AddonExports };
    dlopen(module, path);
    return module.exports;
  } catch (e) {
    return { why: `${MALLOC_TRIM_ADDON} did not load: ${(e as Error).message}` };
  }
}

/**
 * The addon of this executable's folder. Other platforms and runs without it (tests, `tsx`) get a reason
 * instead: the plugin works the same, only without the trim.
 */
export function loadMemoryTrim(
  execPath: string = process.execPath,
  platform: NodeJS.Platform = process.platform,
  dlopen: Dlopen = process.dlopen,
): MemoryTrimLoad {
  const addon = loadAddon(execPath, platform, dlopen);
  if ('why' in addon) return { why: addon.why as string };
  const { trim, releaseRuntimePages } = addon;
  if (typeof trim !== 'function' || typeof releaseRuntimePages !== 'function')
    return { why: `${MALLOC_TRIM_ADDON} has no trim or releaseRuntimePages function` };
  return {
    trim: () => {
      (trim as () => unknown)();
      (releaseRuntimePages as () => unknown)();
    },
    from: join(dirname(execPath), MALLOC_TRIM_ADDON),
  };
}

/**
 * In a worker thread: has the addon collect the worker's heap on this thread when the worker ends, even
 * terminated over a budget (native/malloc-trim.c, collectBeforeTeardown). Without it V8 pools a torn-down
 * worker's heap and has the main thread unmap it 8 s later. True when registered; a reason otherwise.
 */
export function registerTeardownCollection(
  execPath: string = process.execPath,
  platform: NodeJS.Platform = process.platform,
  dlopen: Dlopen = process.dlopen,
): true | { why: string } {
  const addon = loadAddon(execPath, platform, dlopen);
  if ('why' in addon) return { why: addon.why as string };
  if (typeof addon.collectBeforeTeardown !== 'function')
    return { why: `${MALLOC_TRIM_ADDON} has no collectBeforeTeardown function` };
  return (addon.collectBeforeTeardown as () => unknown)() === true
    ? true
    : { why: 'the runtime exports no V8 collection to call' };
}
