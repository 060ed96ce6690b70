// The platforms the plugin ships for, in Go's names (Grafana starts gpx_<executable>_<goos>_<goarch>[.exe]),
// with the pinned Node runtime each one embeds (scripts/build-backend.mjs) and what identifies its files.
export const EXECUTABLE = 'gpx_sigil';
/** On Linux the Node single executable lives beside its loader and libraries: lib/<goArch>/sigil-node. */
export const LINUX_NODE = 'sigil-node';

export const TARGETS = [
  {
    id: 'linux-amd64',
    os: 'linux',
    goArch: 'amd64',
    node: 'linux-x64@24.22.3',
    elfMachine: 62,
    debArch: 'amd64',
    gcc: 'gcc',
    loader: 'ld-linux-x86-64.so.2',
    qemu: null,
  },
  {
    id: 'linux-arm64',
    os: 'linux',
    goArch: 'arm64',
    node: 'linux-arm64@24.22.3',
    elfMachine: 183,
    debArch: 'arm64',
    gcc: 'aarch64-linux-gnu-gcc',
    loader: 'ld-linux-aarch64.so.1',
    qemu: '/usr/bin/qemu-aarch64-static',
  },
  { id: 'windows-amd64', os: 'windows', goArch: 'amd64', node: 'win-x64@24.21.0', peMachine: 0x8664 },
  { id: 'darwin-amd64', os: 'darwin', goArch: 'amd64', node: 'darwin-x64@24.18.1', cpuType: 0x01000007 },
  { id: 'darwin-arm64', os: 'darwin', goArch: 'arm64', node: 'darwin-arm64@26.10.0', cpuType: 0x0100000c },
];

/** The file Grafana starts, relative to the plugin folder. */
export function executableName(target) {
  return `${EXECUTABLE}_${target.os}_${target.goArch}${target.os === 'windows' ? '.exe' : ''}`;
}

/** The file that holds the SEA blob: the executable itself, or on Linux the Node it launches. */
export function seaFileName(target) {
  return target.os === 'linux' ? `lib/${target.goArch}/${LINUX_NODE}` : executableName(target);
}

export function targetById(id) {
  const target = TARGETS.find((t) => t.id === id);
  if (!target) throw new Error(`unknown target ${id}; known: ${TARGETS.map((t) => t.id).join(', ')}`);
  return target;
}
