// The block cache between a file system and its block device: byte-addressed reads and
// writes over fixed-size pages, a fixed memory budget (least recently used pages leave
// first), write-back (dirty pages reach the device on flush() or when evicted), and
// read-ahead that grows while misses are sequential.
//
// A block device is { blockSize, blockCount, readOnly, read(lba, count) -> Promise<Uint8Array>,
// write(lba, bytes) -> Promise, flush() -> Promise } (memory-disk.js, drivers/virtio-blk.js).

const DEFAULT_PAGE = 4096;
const DEFAULT_BUDGET = 16 << 20;
const MAX_READ_AHEAD = 64; // pages: 256 KiB, a few virtio requests' worth
const MAX_WRITE_RUN = 64; // pages written back in one device request

class Page {
  constructor(data) {
    this.data = data;
    // One bit per device block written since the last write-back: only those blocks go
    // back, so a page that also covers blocks someone writes around the cache (a file
    // system's FAT, say) never overwrites them with stale bytes.
    this.dirtyMask = 0;
    this.version = 0; // bumped by every write, so a write-back can tell it raced one
  }

  get dirty() { return this.dirtyMask !== 0; }
}

export class BlockCache {
  #dev; #pageSize; #budget; #perPage; #pageCount;
  #pages = new Map(); // page index -> Page, in least-recently-used order
  #loading = new Map(); // page index -> Promise<Page>
  #lastMiss = -2;
  #window = 1;
  #beforeWriteBack;
  stats = { hits: 0, misses: 0, deviceReads: 0, deviceWrites: 0 };

  /**
   * @param {object} device the block device
   * @param {{ budget?: number, pageSize?: number, beforeWriteBack?: () => Promise<void> }} [options]
   *   budget: bytes of pages held; beforeWriteBack: awaited before an evicted dirty page is
   *   written (a file system orders its own metadata first)
   */
  constructor(device, { budget = DEFAULT_BUDGET, pageSize = DEFAULT_PAGE, beforeWriteBack } = {}) {
    if (pageSize % device.blockSize !== 0) throw new RangeError(`page size ${pageSize} is not a multiple of the block size ${device.blockSize}`);
    this.#dev = device;
    this.#pageSize = pageSize;
    this.#perPage = pageSize / device.blockSize;
    if (this.#perPage > 30) throw new RangeError(`pages of ${this.#perPage} blocks: at most 30 (one dirty bit each)`);
    this.#pageCount = Math.ceil(device.blockCount / this.#perPage);
    this.#budget = Math.max(budget, pageSize * MAX_READ_AHEAD * 2);
    this.#beforeWriteBack = beforeWriteBack;
  }

  get size() { return this.#dev.blockCount * this.#dev.blockSize; }
  get device() { return this.#dev; }

  /** Reads `length` bytes at byte `offset` into `into` (at `at`), or into a new array. */
  async read(offset, length, into = new Uint8Array(length), at = 0) {
    this.#check(offset, length);
    let done = 0;
    while (done < length) {
      const index = Math.floor((offset + done) / this.#pageSize);
      const within = (offset + done) % this.#pageSize;
      const n = Math.min(length - done, this.#pageSize - within);
      const page = await this.#get(index, false);
      into.set(page.data.subarray(within, within + n), at + done);
      done += n;
    }
    return into;
  }

  /** Writes `bytes` at byte `offset`; they reach the device on flush() or eviction. */
  async write(offset, bytes) {
    this.#check(offset, bytes.length);
    let done = 0;
    while (done < bytes.length) {
      const index = Math.floor((offset + done) / this.#pageSize);
      const within = (offset + done) % this.#pageSize;
      const n = Math.min(bytes.length - done, this.#pageSize - within);
      const page = await this.#get(index, within === 0 && n === this.#pageLength(index));
      page.data.set(bytes.subarray(done, done + n), within);
      const bs = this.#dev.blockSize;
      for (let b = Math.floor(within / bs); b <= Math.floor((within + n - 1) / bs); b++) page.dirtyMask |= 2 ** b;
      page.version++;
      done += n;
    }
    await this.#trim();
  }

  /**
   * Reads a large block-aligned span straight from the device into `into` (no pages made),
   * after writing back any dirty blocks it covers; other spans go through the cache.
   */
  async readDirect(offset, length, into, at = 0) {
    const bs = this.#dev.blockSize;
    if (offset % bs || length % bs) return this.read(offset, length, into, at);
    this.#check(offset, length);
    const dirty = this.#overlapping(offset, length).filter((i) => this.#pages.get(i).dirty);
    if (dirty.length) await this.#writeBack(dirty);
    this.stats.deviceReads++;
    // A device that can read into the caller's buffer returns it (virtio-blk: one copy, from
    // its DMA memory); others return their own bytes.
    const got = await this.#dev.read(offset / bs, length / bs, into, at);
    if (got !== into) into.set(got, at);
    return into;
  }

  /**
   * Writes a large block-aligned span straight to the device (it is there when this
   * resolves); cached pages it covers take the new bytes and lose those blocks' dirty bits.
   */
  async writeDirect(offset, bytes) {
    const bs = this.#dev.blockSize;
    if (offset % bs || bytes.length % bs) return this.write(offset, bytes);
    this.#check(offset, bytes.length);
    for (const i of this.#overlapping(offset, bytes.length)) {
      const page = this.#pages.get(i);
      const start = Math.max(offset, i * this.#pageSize);
      const end = Math.min(offset + bytes.length, (i + 1) * this.#pageSize);
      page.data.set(bytes.subarray(start - offset, end - offset), start - i * this.#pageSize);
      for (let b = (start - i * this.#pageSize) / bs; b < (end - i * this.#pageSize) / bs; b++) page.dirtyMask &= ~(2 ** b);
      page.version++;
    }
    this.stats.deviceWrites++;
    await this.#dev.write(offset / bs, bytes);
  }

  // Indices of the cached pages that hold any of [offset, offset + length).
  #overlapping(offset, length) {
    const first = Math.floor(offset / this.#pageSize);
    const last = Math.floor((offset + length - 1) / this.#pageSize);
    const out = [];
    if (last - first < this.#pages.size) {
      for (let i = first; i <= last; i++) if (this.#pages.has(i)) out.push(i);
    } else {
      for (const i of this.#pages.keys()) if (i >= first && i <= last) out.push(i);
    }
    return out.sort((a, b) => a - b);
  }

  /** Fills `length` bytes at `offset` with zeros. */
  async zero(offset, length) {
    const chunk = new Uint8Array(Math.min(length, 1 << 16));
    for (let done = 0; done < length; done += chunk.length) {
      await this.write(offset + done, chunk.subarray(0, Math.min(chunk.length, length - done)));
    }
  }

  /** Writes every dirty page (in device order, contiguous pages together), then flushes the device. */
  async flush() {
    const dirty = [...this.#pages].filter(([, p]) => p.dirty).map(([i]) => i).sort((a, b) => a - b);
    await this.#writeBack(dirty);
    await this.#dev.flush();
  }

  /** Drops every clean page (the next reads go to the device). */
  invalidate() {
    for (const [i, p] of this.#pages) if (!p.dirty) this.#pages.delete(i);
  }

  #check(offset, length) {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.size)) {
      throw new RangeError(`bytes ${offset}..${offset + length} are outside the ${this.size}-byte device`);
    }
  }

  #pageLength(index) {
    const blocks = Math.min(this.#perPage, this.#dev.blockCount - index * this.#perPage);
    return blocks * this.#dev.blockSize;
  }

  // The page, from the cache or the device; `whole` when the caller overwrites all of it
  // (then nothing is read).
  async #get(index, whole) {
    const cached = this.#pages.get(index);
    if (cached) {
      this.#pages.delete(index);
      this.#pages.set(index, cached);
      this.stats.hits++;
      return cached;
    }
    const pending = this.#loading.get(index);
    if (pending) return pending;
    if (whole) {
      const page = new Page(new Uint8Array(this.#pageSize));
      this.#pages.set(index, page);
      return page;
    }
    this.stats.misses++;
    const load = this.#load(index);
    return load;
  }

  // Reads the page and, while misses are sequential, the pages after it in the same request.
  async #load(index) {
    this.#window = index === this.#lastMiss + 1 ? Math.min(this.#window * 2, MAX_READ_AHEAD) : 1;
    this.#lastMiss = index;
    let count = 1;
    while (count < this.#window && index + count < this.#pageCount &&
           !this.#pages.has(index + count) && !this.#loading.has(index + count)) count++;
    if (count > 1) this.#lastMiss = index + count - 1;
    const promise = (async () => {
      const lba = index * this.#perPage;
      const blocks = Math.min(count * this.#perPage, this.#dev.blockCount - lba);
      this.stats.deviceReads++;
      const bytes = await this.#dev.read(lba, blocks);
      let first;
      for (let k = 0; k < count; k++) {
        const data = new Uint8Array(this.#pageSize);
        data.set(bytes.subarray(k * this.#pageSize, Math.min((k + 1) * this.#pageSize, bytes.length)));
        const page = this.#pages.get(index + k) || new Page(data);
        if (!this.#pages.has(index + k)) this.#pages.set(index + k, page);
        if (k === 0) first = page;
      }
      return first;
    })();
    for (let k = 0; k < count; k++) this.#loading.set(index + k, promise);
    try {
      return await promise;
    } finally {
      for (let k = 0; k < count; k++) this.#loading.delete(index + k);
      await this.#trim();
    }
  }

  // Evicts least recently used pages past the budget; dirty ones are written first.
  async #trim() {
    const limit = Math.floor(this.#budget / this.#pageSize);
    if (this.#pages.size <= limit) return;
    const excess = this.#pages.size - limit;
    const victims = [];
    for (const [i] of this.#pages) {
      if (victims.length >= excess) break;
      victims.push(i);
    }
    const dirty = victims.filter((i) => this.#pages.get(i).dirty).sort((a, b) => a - b);
    if (dirty.length) {
      if (this.#beforeWriteBack) await this.#beforeWriteBack();
      await this.#writeBack(dirty);
    }
    for (const i of victims) {
      const p = this.#pages.get(i);
      if (p && !p.dirty) this.#pages.delete(i);
    }
  }

  // Writes the dirty blocks of the given pages, joining consecutive blocks (across pages)
  // into one request.
  async #writeBack(indices) {
    const blocks = []; // [lba, page, block within the page]
    for (const i of indices) {
      const page = this.#pages.get(i);
      for (let b = 0; b < this.#perPage; b++) if (page.dirtyMask & (2 ** b)) blocks.push([i * this.#perPage + b, page, b]);
    }
    const bs = this.#dev.blockSize;
    const maxRun = MAX_WRITE_RUN * this.#perPage;
    for (let k = 0; k < blocks.length;) {
      let run = 1;
      while (k + run < blocks.length && run < maxRun && blocks[k + run][0] === blocks[k][0] + run) run++;
      const out = new Uint8Array(run * bs);
      const versions = new Map();
      for (let j = 0; j < run; j++) {
        const [, page, b] = blocks[k + j];
        out.set(page.data.subarray(b * bs, (b + 1) * bs), j * bs);
        versions.set(page, page.version);
      }
      this.stats.deviceWrites++;
      await this.#dev.write(blocks[k][0], out);
      for (let j = 0; j < run; j++) {
        const [, page, b] = blocks[k + j];
        if (page.version === versions.get(page)) page.dirtyMask &= ~(2 ** b);
      }
      k += run;
    }
  }
}

/**
 * `device` with its writes stopped at the first failure ("remount read-only on error"): that
 * write's (or flush's) error is handed to `onFailure` and rejects, and every later write or
 * flush rejects with it without reaching the device. What is on the disk then stays a prefix
 * of what the file system ordered (a crash at that moment), never a later write without an
 * earlier one it depended on. Reads go on.
 */
export function stopWritesOnError(device, onFailure) {
  let failure = null;
  const guarded = (call) => async (...args) => {
    if (failure) throw failure;
    try {
      return await call(...args);
    } catch (err) {
      if (!failure) {
        failure = err;
        onFailure(err);
      }
      throw err;
    }
  };
  return {
    get blockSize() { return device.blockSize; },
    get blockCount() { return device.blockCount; },
    get readOnly() { return device.readOnly; },
    get name() { return device.name; },
    read: (lba, count, into, at) => device.read(lba, count, into, at),
    write: guarded((lba, bytes) => device.write(lba, bytes)),
    flush: guarded(() => device.flush()),
  };
}
