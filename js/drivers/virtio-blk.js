// virtio-blk (OASIS VIRTIO 1.2, 5.2): a disk. Each request is three descriptors: a header
// the device reads (type, sector), the data (device-writable for reads), and a status
// byte the device writes. Several requests are in flight at once, each in its own slot of
// DMA memory. It meets the block-device contract of js/services/vfs/block-cache.js.

// Feature bits (5.2.3).
const F_SIZE_MAX = 1;
const F_SEG_MAX = 2;
const F_RO = 5;
const F_BLK_SIZE = 6;
const F_FLUSH = 9;
const F_DISCARD = 13;

// Configuration layout (5.2.4).
const CFG_CAPACITY = 0; // u64, in 512-byte sectors whatever blk_size says
const CFG_BLK_SIZE = 20; // u32
const CFG_MAX_DISCARD_SECTORS = 36; // u32
const CFG_MAX_DISCARD_SEG = 40; // u32

// Request types and statuses (5.2.6).
const T_IN = 0;
const T_OUT = 1;
const T_FLUSH = 4;
const T_DISCARD = 11;
const STATUS_NAMES = ['OK', 'IOERR', 'UNSUPP'];
const S_OK = 0;

const SECTOR = 512;
const HEADER = 16; // struct virtio_blk_req's type, reserved, sector
const SLOT_DATA = 128 * 1024; // bytes of data per request
const SLOT = HEADER + SLOT_DATA + 16; // header, data, status byte (16 keeps slots aligned)
const REQUESTQ = 0;
// A request the device has not answered in this long means the device stopped answering: a
// hang guard, far above any answer seen (milliseconds under TCG on a loaded machine).
const REQUEST_TIMEOUT_MS = 30000;

export class VirtioBlk {
  #t; #q; #dma; #slots; #name;
  #free = [];
  #waiters = []; // resolvers waiting for a free slot
  #inFlight = new Set(); // tokens of requests the device holds
  #capacity; #readOnly; #flush; #discard; #maxDiscard; #blkSize;
  #failed = null;
  #open = false; #msix;
  #idleMs; #idleTimer = null;
  #timeoutMs;

  /**
   * @param {VirtioPciTransport} transport of a virtio-blk function
   * @param {{ queueSize?: number, msix?: boolean, suspendWhenIdleMs?: number, requestTimeoutMs?: number }} [options]
   *   msix: false keeps to INTx; suspendWhenIdleMs: suspend() after that long with nothing in flight;
   *   requestTimeoutMs: a request unanswered that long fails the device (EIO for everything in flight and after)
   * Needs: the function's BARs, DMA and its IRQ line (through the transport).
   */
  constructor(transport, { queueSize = 64, msix = true, suspendWhenIdleMs, requestTimeoutMs = REQUEST_TIMEOUT_MS } = {}) {
    this.#t = transport;
    this.#timeoutMs = requestTimeoutMs;
    this.#name = transport.name;
    this.#msix = msix;
    this.#idleMs = suspendWhenIdleMs;
    this.#start(queueSize);
    this.#slots = Math.max(1, Math.floor(this.#q.size / 3));
    this.#dma = rt.hw.dma(this.#slots * SLOT);
    for (let i = 0; i < this.#slots; i++) this.#free.push(i);
  }

  // Device initialisation (3.1.1): interrupts, features, configuration, the queue, DRIVER_OK.
  #start(queueSize = this.#q.size) {
    const transport = this.#t;
    transport.listen({ onQueues: () => this.#complete(), onConfig: () => {} }, { msix: this.#msix });
    transport.negotiate({ wanted: [F_SIZE_MAX, F_SEG_MAX, F_RO, F_BLK_SIZE, F_FLUSH, F_DISCARD] },
      { [F_RO]: 'VIRTIO_BLK_F_RO', [F_FLUSH]: 'VIRTIO_BLK_F_FLUSH', [F_DISCARD]: 'VIRTIO_BLK_F_DISCARD' });
    this.#readOnly = transport.has(F_RO);
    this.#flush = transport.has(F_FLUSH);
    this.#discard = transport.has(F_DISCARD);
    const cfg = transport.readConfig((c) => ({
      capacity: c.read32(CFG_CAPACITY) + c.read32(CFG_CAPACITY + 4) * 2 ** 32,
      blkSize: transport.has(F_BLK_SIZE) ? c.read32(CFG_BLK_SIZE) : SECTOR,
      maxDiscard: this.#discard ? c.read32(CFG_MAX_DISCARD_SECTORS) : 0,
      maxDiscardSeg: this.#discard ? c.read32(CFG_MAX_DISCARD_SEG) : 0,
    }));
    this.#capacity = cfg.capacity;
    this.#blkSize = cfg.blkSize;
    this.#maxDiscard = cfg.maxDiscardSeg ? cfg.maxDiscard : 0;
    this.#q = transport.setupQueue(REQUESTQ, queueSize);
    transport.driverOk();
    this.#open = true;
  }

  /**
   * Resets the device while nothing is in flight, so its interrupt no longer keeps the app
   * alive; the next request starts it again. Returns whether it did. (With MSI-X the vectors
   * stay allocated, so a driver that suspends should use INTx: { msix: false }.)
   */
  suspend() {
    if (!this.#open || this.#inFlight.size || this.#waiters.length || this.#free.length !== this.#slots) return false;
    this.#t.close();
    this.#open = false;
    return true;
  }

  /** How the device interrupts: { mode, count, ... } (the transport's). */
  get interrupts() { return this.#t.interrupts; }

  get name() { return this.#name; }
  /** Always 512: virtio-blk addresses 512-byte sectors (5.2.4). */
  get blockSize() { return SECTOR; }
  get blockCount() { return this.#capacity; }
  /** The device's preferred block size (VIRTIO_BLK_F_BLK_SIZE), else 512. */
  get physicalBlockSize() { return this.#blkSize; }
  get readOnly() { return this.#readOnly; }
  get canFlush() { return this.#flush; }
  get canDiscard() { return this.#maxDiscard > 0; }
  /** Requests that may be in flight at once. */
  get inFlightLimit() { return this.#slots; }

  /**
   * Reads `count` sectors from `lba` into `into` at byte `at` (a new array by default): each
   * request's bytes go from its DMA slot straight there. Longer reads become several
   * requests in flight.
   * @returns {Promise<Uint8Array>} `into`; rejects with an EIO error naming the sectors and the status
   */
  async read(lba, count, into = new Uint8Array(count * SECTOR), at = 0) {
    this.#range('read', lba, count);
    if (at < 0 || at + count * SECTOR > into.length) throw new RangeError(`${this.#name}: ${count} sectors do not fit at ${at} of ${into.length} bytes`);
    const per = SLOT_DATA / SECTOR;
    const parts = [];
    for (let done = 0; done < count; done += per) {
      const n = Math.min(per, count - done);
      parts.push(this.#request(T_IN, lba + done, n * SECTOR, null, into, at + done * SECTOR));
    }
    await Promise.all(parts);
    return into;
  }

  /** Writes whole sectors at `lba`. Rejects with EROFS on a read-only disk. */
  async write(lba, bytes) {
    if (this.#readOnly) throw this.#error('EROFS', 'write', lba, 0, 'the disk is read-only');
    if (bytes.length % SECTOR) throw new RangeError(`${this.#name}: a write of ${bytes.length} bytes is not whole sectors`);
    const count = bytes.length / SECTOR;
    this.#range('write', lba, count);
    const parts = [];
    for (let done = 0; done < bytes.length; done += SLOT_DATA) {
      const chunk = bytes.subarray(done, Math.min(done + SLOT_DATA, bytes.length));
      parts.push(this.#request(T_OUT, lba + done / SECTOR, chunk.length, chunk));
    }
    await Promise.all(parts);
  }

  /** Makes every completed write durable (VIRTIO_BLK_T_FLUSH); nothing to do without a write cache. */
  async flush() {
    if (this.#flush && !this.#readOnly) await this.#request(T_FLUSH, 0, 0, null);
  }

  /** Tells the device `count` sectors from `lba` are unused (VIRTIO_BLK_T_DISCARD), where offered. */
  async discard(lba, count) {
    if (!this.canDiscard || this.#readOnly) return;
    this.#range('discard', lba, count);
    for (let done = 0; done < count;) {
      const n = Math.min(this.#maxDiscard, count - done);
      const seg = new Uint8Array(16);
      const v = new DataView(seg.buffer);
      v.setUint32(0, (lba + done) % 2 ** 32, true);
      v.setUint32(4, Math.floor((lba + done) / 2 ** 32), true);
      v.setUint32(8, n, true);
      await this.#request(T_DISCARD, 0, 16, seg);
      done += n;
    }
  }

  close() {
    this.#fail(this.#error('EIO', 'close', 0, 0, 'the device was closed'));
    this.#t.close();
  }

  #range(op, lba, count) {
    if (!Number.isInteger(lba) || !Number.isInteger(count) || lba < 0 || count < 0 || lba + count > this.#capacity) {
      throw this.#error('EIO', op, lba, count, `outside the ${this.#capacity}-sector disk`);
    }
  }

  #error(code, op, lba, count, why) {
    const err = new Error(`${code}: ${this.#name}: ${op} of sectors ${lba}..${lba + Math.max(count, 1) - 1} ${why}`);
    err.code = code;
    err.sector = lba;
    return err;
  }

  async #slot() {
    if (this.#failed) throw this.#failed;
    if (this.#free.length) return this.#free.pop();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #release(slot) {
    const w = this.#waiters.shift();
    if (w) w.resolve(slot);
    else this.#free.push(slot);
  }

  // One request in slot memory: header, data (out: copied in; in: device-written, then
  // copied to `into` at `at`), status.
  async #request(type, lba, length, data, into = null, at = 0) {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    const slot = await this.#slot();
    if (!this.#open) {
      try { this.#start(); } catch (err) { this.#release(slot); throw err; }
    }
    const base = slot * SLOT;
    const u8 = new Uint8Array(this.#dma.buffer, base, SLOT);
    const v = new DataView(this.#dma.buffer, base, HEADER);
    v.setUint32(0, type, true);
    v.setUint32(4, 0, true);
    v.setUint32(8, lba % 2 ** 32, true);
    v.setUint32(12, Math.floor(lba / 2 ** 32), true);
    if (data) u8.set(data, HEADER);
    u8[HEADER + SLOT_DATA] = 0xff; // the device overwrites it
    const phys = this.#dma.phys + base;
    const segments = [{ phys, length: HEADER, write: false }];
    if (length) segments.push({ phys: phys + HEADER, length, write: type === T_IN });
    segments.push({ phys: phys + HEADER + SLOT_DATA, length: 1, write: true });
    const op = type === T_IN ? 'read' : type === T_OUT ? 'write' : type === T_FLUSH ? 'flush' : 'discard';
    try {
      await new Promise((resolve, reject) => {
        const token = { resolve, reject, timer: null };
        token.timer = setTimeout(() => {
          this.#fail(this.#error('EIO', op, lba, length / SECTOR, `not answered in ${this.#timeoutMs} ms: the device stopped answering`));
          this.#t.fail();
        }, this.#timeoutMs);
        this.#inFlight.add(token);
        this.#q.add(segments, token);
        this.#t.kick(this.#q);
      });
      const status = u8[HEADER + SLOT_DATA];
      if (status !== S_OK) {
        const name = STATUS_NAMES[status] ?? `unknown status ${status}`;
        const err = this.#error('EIO', op, lba, length / SECTOR, `failed: ${name} (${status})`);
        err.status = status;
        throw err;
      }
      if (into) into.set(u8.subarray(HEADER, HEADER + length), at);
      return undefined;
    } finally {
      this.#release(slot);
      this.#whenIdle();
    }
  }

  // With suspendWhenIdleMs: suspend once nothing has been in flight for that long.
  #whenIdle() {
    if (this.#idleMs === undefined || this.#idleTimer || this.#free.length !== this.#slots) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      this.suspend();
    }, this.#idleMs);
  }

  #complete() {
    let done;
    try {
      done = this.#q.takeUsed();
    } catch (e) {
      this.#fail(e);
      this.#t.fail();
      return;
    }
    for (const { token } of done) {
      clearTimeout(token.timer);
      this.#inFlight.delete(token);
      token.resolve();
    }
  }

  // The queue is broken: every request in flight and waiting fails with `err`.
  #fail(err) {
    this.#failed = err;
    for (const token of this.#inFlight) {
      clearTimeout(token.timer);
      token.reject(err);
    }
    this.#inFlight.clear();
    for (const w of this.#waiters) w.reject(err);
    this.#waiters = [];
  }
}
