// Structural checks of a built executable, for platforms this machine cannot run (Windows, macOS) and as a
// first check of the others: the file format and CPU, Node's SEA fuse flipped, the blob's resource/segment/note
// present (and, given the blob, its bytes in the file), and for macOS a valid ad-hoc code signature (every page
// hash checked here; rcodesign signs).
// Used by scripts/build-backend.mjs; also a CLI: node scripts/check-executable.mjs <target-id> <file> [blob].
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { targetById } from './targets.mjs';

const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Throws, naming the file and what is wrong, unless `file` is a SEA executable for `target`. */
export function checkStructure(target, file, blob) {
  const data = readFileSync(file);
  const fail = (what) => {
    throw new Error(`${file}: ${what}`);
  };
  if (target.os === 'windows') {
    if (data.toString('latin1', 0, 2) !== 'MZ') fail('no MZ header');
    const pe = data.readUInt32LE(0x3c);
    if (data.toString('latin1', pe, pe + 4) !== 'PE\0\0') fail('no PE signature');
    if (data.readUInt16LE(pe + 4) !== target.peMachine)
      fail(`PE machine 0x${data.readUInt16LE(pe + 4).toString(16)} is not 0x${target.peMachine.toString(16)}`);
    const optional = pe + 24;
    const security = optional + (data.readUInt16LE(optional) === 0x20b ? 112 : 96) + 4 * 8;
    if (data.readUInt32LE(security + 4) !== 0)
      fail('it still has an Authenticode signature entry, which injection made invalid');
    // postject stores the blob as an RT_RCDATA resource named NODE_SEA_BLOB (a UTF-16 name).
    if (data.indexOf(Buffer.from('NODE_SEA_BLOB', 'utf16le')) < 0) fail('no NODE_SEA_BLOB resource');
  } else if (target.os === 'darwin') {
    if (data.readUInt32LE(0) !== 0xfeedfacf) fail('not a 64-bit Mach-O file');
    if (data.readUInt32LE(4) !== target.cpuType)
      fail(`Mach-O CPU type 0x${data.readUInt32LE(4).toString(16)} is not 0x${target.cpuType.toString(16)}`);
    if (data.indexOf('__NODE_SEA_BLOB', 0, 'latin1') < 0) fail('no NODE_SEA segment with a __NODE_SEA_BLOB section');
  } else {
    if (data.toString('latin1', 0, 4) !== '\x7fELF') fail('not an ELF file');
    if (data.readUInt16LE(18) !== target.elfMachine)
      fail(`ELF machine ${data.readUInt16LE(18)} is not ${target.elfMachine}`);
    if (data.indexOf('NODE_SEA_BLOB', 0, 'latin1') < 0) fail('no NODE_SEA_BLOB note');
  }
  if (data.indexOf(`${SEA_FUSE}:1`, 0, 'latin1') < 0) fail('the SEA fuse is not set');
  if (blob && data.indexOf(readFileSync(blob)) < 0) fail(`the SEA blob ${blob} is not in it`);
}

/** rcodesign from the crate apple-codesign: $RCODESIGN, ~/.cargo/bin, or PATH. */
export function rcodesign() {
  if (process.env.RCODESIGN) return process.env.RCODESIGN;
  const cargo = join(process.env.CARGO_HOME ?? join(process.env.HOME ?? '/root', '.cargo'), 'bin', 'rcodesign');
  return existsSync(cargo) ? cargo : 'rcodesign';
}

function run(args) {
  const result = spawnSync(rcodesign(), args, { encoding: 'utf8' });
  if (result.error?.code === 'ENOENT')
    throw new Error(
      'rcodesign is not installed: cargo install apple-codesign --locked (scripts/ensure-test-deps.sh does)',
    );
  if (result.status !== 0) throw new Error(`rcodesign ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Signs a Mach-O ad hoc (replacing Node's signature, which injection broke). */
export function adHocSign(file) {
  run(['sign', file]);
}

/**
 * Throws unless the Mach-O carries an ad-hoc code signature that matches its current contents: the
 * LC_CODE_SIGNATURE super blob's code directory is flagged ad hoc, covers the file up to the signature, and
 * every page hash equals the hash of that page now (what the macOS kernel checks as it maps pages).
 * `rcodesign verify` cannot do this: it fails on every ad-hoc signature ("CMS error", there is no CMS blob).
 */
export function verifySignature(file) {
  const data = readFileSync(file);
  const fail = (what) => {
    throw new Error(`${file}: code signature: ${what}`);
  };
  const ncmds = data.readUInt32LE(16);
  let at = 32;
  let signature;
  for (let i = 0; i < ncmds; i++) {
    const cmd = data.readUInt32LE(at);
    if (cmd === 0x1d) signature = { offset: data.readUInt32LE(at + 8), size: data.readUInt32LE(at + 12) };
    at += data.readUInt32LE(at + 4);
  }
  if (!signature) fail('no LC_CODE_SIGNATURE load command');
  const blob = data.subarray(signature.offset, signature.offset + signature.size);
  if (blob.readUInt32BE(0) !== 0xfade0cc0) fail('no embedded signature super blob');
  let cd;
  for (let i = 0; i < blob.readUInt32BE(8); i++) {
    const type = blob.readUInt32BE(12 + 8 * i);
    if (type === 0) cd = blob.subarray(blob.readUInt32BE(16 + 8 * i));
  }
  if (!cd || cd.readUInt32BE(0) !== 0xfade0c02) fail('no code directory');
  const flags = cd.readUInt32BE(12);
  const hashOffset = cd.readUInt32BE(16);
  const nCodeSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  const hashSize = cd.readUInt8(36);
  const hashType = cd.readUInt8(37);
  const pageSize = 2 ** cd.readUInt8(39);
  if ((flags & 0x2) === 0) fail('not an ad-hoc signature');
  if (codeLimit !== signature.offset)
    fail(`covers ${codeLimit} bytes, but the signature starts at ${signature.offset}`);
  if (nCodeSlots !== Math.ceil(codeLimit / pageSize)) fail(`${nCodeSlots} page hashes for ${codeLimit} bytes`);
  const algorithm = { 1: 'sha1', 2: 'sha256' }[hashType];
  if (!algorithm) fail(`hash type ${hashType} is not SHA-1 or SHA-256`);
  for (let page = 0; page < nCodeSlots; page++) {
    const actual = createHash(algorithm)
      .update(data.subarray(page * pageSize, Math.min((page + 1) * pageSize, codeLimit)))
      .digest()
      .subarray(0, hashSize);
    const stored = cd.subarray(hashOffset + page * hashSize, hashOffset + (page + 1) * hashSize);
    if (!actual.equals(stored)) fail(`page ${page} (offset ${page * pageSize}) does not match its hash`);
  }
}

export function checkExecutable(targetId, file, blob) {
  const target = targetById(targetId);
  checkStructure(target, file, blob);
  if (target.os === 'darwin') verifySignature(file);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [targetId, file, blob] = process.argv.slice(2);
  try {
    if (!targetId || !file) throw new Error('usage: node scripts/check-executable.mjs <target-id> <file> [blob]');
    checkExecutable(targetId, file, blob);
    process.stdout.write(`${file}: ok (${targetId})\n`);
  } catch (e) {
    process.stderr.write(`check-executable: ${e.message}\n`);
    process.exit(1);
  }
}
