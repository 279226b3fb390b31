// What the storage test apps share: a disk image packed by disk-image.c loaded into a
// memory disk, the sectors written sent back, and a manifest of a tree in the format of
// POSIX `cksum` (CRC, size, path) so the host compares it with its own.
import { MemoryDisk } from '../../js/services/vfs/memory-disk.js';

/** The image module at `path` (made by `disk-image pack`) as a MemoryDisk. */
export async function loadImage(path, options) {
  const { sectors, size } = await import(path);
  const bytes = new Uint8Array(size);
  for (const [lba, hex] of sectors) {
    const at = lba * 512;
    for (let i = 0; i < 512; i++) bytes[at + i] = parseInt(hex.substr(2 * i, 2), 16);
  }
  return new MemoryDisk(bytes, options);
}

/** Prints the sectors written to `disk` as "W <lba> <hex>" lines for `disk-image apply`. */
export function printWritten(disk) {
  const hex = [];
  for (let i = 0; i < 256; i++) hex.push(i.toString(16).padStart(2, '0'));
  for (const lba of [...disk.written].sort((a, b) => a - b)) {
    const s = disk.bytes.subarray(lba * 512, lba * 512 + 512);
    let line = `W ${lba} `;
    for (const b of s) line += hex[b];
    console.log(line);
  }
}

// POSIX cksum: CRC-32 with polynomial 0x04C11DB7, most significant bit first, over the
// data and then its length (least significant byte first, no zero bytes), complemented.
const TABLE = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  TABLE[i] = c >>> 0;
}

export function cksum(bytes) {
  let crc = 0;
  const step = (b) => { crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ b) & 0xff]) >>> 0; };
  for (const b of bytes) step(b);
  for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) step(n & 0xff);
  return (~crc) >>> 0;
}

/** "CRC SIZE path" for every file under `dir` and "dir path" for directories, sorted. */
export async function manifest(vfs, dir, prefix = '') {
  const lines = [];
  for (const d of await vfs.readdir(dir, { withFileTypes: true })) {
    const path = `${dir === '/' ? '' : dir}/${d.name}`;
    const shown = `${prefix}${path}`;
    if (d.isDirectory()) {
      lines.push(`dir ${shown}`);
      lines.push(...await manifest(vfs, path, prefix));
    } else {
      const data = await vfs.readFile(path);
      lines.push(`${cksum(data)} ${data.length} ${shown}`);
    }
  }
  return lines;
}

/** `size` bytes of a xorshift32 stream seeded with `seed` (disk-faults.test.sh makes the same in Python). */
export function pattern(size, seed) {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

let failures = 0;
/** Prints "ok - what" or "FAIL - what"; failed() counts the FAILs. */
export function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (!ok) failures++;
}
export const failed = () => failures;

/** The error `promise` rejects with, or null if it resolves. */
export async function errorOf(promise) {
  try { await promise; return null; } catch (err) { return err; }
}
