// Root file systems for the runtime tests: a folder that holds only what a container image would give the
// plugin, and a wrapper command that starts the plugin inside it as Grafana's plugin client starts any
// executable. The wrapper execs all the way down (unshare -> sh -> chroot -> plugin), so the PID go-plugin
// watches is the plugin's. It makes a private mount namespace (gone with the process): the plugin folder
// (dist/) bound read-only at /plugin, /proc, /dev, and the host's /tmp, which Grafana and its plugins share
// in an image (the plugin's unix socket is there). Needs root (unshare, mount, chroot).
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The glibc that Grafana's Alpine image gives plugins on amd64 (its Dockerfile's /usr/glibc-compat/lib). */
export const ALPINE_GLIBC_COMPAT = [
  'ld-linux-x86-64.so.2',
  'libc.so.6',
  'libdl.so.2',
  'libm.so.6',
  'libpthread.so.0',
  'librt.so.1',
  'libresolv.so.2',
];
const HOST_LIBS = '/lib/x86_64-linux-gnu';

export interface PluginRoot {
  dir: string;
  /** Executable that starts `/plugin/<executable>` inside the root with the given argv. */
  wrapper: string;
  remove(): void;
}

/** What the tests need from the host; the message says what is missing (the tests fail on it, never skip). */
export function rootPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (for unshare, mount and chroot)');
  for (const tool of ['/usr/bin/unshare', '/usr/sbin/chroot', '/usr/bin/mount', '/bin/sh'])
    if (!existsSync(tool)) missing.push(tool);
  return missing;
}

/**
 * A root with /plugin, /dev, /proc and /tmp only; with `glibcCompat`, also the Alpine image's glibc-compat set
 * (copied from this host's glibc) and the /lib64 loader link that makes it the system's loader.
 */
export function makePluginRoot(
  pluginDir: string,
  executable: string,
  options: { glibcCompat?: boolean } = {},
): PluginRoot {
  const base = mkdtempSync(join(tmpdir(), 'sigil-root-'));
  const dir = join(base, 'root');
  for (const d of ['plugin', 'dev', 'proc', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  if (options.glibcCompat) {
    const compat = join(dir, 'usr', 'glibc-compat', 'lib');
    mkdirSync(compat, { recursive: true });
    for (const lib of ALPINE_GLIBC_COMPAT) copyFileSync(join(HOST_LIBS, lib), join(compat, lib));
    mkdirSync(join(dir, 'lib64'));
    symlinkSync('/usr/glibc-compat/lib/ld-linux-x86-64.so.2', join(dir, 'lib64', 'ld-linux-x86-64.so.2'));
  }
  const wrapper = join(base, 'start-plugin');
  const inner = [
    'set -e',
    'root=$1; plugin=$2; exe=$3; shift 3',
    'mount --bind "$plugin" "$root/plugin"',
    'mount -o remount,bind,ro "$root/plugin"',
    'mount -t proc proc "$root/proc"',
    'mount --rbind /dev "$root/dev"',
    // Grafana and its plugins share /tmp, where the plugin makes the unix socket Grafana dials.
    'mount --bind /tmp "$root/tmp"',
    'exec /usr/sbin/chroot "$root" "/plugin/$exe" "$@"',
  ].join('\n');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec /usr/bin/unshare --mount --propagation private -- /bin/sh -c ${q(inner)} sigil-root ${q(dir)} ${q(pluginDir)} ${q(executable)} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { dir, wrapper, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative, for asserting what a root holds. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

const BINFMT = '/proc/sys/fs/binfmt_misc';
const AARCH64_MAGIC = '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00';
const AARCH64_MASK =
  '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';

/**
 * Registers qemu-aarch64-static for arm64 ELF files with binfmt_misc's F flag (the kernel opens the emulator
 * now, so it works inside a chroot that does not hold it), so that the arm64 launcher's execve of the arm64
 * loader runs too. Returns the function that removes the registration.
 */
export function registerAarch64Binfmt(qemu: string): () => void {
  if (!existsSync(qemu))
    throw new Error(`${qemu} is missing: apt-get install qemu-user-static (scripts/ensure-test-deps.sh)`);
  if (!existsSync(join(BINFMT, 'register'))) {
    try {
      execFileSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(`binfmt_misc is not mounted at ${BINFMT} and cannot be: ${(e as Error).message}`, { cause: e });
    }
  }
  const name = `sigil-aarch64-${process.pid}`;
  writeFileSync(join(BINFMT, 'register'), `:${name}:M::${AARCH64_MAGIC}:${AARCH64_MASK}:${qemu}:F`);
  const entry = join(BINFMT, name);
  if (!readFileSync(entry, 'utf8').includes('enabled')) throw new Error(`binfmt_misc entry ${entry} is not enabled`);
  return () => {
    if (existsSync(entry)) writeFileSync(entry, '-1');
  };
}
