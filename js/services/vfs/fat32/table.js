// The file allocation table in memory (Microsoft FAT specification 1.03, section 4): one
// 28-bit entry per cluster, chains followed with loop and range checks, allocation from
// a rotating hint, and the sectors that changed since the last write-out. Freed clusters
// stay allocated, and a shortened chain keeps its old end, until commitFrees(): the file
// system calls it only after the directory entries that stopped pointing at them (or took
// the shorter size) are on the disk, so a crash never leaves a directory entry pointing into
// free space or a size past its chain. Sectors holding a link from an existing cluster to a
// new chain come out of takeDirty() last, so the new chain is complete on the disk before
// anything reaches it.

import { FsFault } from '../errors.js';

const MASK = 0x0fffffff; // the low 28 bits are the entry; the high 4 are reserved (kept)
export const EOC = 0x0fffffff; // end of chain, as mkfs.fat and Windows write it
const EOC_MIN = 0x0ffffff8; // 0x0FFFFFF8-0x0FFFFFFF all end a chain
const BAD = 0x0ffffff7;
const CLEAN_SHUTDOWN = 0x08000000; // FAT[1] ClnShutBitMask: set when cleanly unmounted (section 4.2)

export class FatTable {
  #fat; #max; #entriesPerSector;
  #dirty = new Set(); // FAT sector numbers (within one FAT) changed since the last takeDirty()
  #linking = new Set(); // those of them that link an existing cluster to a new chain
  #pendingFree = new Set();
  #pendingEnd = new Set(); // clusters that become a chain's end at commitFrees()
  #hint = 2;
  free = 0;

  /** @param {Uint32Array} entries the FAT as read  @param {number} clusterCount  @param {number} bytesPerSector */
  constructor(entries, clusterCount, bytesPerSector) {
    this.#fat = entries;
    this.#max = clusterCount + 1;
    this.#entriesPerSector = bytesPerSector / 4;
    for (let c = 2; c <= this.#max; c++) if ((entries[c] & MASK) === 0) this.free++;
  }

  get maxCluster() { return this.#max; }
  get entries() { return this.#fat; }
  get hint() { return this.#hint; }
  get pendingFrees() { return this.#pendingFree.size + this.#pendingEnd.size; }

  /** Whether the volume was marked cleanly unmounted (FAT[1] bit 27). */
  get clean() { return (this.#fat[1] & CLEAN_SHUTDOWN) !== 0; }

  /** Sets or clears the clean-shutdown bit. */
  setClean(clean) {
    this.#fat[1] = clean ? this.#fat[1] | CLEAN_SHUTDOWN : this.#fat[1] & ~CLEAN_SHUTDOWN;
    this.#dirty.add(0);
  }

  /** The cluster after `c` in its chain, or 0 at the end; EIO if the entry is not a link. */
  next(c) {
    const v = this.#fat[c] & MASK;
    if (v >= EOC_MIN) return 0;
    if (v < 2 || v > this.#max) {
      throw new FsFault('EIO', v === BAD ? `cluster ${c} is marked bad` : `corrupt FAT: cluster ${c} links to ${v === 0 ? 'a free cluster' : v}`);
    }
    return v;
  }

  /** The clusters of the chain starting at `first` (none for 0); EIO for loops and bad links. */
  chain(first) {
    const out = [];
    if (first === 0) return out;
    if (first < 2 || first > this.#max) throw new FsFault('EIO', `corrupt entry: first cluster ${first} is outside the volume`);
    if ((this.#fat[first] & MASK) === 0) throw new FsFault('EIO', `corrupt entry: first cluster ${first} is free`);
    for (let c = first; c; c = this.next(c)) {
      out.push(c);
      if (out.length > this.#max) throw new FsFault('EIO', `corrupt FAT: the chain from cluster ${first} loops`);
    }
    return out;
  }

  #set(c, v) {
    this.#fat[c] = (this.#fat[c] & ~MASK) | v;
    this.#dirty.add(Math.floor(c / this.#entriesPerSector));
  }

  /**
   * Allocates `n` clusters as one chain (ENOSPC, and nothing changed, if there are fewer)
   * and links it after `last` (0: a new chain). Returns the new clusters.
   */
  allocate(n, last = 0) {
    if (n > this.free) throw new FsFault('ENOSPC', `${n} clusters wanted, ${this.free} free`);
    const got = [];
    let c = this.#hint;
    for (let scanned = 0; got.length < n && scanned < this.#max; scanned++) {
      if (c > this.#max) c = 2;
      if ((this.#fat[c] & MASK) === 0) got.push(c);
      c++;
    }
    if (got.length < n) throw new FsFault('ENOSPC', 'the free count was wrong');
    for (let i = 0; i < got.length; i++) this.#set(got[i], i + 1 < got.length ? got[i + 1] : EOC);
    if (last) {
      this.#set(last, got[0]);
      this.#linking.add(Math.floor(last / this.#entriesPerSector));
      this.#pendingEnd.delete(last);
    }
    this.free -= n;
    this.#hint = c > this.#max ? 2 : c;
    return got;
  }

  /**
   * Ends the chain at `c` at the next commitFrees() (what followed it is released with
   * release()); a chain grown from `c` before then keeps its link.
   */
  terminate(c) { this.#pendingEnd.add(c); }

  /** Frees `clusters` at the next commitFrees(); until then they stay allocated. */
  release(clusters) {
    for (const c of clusters) this.#pendingFree.add(c);
  }

  /** Ends the chains terminate() was given and frees what release() was given. */
  commitFrees() {
    for (const c of this.#pendingEnd) this.#set(c, EOC);
    this.#pendingEnd.clear();
    for (const c of this.#pendingFree) {
      if ((this.#fat[c] & MASK) !== 0) {
        this.#set(c, 0);
        this.free++;
      }
    }
    this.#pendingFree.clear();
  }

  /**
   * The FAT sectors changed since the last call, and forgets them: `first`, sorted, to be on
   * the disk before `then`, the sectors that link an existing cluster to a new chain.
   */
  takeDirty() {
    const sorted = (set) => [...set].sort((a, b) => a - b);
    const then = sorted(this.#linking);
    for (const s of then) this.#dirty.delete(s);
    const first = sorted(this.#dirty);
    this.#dirty.clear();
    this.#linking.clear();
    return { first, then };
  }

  /** The bytes of FAT sector `s` (a view of the table). */
  sectorBytes(s) {
    return new Uint8Array(this.#fat.buffer, s * this.#entriesPerSector * 4, this.#entriesPerSector * 4);
  }
}
