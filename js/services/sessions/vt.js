// Virtual consoles: several terminals (terminal.js) sharing one screen and one keyboard.
// Alt+F1..F6 (Ctrl+Alt+Fn too, as on Linux) shows another; only the one shown is drawn to
// the screen, the others keep their cells in memory and are redrawn whole when shown.
// Keys go to the console shown, each console having its own reader (the session manager's
// login prompt, then the session's shell).
//
// A console, as the session manager sees it (the serial line is one too: serialConsole()):
//   { name, columns, write(text), setInput(fn | null) }   fn(text) gets what was typed.

import { Terminal, keyToInput } from './terminal.js';

const SWITCH_KEY = /^F([1-9])$/;

export class VirtualConsoles {
  #surface; #keyboard; #consoles = []; #active = 0; #onSwitch = null;

  /**
   * @param {{ surface: { cols, rows, putCell, moveCursor }, keyboard: { onKey(fn) }, count?: number }} devices
   *   the screen (VgaText, or any surface) and the key source (Ps2Keyboard's onKey events).
   */
  constructor({ surface, keyboard, count = 6 }) {
    this.#surface = surface;
    this.#keyboard = keyboard;
    for (let i = 0; i < count; i++) {
      const terminal = new Terminal({ cols: surface.cols, rows: surface.rows });
      let reader = null;
      this.#consoles.push({
        name: `tty${i + 1}`,
        columns: surface.cols,
        terminal,
        write: (text) => terminal.write(text),
        setInput: (fn) => { reader = fn; },
        deliver: (text) => { if (reader) reader(text); },
      });
    }
    this.#consoles[0].terminal.attach(surface);
    keyboard.onKey((ev) => this.#key(ev));
  }

  /** The consoles, tty1 first. */
  get consoles() { return this.#consoles.slice(); }

  /** The index of the console shown. */
  get active() { return this.#active; }

  /** fn(index) after every switch. */
  onSwitch(fn) { this.#onSwitch = fn; }

  /** Shows console `index` (0-based); out of range is ignored. */
  switchTo(index) {
    if (index < 0 || index >= this.#consoles.length || index === this.#active) return;
    this.#consoles[this.#active].terminal.detach();
    this.#active = index;
    this.#consoles[index].terminal.attach(this.#surface);
    if (this.#onSwitch) this.#onSwitch(index);
  }

  #key(ev) {
    const fn = SWITCH_KEY.exec(ev.key);
    if (fn && ev.alt) {
      if (ev.pressed) this.switchTo(Number(fn[1]) - 1);
      return;
    }
    const text = keyToInput(ev);
    if (text !== null) this.#consoles[this.#active].deliver(text);
  }

  /** Lets go of the keyboard; the consoles' contents stay. */
  close() { this.#keyboard.onKey(null); }
}

/**
 * The serial line as a console: the far end is a VT100 terminal, so text goes as it is
 * with "\n" sent as CR LF.
 * @param {{ write(text), onData(fn) }} serial SerialDriver, or anything with that shape
 * @param {string} [name]
 */
export function serialConsole(serial, name = 'ttyS0') {
  const decoder = new TextDecoder();
  return {
    name,
    columns: 80,
    write: (text) => serial.write(text.replace(/\r?\n/g, '\r\n')),
    setInput: (fn) => serial.onData(fn ? (bytes) => fn(typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true })) : null),
  };
}
