// PS/2 keyboard driver: the 8042 controller (ports 0x60, 0x64; OSDev "8042 PS/2 Controller")
// and a keyboard sending scancode set 1 (the controller translates), US layout.
// Needs: ports 0x60-0x64 (or 0x60 and 0x64 as two ranges) and IRQ 1.

const STATUS_OBF = 0x01;
const STATUS_IBF = 0x02;
const CMD_READ_CONFIG = 0x20;
const CMD_WRITE_CONFIG = 0x60;
const CMD_DISABLE_AUX = 0xa7;
const CMD_SELF_TEST = 0xaa;
const CMD_DISABLE_KBD = 0xad;
const CMD_ENABLE_KBD = 0xae;
const CONFIG_KBD_INT = 0x01;
const CONFIG_KBD_CLOCK_OFF = 0x10; // set by CMD_DISABLE_KBD: must not be written back
const CONFIG_XLATE = 0x40;
const SELF_TEST_OK = 0x55;
const KBD_ENABLE_SCANNING = 0xf4;
const KBD_SET_LEDS = 0xed;
const KBD_ACK = 0xfa;
const PREFIX_E0 = 0xe0;
const PREFIX_E1 = 0xe1; // Pause: E1 1D 45 E1 9D C5, two 3-byte sequences with no break
const BREAK = 0x80;
const POLL_LIMIT = 100000;

// Set 1 make code -> [key name, unshifted, shifted] (OSDev "PS/2 Keyboard", scan code set 1).
const ROW = (codes, plain, shifted) => codes.map((c, i) => [c, plain[i], shifted[i]]);
const TYPING = [
  ...ROW([0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d], '1234567890-=', '!@#$%^&*()_+'),
  ...ROW([0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b], 'qwertyuiop[]', 'QWERTYUIOP{}'),
  ...ROW([0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29], "asdfghjkl;'`", 'ASDFGHJKL:"~'),
  ...ROW([0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35], '\\zxcvbnm,./', '|ZXCVBNM<>?'),
  [0x39, ' ', ' '],
];
const NAMED = new Map([
  [0x01, 'Escape'], [0x0e, 'Backspace'], [0x0f, 'Tab'], [0x1c, 'Enter'], [0x1d, 'Control'],
  [0x2a, 'Shift'], [0x36, 'Shift'], [0x38, 'Alt'], [0x3a, 'CapsLock'], [0x45, 'NumLock'], [0x46, 'ScrollLock'],
  [0x3b, 'F1'], [0x3c, 'F2'], [0x3d, 'F3'], [0x3e, 'F4'], [0x3f, 'F5'], [0x40, 'F6'], [0x41, 'F7'],
  [0x42, 'F8'], [0x43, 'F9'], [0x44, 'F10'], [0x57, 'F11'], [0x58, 'F12'],
]);
const NAMED_E0 = new Map([
  [0x1c, 'Enter'], [0x1d, 'Control'], [0x38, 'Alt'], [0x47, 'Home'], [0x48, 'ArrowUp'], [0x49, 'PageUp'],
  [0x4b, 'ArrowLeft'], [0x4d, 'ArrowRight'], [0x4f, 'End'], [0x50, 'ArrowDown'], [0x51, 'PageDown'],
  [0x52, 'Insert'], [0x53, 'Delete'], [0x35, '/'], [0x5b, 'Meta'], [0x5c, 'Meta'],
]);
const TYPING_MAP = new Map(TYPING.map(([c, p, s]) => [c, [p, s]]));

/**
 * Turns set-1 bytes into key events { key, code, pressed, shift, ctrl, alt }; `key` is the
 * character typed (with Shift/Caps Lock applied) or a name like 'Enter', 'ArrowUp'.
 * Unknown scancodes are ignored.
 */
export class ScancodeDecoder {
  #e0 = false; #e1 = 0; #shift = 0; #ctrl = false; #alt = false; #caps = false;

  /** Feeds one byte; returns an event or null. */
  feed(byte) {
    if (this.#e1) {
      if (--this.#e1 === 0 && byte === 0x45) return { key: 'Pause', code: 0xe11d45, pressed: true, shift: this.#shift !== 0, ctrl: this.#ctrl, alt: this.#alt, capsLock: this.#caps };
      return null;
    }
    if (byte === PREFIX_E1) { this.#e1 = 2; return null; }
    if (byte === PREFIX_E0) { this.#e0 = true; return null; }
    const extended = this.#e0;
    this.#e0 = false;
    const pressed = !(byte & BREAK);
    const code = byte & ~BREAK;
    const name = extended ? NAMED_E0.get(code) : NAMED.get(code);
    if (name === 'Shift') { this.#shift = pressed ? this.#shift | (code === 0x2a ? 1 : 2) : this.#shift & ~(code === 0x2a ? 1 : 2); }
    if (name === 'Control') this.#ctrl = pressed;
    if (name === 'Alt') this.#alt = pressed;
    if (name === 'CapsLock' && pressed) this.#caps = !this.#caps;
    let key = name;
    if (!key && !extended) {
      const chars = TYPING_MAP.get(code);
      if (!chars) return null;
      const letter = /[a-z]/.test(chars[0]);
      const upper = (this.#shift !== 0) !== (letter && this.#caps);
      key = upper ? chars[1] : chars[0];
    }
    if (!key) return null;
    return { key, code: (extended ? 0xe000 : 0) | code, pressed, shift: this.#shift !== 0, ctrl: this.#ctrl, alt: this.#alt, capsLock: this.#caps };
  }
}

export class Ps2Keyboard {
  #data; #status; #irq; #decoder = new ScancodeDecoder(); #onKey = null;

  /**
   * @param {PortRange} data port 0x60.
   * @param {PortRange} status port 0x64.
   * @param {IrqLine} irq IRQ 1.
   * @throws {Error} if the controller fails its self-test.
   */
  constructor(data, status, irq) {
    this.#data = data;
    this.#status = status;
    this.#irq = irq;
    this.#initController();
    irq.on(() => this.#interrupt());
  }

  /** fn(event) for every key press and release. */
  onKey(fn) { this.#onKey = fn; }

  #waitWrite() {
    for (let i = 0; i < POLL_LIMIT; i++) if (!(this.#status.read8(0) & STATUS_IBF)) return;
    throw new Error('ps2: controller input buffer stays full');
  }

  #read() {
    for (let i = 0; i < POLL_LIMIT; i++) if (this.#status.read8(0) & STATUS_OBF) return this.#data.read8(0);
    throw new Error('ps2: no answer from the controller');
  }

  #command(cmd) { this.#waitWrite(); this.#status.write8(0, cmd); }
  #send(byte) { this.#waitWrite(); this.#data.write8(0, byte); }

  // OSDev's initialisation order: disable devices, flush, config without IRQs, self-test,
  // enable, then IRQs on.
  #initController() {
    this.#command(CMD_DISABLE_KBD);
    this.#command(CMD_DISABLE_AUX);
    while (this.#status.read8(0) & STATUS_OBF) this.#data.read8(0);
    this.#command(CMD_READ_CONFIG);
    const config = this.#read() & ~CONFIG_KBD_CLOCK_OFF;
    this.#command(CMD_WRITE_CONFIG);
    this.#send((config & ~CONFIG_KBD_INT) | CONFIG_XLATE);
    this.#command(CMD_SELF_TEST);
    const result = this.#read();
    if (result !== SELF_TEST_OK) throw new Error(`ps2: controller self-test answered 0x${result.toString(16)}`);
    this.#command(CMD_WRITE_CONFIG);
    this.#send((config & ~CONFIG_KBD_INT) | CONFIG_XLATE);
    this.#command(CMD_ENABLE_KBD);
    this.#send(KBD_ENABLE_SCANNING);
    const ack = this.#read();
    if (ack !== KBD_ACK) throw new Error(`ps2: keyboard answered 0x${ack.toString(16)} to enable scanning`);
    this.#command(CMD_WRITE_CONFIG);
    this.#send(config | CONFIG_KBD_INT | CONFIG_XLATE);
  }

  /** Sets the keyboard LEDs (bit 0 scroll, 1 num, 2 caps lock). Answers arrive as interrupts. */
  setLeds(mask) {
    this.#send(KBD_SET_LEDS);
    this.#send(mask & 7);
  }

  #interrupt() {
    const events = [];
    // IRQ 1 is edge-triggered, and the line stays masked until ack(): a byte that arrives
    // after the loop below but before the ack raises its edge while masked, which is lost,
    // and the controller, its buffer full, raises no other. So the buffer is looked at again
    // after each ack.
    do {
      while (this.#status.read8(0) & STATUS_OBF) {
        const byte = this.#data.read8(0);
        if (byte === KBD_ACK) continue;
        const ev = this.#decoder.feed(byte);
        if (ev) events.push(ev);
      }
      this.#irq.ack();
    } while (this.#status.read8(0) & STATUS_OBF);
    if (this.#onKey) for (const ev of events) this.#onKey(ev);
  }

  close() { this.#irq.off(); }
}
