// A text terminal in memory: a grid of cells (character and VGA attribute), a cursor and
// the subset of a VT100 that the runtime's line editor and REPL send (ECMA-48: CR, LF,
// BS, HT, CUU/CUD/CUF/CUB, CUP, ED, EL, SGR colours). A virtual console is one of these;
// only the terminal attached to a surface is drawn, the others keep their cells and are
// redrawn whole when attached (vt.js).
//
// A surface is the small interface a screen driver offers:
//   { cols, rows, putCell(row, col, code, attr), moveCursor(row, col) }
// The VGA text driver is one (js/drivers/vga-text.js); a framebuffer text console can be
// another. `code` is a code page 437 byte, `attr` the VGA attribute byte (background in
// bits 4-6, foreground in bits 0-3).

const ESC = 0x1b;
const CSI_OPEN = 0x5b; // '['
const DEFAULT_ATTR = 0x07; // light grey on black
const BRIGHT = 0x08;
const TAB_STOP = 8;
const MAX_PARAMS = 16;
const BLANK = 0x20;

// ANSI colour order (SGR 30-37: black red green yellow blue magenta cyan white) to VGA's
// (black blue green cyan red magenta brown light grey): the red and blue bits swap.
const ANSI_TO_VGA = [0, 4, 2, 6, 1, 5, 3, 7];

// Code page 437 shows printable ASCII as itself; other characters show as '?'.
const glyph = (cp) => (cp >= 0x20 && cp < 0x7f ? cp : 0x3f);

const S_TEXT = 0, S_ESC = 1, S_CSI = 2;

export class Terminal {
  #cols; #rows; #chars; #attrs; #row = 0; #col = 0; #attr = DEFAULT_ATTR; #bold = false;
  #pendingWrap = false; #state = S_TEXT; #params = []; #surface = null;

  /** @param {{ cols?: number, rows?: number }} [size] */
  constructor({ cols = 80, rows = 25 } = {}) {
    this.#cols = cols;
    this.#rows = rows;
    this.#chars = new Uint8Array(cols * rows).fill(BLANK);
    this.#attrs = new Uint8Array(cols * rows).fill(DEFAULT_ATTR);
  }

  get cols() { return this.#cols; }
  get rows() { return this.#rows; }
  get row() { return this.#row; }
  get col() { return this.#col; }

  /** Draws on `surface` from now on, after redrawing every cell there. */
  attach(surface) {
    this.#surface = surface;
    const rows = Math.min(this.#rows, surface.rows), cols = Math.min(this.#cols, surface.cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) surface.putCell(r, c, this.#chars[r * this.#cols + c], this.#attrs[r * this.#cols + c]);
    }
    surface.moveCursor(this.#row, this.#col);
  }

  /** Stops drawing; the cells stay here. */
  detach() { this.#surface = null; }

  get attached() { return this.#surface !== null; }

  /** The characters of a row as a string (trailing spaces kept). */
  rowText(row) {
    let s = '';
    for (let c = 0; c < this.#cols; c++) s += String.fromCharCode(this.#chars[row * this.#cols + c]);
    return s;
  }

  /** The whole screen, rows joined with '\n', trailing spaces and empty rows dropped. */
  text() {
    const lines = [];
    for (let r = 0; r < this.#rows; r++) lines.push(this.rowText(r).trimEnd());
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  attributeAt(row, col) { return this.#attrs[row * this.#cols + col]; }

  /** Interprets `text` (characters and escape sequences) at the cursor. */
  write(text) {
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i);
      if (cp > 0xffff) i++;
      this.#feed(cp);
    }
    if (this.#surface) this.#surface.moveCursor(this.#row, this.#col);
  }

  #feed(cp) {
    if (this.#state === S_ESC) {
      this.#state = cp === CSI_OPEN ? S_CSI : S_TEXT;
      this.#params = [];
      if (this.#state === S_CSI) this.#params.push('');
      return;
    }
    if (this.#state === S_CSI) {
      if (cp >= 0x30 && cp <= 0x39) {
        this.#params[this.#params.length - 1] += String.fromCharCode(cp);
      } else if (cp === 0x3b) {
        if (this.#params.length < MAX_PARAMS) this.#params.push('');
      } else if (cp >= 0x40 && cp <= 0x7e) {
        this.#state = S_TEXT;
        this.#csi(String.fromCharCode(cp), this.#params.map((p) => (p === '' ? null : Number(p))));
      } else if (cp < 0x20 || cp > 0x3f) {
        this.#state = S_TEXT; // not a sequence after all
      }
      return;
    }
    switch (cp) {
      case ESC: this.#state = S_ESC; return;
      case 0x0d: this.#col = 0; this.#pendingWrap = false; return;
      // LF also returns the carriage, as a Linux console with onlcr shows "\n".
      case 0x0a: this.#col = 0; this.#pendingWrap = false; this.#lineFeed(); return;
      case 0x08: if (this.#col > 0) this.#col--; this.#pendingWrap = false; return;
      case 0x09: this.#col = Math.min(this.#cols - 1, (this.#col + TAB_STOP) & ~(TAB_STOP - 1)); return;
      default:
        if (cp < 0x20 || cp === 0x7f) return; // other controls (BEL...) show nothing
        this.#print(glyph(cp));
    }
  }

  // VT100 wrap: writing the last column leaves the cursor there; the next character wraps.
  #print(code) {
    if (this.#pendingWrap) {
      this.#pendingWrap = false;
      this.#col = 0;
      this.#lineFeed();
    }
    this.#put(this.#row, this.#col, code, this.#attr);
    if (this.#col === this.#cols - 1) this.#pendingWrap = true;
    else this.#col++;
  }

  #put(row, col, code, attr) {
    const i = row * this.#cols + col;
    this.#chars[i] = code;
    this.#attrs[i] = attr;
    if (this.#surface) this.#surface.putCell(row, col, code, attr);
  }

  #lineFeed() {
    if (this.#row < this.#rows - 1) { this.#row++; return; }
    this.#chars.copyWithin(0, this.#cols);
    this.#attrs.copyWithin(0, this.#cols);
    const last = this.#cols * (this.#rows - 1);
    this.#chars.fill(BLANK, last);
    this.#attrs.fill(this.#attr & 0x70 | DEFAULT_ATTR & 0x0f, last);
    if (this.#surface) this.attach(this.#surface);
  }

  #erase(from, to) { // cell indexes, `to` excluded
    const attr = (this.#attr & 0x70) | (DEFAULT_ATTR & 0x0f);
    for (let i = from; i < to; i++) this.#put(Math.floor(i / this.#cols), i % this.#cols, BLANK, attr);
  }

  #csi(final, params) {
    const n = (params[0] ?? 0) || 1;
    const here = this.#row * this.#cols + this.#col;
    this.#pendingWrap = false;
    switch (final) {
      case 'A': this.#row = Math.max(0, this.#row - n); break;
      case 'B': this.#row = Math.min(this.#rows - 1, this.#row + n); break;
      case 'C': this.#col = Math.min(this.#cols - 1, this.#col + n); break;
      case 'D': this.#col = Math.max(0, this.#col - n); break;
      case 'G': this.#col = Math.min(this.#cols - 1, n - 1); break;
      case 'H': case 'f':
        this.#row = Math.min(this.#rows - 1, ((params[0] ?? 1) || 1) - 1);
        this.#col = Math.min(this.#cols - 1, ((params[1] ?? 1) || 1) - 1);
        break;
      case 'J': {
        const mode = params[0] ?? 0;
        if (mode === 0) this.#erase(here, this.#cols * this.#rows);
        else if (mode === 1) this.#erase(0, here + 1);
        else this.#erase(0, this.#cols * this.#rows);
        break;
      }
      case 'K': {
        const start = this.#row * this.#cols;
        const mode = params[0] ?? 0;
        if (mode === 0) this.#erase(here, start + this.#cols);
        else if (mode === 1) this.#erase(start, here + 1);
        else this.#erase(start, start + this.#cols);
        break;
      }
      case 'm': this.#sgr(params); break;
      default: break; // anything else is ignored, as a VT100 ignores what it does not know
    }
  }

  // ECMA-48 8.3.117 SGR: 0 reset, 1 bold (bright foreground), 22 normal, 7 reverse,
  // 30-37/39 foreground, 40-47/49 background, 90-97 bright foreground.
  #sgr(params) {
    if (params.length === 0) params = [0];
    for (const p of params) {
      const v = p ?? 0;
      let fg = this.#attr & 0x07, bg = (this.#attr >> 4) & 0x07;
      if (v === 0) { fg = 7; bg = 0; this.#bold = false; }
      else if (v === 1) this.#bold = true;
      else if (v === 22) this.#bold = false;
      else if (v === 7) [fg, bg] = [bg, fg];
      else if (v >= 30 && v <= 37) fg = ANSI_TO_VGA[v - 30];
      else if (v === 39) fg = 7;
      else if (v >= 40 && v <= 47) bg = ANSI_TO_VGA[v - 40];
      else if (v === 49) bg = 0;
      else if (v >= 90 && v <= 97) { fg = ANSI_TO_VGA[v - 90]; this.#attr = (bg << 4) | fg | BRIGHT; continue; }
      this.#attr = (bg << 4) | fg | (this.#bold ? BRIGHT : 0);
    }
  }
}

// Keys to the bytes a VT100/xterm keyboard sends (what the line editor reads).
const KEY_SEQUENCES = new Map([
  ['Enter', '\r'], ['Backspace', '\x7f'], ['Tab', '\t'], ['Escape', '\x1b'],
  ['ArrowUp', '\x1b[A'], ['ArrowDown', '\x1b[B'], ['ArrowRight', '\x1b[C'], ['ArrowLeft', '\x1b[D'],
  ['Home', '\x1b[H'], ['End', '\x1b[F'], ['Insert', '\x1b[2~'], ['Delete', '\x1b[3~'],
  ['PageUp', '\x1b[5~'], ['PageDown', '\x1b[6~'],
]);

/**
 * What a key press sends to the program reading the terminal, or null (a release, a
 * modifier, a function key). Ctrl+letter is the control character; Alt+key is ESC first.
 * @param {{ key: string, pressed: boolean, ctrl: boolean, alt: boolean }} ev ps2-keyboard.js's event
 * @returns {string|null}
 */
export function keyToInput(ev) {
  if (!ev.pressed) return null;
  let text = KEY_SEQUENCES.get(ev.key) ?? null;
  if (text === null && ev.key.length === 1) {
    text = ev.key;
    if (ev.ctrl) {
      const c = ev.key.toLowerCase().charCodeAt(0);
      if (c >= 0x61 && c <= 0x7a) text = String.fromCharCode(c - 0x60);
      else if (ev.key === ' ' || ev.key === '@') text = '\0';
      else if (ev.key === '[') text = '\x1b';
      else return null;
    }
  }
  if (text === null) return null;
  return ev.alt ? `\x1b${text}` : text;
}
