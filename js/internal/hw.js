// Hardware capabilities (docs/design.md, "Hardware resources"): the objects a driver touches its device
// through. An app can only make them for resources it holds (granted by its parent at
// spawn, see rt.spawn's `resources`), and the native binding checks every access again,
// so a capability can be narrowed (subrange) but never forged or widened.
import binding from 'rtjs:binding';
import primordials from './primordials.js';

const {
  DataView, Map, NumberIsInteger, ObjectFreeze, RangeError, TypeError, Uint8Array,
} = primordials;

const { portIn, portOut, physMap, dmaAlloc, msiAlloc, msiFree, entropyAdd, irqAttach, irqAck, irqDetach, framebuffer: describeFramebuffer } = binding;

const hex = (n) => `0x${n.toString(16)}`;

function checkRange(what, base, length, limit) {
  if (!NumberIsInteger(base) || !NumberIsInteger(length) || base < 0 || length <= 0 || base + length > limit) {
    throw new RangeError(`${what}: base ${base} and length ${length} must be integers within 0..${hex(limit)}`);
  }
}

/** A range of I/O ports [base, base+length). Offsets are relative to base. */
class PortRange {
  #base; #length;
  constructor(base, length) {
    checkRange('ports', base, length, 0x10000);
    this.#base = base;
    this.#length = length;
    ObjectFreeze(this);
  }
  get base() { return this.#base; }
  get length() { return this.#length; }
  #port(offset, width) {
    if (!NumberIsInteger(offset) || offset < 0 || offset + width > this.#length) {
      throw new RangeError(`port offset ${offset} (+${width}) is outside I/O ports ${hex(this.#base)}-${hex(this.#base + this.#length - 1)}`);
    }
    return this.#base + offset;
  }
  read8(offset) { return portIn(this.#port(offset, 1), 1); }
  read16(offset) { return portIn(this.#port(offset, 2), 2); }
  read32(offset) { return portIn(this.#port(offset, 4), 4); }
  write8(offset, value) { portOut(this.#port(offset, 1), 1, value & 0xff); }
  write16(offset, value) { portOut(this.#port(offset, 2), 2, value & 0xffff); }
  write32(offset, value) { portOut(this.#port(offset, 4), 4, value >>> 0); }
  /** A narrower capability: [base+offset, base+offset+length). */
  subrange(offset, length) {
    this.#port(offset, length);
    return new PortRange(this.#base + offset, length);
  }
}

/** Physical memory (device registers, or RAM such as the VGA text buffer) seen directly. */
class MemoryBlock {
  #base; #size; #buffer;
  constructor(base, size, buffer) {
    this.#base = base;
    this.#size = size;
    this.#buffer = buffer ?? physMap(base, size);
    this.u8 = new Uint8Array(this.#buffer);
    this.view = new DataView(this.#buffer);
    ObjectFreeze(this);
  }
  get base() { return this.#base; }
  get size() { return this.#size; }
  get buffer() { return this.#buffer; }
  subrange(offset, size) {
    if (!NumberIsInteger(offset) || !NumberIsInteger(size) || offset < 0 || size <= 0 || offset + size > this.#size) {
      throw new RangeError(`memory subrange ${offset}+${size} is outside ${hex(this.#base)}-${hex(this.#base + this.#size - 1)}`);
    }
    return new MemoryBlock(this.#base + offset, size);
  }
}

const irqHandlers = new Map();

/** An interrupt line. on(handler) attaches; the line stays masked until ack(). */
class IrqLine {
  #irq;
  constructor(irq) {
    if (!NumberIsInteger(irq) || irq < 0 || irq > 0xffffffff) throw new RangeError(`IRQ ${irq} is not an IRQ number`);
    this.#irq = irq;
    ObjectFreeze(this);
  }
  get number() { return this.#irq; }
  on(handler) {
    if (typeof handler !== 'function') throw new TypeError('IrqLine.on(handler): handler must be a function');
    if (irqHandlers.has(this.#irq)) throw new Error(`IRQ ${this.#irq} already has a handler in this app`);
    irqAttach(this.#irq);
    irqHandlers.set(this.#irq, handler);
  }
  ack() { irqAck(this.#irq); }
  off() {
    if (irqHandlers.delete(this.#irq)) irqDetach(this.#irq);
  }
}

/** Called by the engine when an attached IRQ fires. */
export function onIrq(irq) {
  const handler = irqHandlers.get(irq);
  if (handler) handler(irq);
}

// The hw permissions (js/services/access/) of an app whose grant is limited: a layer over the
// native resource checks, which stay the enforcement of what the app was given.
function permitted(kind, base, length) {
  if (binding.permissionsOf(binding.appId) === '') return;
  binding.importSync('rtjs:services/access/broker.js').check(binding.appId, kind, [base, length]);
}

export const hw = ObjectFreeze({
  /** I/O ports [base, base+length). Needs them granted. */
  ports: (base, length) => {
    permitted('hw.ports', base, length);
    return new PortRange(base, length);
  },
  /** Physical memory [base, base+size), mapped. Needs it granted. */
  memory: (base, size) => {
    checkRange('memory', base, size, 2 ** 52);
    permitted('hw.memory', base, size);
    return new MemoryBlock(base, size);
  },
  /** An IRQ line. Needs it granted. */
  irq: (n) => {
    permitted('hw.irqs', n, 1);
    return new IrqLine(n);
  },
  /** Zeroed, physically contiguous memory for a device: { buffer, phys }. Needs `dma`. */
  dma: (size) => ObjectFreeze(dmaAlloc(size)),
  /** A message-signalled interrupt (MSI/MSI-X) routed to this app's CPU: { line, address,
   *  data, free() }; a device writing data to address fires line (an IrqLine). free() gives
   *  the vector back (the app's end does too). Needs `dma`. */
  msi: () => {
    const { irq, address, data } = msiAlloc();
    const line = new IrqLine(irq);
    const free = () => {
      irqHandlers.delete(irq);
      msiFree(irq);
    };
    return ObjectFreeze({ line, address, data, free });
  },
  /** Mixes a hardware random source's bytes (a TypedArray) into the machine's generator,
   *  the one crypto.getRandomValues and node:crypto draw from. Needs `dma`. */
  addEntropy: (bytes) => entropyAdd(bytes),
  /** The machine's linear framebuffer, or null when it has none (VGA text mode): a frozen
   *  { base, size, pitch, width, height, bpp, red, green, blue } with each colour a
   *  [shift, bits] pair of the little-endian pixel value; map it with memory(base, size).
   *  Needs its memory granted. */
  framebuffer: () => {
    const fb = describeFramebuffer();
    if (fb === null) return null;
    ObjectFreeze(fb.red);
    ObjectFreeze(fb.green);
    ObjectFreeze(fb.blue);
    return ObjectFreeze(fb);
  },
  /** What this app holds: { ports, memory, irqs, dma }. */
  resources: () => binding.resources(),
});
