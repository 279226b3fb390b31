// virtio-rng (OASIS VIRTIO 1.2, 5.4): the device fills the buffers the driver queues with
// random bytes. One request queue, no configuration, no device features.
const REQUESTQ = 0;
const MAX_REQUEST = 4096;

export class VirtioRng {
  #t; #q; #dma; #waiting = [];

  /** @param {VirtioPciTransport} transport of a virtio-rng function. */
  constructor(transport, { queueSize = 8, msix = true } = {}) {
    this.#t = transport;
    transport.listen({ onQueues: () => this.#poll(), onConfig: () => {} }, { msix });
    transport.negotiate({});
    this.#q = transport.setupQueue(REQUESTQ, queueSize);
    this.#dma = rt.hw.dma(this.#q.size * MAX_REQUEST);
    transport.driverOk();
  }

  /** How the device interrupts: { mode, count, ... } (the transport's). */
  get interrupts() { return this.#t.interrupts; }

  /**
   * Random bytes from the device.
   * @param {number} length 1 to 4096.
   * @returns {Promise<Uint8Array>} may hold fewer bytes than asked if the device gave fewer.
   */
  read(length) {
    if (!Number.isInteger(length) || length < 1 || length > MAX_REQUEST) {
      return Promise.reject(new RangeError(`${this.#t.name}: read(length) takes 1 to ${MAX_REQUEST}, got ${length}`));
    }
    return new Promise((resolve, reject) => {
      const slot = this.#freeSlot();
      if (slot < 0) return reject(new Error(`${this.#t.name}: ${this.#q.size} requests already in flight`));
      const request = { slot, resolve, reject };
      this.#waiting[slot] = request;
      this.#q.add([{ phys: this.#dma.phys + slot * MAX_REQUEST, length, write: true }], request);
      this.#t.kick(this.#q);
    });
  }

  #freeSlot() {
    for (let i = 0; i < this.#q.size; i++) if (!this.#waiting[i]) return i;
    return -1;
  }

  #poll() {
    if (!this.#q) return;
    let done;
    try {
      done = this.#q.takeUsed();
    } catch (e) {
      for (const r of this.#waiting) if (r) r.reject(e);
      this.#waiting = [];
      this.#t.fail();
      return;
    }
    for (const { token, length } of done) {
      this.#waiting[token.slot] = undefined;
      token.resolve(new Uint8Array(this.#dma.buffer.slice(token.slot * MAX_REQUEST, token.slot * MAX_REQUEST + length)));
    }
  }

  close() { this.#t.close(); }
}
