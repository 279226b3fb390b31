// FAT32, read and write, over a block device (Microsoft "FAT: General Overview of On-Disk
// Format" 1.03): long names (UTF-16), nested directories, timestamps, FSInfo's free count,
// every FAT copy kept the same, and the volume marked dirty while mounted read-write.
//
// Writes go to the block cache (write-back); sync() puts them on the disk in an order that
// a crash cannot turn into cross-linked chains or a directory entry pointing into free
// space: the FAT's allocations first, then data and directories, then the frees (see
// table.js). Operations run one at a time (a queue), so no two interleave on the volume.

import { FsFault } from '../errors.js';
import { BlockCache, stopWritesOnError } from '../block-cache.js';
import { parseBootSector, isFsInfo, FSINFO_FREE, FSINFO_NEXT } from './boot-sector.js';
import { FatTable } from './table.js';
import {
  ENTRY, LFN_LAST, checksum, invalidName, shortToText, exactShort, makeShort, longEntries, longPart,
  toDos, fromDos,
} from './names.js';

// Directory entry attributes (section 6, DIR_Attr) and markers (DIR_Name[0]).
const ATTR_READ_ONLY = 0x01;
const ATTR_VOLUME_ID = 0x08;
const ATTR_DIRECTORY = 0x10;
const ATTR_ARCHIVE = 0x20;
const ATTR_LONG_NAME = 0x0f;
const ATTR_LONG_MASK = 0x3f;
const FREE_ENTRY = 0xe5;
const END_OF_DIR = 0x00;
const MAX_DIR_ENTRIES = 65536; // a directory holds at most 65,536 entries (section 6)
const MAX_FILE_SIZE = 0xffffffff; // DIR_FileSize is 32 bits: EFBIG past it
const DIRTY_BIT = 0x01; // in BS_Reserved1 (offset 0x41): set while mounted (Linux, Windows)
// File data runs this long or longer bypass the block cache (a copy and per-page work
// saved; data written ahead of the metadata that points at it is the safe order anyway).
const DIRECT_MIN = 64 * 1024;
const WHOLE_PAGE = 4096; // see #whole

const key = (name) => name.toUpperCase();
const shortKey = (raw) => String.fromCharCode(...raw.subarray(0, 11));

class FatNode {
  constructor(type) {
    this.type = type;
    this.cluster = 0;
    this.size = 0;
    this.raw = new Uint8Array(ENTRY); // the 8.3 entry as it is on the disk
    this.parent = null;
    this.first = 0; // slot of the first entry (long-name entries come before the 8.3 one)
    this.slot = 0; // slot of the 8.3 entry
    this.name = '';
    this.chain = null; // the cluster chain, read on first use
    this.listing = null; // directories: the parsed entries
    this.opens = 0;
    this.unlinked = false;
  }
}

// A directory's entries: which slots are used, names (long and short, upper case) to
// nodes, and the short names taken.
class Listing {
  constructor(chain, capacity) {
    this.chain = chain;
    this.used = new Uint8Array(capacity);
    this.end = 0; // slots from here on are free and never used
    this.byName = new Map();
    this.nodes = new Map(); // 8.3 slot -> node
    this.shorts = new Set();
  }
}

export class Fat32 {
  #dev; #cache; #geo; #table; #boot; #fsInfo; #readOnly; #now;
  #root;
  #queue = Promise.resolve();
  #wasClean = true;
  #marked = false; // the volume's dirty flags are set on the disk
  #sectorBlocks;
  #syncDelay; #syncTimer = null;
  #failure = null; // the device's write error that made the volume read-only
  #wholeCounts = new Map(); // run length -> whether a cluster can hold such a run whole

  /**
   * Mounts the FAT32 volume on `device` (block-cache.js describes the contract).
   * @param {object} device
   * @param {{ readOnly?: boolean, cacheBytes?: number, now?: () => number, syncDelayMs?: number }} [options]
   *   syncDelayMs: sync on its own that long after the last change, and mark the volume
   *   clean whenever everything is on the disk (dirty again at the next change). Without
   *   it the volume is marked dirty from mount to unmount.
   * @returns {Promise<Fat32>} rejects with FsFault EINVAL (not FAT32: which field) or EIO
   */
  static async mount(device, options = {}) {
    const fs = new Fat32(device, options);
    await fs.#load();
    return fs;
  }

  constructor(device, { readOnly = false, cacheBytes, now = Date.now, syncDelayMs } = {}) {
    // The first failed write makes the volume read-only (nothing more is written, and it stays
    // marked dirty): a disk that failed once is not trusted with the order of later writes.
    this.#dev = stopWritesOnError(device, (err) => {
      this.#failure = err;
      this.#readOnly = true;
      if (this.#syncTimer) clearTimeout(this.#syncTimer);
      this.#syncTimer = null;
      console.error(`rtjs: fat32: ${err.message}; the volume is read-only from now on`);
    });
    this.#syncDelay = syncDelayMs;
    this.#readOnly = readOnly || !!device.readOnly;
    this.#now = now;
    this.#cache = new BlockCache(this.#dev, { budget: cacheBytes, beforeWriteBack: () => this.#writeFat() });
  }

  get name() { return 'fat32'; }
  get readOnly() { return this.#readOnly; }
  /** The block cache's counters (hits, misses, device reads and writes). */
  get cacheStats() { return this.#cache.stats; }

  async #load() {
    const bs = this.#dev.blockSize;
    const first = await this.#dev.read(0, Math.max(1, Math.ceil(512 / bs)));
    this.#geo = parseBootSector(first, this.#dev.blockCount * bs, bs);
    const g = this.#geo;
    this.#sectorBlocks = g.bytesPerSector / bs;
    this.#boot = (await this.#dev.read(0, this.#sectorBlocks)).slice(0, g.bytesPerSector);
    const fatBytes = await this.#dev.read((g.reserved + g.activeFat * g.fatSectors) * this.#sectorBlocks, g.fatSectors * this.#sectorBlocks);
    this.#table = new FatTable(new Uint32Array(fatBytes.buffer, fatBytes.byteOffset, fatBytes.length / 4), g.clusterCount, g.bytesPerSector);
    if (g.fsInfoSector) {
      const s = await this.#dev.read(g.fsInfoSector * this.#sectorBlocks, this.#sectorBlocks);
      if (isFsInfo(s)) this.#fsInfo = s;
    }
    this.#root = new FatNode('directory');
    this.#root.cluster = g.rootCluster;
    this.#wasClean = this.#table.clean && !(this.#boot[g.dirtyFlagOffset] & DIRTY_BIT);
    if (!this.#readOnly && this.#syncDelay === undefined) await this.#markDirty();
  }

  // The volume's dirty flags on the disk before anything else changes there.
  async #markDirty() {
    if (this.#marked) return;
    this.#table.setClean(false);
    this.#boot[this.#geo.dirtyFlagOffset] |= DIRTY_BIT;
    await this.#dev.write(0, this.#boot);
    await this.#writeFat();
    await this.#dev.flush();
    this.#marked = true;
  }

  // Marks the volume clean again (everything is on the disk), if it was clean when mounted.
  async #markClean() {
    if (!this.#marked || !this.#wasClean) return;
    this.#table.setClean(true);
    this.#boot[this.#geo.dirtyFlagOffset] &= ~DIRTY_BIT;
    await this.#dev.write(0, this.#boot);
    await this.#writeFat();
    await this.#dev.flush();
    this.#marked = false;
  }

  // Checks the volume may change, marks it dirty first, and (with syncDelayMs) schedules the sync.
  async #changing() {
    this.#writable();
    await this.#markDirty();
    if (this.#syncDelay !== undefined && !this.#syncTimer) {
      this.#syncTimer = setTimeout(() => {
        this.#syncTimer = null;
        this.#serial(async () => {
          await this.#commit();
          await this.#markClean();
        }).catch((err) => console.error(`rtjs: fat32: background sync failed: ${err.message}`));
      }, this.#syncDelay);
    }
  }

  /** Runs `fn` after every operation queued before it. */
  #serial(fn) {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  // --- the file-system contract (vfs.js) ---

  root() { return this.#root; }
  typeOf(node) { return node.type; }

  lookup(dir, name) {
    return this.#serial(async () => (await this.#listing(dir)).byName.get(key(name)) || null);
  }

  readdir(dir) {
    return this.#serial(async () => [...(await this.#listing(dir)).nodes.values()].map((n) => ({ name: n.name, type: n.type })));
  }

  stat(node) {
    const r = node.raw;
    const v = new DataView(r.buffer, r.byteOffset, ENTRY);
    const isRoot = node === this.#root;
    const mtime = isRoot ? 0 : fromDos(v.getUint16(24, true), v.getUint16(22, true));
    const birth = isRoot ? 0 : fromDos(v.getUint16(16, true), v.getUint16(14, true), r[13]);
    const cb = this.#geo.clusterBytes;
    const dir = node.type === 'directory';
    return {
      type: node.type,
      mode: dir ? 0o40755 : (r[11] & ATTR_READ_ONLY ? 0o100444 : 0o100644),
      ino: isRoot ? 1 : node.parent.cluster * MAX_DIR_ENTRIES + node.slot + 2,
      nlink: 1,
      size: dir ? (node.chain ? node.chain.length * cb : cb) : node.size,
      blksize: cb,
      blocks: Math.ceil(node.size / cb) * (cb / 512),
      atimeMs: isRoot ? 0 : fromDos(v.getUint16(18, true)),
      mtimeMs: mtime,
      ctimeMs: mtime,
      birthtimeMs: birth,
    };
  }

  create(dir, name, { type }) {
    return this.#serial(async () => {
      await this.#changing();
      const why = invalidName(name);
      if (why) throw new FsFault('EINVAL', `'${name}' is not a FAT name: ${why}`);
      const listing = await this.#listing(dir);
      if (listing.byName.has(key(name))) throw new FsFault('EEXIST');
      const node = new FatNode(type);
      const t = toDos(this.#now());
      const v = new DataView(node.raw.buffer);
      node.raw[11] = type === 'directory' ? ATTR_DIRECTORY : ATTR_ARCHIVE;
      node.raw[13] = t.tenths;
      v.setUint16(14, t.time, true);
      v.setUint16(16, t.date, true);
      v.setUint16(18, t.date, true);
      v.setUint16(22, t.time, true);
      v.setUint16(24, t.date, true);
      if (type === 'directory') await this.#makeDirectory(node, dir);
      await this.#place(dir, listing, node, name);
      return node;
    });
  }

  remove(dir, name, node) {
    return this.#serial(async () => {
      await this.#changing();
      await this.#unplace(dir, await this.#listing(dir), node);
      if (node.type === 'file' && node.opens > 0) {
        node.unlinked = true;
      } else {
        this.#table.release(this.#chainOf(node));
        node.chain = [];
      }
    });
  }

  rename(srcDir, srcName, node, dstDir, dstName) {
    return this.#serial(async () => {
      await this.#changing();
      const why = invalidName(dstName);
      if (why) throw new FsFault('EINVAL', `'${dstName}' is not a FAT name: ${why}`);
      const dst = await this.#listing(dstDir);
      await this.#unplace(srcDir, await this.#listing(srcDir), node);
      // The old entry leaves the disk before the new one reaches it: a crash in between loses
      // the file's clusters (fsck reclaims them), where the other order could leave two
      // entries sharing one chain (cross-linked).
      await this.#commit();
      if (node.type === 'directory' && srcDir !== dstDir) {
        // The moved directory's '..' entry (slot 1) names its new parent (0 for the root,
        // section 6.7), written while no entry reaches the directory, so that no crash shows
        // it under its new parent with '..' naming the old one.
        const parent = dstDir === this.#root ? 0 : dstDir.cluster;
        const at = this.#clusterOffset(node.cluster) + ENTRY;
        const e = await this.#cache.read(at, ENTRY);
        const v = new DataView(e.buffer);
        v.setUint16(20, parent >>> 16, true);
        v.setUint16(26, parent & 0xffff, true);
        await this.#cache.write(at, e);
        await this.#cache.flush();
      }
      await this.#place(dstDir, dst, node, dstName);
    });
  }

  read(node, buffer, offset, length, position) {
    return this.#serial(async () => {
      if (position >= node.size) return 0;
      const n = Math.min(length, node.size - position);
      await this.#transfer(node, position, n, (at, count, done) => (count >= DIRECT_MIN
        ? this.#cache.readDirect(at, count, buffer, offset + done)
        : this.#cache.read(at, count, buffer, offset + done)));
      return n;
    });
  }

  write(node, buffer, offset, length, position) {
    return this.#serial(async () => {
      await this.#changing();
      const end = position + length;
      if (end > MAX_FILE_SIZE) throw new FsFault('EFBIG', `FAT files end at ${MAX_FILE_SIZE} bytes`);
      if (length === 0) return 0;
      await this.#grow(node, end);
      if (position > node.size) await this.#zeroRange(node, node.size, position);
      await this.#transfer(node, position, length, (at, count, done) => (count >= DIRECT_MIN
        ? this.#cache.writeDirect(at, buffer.subarray(offset + done, offset + done + count))
        : this.#cache.write(at, buffer.subarray(offset + done, offset + done + count))));
      if (end > node.size) node.size = end;
      this.#stamp(node);
      await this.#writeEntry(node);
      return length;
    });
  }

  truncate(node, size) {
    return this.#serial(async () => {
      await this.#changing();
      if (size > MAX_FILE_SIZE) throw new FsFault('EFBIG', `FAT files end at ${MAX_FILE_SIZE} bytes`);
      if (size > node.size) {
        await this.#grow(node, size);
        await this.#zeroRange(node, node.size, size);
      } else {
        const chain = this.#chainOf(node);
        const keep = Math.ceil(size / this.#geo.clusterBytes);
        if (keep < chain.length) {
          if (keep === 0) node.cluster = 0;
          else this.#table.terminate(chain[keep - 1]);
          this.#table.release(chain.slice(keep));
          node.chain = chain.slice(0, keep);
        }
      }
      node.size = size;
      this.#stamp(node);
      await this.#writeEntry(node);
    });
  }

  setTimes(node, atimeMs, mtimeMs) {
    return this.#serial(async () => {
      await this.#changing();
      if (node === this.#root) return;
      const v = new DataView(node.raw.buffer);
      const m = toDos(mtimeMs);
      v.setUint16(18, toDos(atimeMs).date, true);
      v.setUint16(22, m.time, true);
      v.setUint16(24, m.date, true);
      await this.#writeEntry(node);
    });
  }

  open(node) { node.opens++; }

  close(node) {
    return this.#serial(async () => {
      node.opens--;
      if (node.opens === 0 && node.unlinked) {
        this.#table.release(this.#chainOf(node));
        node.chain = [];
      }
    });
  }

  /** Puts everything written so far on the disk (the whole volume: FAT has no per-file journal). */
  sync() {
    return this.#serial(() => {
      if (this.#failure) throw new FsFault('EIO', `nothing more is written after a write error: ${this.#failure.message}`);
      return this.#commit();
    });
  }

  /** Writes everything back and marks the volume clean (if it was clean when mounted). */
  unmount() {
    return this.#serial(async () => {
      if (this.#readOnly) return;
      if (this.#syncTimer) clearTimeout(this.#syncTimer);
      this.#syncTimer = null;
      await this.#commit();
      await this.#markClean();
      this.#readOnly = true;
    });
  }

  statfs() {
    const g = this.#geo;
    return { bsize: g.clusterBytes, blocks: g.clusterCount, bfree: this.#table.free };
  }

  // --- internals ---

  #writable() {
    if (this.#failure) throw new FsFault('EROFS', `read-only after a write error: ${this.#failure.message}`);
    if (this.#readOnly) throw new FsFault('EROFS');
  }

  #clusterOffset(c) {
    const g = this.#geo;
    return (g.dataStart + (c - 2) * g.sectorsPerCluster) * g.bytesPerSector;
  }

  #chainOf(node) {
    if (!node.chain) {
      const chain = this.#table.chain(node.cluster);
      if (node.type === 'file' && node.size > chain.length * this.#geo.clusterBytes) {
        throw new FsFault('EIO', `corrupt entry '${node.name}': ${node.size} bytes in ${chain.length} clusters`);
      }
      node.chain = chain;
    }
    return node.chain;
  }

  // Calls io(deviceOffset, count, done) over the file's bytes [position, position + length),
  // joining physically consecutive clusters into one call.
  async #transfer(node, position, length, io) {
    const cb = this.#geo.clusterBytes;
    const chain = this.#chainOf(node);
    let done = 0;
    while (done < length) {
      const p = position + done;
      const i = Math.floor(p / cb);
      let run = 1;
      while (i + run < chain.length && chain[i + run] === chain[i] + run && run * cb < (length - done) + (p % cb)) run++;
      const count = Math.min(length - done, run * cb - (p % cb));
      await io(this.#clusterOffset(chain[i]) + (p % cb), count, done);
      done += count;
    }
  }

  async #zeroRange(node, from, to) {
    const zeros = new Uint8Array(Math.min(to - from, 1 << 16));
    for (let p = from; p < to; p += zeros.length) {
      const n = Math.min(zeros.length, to - p);
      await this.#transfer(node, p, n, (at, count, done) => this.#cache.write(at, zeros.subarray(done, done + count)));
    }
  }

  // Allocates clusters so that the file holds `bytes` bytes.
  async #grow(node, bytes) {
    const chain = this.#chainOf(node);
    const need = Math.ceil(bytes / this.#geo.clusterBytes) - chain.length;
    if (need <= 0) return;
    const got = await this.#allocate(need, chain.length ? chain[chain.length - 1] : 0);
    if (!chain.length) node.cluster = got[0];
    for (const c of got) chain.push(c); // not push(...got): a large write's clusters overflow the stack as arguments
  }

  async #allocate(n, last) {
    if (n > this.#table.free && this.#table.pendingFrees) await this.#commit(); // frees become usable
    return this.#table.allocate(n, last);
  }

  #stamp(node) {
    const t = toDos(this.#now());
    const v = new DataView(node.raw.buffer);
    v.setUint16(22, t.time, true);
    v.setUint16(24, t.date, true);
    v.setUint16(18, t.date, true);
    node.raw[11] |= node.type === 'file' ? ATTR_ARCHIVE : 0;
  }

  // A cluster new to a directory goes to the disk at once, before the entry or the FAT link
  // that makes it part of the directory can: a crash must never show a directory holding
  // whatever the cluster held before (stale entries, cross-linked chains). It is free on the
  // disk until then, so writing it early changes nothing a crash could see.
  async #freshCluster(c, bytes) {
    await this.#cache.writeDirect(this.#clusterOffset(c), bytes);
  }

  // A new directory's first cluster: zeroed, with '.' and '..' (section 6.7).
  async #makeDirectory(node, parent) {
    const [c] = await this.#allocate(1, 0);
    node.cluster = c;
    node.chain = [c];
    const dots = new Uint8Array(this.#geo.clusterBytes);
    for (const [i, target] of [[0, c], [1, parent === this.#root ? 0 : parent.cluster]]) {
      const e = dots.subarray(i * ENTRY, (i + 1) * ENTRY);
      e.set(node.raw);
      e.fill(0x20, 0, 11);
      e.fill(0x2e, 0, i + 1);
      const v = new DataView(dots.buffer, i * ENTRY, ENTRY);
      v.setUint16(20, target >>> 16, true);
      v.setUint16(26, target & 0xffff, true);
    }
    await this.#freshCluster(c, dots);
    this.#setCluster(node);
    const listing = new Listing(node.chain, this.#geo.clusterBytes / ENTRY);
    listing.used.fill(1, 0, 2);
    listing.end = 2;
    node.listing = listing;
  }

  #setCluster(node) {
    const v = new DataView(node.raw.buffer);
    v.setUint16(20, node.cluster >>> 16, true);
    v.setUint16(26, node.cluster & 0xffff, true);
  }

  #slotOffset(listing, slot) {
    const per = this.#geo.clusterBytes / ENTRY;
    return this.#clusterOffset(listing.chain[Math.floor(slot / per)]) + (slot % per) * ENTRY;
  }

  async #writeEntry(node) {
    if (node === this.#root || node.unlinked || !node.parent) return;
    this.#setCluster(node);
    new DataView(node.raw.buffer).setUint32(28, node.type === 'file' ? node.size : 0, true);
    await this.#cache.write(this.#slotOffset(node.parent.listing, node.slot), node.raw);
  }

  // Reads (once) and parses a directory's entries.
  async #listing(dir) {
    if (dir.listing) return dir.listing;
    const chain = this.#chainOf(dir);
    if (!chain.length) throw new FsFault('EIO', `corrupt directory '${dir.name}': no clusters`);
    const cb = this.#geo.clusterBytes;
    const capacity = chain.length * cb / ENTRY;
    if (capacity > MAX_DIR_ENTRIES) throw new FsFault('EIO', `corrupt directory '${dir.name}': more than ${MAX_DIR_ENTRIES} entries`);
    const bytes = new Uint8Array(chain.length * cb);
    for (let i = 0; i < chain.length; i++) await this.#cache.read(this.#clusterOffset(chain[i]), cb, bytes, i * cb);
    const listing = new Listing(chain, capacity);
    let long = null; // { parts, next, sum, first }
    for (let slot = 0; slot < capacity; slot++) {
      const e = bytes.subarray(slot * ENTRY, (slot + 1) * ENTRY);
      if (e[0] === END_OF_DIR) break;
      listing.end = slot + 1;
      listing.used[slot] = 1;
      if (e[0] === FREE_ENTRY) { listing.used[slot] = 0; long = null; continue; }
      if ((e[11] & ATTR_LONG_MASK) === ATTR_LONG_NAME) {
        const seq = e[0] & 0x1f;
        if (e[0] & LFN_LAST) long = seq ? { parts: [], next: seq, sum: e[13], first: slot } : null;
        if (long && seq === long.next && e[13] === long.sum) {
          long.parts[seq - 1] = longPart(e);
          long.next--;
        } else {
          long = null;
        }
        continue;
      }
      const { name, first = slot } = this.#entryName(e, long);
      long = null;
      // A name no path can spell (a '/' or NUL from a corrupt entry) stays unlisted.
      if (e[11] & ATTR_VOLUME_ID || name === '.' || name === '..' || name === '' || /[\0/]/.test(name)) continue;
      this.#addNode(dir, listing, e, name, first, slot);
    }
    dir.listing = listing;
    return listing;
  }

  #entryName(e, long) {
    if (long && long.next === 0 && checksum(e) === long.sum) {
      const name = long.parts.join('');
      if (name && !invalidName(name)) return { name, first: long.first };
    }
    return { name: shortToText(e.subarray(0, 11), e[12]) };
  }

  #addNode(dir, listing, e, name, first, slot) {
    const node = new FatNode(e[11] & ATTR_DIRECTORY ? 'directory' : 'file');
    node.raw.set(e);
    const v = new DataView(node.raw.buffer);
    node.cluster = (v.getUint16(20, true) << 16 | v.getUint16(26, true)) >>> 0;
    node.size = node.type === 'file' ? v.getUint32(28, true) : 0;
    node.parent = dir;
    node.first = first;
    node.slot = slot;
    node.name = name;
    for (let s = first; s <= slot; s++) listing.used[s] = 1;
    listing.shorts.add(shortKey(e));
    if (listing.byName.has(key(name))) return; // a duplicate name: the first one wins
    listing.byName.set(key(name), node);
    const alias = key(shortToText(e.subarray(0, 11), 0));
    if (!listing.byName.has(alias)) listing.byName.set(alias, node);
    listing.nodes.set(slot, node);
  }

  // Writes `node`'s entries (long name, then 8.3) into a free run of `dir`'s slots.
  async #place(dir, listing, node, name) {
    let short = exactShort(name);
    let long = null;
    if (!short || listing.shorts.has(shortKey(short))) {
      short = makeShort(name, (raw) => listing.shorts.has(shortKey(raw)));
      if (!short) throw new FsFault('ENOSPC', 'no short name left in the directory');
      long = longEntries(name, checksum(short));
    }
    node.raw.set(short, 0);
    node.raw[12] = 0; // no NT case flags: the long name carries the case
    const count = 1 + (long ? long.length / ENTRY : 0);
    const start = await this.#findSlots(dir, listing, count);
    node.parent = dir;
    node.name = name;
    node.first = start;
    node.slot = start + count - 1;
    this.#setCluster(node);
    new DataView(node.raw.buffer).setUint32(28, node.type === 'file' ? node.size : 0, true);
    const out = new Uint8Array(count * ENTRY);
    if (long) out.set(long);
    out.set(node.raw, (count - 1) * ENTRY);
    // Slots skipped to keep the run whole are marked free (0xE5), not left as the end
    // marker (0x00) that ends a directory for Linux, mtools and Windows.
    for (let s = listing.end; s < start; s++) await this.#cache.write(this.#slotOffset(listing, s), new Uint8Array([FREE_ENTRY]));
    await this.#writeRun(listing, start, out, false);
    listing.used.fill(1, start, start + count);
    if (start + count > listing.end) {
      listing.end = start + count;
      if (listing.end < listing.used.length) await this.#cache.write(this.#slotOffset(listing, listing.end), new Uint8Array(ENTRY));
    }
    listing.byName.set(key(name), node);
    const alias = key(shortToText(short, 0));
    if (!listing.byName.has(alias)) listing.byName.set(alias, node);
    listing.shorts.add(shortKey(short));
    listing.nodes.set(node.slot, node);
  }

  // The first run of `count` free slots, growing the directory if none is free. The run is
  // kept where one device write puts it on the disk whole (#whole), so that no crash shows
  // part of a long name: fsck.fat reports long-name entries without their 8.3 entry
  // (orphaned), and a run's tail without its head (a fragment).
  async #findSlots(dir, listing, count) {
    const whole = this.#canBeWhole(count);
    const fits = (s) => !whole || this.#whole(listing, s, count);
    let s = listing.end;
    while (s + count <= listing.used.length && !fits(s)) s++;
    if (s + count <= listing.used.length) return s;
    for (let t = 0, run = 0; t < listing.end; t++) {
      run = listing.used[t] ? 0 : run + 1;
      if (run >= count && fits(t - count + 1)) return t - count + 1;
    }
    const per = this.#geo.clusterBytes / ENTRY;
    let grow = Math.max(1, Math.ceil((listing.end + count - listing.used.length) / per));
    for (;;) {
      if (listing.used.length + grow * per > MAX_DIR_ENTRIES) throw new FsFault('ENOSPC', `directory '${dir.name}' is full (${MAX_DIR_ENTRIES} entries)`);
      const got = await this.#allocate(grow, listing.chain[listing.chain.length - 1]);
      const zeros = new Uint8Array(this.#geo.clusterBytes);
      for (const c of got) await this.#freshCluster(c, zeros);
      listing.chain.push(...got);
      const used = new Uint8Array(listing.used.length + grow * per);
      used.set(listing.used);
      listing.used = used;
      while (s + count <= listing.used.length && !fits(s)) s++;
      if (s + count <= listing.used.length) return s;
      grow = 1;
    }
  }

  // Whether slots [start, start + count) reach the disk in one write that lands whole: one
  // device block when the run fits in one (a sector is written whole or not at all), else
  // one 4 KiB page of the disk within one cluster (a killed QEMU's host write copies a page
  // of the image file whole or not at all; a power cut may tear it: names of 196 or more
  // characters, 17 or more entries, are that much less safe).
  #whole(listing, start, count) {
    const per = this.#geo.clusterBytes / ENTRY;
    const c = Math.floor(start / per);
    if (c !== Math.floor((start + count - 1) / per) || c >= listing.chain.length) return false;
    const unit = count * ENTRY <= this.#dev.blockSize ? this.#dev.blockSize : WHOLE_PAGE;
    const a = this.#slotOffset(listing, start);
    return Math.floor(a / unit) === Math.floor((a + count * ENTRY - 1) / unit);
  }

  // Whether every cluster has room for a whole run of `count` slots (not so for 17 or more
  // entries in clusters of less than 1 KiB, say): if not, runs are placed anywhere.
  #canBeWhole(count) {
    let ok = this.#wholeCounts.get(count);
    if (ok === undefined) {
      const per = this.#geo.clusterBytes / ENTRY;
      ok = true;
      // Clusters' offsets repeat modulo the page within 8 clusters (512-byte multiples).
      for (let c = 2; ok && c < 10 && c < this.#geo.clusterCount + 2; c++) {
        const probe = { chain: [c] };
        let any = false;
        for (let s = 0; !any && s + count <= per; s++) any = this.#whole(probe, s, count);
        ok = any;
      }
      this.#wholeCounts.set(count, ok);
    }
    return ok;
  }

  // Writes a run of entries (bytes for slots from `start` on): one block through the cache;
  // a larger run at once, as one device write per piece (cluster, 4 KiB page) after the FAT
  // (whose allocations its entries may point at). Pieces go in slot order when `placing`
  // (long-name entries before the 8.3 one), else the 8.3 entry's piece first.
  async #writeRun(listing, start, bytes, placing) {
    const bs = this.#dev.blockSize;
    const a = this.#slotOffset(listing, start);
    if (this.#whole(listing, start, bytes.length / ENTRY) && bytes.length <= bs) {
      await this.#cache.write(a, bytes);
      return;
    }
    const pieces = [];
    for (let i = 0; i < bytes.length / ENTRY; i++) {
      const at = this.#slotOffset(listing, start + i);
      const last = pieces[pieces.length - 1];
      if (last && at === last.at + last.length && Math.floor(at / WHOLE_PAGE) === Math.floor(last.at / WHOLE_PAGE)) last.length += ENTRY;
      else pieces.push({ at, length: ENTRY, from: i * ENTRY });
    }
    if (!placing) pieces.reverse();
    await this.#writeFat();
    for (const { at, length, from } of pieces) {
      const lo = Math.floor(at / bs) * bs;
      const hi = Math.ceil((at + length) / bs) * bs;
      const blocks = await this.#cache.read(lo, hi - lo);
      blocks.set(bytes.subarray(from, from + length), at - lo);
      await this.#cache.writeDirect(lo, blocks);
    }
  }

  async #unplace(dir, listing, node) {
    const bytes = new Uint8Array((node.slot - node.first + 1) * ENTRY);
    for (let s = node.first; s <= node.slot; s++) {
      const at = (s - node.first) * ENTRY;
      await this.#cache.read(this.#slotOffset(listing, s), ENTRY, bytes, at);
      bytes[at] = FREE_ENTRY;
    }
    await this.#writeRun(listing, node.first, bytes, false);
    listing.used.fill(0, node.first, node.slot + 1);
    for (const [k, n] of listing.byName) if (n === node) listing.byName.delete(k);
    listing.shorts.delete(shortKey(node.raw));
    listing.nodes.delete(node.slot);
  }

  // Writes the FAT sectors changed since the last write to every FAT copy, joining runs: first
  // the new chains' own entries, then the sectors linking an existing chain to them, so a
  // crash between two writes leaves lost clusters, never a chain running into a free one.
  async #writeFat() {
    const g = this.#geo;
    const { first, then } = this.#table.takeDirty();
    const copies = g.mirrored ? [...Array(g.fats).keys()] : [g.activeFat];
    for (const sectors of [first, then]) {
      for (let k = 0; k < sectors.length;) {
        let run = 1;
        while (k + run < sectors.length && sectors[k + run] === sectors[k] + run) run++;
        const bytes = new Uint8Array(this.#table.entries.buffer, this.#table.entries.byteOffset + sectors[k] * g.bytesPerSector, run * g.bytesPerSector);
        for (const f of copies) {
          await this.#dev.write((g.reserved + f * g.fatSectors + sectors[k]) * this.#sectorBlocks, bytes);
        }
        k += run;
      }
    }
  }

  async #commit() {
    if (this.#readOnly) return;
    await this.#writeFat(); // allocations before anything that points at them
    await this.#cache.flush(); // data and directory entries
    if (this.#table.pendingFrees) {
      this.#table.commitFrees(); // nothing on the disk points at them any more
      await this.#writeFat();
    }
    if (this.#fsInfo) {
      const v = new DataView(this.#fsInfo.buffer, this.#fsInfo.byteOffset, this.#fsInfo.byteLength);
      v.setUint32(FSINFO_FREE, this.#table.free, true);
      v.setUint32(FSINFO_NEXT, this.#table.hint, true);
      await this.#dev.write(this.#geo.fsInfoSector * this.#sectorBlocks, this.#fsInfo);
    }
    await this.#dev.flush();
  }
}

