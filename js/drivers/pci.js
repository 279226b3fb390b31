// PCI enumeration over configuration mechanism #1 (PCI Local Bus Specification 3.0,
// 3.2.2.3.2; header layout 6.1; BARs 6.2.5.1; capabilities 6.7). Needs: ports 0xCF8-0xCFF.

const ADDRESS = 0, DATA = 4;
const ENABLE = 0x80000000;
const VENDOR_NONE = 0xffff;
const HEADER_TYPE = 0x0e;
const MULTIFUNCTION = 0x80;
const HEADER_BRIDGE = 0x01;
const SECONDARY_BUS = 0x19;
const COMMAND = 0x04;
const STATUS = 0x06;
const STATUS_CAP_LIST = 0x10;
const CAP_POINTER = 0x34;
const BAR0 = 0x10;
const BAR_IO = 0x1;
const BAR_MEM_TYPE_MASK = 0x6;
const BAR_MEM_64 = 0x4;
const BAR_PREFETCH = 0x8;
const COMMAND_DECODE = 0x3; // I/O and memory space enables
const MAX_CAPS = 48;        // (256 - 64) / 4: a loop guard against malformed lists

export class PciBus {
  #ports;
  /** @param {PortRange} ports 0xCF8-0xCFF. */
  constructor(ports) {
    if (ports.length !== 8) throw new RangeError(`pci: needs ports 0xCF8-0xCFF, got a range of ${ports.length}`);
    this.#ports = ports;
  }

  #select(bus, dev, fn, reg) {
    this.#ports.write32(ADDRESS, (ENABLE | (bus << 16) | (dev << 11) | (fn << 8) | (reg & 0xfc)) >>> 0);
  }

  /** Configuration-space read of 1, 2 or 4 bytes at `reg`. */
  read(bus, dev, fn, reg, width = 4) {
    this.#select(bus, dev, fn, reg);
    const off = DATA + (reg & 3);
    return width === 1 ? this.#ports.read8(off) : width === 2 ? this.#ports.read16(off) : this.#ports.read32(off) >>> 0;
  }

  write(bus, dev, fn, reg, value, width = 4) {
    this.#select(bus, dev, fn, reg);
    const off = DATA + (reg & 3);
    if (width === 1) this.#ports.write8(off, value);
    else if (width === 2) this.#ports.write16(off, value);
    else this.#ports.write32(off, value);
  }

  /** Every present function, following PCI-to-PCI bridges: [{ bus, device, function, ... }]. */
  enumerate() {
    const found = [];
    this.#scanBus(0, found, new Set());
    return found;
  }

  #scanBus(bus, found, seen) {
    if (seen.has(bus)) return;
    seen.add(bus);
    for (let dev = 0; dev < 32; dev++) {
      if ((this.read(bus, dev, 0, 0, 2)) === VENDOR_NONE) continue;
      const multi = this.read(bus, dev, 0, HEADER_TYPE, 1) & MULTIFUNCTION;
      for (let fn = 0; fn < (multi ? 8 : 1); fn++) {
        if (this.read(bus, dev, fn, 0, 2) === VENDOR_NONE) continue;
        const info = this.describe(bus, dev, fn);
        found.push(info);
        if ((info.headerType & 0x7f) === HEADER_BRIDGE) this.#scanBus(this.read(bus, dev, fn, SECONDARY_BUS, 1), found, seen);
      }
    }
  }

  /** Identity, class, BARs, capabilities and interrupt of one function. */
  describe(bus, dev, fn) {
    const id = this.read(bus, dev, fn, 0);
    const classReg = this.read(bus, dev, fn, 0x08);
    const headerType = this.read(bus, dev, fn, HEADER_TYPE, 1);
    const intr = this.read(bus, dev, fn, 0x3c, 2);
    return {
      bus, device: dev, function: fn,
      vendorId: id & 0xffff, deviceId: id >>> 16,
      classCode: classReg >>> 24, subclass: (classReg >>> 16) & 0xff, progIf: (classReg >>> 8) & 0xff,
      revision: classReg & 0xff, headerType,
      bars: (headerType & 0x7f) === 0 ? this.#bars(bus, dev, fn) : [],
      capabilities: this.#capabilities(bus, dev, fn),
      interruptLine: intr & 0xff, interruptPin: intr >> 8,
    };
  }

  // Sizing: with decoding off, write all ones, read back the mask, restore (6.2.5.1).
  #bars(bus, dev, fn) {
    const bars = [];
    const command = this.read(bus, dev, fn, COMMAND, 2);
    this.write(bus, dev, fn, COMMAND, command & ~COMMAND_DECODE, 2);
    for (let i = 0; i < 6; i++) {
      const reg = BAR0 + 4 * i;
      const orig = this.read(bus, dev, fn, reg);
      this.write(bus, dev, fn, reg, 0xffffffff);
      const mask = this.read(bus, dev, fn, reg);
      this.write(bus, dev, fn, reg, orig);
      if (mask === 0) continue;
      if (orig & BAR_IO) {
        const m = (mask & 0xfffffffc) | 0xffff0000;
        bars.push({ index: i, type: 'io', address: orig & 0xfffffffc, size: (~m >>> 0) + 1 });
        continue;
      }
      let address = (orig & 0xfffffff0) >>> 0; // unsigned: BARs sit high in the 32-bit space
      let size = (~(mask & 0xfffffff0) >>> 0) + 1;
      const is64 = (orig & BAR_MEM_TYPE_MASK) === BAR_MEM_64;
      if (is64) {
        const hiReg = reg + 4;
        const hiOrig = this.read(bus, dev, fn, hiReg);
        this.write(bus, dev, fn, hiReg, 0xffffffff);
        const hiMask = this.read(bus, dev, fn, hiReg);
        this.write(bus, dev, fn, hiReg, hiOrig);
        address += hiOrig * 2 ** 32;
        const full = BigInt(hiMask) << 32n | BigInt(mask & 0xfffffff0);
        size = Number(((~full) & 0xffffffffffffffffn) + 1n);
      }
      bars.push({ index: i, type: is64 ? 'mem64' : 'mem32', address, size, prefetchable: !!(orig & BAR_PREFETCH) });
      if (is64) i++;
    }
    this.write(bus, dev, fn, COMMAND, command, 2);
    return bars;
  }

  #capabilities(bus, dev, fn) {
    const caps = [];
    if (!(this.read(bus, dev, fn, STATUS, 2) & STATUS_CAP_LIST)) return caps;
    let off = this.read(bus, dev, fn, CAP_POINTER, 1) & 0xfc;
    for (let n = 0; off && n < MAX_CAPS; n++) {
      caps.push({ id: this.read(bus, dev, fn, off, 1), offset: off });
      off = this.read(bus, dev, fn, off + 1, 1) & 0xfc;
    }
    return caps;
  }
}

/**
 * Picks the driver for each device: a table entry matches by { vendorId, deviceId } or by
 * { classCode, subclass } (undefined fields match anything).
 * @returns {Array<{ device, driver }>}
 */
export function matchDrivers(devices, table) {
  const out = [];
  for (const d of devices) {
    const entry = table.find((e) => ['vendorId', 'deviceId', 'classCode', 'subclass', 'progIf']
      .every((k) => e[k] === undefined || e[k] === d[k]));
    if (entry) out.push({ device: d, driver: entry.driver });
  }
  return out;
}

/** What an app driving PCI function `fn` (as enumerate/describe give it) must hold: the
 *  configuration ports, the function's BARs, its INTx line, and DMA (MSI vectors need it too). */
export function pciFunctionResources(fn) {
  const ports = [[0xcf8, 8]];
  const memory = [];
  for (const b of fn.bars) (b.type === 'io' ? ports : memory).push([b.address, b.size]);
  return { ports, memory, irqs: fn.interruptPin ? [fn.interruptLine] : [], dma: true };
}
