// 16550 UART driver (PC16550D datasheet), interrupt-driven. Needs: 8 ports (COM1 0x3F8) and
// its IRQ line (COM1: 4).

const THR = 0, RBR = 0, DLL = 0, DLM = 1, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5;
const IER_RX = 0x01;       // received data available
const IER_TX = 0x02;       // transmit holding register empty
const LCR_8N1 = 0x03;
const LCR_DLAB = 0x80;
const FCR_ENABLE_CLEAR_14 = 0xc7; // FIFO on, clear both, trigger at 14 bytes
const MCR_DTR_RTS_OUT2 = 0x0b;    // OUT2 gates the interrupt on a PC
const MCR_LOOP = 0x10;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const IIR_NONE = 0x01;
const BASE_CLOCK = 115200;
const FIFO_SIZE = 16;

export class SerialDriver {
  #ports; #irq; #tx = []; #onData = null; #loopback;

  /**
   * @param {PortRange} ports the UART's 8 registers.
   * @param {IrqLine} irq its interrupt line.
   * @param {{ baud?: number, loopback?: boolean }} options loopback: the chip echoes what it sends.
   */
  constructor(ports, irq, { baud = 115200, loopback = false } = {}) {
    if (ports.length !== 8) throw new RangeError(`serial: needs 8 ports, got ${ports.length}`);
    this.#ports = ports;
    this.#irq = irq;
    this.#loopback = loopback;
    this.#setup(baud);
    irq.on(() => this.#interrupt());
  }

  #setup(baud) {
    const divisor = Math.round(BASE_CLOCK / baud);
    if (divisor < 1 || divisor > 0xffff) throw new RangeError(`serial: baud ${baud} is out of range`);
    const p = this.#ports;
    p.write8(IER, 0);
    p.write8(LCR, LCR_DLAB);
    p.write8(DLL, divisor & 0xff);
    p.write8(DLM, divisor >> 8);
    p.write8(LCR, LCR_8N1);
    p.write8(FCR, FCR_ENABLE_CLEAR_14);
    p.write8(MCR, MCR_DTR_RTS_OUT2 | (this.#loopback ? MCR_LOOP : 0));
    while (p.read8(LSR) & LSR_DR) p.read8(RBR); // drop stale input
    p.write8(IER, IER_RX);
  }

  /** Received bytes are passed to fn(Uint8Array). */
  onData(fn) { this.#onData = fn; }

  /** Queues bytes (string or Uint8Array) for sending; the THRE interrupt drains the queue. */
  write(data) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    for (const b of bytes) this.#tx.push(b);
    this.#pump();
  }

  #pump() {
    const p = this.#ports;
    if (!(p.read8(LSR) & LSR_THRE)) return;
    for (let n = 0; n < FIFO_SIZE && this.#tx.length; n++) p.write8(THR, this.#tx.shift());
    p.write8(IER, IER_RX | (this.#tx.length ? IER_TX : 0));
  }

  #interrupt() {
    const p = this.#ports;
    const got = [];
    for (let id = p.read8(IIR); !(id & IIR_NONE); id = p.read8(IIR)) {
      while (p.read8(LSR) & LSR_DR) got.push(p.read8(RBR));
      if ((id & 0x0e) === 0x02) this.#pump();
      if ((id & 0x0e) === 0x06) p.read8(LSR); // line status: reading LSR clears it
      if ((id & 0x0e) === 0x00) p.read8(6);   // modem status: reading MSR clears it
    }
    this.#irq.ack();
    if (got.length && this.#onData) this.#onData(new Uint8Array(got));
  }

  /** Detaches the interrupt and quiets the chip. */
  close() {
    this.#ports.write8(IER, 0);
    this.#irq.off();
  }
}
