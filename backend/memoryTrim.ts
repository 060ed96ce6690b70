// Memory the idle plugin can give back that no JavaScript API reaches, for the idle collector
// (idleCollector.ts). The Linux executables ship a small Node-API addon (native/malloc-trim.c) beside the
// bundled glibc and Node, in the folder of the running executable. It does two things:
// - glibc's malloc_trim(0): glibc gives freed memory back to the system only from the top of each arena, so
//   after a burst (concurrent queries, query workers that have exited, a large answer) tens of MiB of free
//   blocks stay resident; malloc_trim releases free pages anywhere in every arena.
// - the executable's clean pages: every page of the Node executable the process ever touched stays mapped
//   (45-75 MiB, more than all its heaps when idle). The addon unmaps the clean pages of the executable's
//   read-only mappings; they stay in the page cache and a page used again is mapped back by a minor fault.
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
}

/**
 * The addon of this executable's folder. Other platforms and runs without it (tests, `tsx`) get a reason
 * instead: the plugin works the same, only without the trim.
 */
export function loadMemoryTrim(
  execPath: string = process.execPath,
  platform: NodeJS.Platform = process.platform,
  dlopen: (module: { exports: unknown }, path: string) => void = process.dlopen,
): MemoryTrimLoad {
  if (platform !== 'linux') return { why: `not built for ${platform}` };
  const path = join(dirname(execPath), MALLOC_TRIM_ADDON);
  if (!existsSync(path)) return { why: `no ${MALLOC_TRIM_ADDON} beside the runtime` };
  try {
    const module = { exports: {} as AddonExports };
    dlopen(module, path);
    const { trim, releaseRuntimePages } = module.exports;
    if (typeof trim !== 'function' || typeof releaseRuntimePages !== 'function')
      return { why: `${MALLOC_TRIM_ADDON} has no trim or releaseRuntimePages function` };
    return {
      trim: () => {
        (trim as () => unknown)();
        (releaseRuntimePages as () => unknown)();
      },
      from: path,
    };
  } catch (e) {
    return { why: `${MALLOC_TRIM_ADDON} did not load: ${(e as Error).message}` };
  }
}
