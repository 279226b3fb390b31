// virtio-net (OASIS VIRTIO 1.2, 5.1) on the virtio PCI transport: MAC, link status and its
// change interrupt, receive buffers posted ahead, mergeable receive buffers, transmit
// completion, checksum offload where the device offers it, and statistics.
//
// Frames are ArrayBuffers holding an Ethernet frame (destination MAC first, no FCS). A frame
// handed to send() is copied into the driver's DMA buffer at once (the caller may reuse or
// transfer it), unless it was built in the DMA buffer itself (frameBuffer()); a received frame is a fresh ArrayBuffer the listener owns and may move to
// another app with rt.transfer.
import { VirtioError } from './virtio/errors.js';
import { Feature } from './virtio/pci-transport.js';

/** Feature bits (5.1.3). */
export const NetFeature = Object.freeze({ CSUM: 0, GUEST_CSUM: 1, MAC: 5, MRG_RXBUF: 15, STATUS: 16 });
const FEATURE_NAMES = { 0: 'VIRTIO_NET_F_CSUM', 1: 'VIRTIO_NET_F_GUEST_CSUM', 5: 'VIRTIO_NET_F_MAC', 15: 'VIRTIO_NET_F_MRG_RXBUF', 16: 'VIRTIO_NET_F_STATUS' };

const RXQ = 0, TXQ = 1;
const CFG_MAC = 0, CFG_STATUS = 6;           // struct virtio_net_config (5.1.4)
const S_LINK_UP = 1;
const HDR_LEN = 12;                           // struct virtio_net_hdr, VERSION_1 (5.1.6)
const HDR_FLAGS = 0, HDR_CSUM_START = 6, HDR_CSUM_OFFSET = 8, HDR_NUM_BUFFERS = 10;
const HDR_F_NEEDS_CSUM = 1, HDR_F_DATA_VALID = 2;
const FRAME_MAX = 1514;                       // 1500-byte MTU + Ethernet header, no FCS
const TX_SLOT = 2048;                         // header + largest frame, rounded
const MAX_RESETS = 3;                         // a device that keeps misbehaving is given up
// What onFrame's listener is told; shared and frozen, so that no frame allocates one.
const CHECKSUM_VALID = Object.freeze({ checksumValid: true });
const CHECKSUM_UNKNOWN = Object.freeze({ checksumValid: false });

export class VirtioNet {
  #t; #rxq = null; #txq = null;
  #rxSize; #rxDma = null; #txDma = null; #txFree = [];
  #mac = ''; #linkUp = false; #mergeable = false; #txCsum = false;
  #onFrame = null; #onLink = null; #onError = null;
  #resets = 0; #failed = null;
  #stats = { rxFrames: 0, rxBytes: 0, rxDropped: 0, rxErrors: 0, txFrames: 0, txBytes: 0, txDropped: 0, txErrors: 0, deviceResets: 0 };

  /**
   * Finds out the device, negotiates and brings it up.
   * @param {VirtioPciTransport} transport of a virtio-net function.
   * @param {{ rxBufferSize?: number, queueSize?: number, msix?: boolean }} options
   *   rxBufferSize: bytes per receive buffer (with mergeable buffers a frame may span
   *   several; without, at least 1526); msix: false keeps the device on INTx.
   * @throws {VirtioError} when negotiation fails (ERR_VIRTIO_FEATURE names the feature).
   */
  constructor(transport, { rxBufferSize = 2048, queueSize = 256, msix = true } = {}) {
    this.#t = transport;
    this.#rxSize = rxBufferSize;
    this.#queueSize = queueSize;
    transport.listen({ onQueues: () => this.#poll(), onConfig: () => this.#configChanged() }, { msix });
    this.#start();
  }
  #queueSize;

  #start() {
    const t = this.#t;
    this.#rxq = this.#txq = null; // no interrupt looks at the old queues from here on
    t.negotiate({
      required: [NetFeature.MAC],
      wanted: [NetFeature.STATUS, NetFeature.MRG_RXBUF, NetFeature.CSUM, NetFeature.GUEST_CSUM, Feature.RING_EVENT_IDX],
    }, FEATURE_NAMES);
    this.#mergeable = t.has(NetFeature.MRG_RXBUF);
    this.#txCsum = t.has(NetFeature.CSUM);   // kept: has() is a BigInt test, dear per frame
    if (!this.#mergeable && this.#rxSize < HDR_LEN + FRAME_MAX) {
      throw new VirtioError('ERR_VIRTIO_FEATURE', `${t.name}: receive buffers of ${this.#rxSize} bytes need VIRTIO_NET_F_MRG_RXBUF, which is not offered`, { device: t.name, feature: 'VIRTIO_NET_F_MRG_RXBUF' });
    }
    this.#rxq = t.setupQueue(RXQ, this.#queueSize);
    this.#txq = t.setupQueue(TXQ, this.#queueSize);
    this.#readConfig();
    this.#rxDma = rt.hw.dma(this.#rxq.size * this.#rxSize);
    this.#txDma = rt.hw.dma(this.#txq.size * TX_SLOT);
    this.#txBytes = new Uint8Array(this.#txDma.buffer);
    this.#rxBytes = new Uint8Array(this.#rxDma.buffer);
    this.#txLength = new Uint16Array(this.#txq.size);
    // No interrupt for transmit completions (2.7.10): a slot is reclaimed when one is needed,
    // as Linux's virtio_net frees sent buffers in its transmit path.
    this.#txq.interrupts = false;
    this.#txFree = [];
    for (let i = this.#txq.size - 1; i >= 0; i--) this.#txFree.push(i);
    t.driverOk();
    for (let i = 0; i < this.#rxq.size; i++) this.#postRx(i);
    t.kick(this.#rxq);
  }

  #readConfig() {
    const t = this.#t;
    const { mac, status } = t.readConfig((cfg) => ({
      mac: Array.from({ length: 6 }, (_, i) => cfg.read8(CFG_MAC + i)),
      status: t.has(NetFeature.STATUS) ? cfg.read16(CFG_STATUS) : S_LINK_UP,
    }));
    this.#mac = mac.map((b) => b.toString(16).padStart(2, '0')).join(':');
    this.#linkUp = !!(status & S_LINK_UP);
  }

  /** The MAC address as 'xx:xx:xx:xx:xx:xx'. */
  get mac() { return this.#mac; }
  get linkUp() { return this.#linkUp; }
  /** What the device does for us: { txChecksum, rxChecksum, mergeableRx }. */
  get offloads() {
    return { txChecksum: this.#t.has(NetFeature.CSUM), rxChecksum: this.#t.has(NetFeature.GUEST_CSUM), mergeableRx: this.#mergeable };
  }
  /** Counters: frames, bytes, drops, errors each way, device resets, interrupts, notifications to the device. A copy. */
  get stats() {
    if (this.#txq && !this.#failed) this.#reapTx();
    return { ...this.#stats, txInFlight: this.#txq ? this.#txq.inFlight : 0, interrupts: this.#t.interrupts.count, notifications: this.#t.notifications };
  }
  /** How the device interrupts: { mode, line, count } (the transport's). */
  get interrupts() { return this.#t.interrupts; }

  /**
   * @param {(frame: ArrayBuffer|Uint8Array, info: { checksumValid: boolean }) => void} fn
   * @param {{ lend?: boolean }} options lend: a frame that fills one receive buffer comes as a
   *   Uint8Array over that buffer, valid only until fn returns (the buffer then goes back to
   *   the device): no allocation or copy per frame, for a listener that copies what it keeps.
   *   Otherwise each frame is a fresh ArrayBuffer the listener owns.
   */
  onFrame(fn, { lend = false } = {}) { this.#onFrame = fn; this.#lend = !!lend; }
  #lend = false;
  /** @param {(up: boolean) => void} fn called when the link changes. */
  onLink(fn) { this.#onLink = fn; }
  /** @param {(err: VirtioError) => void} fn called when the device misbehaved (it is then reset, or given up). */
  onError(fn) { this.#onError = fn; }

  /**
   * Queues one Ethernet frame for transmission.
   * @param {ArrayBuffer|ArrayBufferView} frame
   * @param {{ checksum?: { start: number, offset: number } }} options the device fills in
   *   the Internet checksum over frame[start..] at start+offset (needs offloads.txChecksum).
   * @returns {boolean} false when the transmit ring is full (counted in txDropped).
   */
  send(frame, options) {
    if (this.#failed) throw this.#failed;
    const bytes = frame instanceof Uint8Array ? frame
      : ArrayBuffer.isView(frame) ? new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength) : new Uint8Array(frame);
    if (bytes.length < 14 || bytes.length > FRAME_MAX) {
      this.#stats.txErrors++;
      throw new RangeError(`${this.#t.name}: a frame is 14 to ${FRAME_MAX} bytes, got ${bytes.length}`);
    }
    if (this.#txFree.length === 0) {
      // Frames queued since the last notification may be all that holds the ring: the device
      // must hear of them before their completions can free a slot.
      this.#flushTx();
      this.#reapTx();
    }
    const inPlace = bytes.buffer === this.#txDma.buffer;
    if (inPlace && bytes.byteOffset !== this.#txFree[this.#txFree.length - 1] * TX_SLOT + HDR_LEN) {
      throw new RangeError(`${this.#t.name}: a frame in transmit memory must be in the slot frameBuffer() lent, and sent before any other frame`);
    }
    const slot = this.#txFree.pop();
    if (slot === undefined) {
      this.#stats.txDropped++;
      return false;
    }
    const base = slot * TX_SLOT;
    const dma = this.#txBytes;
    // The header's twelve bytes, as stores: cheaper than a call of fill() for so few.
    dma[base] = 0; dma[base + 1] = 0; dma[base + 2] = 0; dma[base + 3] = 0; dma[base + 4] = 0; dma[base + 5] = 0;
    dma[base + 6] = 0; dma[base + 7] = 0; dma[base + 8] = 0; dma[base + 9] = 0; dma[base + 10] = 0; dma[base + 11] = 0;
    const checksum = options?.checksum;
    if (checksum && this.#txCsum) {
      dma[base + HDR_FLAGS] = HDR_F_NEEDS_CSUM;
      dma[base + HDR_CSUM_START] = checksum.start & 0xff; dma[base + HDR_CSUM_START + 1] = checksum.start >> 8;
      dma[base + HDR_CSUM_OFFSET] = checksum.offset & 0xff; dma[base + HDR_CSUM_OFFSET + 1] = checksum.offset >> 8;
    }
    if (!inPlace) dma.set(bytes, base + HDR_LEN);
    this.#txLength[slot] = bytes.length;
    const seg = this.#txSegment[0];
    seg.phys = this.#txDma.phys + base;
    seg.length = HDR_LEN + bytes.length;
    this.#txq.add(this.#txSegment, slot);
    // One notification for all the frames queued in this task (a TCP window's worth is sent
    // from one ACK): each notification is an exit to the device model.
    if (!this.#txFlushQueued) {
      this.#txFlushQueued = true;
      queueMicrotask(this.#flushQueued);
    }
    return true;
  }
  /**
   * Room for a frame of `length` bytes in the transmit slot the next send() takes, so that a
   * frame built there goes without a copy. It is only lent: nothing is reserved, and a frame
   * not sent leaves the slot free; it must be sent before any other frame, which would take
   * the slot. null when the ring is full.
   * @param {number} length 14 to 1514
   * @returns {Uint8Array|null}
   */
  frameBuffer(length) {
    if (this.#failed || !this.#txq || length < 14 || length > FRAME_MAX) return null;
    if (this.#txFree.length === 0) { this.#flushTx(); this.#reapTx(); }
    const slot = this.#txFree[this.#txFree.length - 1];
    return slot === undefined ? null : new Uint8Array(this.#txDma.buffer, slot * TX_SLOT + HDR_LEN, length);
  }
  #txBytes = null; #txLength = null; #rxBytes = null;
  #rxSegment = [{ phys: 0, length: 0, write: true }];    // reused, as #txSegment
  #txSegment = [{ phys: 0, length: 0, write: false }];   // reused: add() copies it into a descriptor
  #txFlushQueued = false;
  #flushQueued = () => { this.#txFlushQueued = false; this.#flushTx(); };
  #flushTx() { if (this.#txq && !this.#failed) this.#t.kick(this.#txq); }

  #postRx(i) {
    const seg = this.#rxSegment[0];
    seg.phys = this.#rxDma.phys + i * this.#rxSize;
    seg.length = this.#rxSize;
    this.#rxq.add(this.#rxSegment, i);
  }

  // Transmit completions interrupt nobody (see #start): they are taken here, when a slot is
  // needed, when received frames are, and when the counters are read.
  #reapTx() {
    for (const { token: slot } of this.#txq.takeUsed({ interrupt: false })) {
      this.#txFree.push(slot);
      this.#stats.txFrames++;
      this.#stats.txBytes += this.#txLength[slot];
    }
  }

  // All completions of both queues, in batches; the receive buffers go back in one kick.
  #poll() {
    if (this.#failed || !this.#rxq) return;
    try {
      this.#reapTx();
      const used = this.#rxq.takeUsed();
      if (used.length === 0) return;
      const lend = this.#lend && this.#onFrame !== null;
      const frames = this.#assemble(used, lend);
      if (!lend) this.#t.kick(this.#rxq);
      try {
        for (let k = 0; k < frames.length; k += 2) {
          if (this.#onFrame) this.#onFrame(frames[k], frames[k + 1] ? CHECKSUM_VALID : CHECKSUM_UNKNOWN);
          else this.#stats.rxDropped++;
        }
      } finally {
        // Lent buffers go back to the device once their frames have been handled.
        if (lend) {
          for (let k = 0; k < used.length; k++) this.#postRx(used[k].token);
          this.#t.kick(this.#rxq);
        }
      }
    } catch (e) {
      if (!(e instanceof VirtioError)) throw e;
      this.#deviceFault(e);
    }
  }

  // Turns used receive buffers into frames (5.1.6.4: num_buffers buffers per frame when
  // mergeable) and posts every buffer again, unless `lend`: then a frame in one buffer is a
  // view of it and the caller posts the buffers once the frames are handled. Returns [frame,
  // checksumValid, frame, ...]: no array or object per frame.
  #assemble(used, lend) {
    const out = [];
    const buf = this.#rxDma.buffer;
    const dma = this.#rxBytes;
    for (let k = 0; k < used.length;) {
      const { token: first, length } = used[k];
      const base = first * this.#rxSize;
      // The header's fields are little-endian (VERSION_1, 5.1.6).
      const count = this.#mergeable ? dma[base + HDR_NUM_BUFFERS] | (dma[base + HDR_NUM_BUFFERS + 1] << 8) : 1;
      if (length < HDR_LEN || count < 1 || k + count > used.length) {
        // Buffers of a frame arrive together; a count past the batch is the device's fault.
        throw new VirtioError('ERR_VIRTIO_DEVICE', `${this.#t.name}: receive header says ${count} buffers, ${used.length - k} completed (length ${length})`, { device: this.#t.name, queue: RXQ });
      }
      let total = length - HDR_LEN;
      for (let j = 1; j < count; j++) total += used[k + j].length;
      const checksumValid = (dma[base + HDR_FLAGS] & HDR_F_DATA_VALID) !== 0;
      if (total > FRAME_MAX || total < 14) {
        this.#stats.rxErrors++;
      } else if (count === 1) {
        // One buffer (the common case): lent as a view, or a single native copy.
        const frame = lend ? new Uint8Array(buf, base + HDR_LEN, length - HDR_LEN) : buf.slice(base + HDR_LEN, base + length);
        this.#stats.rxFrames++;
        this.#stats.rxBytes += total;
        out.push(frame, checksumValid);
      } else {
        const frame = new ArrayBuffer(total);
        const dst = new Uint8Array(frame);
        dst.set(new Uint8Array(buf, base + HDR_LEN, length - HDR_LEN), 0);
        let at = length - HDR_LEN;
        for (let j = 1; j < count; j++) {
          const u = used[k + j];
          dst.set(new Uint8Array(buf, u.token * this.#rxSize, u.length), at);
          at += u.length;
        }
        this.#stats.rxFrames++;
        this.#stats.rxBytes += total;
        out.push(frame, checksumValid);
      }
      if (!lend) for (let j = 0; j < count; j++) this.#postRx(used[k + j].token);
      k += count;
    }
    return out;
  }

  #configChanged() {
    if (this.#t.status & 0x40) { // DEVICE_NEEDS_RESET (2.1.1)
      this.#deviceFault(new VirtioError('ERR_VIRTIO_RESET', `${this.#t.name}: the device asked to be reset (DEVICE_NEEDS_RESET)`, { device: this.#t.name }));
      return;
    }
    const was = this.#linkUp;
    this.#readConfig();
    if (was !== this.#linkUp && this.#onLink) this.#onLink(this.#linkUp);
  }

  // The device broke the protocol: report it, then reset and start again, or give up after
  // MAX_RESETS (the device is marked FAILED and send() throws the error from then on).
  #deviceFault(err) {
    this.#stats.deviceResets++;
    if (this.#onError) this.#onError(err);
    if (++this.#resets > MAX_RESETS) {
      this.#failed = err;
      this.#t.fail();
      return;
    }
    try {
      this.#start();
    } catch (e) {
      this.#failed = e;
      if (this.#onError) this.#onError(e);
    }
  }

  /** Interrupts off, device reset. */
  close() { this.#t.close(); this.#rxq = this.#txq = null; }
}
