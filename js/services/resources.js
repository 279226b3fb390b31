// The resource manager (docs/design.md, "Hardware resources"): holds the root hardware capabilities of the
// app it runs in (init holds everything) and hands each driver only the subranges of its
// device. A capability it hands out can only be narrowed (subrange); the manager refuses
// anything outside what it holds, and anything already claimed by another driver, with an
// error naming the resource and its holder.
//
// Capabilities come from rt.hw (js/internal/hw.js); the native binding checks every
// access again, so this module adds bookkeeping and exclusivity, never authority.
import primordials from '../internal/primordials.js';

const { Error, NumberIsInteger, ObjectFreeze, RangeError } = primordials;


const hex = (n) => `0x${n.toString(16)}`;
const span = (base, len) => `${hex(base)}-${hex(base + len - 1)}`;

function checkSpan(what, base, len) {
  if (!NumberIsInteger(base) || !NumberIsInteger(len) || base < 0 || len <= 0) {
    throw new RangeError(`${what}: base ${base} and length ${len} must be non-negative integers, length > 0`);
  }
}

function within(ranges, base, len) {
  for (const [b, l] of ranges) if (base >= b && base + len <= b + l) return true;
  return false;
}

function overlaps(a, alen, b, blen) {
  return a < b + blen && b < a + alen;
}

/** Claims of one kind (ports, memory, irqs): [base, len, owner]. */
class ClaimTable {
  #what; #claims = [];
  constructor(what) { this.#what = what; }
  claim(base, len, owner) {
    for (const [b, l, o] of this.#claims) {
      if (overlaps(base, len, b, l)) {
        throw new Error(`resources: ${this.#what} ${span(base, len)} overlap ${span(b, l)} held by '${o}'`);
      }
    }
    this.#claims.push([base, len, owner]);
  }
  release(owner) {
    this.#claims = this.#claims.filter((c) => c[2] !== owner);
  }
  list() { return this.#claims.map(([b, l, o]) => [b, l, o]); }
}

/**
 * The resource manager.
 * @param {object} hw the rt.hw object (ports, memory, irq, dma, resources).
 */
export class ResourceManager {
  #hw; #held;
  #ports = new ClaimTable('I/O ports');
  #memory = new ClaimTable('memory');
  #irqs = new ClaimTable('IRQ');

  constructor(hw) {
    this.#hw = hw;
    this.#held = hw.resources();
    ObjectFreeze(this);
  }

  /** What the manager itself holds: { ports, memory, irqs, dma }. */
  held() { return this.#held; }

  /**
   * A port-range capability for `owner`.
   * @throws {RangeError} bad numbers; {Error} outside what is held, or claimed by another owner.
   */
  ports(owner, base, len) {
    checkSpan('resources.ports', base, len);
    if (!within(this.#held.ports, base, len)) {
      throw new Error(`resources: I/O ports ${span(base, len)} for '${owner}' are not held by the resource manager`);
    }
    const cap = this.#hw.ports(base, len); // first: a refusal by the binding claims nothing
    this.#ports.claim(base, len, owner);
    return cap;
  }

  /** A memory-block capability for `owner` (physical [base, base+size)). Same errors as ports(). */
  memory(owner, base, size) {
    checkSpan('resources.memory', base, size);
    if (!within(this.#held.memory, base, size)) {
      throw new Error(`resources: memory ${span(base, size)} for '${owner}' is not held by the resource manager`);
    }
    const cap = this.#hw.memory(base, size);
    this.#memory.claim(base, size, owner);
    return cap;
  }

  /** An IRQ-line capability for `owner`. Same errors as ports(). */
  irq(owner, n) {
    checkSpan('resources.irq', n, 1);
    if (!this.#held.irqs.includes(n)) {
      throw new Error(`resources: IRQ ${n} for '${owner}' is not held by the resource manager`);
    }
    const cap = this.#hw.irq(n);
    this.#irqs.claim(n, 1, owner);
    return cap;
  }

  /** DMA memory for `owner`: { buffer, phys }. */
  dma(owner, size) {
    if (!this.#held.dma) throw new Error(`resources: DMA for '${owner}': the resource manager holds no DMA`);
    return this.#hw.dma(size);
  }

  /**
   * The `resources` option of rt.spawn for a driver app: exactly `want` ({ ports: [[b, l]],
   * memory: [[b, l]], irqs: [n], dma }), claimed for `owner` here first.
   */
  grant(owner, want) {
    const out = { ports: [], memory: [], irqs: [], dma: false };
    for (const [b, l] of want.ports ?? []) { this.#checkHeld('ports', b, l, owner); out.ports.push([b, l]); }
    for (const [b, l] of want.memory ?? []) { this.#checkHeld('memory', b, l, owner); out.memory.push([b, l]); }
    for (const n of want.irqs ?? []) { this.#checkHeld('irqs', n, 1, owner); out.irqs.push(n); }
    for (const [b, l] of out.ports) this.#ports.claim(b, l, owner);
    for (const [b, l] of out.memory) this.#memory.claim(b, l, owner);
    for (const n of out.irqs) this.#irqs.claim(n, 1, owner);
    out.dma = !!want.dma && !!this.#held.dma;
    return out;
  }

  #checkHeld(kind, base, len, owner) {
    checkSpan(`resources.grant ${kind}`, base, len);
    const ok = kind === 'irqs' ? this.#held.irqs.includes(base) : within(this.#held[kind], base, len);
    if (!ok) {
      const name = kind === 'irqs' ? `IRQ ${base}` : `${kind === 'ports' ? 'I/O ports' : 'memory'} ${span(base, len)}`;
      throw new Error(`resources: ${name} for '${owner}' is not held by the resource manager`);
    }
  }

  /** Forgets every claim of `owner` (its driver stopped). */
  release(owner) {
    this.#ports.release(owner);
    this.#memory.release(owner);
    this.#irqs.release(owner);
  }

  /** Who holds what: { ports: [[base, len, owner]], memory: [...], irqs: [[n, 1, owner]] }. */
  claims() {
    return { ports: this.#ports.list(), memory: this.#memory.list(), irqs: this.#irqs.list() };
  }
}
