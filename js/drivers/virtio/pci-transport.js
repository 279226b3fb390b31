// Virtio over PCI, the modern interface (OASIS VIRTIO 1.2, 4.1): the vendor capabilities
// (common, notify, ISR, device configuration) found through the PCI driver, the status
// handshake (3.1.1), feature negotiation, queue set-up and notification, and INTx.
// The capabilities may point into I/O or memory BARs (4.1.4); both are driven.
import { VirtioError } from './errors.js';
import { SplitQueue, queueBytes } from './virtqueue.js';

export const VIRTIO_PCI_VENDOR = 0x1af4;
const MODERN_DEVICE_BASE = 0x1040;     // 4.1.2.1: 0x1040 + device id
const PCI_COMMAND = 0x04;
const COMMAND_IO = 0x1, COMMAND_MEMORY = 0x2, COMMAND_MASTER = 0x4;
const COMMAND_INTX_DISABLE = 0x400;
const CAP_VENDOR = 0x09;
const CAP_CFG_TYPE = 3, CAP_BAR = 4, CAP_OFFSET = 8, CAP_LENGTH = 12, CAP_NOTIFY_MULT = 16;
const CFG_COMMON = 1, CFG_NOTIFY = 2, CFG_ISR = 3, CFG_DEVICE = 4;

// Common configuration (4.1.4.3).
const DFSELECT = 0x00, DF = 0x04, GFSELECT = 0x08, GF = 0x0c, MSIX_CONFIG = 0x10, NUM_QUEUES = 0x12;
const STATUS = 0x14, CONFIG_GENERATION = 0x15, Q_SELECT = 0x16, Q_SIZE = 0x18, Q_MSIX = 0x1a;
const Q_ENABLE = 0x1c, Q_NOTIFY_OFF = 0x1e, Q_DESC = 0x20, Q_DRIVER = 0x28, Q_DEVICE = 0x30;
const NO_VECTOR = 0xffff;

/** Device status bits (2.1). */
export const Status = Object.freeze({
  ACKNOWLEDGE: 1, DRIVER: 2, DRIVER_OK: 4, FEATURES_OK: 8, NEEDS_RESET: 0x40, FAILED: 0x80,
});
/** Feature bits every device may offer (6). */
export const Feature = Object.freeze({ INDIRECT_DESC: 28, RING_EVENT_IDX: 29, VERSION_1: 32 });

const ISR_QUEUE = 0x1, ISR_CONFIG = 0x2;
// MSI-X (PCI 3.0, 6.8.2): capability id, Message Control, Table offset/BIR; table entries.
const CAP_MSIX = 0x11;
const MSIX_CONTROL = 2, MSIX_TABLE = 4;
const MSIX_ENABLE = 0x8000, MSIX_FUNCTION_MASK = 0x4000, MSIX_SIZE_MASK = 0x7ff, MSIX_BIR_MASK = 0x7;
const MSIX_ENTRY = 16, ENTRY_ADDR_LO = 0, ENTRY_ADDR_HI = 4, ENTRY_DATA = 8, ENTRY_CONTROL = 12;
const CONFIG_VECTOR = 0;   // table entry for configuration changes; queue n uses entry 1 + n
const RESET_POLLS = 1000;   // reads of device_status waiting for a reset to finish (4.1.4.3.2)
const TWO_32 = 2 ** 32;

/**
 * Registers behind a capability: an I/O port range or device memory, same methods.
 * Device memory is read and written through typed arrays, never a DataView: V8's DataView
 * builtins may assemble a 32-bit access from single bytes, and a device register must see
 * one access of its own width. Registers are naturally aligned (4.1.3.1), so the typed
 * arrays' indices are exact; x86 is little-endian, as virtio's registers are.
 */
class Window {
  #ports; #u8; #u16; #u32;
  constructor(bar, offset, length) {
    if (offset + length > bar.size) throw new RangeError(`window ${offset}+${length} outside a ${bar.size}-byte BAR`);
    if (bar.type === 'io') {
      this.#ports = rt.hw.ports(bar.address + offset, length);
      return;
    }
    const buffer = rt.hw.memory(bar.address + offset, length).buffer;
    this.#u8 = new Uint8Array(buffer);
    this.#u16 = new Uint16Array(buffer, 0, length >> 1);
    this.#u32 = new Uint32Array(buffer, 0, length >> 2);
  }
  read8(o) { return this.#ports ? this.#ports.read8(o) : this.#u8[o]; }
  read16(o) { return this.#ports ? this.#ports.read16(o) : this.#u16[o >> 1]; }
  read32(o) { return this.#ports ? this.#ports.read32(o) >>> 0 : this.#u32[o >> 2]; }
  write8(o, v) { if (this.#ports) this.#ports.write8(o, v); else this.#u8[o] = v; }
  write16(o, v) { if (this.#ports) this.#ports.write16(o, v); else this.#u16[o >> 1] = v; }
  write32(o, v) { if (this.#ports) this.#ports.write32(o, v); else this.#u32[o >> 2] = v >>> 0; }
}

/** Is this PCI function a modern virtio device (and which: its virtio device id)? */
export function virtioDeviceId(info) {
  if (info.vendorId !== VIRTIO_PCI_VENDOR || info.deviceId < MODERN_DEVICE_BASE || info.deviceId > 0x107f) return -1;
  return info.deviceId - MODERN_DEVICE_BASE;
}

export class VirtioPciTransport {
  #pci; #info; #name;
  #common; #isr; #device; #notify = new Map(); #notifyBar; #notifyOffset = 0; #notifyMult = 0;
  #features = 0n;
  #queues = [];
  #irq = null; #interrupts = 0;
  #msix = null;          // { table: Window, cap, vectors: Map(index -> msi) } once MSI-X is on
  #handlers = null;

  /**
   * @param {PciBus} pci the bus the function sits on (configuration access).
   * @param {object} info the function as PciBus.describe() returned it.
   * @param {string} name the device's name in errors and logs (e.g. 'virtio-net 00:04.0').
   * Needs: the BARs' ports or memory, DMA, and the function's IRQ line.
   * @throws {VirtioError} ERR_VIRTIO_DEVICE if a required capability is missing.
   */
  constructor(pci, info, name) {
    this.#pci = pci;
    this.#info = info;
    this.#name = name;
    this.#findCapabilities();
    const cmd = this.#cfg(PCI_COMMAND, 2);
    this.#cfgWrite(PCI_COMMAND, (cmd | COMMAND_IO | COMMAND_MEMORY | COMMAND_MASTER) & ~COMMAND_INTX_DISABLE, 2);
  }

  get name() { return this.#name; }
  get pciFunction() { return this.#info; }

  #cfg(reg, width = 4) {
    const i = this.#info;
    return this.#pci.read(i.bus, i.device, i.function, reg, width);
  }
  #cfgWrite(reg, value, width = 4) {
    const i = this.#info;
    this.#pci.write(i.bus, i.device, i.function, reg, value, width);
  }

  #fail(code, what, extra = {}) {
    return new VirtioError(code, `${this.#name}: ${what}`, { device: this.#name, ...extra });
  }

  // 4.1.4: each virtio_pci_cap names a BAR, an offset and a length. The first of each type
  // is the one to use (4.1.4.1: the driver uses the first it can).
  #findCapabilities() {
    const windows = {};
    for (const cap of this.#info.capabilities) {
      if (cap.id !== CAP_VENDOR) continue;
      const type = this.#cfg(cap.offset + CAP_CFG_TYPE, 1);
      if (windows[type] || type < CFG_COMMON || type > CFG_DEVICE) continue;
      const barIndex = this.#cfg(cap.offset + CAP_BAR, 1);
      const bar = this.#info.bars.find((b) => b.index === barIndex);
      if (!bar) throw this.#fail('ERR_VIRTIO_DEVICE', `capability type ${type} points at BAR${barIndex}, which is not implemented`);
      const offset = this.#cfg(cap.offset + CAP_OFFSET);
      const length = this.#cfg(cap.offset + CAP_LENGTH);
      if (bar.address === 0) throw this.#fail('ERR_VIRTIO_DEVICE', `BAR${barIndex} has no address assigned`);
      windows[type] = { bar, offset, length, cap: cap.offset };
    }
    for (const [type, what] of [[CFG_COMMON, 'common configuration'], [CFG_NOTIFY, 'notification'], [CFG_ISR, 'ISR status']]) {
      if (!windows[type]) throw this.#fail('ERR_VIRTIO_DEVICE', `no ${what} capability (is this a modern virtio 1.x device?)`);
    }
    const w = (t, min) => new Window(windows[t].bar, windows[t].offset, Math.max(min, Math.min(windows[t].length, 4096)));
    this.#common = w(CFG_COMMON, 0x38);
    this.#isr = w(CFG_ISR, 1);
    if (windows[CFG_DEVICE]) this.#device = w(CFG_DEVICE, 1);
    const n = windows[CFG_NOTIFY];
    this.#notifyBar = n.bar;
    this.#notifyOffset = n.offset;
    this.#notifyMult = this.#cfg(n.cap + CAP_NOTIFY_MULT);
  }

  // ---- status -------------------------------------------------------------------------

  get status() { return this.#common.read8(STATUS); }
  #addStatus(bit) { this.#common.write8(STATUS, this.status | bit); }

  /** Resets the device (status 0) and waits until it reads back 0. */
  reset() {
    this.#common.write8(STATUS, 0);
    for (let i = 0; i < RESET_POLLS; i++) if (this.status === 0) return this.#forgetQueues();
    throw this.#fail('ERR_VIRTIO_RESET', 'did not reset (device status never read back 0)');
  }

  #forgetQueues() {
    this.#queues = [];
    this.#notify.clear();
  }

  /**
   * Reset, ACKNOWLEDGE, DRIVER, then feature negotiation (3.1.1 steps 1-6).
   * @param {{ required?: number[], wanted?: number[] }} features bit numbers.
   * @returns {Set<number>} the negotiated bits.
   * @throws {VirtioError} ERR_VIRTIO_FEATURE naming the feature that is required and not offered,
   *   or saying that the device did not accept the set (FEATURES_OK did not stick).
   */
  negotiate({ required = [], wanted = [] }, names = {}) {
    this.reset();
    this.#addStatus(Status.ACKNOWLEDGE);
    this.#addStatus(Status.DRIVER);
    const offered = this.#readFeatures();
    const all = [Feature.VERSION_1, ...required];
    for (const bit of all) {
      if (!(offered >> BigInt(bit) & 1n)) {
        this.#addStatus(Status.FAILED);
        const fname = names[bit] ?? featureName(bit);
        throw this.#fail('ERR_VIRTIO_FEATURE', `required feature ${fname} (bit ${bit}) is not offered`, { feature: fname });
      }
    }
    let take = 0n;
    for (const bit of [...all, ...wanted]) if (offered >> BigInt(bit) & 1n) take |= 1n << BigInt(bit);
    this.#writeFeatures(take);
    this.#addStatus(Status.FEATURES_OK);
    if (!(this.status & Status.FEATURES_OK)) {
      this.#addStatus(Status.FAILED);
      throw this.#fail('ERR_VIRTIO_FEATURE', `refused the feature set 0x${take.toString(16)} (FEATURES_OK did not stick)`, { feature: `0x${take.toString(16)}` });
    }
    this.#features = take;
    const set = new Set();
    for (let b = 0; b < 64; b++) if (take >> BigInt(b) & 1n) set.add(b);
    return set;
  }

  has(bit) { return !!(this.#features >> BigInt(bit) & 1n); }

  #readFeatures() {
    let f = 0n;
    for (let sel = 0; sel < 2; sel++) {
      this.#common.write32(DFSELECT, sel);
      f |= BigInt(this.#common.read32(DF)) << BigInt(32 * sel);
    }
    return f;
  }

  #writeFeatures(f) {
    for (let sel = 0; sel < 2; sel++) {
      this.#common.write32(GFSELECT, sel);
      this.#common.write32(GF, Number((f >> BigInt(32 * sel)) & 0xffffffffn));
    }
  }

  /** Step 8 of 3.1.1: the driver is ready; the device may use the queues. */
  driverOk() {
    if (this.#msix) this.#route(CONFIG_VECTOR, MSIX_CONFIG, 'configuration');
    this.#addStatus(Status.DRIVER_OK);
  }

  /** Tells the device the driver gave up on it (status FAILED). */
  fail() { this.#addStatus(Status.FAILED); }

  // ---- queues -------------------------------------------------------------------------

  get numQueues() { return this.#common.read16(NUM_QUEUES); }

  /**
   * Sets up queue `index` with up to `maxSize` entries in fresh DMA memory (4.1.5.1.3).
   * @returns {SplitQueue}
   */
  setupQueue(index, maxSize = 256) {
    const c = this.#common;
    c.write16(Q_SELECT, index);
    const deviceMax = c.read16(Q_SIZE);
    if (deviceMax === 0) throw this.#fail('ERR_VIRTIO_DEVICE', `has no queue ${index}`, { queue: index });
    if (c.read16(Q_ENABLE)) throw this.#fail('ERR_VIRTIO_DEVICE', `queue ${index} is already enabled after reset`, { queue: index });
    let size = 1;
    while (size * 2 <= Math.min(deviceMax, maxSize)) size *= 2;
    const dma = rt.hw.dma(queueBytes(size));
    const q = new SplitQueue(dma, size, { device: this.#name, index, eventIdx: this.has(Feature.RING_EVENT_IDX) });
    c.write16(Q_SIZE, size);
    c.write16(Q_MSIX, NO_VECTOR);
    const { desc, driver, device } = q.addresses;
    this.#write64(Q_DESC, desc);
    this.#write64(Q_DRIVER, driver);
    this.#write64(Q_DEVICE, device);
    if (this.#msix) this.#route(1 + index, Q_MSIX, `queue ${index}`);
    const off = c.read16(Q_NOTIFY_OFF) * this.#notifyMult;
    this.#notify.set(index, new Window(this.#notifyBar, this.#notifyOffset + off, 2));
    c.write16(Q_ENABLE, 1);
    this.#queues[index] = q;
    return q;
  }

  #write64(reg, value) {
    this.#common.write32(reg, value % TWO_32);
    this.#common.write32(reg + 4, Math.floor(value / TWO_32));
  }

  /** Publishes what was added to q and notifies the device if it asked to be (4.1.5.2). */
  kick(q) {
    if (!q.publish()) return false;
    this.#notify.get(q.index).write16(0, q.index);
    this.#notifications++;
    return true;
  }
  /** Notifications written to the device (each an exit to the hypervisor). */
  get notifications() { return this.#notifications; }
  #notifications = 0;

  /** Bytes of device-specific configuration (read, generation-checked by the caller). */
  get config() {
    if (!this.#device) throw this.#fail('ERR_VIRTIO_DEVICE', 'has no device configuration capability');
    return this.#device;
  }
  get configGeneration() { return this.#common.read8(CONFIG_GENERATION); }

  /**
   * Reads the device configuration consistently (4.1.4.3.1: retry while the generation moves).
   * @param {(cfg: Window) => T} fn
   * @returns {T}
   */
  readConfig(fn) {
    for (;;) {
      const before = this.configGeneration;
      const value = fn(this.config);
      if (this.configGeneration === before) return value;
    }
  }

  // ---- interrupts ---------------------------------------------------------------------

  /**
   * Delivers the device's interrupts to onQueues() and onConfig(). Call it before the queues
   * are set up. With { msix: true } (the default) and an MSI-X capability, every queue gets
   * a vector of its own and configuration changes another, each routed to this app's CPU
   * (rt.hw.msi); otherwise, or when the platform has no vectors, INTx on the PCI line.
   *
   * INTx: reading the ISR status de-asserts the line (4.1.4.5). The platform keeps the line
   * masked until it is acked; after the ack the ISR is read once more and the queues looked
   * at again: what completed while the line was masked is taken now, and the line is low, so
   * the next completion raises it afresh (an edge-triggered route loses nothing either).
   */
  listen({ onQueues, onConfig }, { msix = true } = {}) {
    this.#handlers = { onQueues, onConfig };
    if (msix && this.#enableMsix()) return;
    const line = this.#info.interruptLine;
    if (!this.#info.interruptPin || line === 0xff) throw this.#fail('ERR_VIRTIO_DEVICE', 'has no INTx line routed');
    this.#irq = rt.hw.irq(line);
    this.#irq.on(() => {
      this.#interrupts++;
      const isr = this.#isr.read8(0);
      try {
        if (isr & ISR_CONFIG) onConfig();
        if (isr & ISR_QUEUE) onQueues();
      } finally {
        this.#irq.ack();
      }
      if (this.#isr.read8(0) & ISR_CONFIG) onConfig();
      onQueues();
    });
  }

  // MSI-X on: the table mapped, Message Control's enable set (INTx is then off, 6.8.2.3).
  #enableMsix() {
    const cap = this.#info.capabilities.find((c) => c.id === CAP_MSIX);
    if (!cap) return false;
    const control = this.#cfg(cap.offset + MSIX_CONTROL, 2);
    const tableReg = this.#cfg(cap.offset + MSIX_TABLE);
    const bar = this.#info.bars.find((b) => b.index === (tableReg & MSIX_BIR_MASK));
    const entries = (control & MSIX_SIZE_MASK) + 1;
    if (!bar || bar.type === 'io') throw this.#fail('ERR_VIRTIO_DEVICE', `MSI-X table in BAR${tableReg & MSIX_BIR_MASK}, which is not a memory BAR`);
    const table = new Window(bar, (tableReg & ~MSIX_BIR_MASK) >>> 0, entries * MSIX_ENTRY);
    this.#msix = { table, entries, cap: cap.offset, vectors: new Map() };
    this.#cfgWrite(cap.offset + MSIX_CONTROL, (control | MSIX_ENABLE) & ~MSIX_FUNCTION_MASK, 2);
    return true;
  }

  // Table entry `entry` gets a vector of this app (allocated once, kept across resets) and the
  // device register `reg` (config or the selected queue's vector) names it; the device says
  // no by reading back NO_VECTOR (4.1.4.3: it may fail to allocate).
  #route(entry, reg, what) {
    const m = this.#msix;
    if (entry >= m.entries) throw this.#fail('ERR_VIRTIO_DEVICE', `MSI-X table has ${m.entries} entries, none left for the ${what}`);
    let v = m.vectors.get(entry);
    if (!v) {
      v = rt.hw.msi();
      const isConfig = entry === CONFIG_VECTOR;
      v.line.on(() => {
        this.#interrupts++;
        try {
          if (isConfig) this.#handlers.onConfig();
          else this.#handlers.onQueues();
        } finally {
          v.line.ack();
        }
      });
      m.vectors.set(entry, v);
      const at = entry * MSIX_ENTRY;
      m.table.write32(at + ENTRY_ADDR_LO, v.address % TWO_32);
      m.table.write32(at + ENTRY_ADDR_HI, Math.floor(v.address / TWO_32));
      m.table.write32(at + ENTRY_DATA, v.data);
      m.table.write32(at + ENTRY_CONTROL, 0); // unmasked
    }
    this.#common.write16(reg, entry);
    if (this.#common.read16(reg) !== entry) {
      throw this.#fail('ERR_VIRTIO_DEVICE', `refused MSI-X vector ${entry} for the ${what}`);
    }
  }

  /** How interrupts arrive and how many did: { mode: 'intx', line, count } or
   *  { mode: 'msix', vectors, count }. */
  get interrupts() {
    if (this.#msix) return { mode: 'msix', vectors: this.#msix.vectors.size, count: this.#interrupts };
    return { mode: 'intx', line: this.#info.interruptLine, count: this.#interrupts };
  }

  /** Stops interrupts, resets the device and gives its MSI-X vectors back (after the reset,
   *  so that the device no longer writes them); its queues' memory is left to the collector. */
  close() {
    if (this.#irq) this.#irq.off();
    this.#irq = null;
    if (this.#msix) for (const v of this.#msix.vectors.values()) v.line.off();
    try {
      this.reset();
    } finally {
      if (this.#msix) {
        for (const v of this.#msix.vectors.values()) v.free();
        this.#msix.vectors.clear();
      }
    }
  }
}

export function featureName(bit) {
  return { 28: 'VIRTIO_F_INDIRECT_DESC', 29: 'VIRTIO_F_RING_EVENT_IDX', 32: 'VIRTIO_F_VERSION_1' }[bit] ?? `feature ${bit}`;
}
