// Mounts mutated FAT32 images: boot sector fields, FSInfo, FAT entries (free, bad, end,
// loops, links past the volume), directory entries (names, attributes, clusters, sizes,
// long-name sequences) and random bytes. Each one is walked, read, written, synced and
// unmounted with a bounded number of operations. Every failure must be a file-system
// error with a code (a Node-style error naming the call, or the mount's EINVAL/EIO);
// anything else (TypeError, RangeError, a hang) fails with the seed that reproduces it.
//   rtjs-sim --budget MS fat32-fuzz.js IMAGE_MODULE COUNT [FIRST_SEED]
import { Vfs } from '../../js/services/vfs/vfs.js';
import { Fat32 } from '../../js/services/vfs/fat32/fat32.js';
import { loadImage } from './image.js';

const [imagePath, countArg = '100000', firstArg = '1'] = rt.argv;
const base = await loadImage(imagePath);
await fill(base);
const SECTOR = 512;
const WRITE_EVERY = 4; // images that are also written to (the others are walked and read)
const MAX_OPS = 40; // file-system calls per image: bounds the walk of a looping tree

// The base image plus the sectors this run changed (mutations and writes).
class OverlayDisk {
  #sectors = new Map();
  get blockSize() { return SECTOR; }
  get blockCount() { return base.blockCount; }
  get readOnly() { return false; }
  sector(lba) {
    let s = this.#sectors.get(lba);
    if (!s) {
      s = base.bytes.slice(lba * SECTOR, (lba + 1) * SECTOR);
      this.#sectors.set(lba, s);
    }
    return s;
  }
  async read(lba, count) {
    if (lba < 0 || lba + count > this.blockCount) throw new Error(`read past the disk: ${lba}+${count}`);
    const out = base.bytes.slice(lba * SECTOR, (lba + count) * SECTOR);
    for (const [n, s] of this.#sectors) if (n >= lba && n < lba + count) out.set(s, (n - lba) * SECTOR);
    return out;
  }
  async write(lba, bytes) {
    if (lba < 0 || lba + bytes.length / SECTOR > this.blockCount) throw new Error(`write past the disk: ${lba}`);
    for (let i = 0; i < bytes.length / SECTOR; i++) this.sector(lba + i).set(bytes.subarray(i * SECTOR, (i + 1) * SECTOR));
  }
  async flush() {}
}

// The tree every mutation starts from: nested directories, long names, a directory of
// 40 entries, files of a few clusters (written by rtjs: the interop test checks that
// writer against mtools and fsck.fat).
async function fill(disk) {
  const fat = await Fat32.mount(disk);
  const vfs = new Vfs(fat);
  await vfs.mkdir('/a/b/c', { recursive: true });
  await vfs.mkdir('/Long Directory Name');
  await vfs.writeFile('/a/data.bin', new Uint8Array(3000).fill(7));
  await vfs.writeFile('/a/b/c/deep file with a long name.txt', new Uint8Array(700).fill(1));
  await vfs.writeFile('/a/b/SMALL.TXT', 'small\n');
  for (let i = 1; i <= 40; i++) await vfs.writeFile(`/Long Directory Name/entry number ${i}`, `${i}\n`);
  await fat.unmount();
}

function rng(seed) {
  let x = seed >>> 0 || 0x9e3779b9;
  return (n) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return n === undefined ? x : x % n;
  };
}

// Where the metadata is, from the unmutated boot sector.
const bv = new DataView(base.bytes.buffer, 0, 512);
const bps = bv.getUint16(11, true);
const spc = base.bytes[13];
const reserved = bv.getUint16(14, true);
const fats = base.bytes[16];
const fatSectors = bv.getUint32(36, true);
const dataStart = reserved + fats * fatSectors;
const dirSectors = []; // sectors of the base image that hold directory entries
for (let lba = dataStart; lba < base.blockCount; lba++) {
  const s = base.bytes.subarray(lba * SECTOR, (lba + 1) * SECTOR);
  if (s[0] === 0x2e && s[1] === 0x20 && s[11] === 0x10) for (let k = 0; k < spc; k++) dirSectors.push(lba + k);
}
for (let k = 0; k < spc; k++) dirSectors.push(dataStart + k); // the root directory's first cluster
const BPB_FIELDS = [[11, 2], [13, 1], [14, 2], [16, 1], [17, 2], [19, 2], [22, 2], [32, 4], [36, 4], [40, 2], [42, 2], [44, 4], [48, 2], [510, 2]];
const SPECIAL32 = [0, 1, 2, 0x0ffffff7, 0x0ffffff8, 0x0fffffff, 0xffffffff, 0x7fffffff, 0x10000];

function put(s, at, size, value) {
  for (let i = 0; i < size; i++) s[at + i] = (value >>> (8 * i)) & 0xff;
}

function mutate(disk, r) {
  const n = 1 + r(4);
  const done = [];
  for (let k = 0; k < n; k++) {
    const kind = r(6);
    const value = r(3) === 0 ? SPECIAL32[r(SPECIAL32.length)] : r(2) ? r(256) : r();
    if (kind === 0) { // a boot-sector field
      const [at, size] = BPB_FIELDS[r(BPB_FIELDS.length)];
      put(disk.sector(0), at, size, value);
      done.push(`bpb@${at}=${value}`);
    } else if (kind === 1) { // an FSInfo field
      put(disk.sector(1), [0, 484, 488, 492, 508][r(5)], 4, value);
      done.push('fsinfo');
    } else if (kind === 2) { // a FAT entry: in use near the start, or anywhere
      const cluster = r(2) ? r(64) : r(fatSectors * bps / 4);
      const choice = r(4);
      const v = choice === 0 ? cluster : choice === 1 ? Math.max(2, cluster - 1 - r(3)) : value;
      const fat = r(fats);
      const lba = reserved + fat * fatSectors + Math.floor(cluster * 4 / SECTOR);
      put(disk.sector(lba), (cluster * 4) % SECTOR, 4, v);
      done.push(`fat${fat}[${cluster}]=${v}`);
    } else if (kind <= 4) { // a directory-entry field
      const lba = dirSectors[r(dirSectors.length)];
      const entry = r(SECTOR / 32) * 32;
      const [at, size] = [[0, 1], [11, 1], [12, 1], [13, 1], [20, 2], [26, 2], [28, 4], [1, 10]][r(8)];
      put(disk.sector(lba), entry + at, Math.min(size, 4), value);
      done.push(`dir${lba}+${entry + at}=${value}`);
    } else { // random bytes in the metadata area or a directory
      const lba = r(2) ? r(dataStart) : dirSectors[r(dirSectors.length)];
      const s = disk.sector(lba);
      for (let i = 1 + r(8); i > 0; i--) s[r(SECTOR)] = r(256);
      done.push(`bytes@${lba}`);
    }
  }
  return done.join(' ');
}

const FS_CODES = new Set(['EIO', 'EINVAL', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY', 'ENOSPC', 'EFBIG',
  'ENAMETOOLONG', 'ELOOP', 'EROFS']);

function expected(err) {
  return err && typeof err === 'object' && FS_CODES.has(err.code) && !(err instanceof TypeError) && !(err instanceof RangeError);
}

// Walks (and with `writes` changes) the volume within MAX_OPS calls; file-system errors are fine.
async function exercise(vfs, r, writes) {
  let ops = 0;
  const attempt = async (fn) => {
    if (ops++ >= MAX_OPS) return undefined;
    try { return await fn(); } catch (err) {
      if (expected(err)) return undefined;
      throw err;
    }
  };
  const queue = ['/'];
  const files = [];
  while (queue.length && ops < MAX_OPS) {
    const dir = queue.shift();
    const entries = await attempt(() => vfs.readdir(dir, { withFileTypes: true })) || [];
    for (const d of entries.slice(0, 8)) {
      const path = `${dir === '/' ? '' : dir}/${d.name}`;
      if (d.isDirectory()) queue.push(path); else files.push(path);
    }
  }
  for (const f of files.slice(0, 4)) {
    await attempt(() => vfs.stat(f));
    await attempt(() => vfs.readFile(f));
  }
  if (!writes) return;
  await attempt(() => vfs.writeFile('/fuzz-new.bin', new Uint8Array(1 + r(5000))));
  if (files.length) {
    const f = files[r(files.length)];
    await attempt(() => vfs.appendFile(f, new Uint8Array(1 + r(3000))));
    await attempt(() => vfs.truncate(f, r(2000)));
    await attempt(() => vfs.rename(f, '/renamed-by-fuzz'));
    await attempt(() => vfs.unlink(files[r(files.length)]));
  }
  await attempt(() => vfs.mkdir('/fuzz-dir/sub', { recursive: true }));
  await attempt(() => vfs.rm('/fuzz-dir', { recursive: true }));
}

const count = Number(countArg);
const first = Number(firstArg);
const outcomes = { mounted: 0, refused: 0 };
const started = performance.now();
for (let seed = first; seed < first + count; seed++) {
  const r = rng(seed);
  const disk = new OverlayDisk();
  const what = mutate(disk, r);
  try {
    let fat;
    try {
      fat = await Fat32.mount(disk, { cacheBytes: 64 << 10 });
    } catch (err) {
      if (!expected(err)) throw err;
      outcomes.refused++;
      continue;
    }
    outcomes.mounted++;
    await exercise(new Vfs(fat), r, seed % WRITE_EVERY === 0);
    try { await fat.unmount(); } catch (err) { if (!expected(err)) throw err; }
  } catch (err) {
    console.log(`FAIL - seed ${seed} (${what}): ${err && err.stack ? err.stack : err}`);
    rt.exit(1);
  }
}
const ms = performance.now() - started;
console.log(`ok - ${count} mutated images: ${outcomes.mounted} mounted and exercised, ${outcomes.refused} refused with a clear error (${(count / ms * 1000).toFixed(0)} images/s)`);
