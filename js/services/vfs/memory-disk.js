// A block device held in memory: the contract every disk driver meets (block-cache.js
// lists it), for RAM disks and for tests that load a disk image made by the host's tools.

import { FsFault } from './errors.js';

const SECTOR = 512;

export class MemoryDisk {
  #bytes; #blockSize; #readOnly;
  /** Sectors written since creation (a Set of LBAs), so a test can send back only those. */
  written = new Set();

  /**
   * @param {Uint8Array|number} image the disk's bytes (kept, not copied), or a size in bytes
   * @param {{ blockSize?: number, readOnly?: boolean }} [options]
   */
  constructor(image, { blockSize = SECTOR, readOnly = false } = {}) {
    this.#bytes = typeof image === 'number' ? new Uint8Array(image) : image;
    this.#blockSize = blockSize;
    this.#readOnly = readOnly;
  }

  get blockSize() { return this.#blockSize; }
  get blockCount() { return Math.floor(this.#bytes.length / this.#blockSize); }
  get readOnly() { return this.#readOnly; }
  /** The disk's bytes (the same array the disk uses). */
  get bytes() { return this.#bytes; }

  #range(lba, count) {
    if (!(Number.isInteger(lba) && Number.isInteger(count) && lba >= 0 && count >= 0 && lba + count <= this.blockCount)) {
      throw new FsFault('EIO', `sectors ${lba}..${lba + count} are outside the ${this.blockCount}-sector disk`);
    }
  }

  async read(lba, count) {
    this.#range(lba, count);
    return this.#bytes.slice(lba * this.#blockSize, (lba + count) * this.#blockSize);
  }

  async write(lba, bytes) {
    if (this.#readOnly) throw new FsFault('EROFS', 'the disk is read-only');
    if (bytes.length % this.#blockSize !== 0) throw new FsFault('EINVAL', `a write of ${bytes.length} bytes is not whole sectors`);
    const count = bytes.length / this.#blockSize;
    this.#range(lba, count);
    this.#bytes.set(bytes, lba * this.#blockSize);
    for (let i = 0; i < count; i++) this.written.add(lba + i);
  }

  async flush() {}
}
