// Consoles on the machine's devices: a REPL on the VGA screen typed at with the PS/2
// keyboard, and a REPL on a serial line. Each is an ordinary REPL (js/internal/repl.js)
// bound to a device driver; several can run at the same time.

import { createRepl } from '../internal/repl.js';

/**
 * A REPL on the VGA text screen, fed by key events. The screen is a dumb terminal: the
 * console echoes and edits the line itself (printable keys, Backspace, Enter) and hands
 * whole lines to the REPL.
 * @param {{ vga: VgaText, keyboard: Ps2Keyboard, exit?: (code: number) => void }} devices
 * @returns {{ close(): void }}
 */
export function startVgaConsole({ vga, keyboard, exit }) {
  const write = (text) => vga.write(text);
  const repl = createRepl({ write, terminal: false, columns: vga.cols ?? 80, exit });
  let line = '';
  keyboard.onKey((ev) => {
    if (!ev.pressed) return;
    if (ev.key === 'Enter') {
      vga.write('\n');
      const text = line;
      line = '';
      repl.feed(`${text}\n`);
      vga.write('> ');
    } else if (ev.key === 'Backspace') {
      if (line.length) {
        line = line.slice(0, -1);
        vga.write('\b \b');
      }
    } else if (ev.ctrl && (ev.key === 'l' || ev.key === 'L')) {
      vga.clear();
    } else if (ev.key.length === 1 && !ev.ctrl && !ev.alt) {
      line += ev.key;
      vga.write(ev.key);
    }
  });
  vga.write('> ');
  // Closing detaches the device; it is not an end of input (which would leave the app).
  return { close() { keyboard.onKey(null); } };
}

/**
 * A REPL on a serial line: the far end is a VT100 terminal, so the REPL's own line editor
 * does the echo and editing.
 * @param {{ serial: SerialDriver, exit?: (code: number) => void }} devices
 * @returns {{ close(): void }}
 */
export function startSerialConsole({ serial, exit }) {
  const repl = createRepl({ write: (text) => serial.write(text.replace(/\r?\n/g, '\r\n')), terminal: true, exit });
  serial.onData((bytes) => repl.feed(bytes));
  return { close() { serial.onData(null); } };
}
