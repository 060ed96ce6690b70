// glibc's malloc_trim for the idle collector (idleCollector.ts). glibc gives freed memory back to the system
// only from the top of each arena, so after a burst (concurrent queries, query workers that have exited, a
// large answer) tens of MiB of free blocks stay resident; malloc_trim(0) releases free pages anywhere in every
// arena. No JavaScript API reaches it: the Linux executables ship a one-function Node-API addon
// (native/malloc-trim.c) beside the bundled glibc and Node, in the folder of the running executable.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const MALLOC_TRIM_ADDON = 'sigil-malloc-trim.node';

/** Gives free heap memory back to the system; true when some was given back. */
export type MallocTrim = () => boolean;

export type MallocTrimLoad = { trim: MallocTrim; from: string } | { trim?: undefined; why: string };

/**
 * The addon of this executable's folder. Other platforms and runs without it (tests, `tsx`) get a reason
 * instead: the plugin works the same, only without the trim.
 */
export function loadMallocTrim(
  execPath: string = process.execPath,
  platform: NodeJS.Platform = process.platform,
  dlopen: (module: { exports: unknown }, path: string) => void = process.dlopen,
): MallocTrimLoad {
  if (platform !== 'linux') return { why: `not built for ${platform}` };
  const path = join(dirname(execPath), MALLOC_TRIM_ADDON);
  if (!existsSync(path)) return { why: `no ${MALLOC_TRIM_ADDON} beside the runtime` };
  try {
    const module = { exports: {} as { trim?: unknown } };
    dlopen(module, path);
    const trim = module.exports.trim;
    if (typeof trim !== 'function') return { why: `${MALLOC_TRIM_ADDON} has no trim function` };
    return { trim: () => (trim as () => unknown)() === true, from: path };
  } catch (e) {
    return { why: `${MALLOC_TRIM_ADDON} did not load: ${(e as Error).message}` };
  }
}
