// The Windows and macOS executables, which this machine cannot run (Debian's Wine 8 cannot start Node 24's
// node.exe at all: V8 aborts with "Fatal process out of memory: SegmentedTable::InitializeTable"), are checked
// structurally by scripts/check-executable.mjs: PE or Mach-O for the right CPU, SEA fuse set, the blob's
// resource or segment present, and for macOS a valid ad-hoc code signature (every page hash). Each check is
// also shown to reject a file that is wrong in exactly its respect.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/grafanaHost';

const DIST = join(REPO_ROOT, 'dist');
const CHECK = join(REPO_ROOT, 'scripts', 'check-executable.mjs');

function check(target: string, file: string) {
  const result = spawnSync(process.execPath, [CHECK, target, file], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sigil-platforms-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of `file` with `bytes` written at `offset` (or XORed with 0xff when `bytes` is omitted). */
function damagedCopy(file: string, offset: number, bytes?: Buffer): string {
  const copy = join(tmp, 'damaged');
  copyFileSync(file, copy);
  const fd = openSync(copy, 'r+');
  try {
    let data = bytes;
    if (!data) {
      data = Buffer.alloc(1);
      readSync(fd, data, 0, 1, offset);
      data[0] ^= 0xff;
    }
    writeSync(fd, data, 0, data.length, offset);
  } finally {
    closeSync(fd);
  }
  return copy;
}

describe.each([
  ['windows-amd64', 'gpx_sigil_windows_amd64.exe'],
  ['darwin-amd64', 'gpx_sigil_darwin_amd64'],
  ['darwin-arm64', 'gpx_sigil_darwin_arm64'],
])('%s', (target, name) => {
  const file = join(DIST, name);

  it('is a SEA executable for its platform and CPU (macOS: with a valid signature)', () => {
    expect(existsSync(file)).toBe(true);
    expect(check(target, file)).toEqual({ status: 0, output: `${file}: ok (${target})\n` });
  });

  it('is not taken for another CPU', () => {
    const other =
      target === 'darwin-arm64' ? 'darwin-amd64' : target === 'darwin-amd64' ? 'darwin-arm64' : 'linux-amd64';
    const result = check(other, file);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/CPU type 0x[0-9a-f]+ is not|not an ELF file/);
  });

  if (target.startsWith('darwin')) {
    it('a changed byte breaks the signature and the check says so', () => {
      // Past the headers, inside __TEXT: code the signature's page hashes cover.
      const result = check(target, damagedCopy(file, 1 << 20));
      expect(result.status).toBe(1);
      expect(result.output).toMatch(/code signature: page \d+ \(offset \d+\) does not match its hash/);
    });
  } else {
    it('a PE machine other than x86-64 is refused', () => {
      const header = Buffer.alloc(4);
      const fd = openSync(file, 'r');
      readSync(fd, header, 0, 4, 0x3c);
      closeSync(fd);
      const result = check(target, damagedCopy(file, header.readUInt32LE(0) + 4, Buffer.from([0x64, 0xaa])));
      expect(result.status).toBe(1);
      expect(result.output).toContain('PE machine 0xaa64 is not 0x8664');
    });
  }
});
