// A split virtqueue (OASIS VIRTIO 1.2, 2.7) in DMA memory: the descriptor table, the
// driver ("available") ring and the device ("used") ring in one allocation from rt.hw.dma.
//
// Memory ordering. JavaScript gives no ordering between plain typed-array stores as another
// agent (here the device) sees them, and an optimizing compiler may reorder them. Atomics
// operations are sequentially consistent, on non-shared buffers too, and V8 compiles them
// as ordering points (on x86-64 a store is an XCHG, a full barrier; a load is a plain MOV,
// which x86's TSO keeps ordered with later loads). So:
//   - descriptors and ring entries are plain stores, and avail->idx is published with
//     Atomics.store: every earlier store is visible first (the write barrier of 2.7.13);
//   - used->idx is read with Atomics.load before the entries it covers are read (the read
//     barrier of 2.7.14);
//   - the full barrier between publishing avail->idx and reading used->avail_event or
//     used->flags to decide on a notification (2.7.10.1) is the XCHG of that same store.
// No native barrier is needed on x86-64; a weaker architecture would need one here.
import { VirtioError } from './errors.js';

const DESC_SIZE = 16;          // struct virtq_desc: addr le64, len le32, flags le16, next le16
const DESC_F_NEXT = 1;
const DESC_F_WRITE = 2;
const AVAIL_HEADER = 4;        // flags le16, idx le16, then ring[size], then used_event
const USED_HEADER = 4;         // flags le16, idx le16, then {id le32, len le32}[size], avail_event
const USED_ELEM_SIZE = 8;
const USED_F_NO_NOTIFY = 1;    // 2.7.10
const AVAIL_F_NO_INTERRUPT = 1;
const USED_ALIGN = 4;          // 2.7: alignment of the used ring
const TWO_32 = 2 ** 32;

const align = (n, a) => Math.ceil(n / a) * a;

/** Bytes of DMA memory a queue of `size` entries needs. */
export function queueBytes(size) {
  return align(DESC_SIZE * size + AVAIL_HEADER + 2 * size + 2, USED_ALIGN) + USED_HEADER + USED_ELEM_SIZE * size + 2;
}

export class SplitQueue {
  #name; #index; #size; #eventIdx;
  #dma; #view; #u16;
  #descPhys; #availPhys; #usedPhys;
  #availOff; #usedOff;
  #freeHead = 0; #numFree;
  #tokens; #writable;  // per head: the caller's token, the device-writable bytes of its chain
  #availIdx = 0;       // our copy of avail->idx
  #lastUsed = 0;       // next used entry to take
  #kickedAt = 0;       // avail->idx at the last notification decision

  /**
   * @param {{ buffer: ArrayBuffer, phys: number }} dma at least queueBytes(size) bytes.
   * @param {number} size entries (a power of two).
   * @param {{ device: string, index: number, eventIdx: boolean }} options
   */
  constructor(dma, size, { device, index, eventIdx }) {
    if (!Number.isInteger(size) || size < 1 || size > 32768 || (size & (size - 1))) {
      throw new RangeError(`${device}: queue ${index} size ${size} is not a power of two up to 32768`);
    }
    this.#name = device;
    this.#index = index;
    this.#size = size;
    this.#eventIdx = eventIdx;
    this.#dma = dma;
    this.#view = new DataView(dma.buffer);
    this.#u16 = new Uint16Array(dma.buffer);
    this.#availOff = DESC_SIZE * size;
    this.#usedOff = align(this.#availOff + AVAIL_HEADER + 2 * size + 2, USED_ALIGN);
    this.#descPhys = dma.phys;
    this.#availPhys = dma.phys + this.#availOff;
    this.#usedPhys = dma.phys + this.#usedOff;
    this.#tokens = new Array(size).fill(undefined);
    this.#writable = new Uint32Array(size);
    this.#numFree = size;
    for (let i = 0; i < size; i++) this.#view.setUint16(i * DESC_SIZE + 14, (i + 1) % size, true);
  }

  get index() { return this.#index; }
  get size() { return this.#size; }
  get freeDescriptors() { return this.#numFree; }
  get inFlight() { return this.#size - this.#numFree; }
  /** Guest-physical addresses the transport gives the device. */
  get addresses() { return { desc: this.#descPhys, driver: this.#availPhys, device: this.#usedPhys }; }

  /**
   * Queues one buffer chain. Device-readable segments must come before writable ones.
   * @param {Array<{ phys: number, length: number, write?: boolean }>} segments
   * @param {*} token returned with the completion.
   * @returns {boolean} false if there are not enough free descriptors.
   */
  add(segments, token) {
    const n = segments.length;
    if (n === 0 || n > this.#numFree) return false;
    const v = this.#view;
    const head = this.#freeHead;
    let d = head, writable = 0;
    for (let i = 0; i < n; i++) {
      const s = segments[i];
      const off = d * DESC_SIZE;
      v.setUint32(off, s.phys >>> 0, true);   // ToUint32 is the value modulo 2^32, without a floating-point remainder per descriptor
      v.setUint32(off + 4, Math.floor(s.phys / TWO_32), true);
      v.setUint32(off + 8, s.length, true);
      v.setUint16(off + 12, (s.write ? DESC_F_WRITE : 0) | (i + 1 < n ? DESC_F_NEXT : 0), true);
      if (s.write) writable += s.length;
      d = v.getUint16(off + 14, true);
    }
    this.#freeHead = d;
    this.#numFree -= n;
    this.#tokens[head] = token;
    this.#writable[head] = writable;
    // The free list runs through `next`: the chain's last entry keeps its link to the rest
    // of the free list but has no NEXT flag, so the device stops there.
    const slot = this.#availOff + AVAIL_HEADER + 2 * (this.#availIdx % this.#size);
    v.setUint16(slot, head, true);
    this.#availIdx = (this.#availIdx + 1) & 0xffff;
    return true;
  }

  /**
   * Publishes what add() queued and says whether the device must be notified (2.7.10).
   * @returns {boolean}
   */
  publish() {
    const idx = this.#availIdx;
    Atomics.store(this.#u16, (this.#availOff + 2) / 2, idx); // release, then a full barrier
    const old = this.#kickedAt;
    this.#kickedAt = idx;
    if (old === idx) return false;
    if (this.#eventIdx) {
      const event = Atomics.load(this.#u16, (this.#usedOff + USED_HEADER + USED_ELEM_SIZE * this.#size) / 2);
      return ((idx - event - 1) & 0xffff) < ((idx - old) & 0xffff);
    }
    return !(Atomics.load(this.#u16, this.#usedOff / 2) & USED_F_NO_NOTIFY);
  }

  /** True if the device has completed something not yet taken. */
  hasUsed() {
    return Atomics.load(this.#u16, (this.#usedOff + 2) / 2) !== this.#lastUsed;
  }

  /**
   * Takes every completion (a batch) and frees their descriptors.
   * @param {{ interrupt?: boolean }} options interrupt: false asks the device not to
   *   interrupt for the next completions (with event index: used_event half the index
   *   space away, 2.7.10.2), for a queue whose completions are taken when convenient
   * @returns {Array<{ token: *, length: number }>}
   * @throws {VirtioError} ERR_VIRTIO_DEVICE when the device broke the ring's rules: a used
   *   index that ran past what was in flight, an id that is not a chain head in flight, a
   *   length larger than the chain's writable bytes. The queue is unusable afterwards.
   */
  takeUsed({ interrupt = true } = {}) {
    const out = [];
    if (!interrupt) {
      const usedIdx = this.#take(out);
      if (this.#eventIdx) this.#noEvent(usedIdx);
      return out;
    }
    // After used_event is moved, used->idx is read again: a completion that landed while
    // the batch was taken saw the old used_event and may not interrupt (2.7.10).
    for (;;) {
      const usedIdx = this.#take(out);
      if (!this.#eventIdx) break;
      Atomics.store(this.#u16, (this.#availOff + AVAIL_HEADER + 2 * this.#size) / 2, usedIdx); // full barrier
      if (Atomics.load(this.#u16, (this.#usedOff + 2) / 2) === usedIdx) break;
    }
    return out;
  }

  #take(out) {
    const v = this.#view;
    const usedIdx = Atomics.load(this.#u16, (this.#usedOff + 2) / 2); // acquire
    const pending = (usedIdx - this.#lastUsed) & 0xffff;
    if (pending > this.inFlight) {
      throw this.#fault(`used index jumped from ${this.#lastUsed} to ${usedIdx} with ${this.inFlight} buffers in flight`);
    }
    for (let k = 0; k < pending; k++) {
      const at = this.#usedOff + USED_HEADER + USED_ELEM_SIZE * ((this.#lastUsed + k) % this.#size);
      const id = v.getUint32(at, true);
      const length = v.getUint32(at + 4, true);
      if (id >= this.#size || this.#tokens[id] === undefined) {
        throw this.#fault(`used element names descriptor ${id}, ${id >= this.#size ? `out of range (queue size ${this.#size})` : 'which is not in flight'}`);
      }
      if (length > this.#writable[id]) {
        throw this.#fault(`used length ${length} is past the ${this.#writable[id]}-byte buffer of descriptor ${id}`);
      }
      out.push({ token: this.#tokens[id], length });
      this.#free(id);
    }
    this.#lastUsed = usedIdx;
    return usedIdx;
  }

  /** Asks the device not to interrupt for this queue (without event index: a hint). */
  set interrupts(on) {
    const flags = (this.#availOff) / 2;
    Atomics.store(this.#u16, flags, on ? 0 : AVAIL_F_NO_INTERRUPT);
    if (!on && this.#eventIdx) this.#noEvent(this.#lastUsed);
  }

  // used_event half the index space ahead of used->idx: no completion reaches it before the
  // next takeUsed moves it again (2.7.10.2).
  #noEvent(usedIdx) {
    Atomics.store(this.#u16, (this.#availOff + AVAIL_HEADER + 2 * this.#size) / 2, (usedIdx + 0x8000) & 0xffff);
  }

  #free(head) {
    const v = this.#view;
    let d = head, n = 1;
    while (v.getUint16(d * DESC_SIZE + 12, true) & DESC_F_NEXT) {
      d = v.getUint16(d * DESC_SIZE + 14, true);
      n++;
    }
    v.setUint16(d * DESC_SIZE + 14, this.#freeHead, true);
    this.#freeHead = head;
    this.#numFree += n;
    this.#tokens[head] = undefined;
  }

  #fault(what) {
    return new VirtioError('ERR_VIRTIO_DEVICE', `${this.#name}: queue ${this.#index}: ${what}`, { device: this.#name, queue: this.#index });
  }
}
