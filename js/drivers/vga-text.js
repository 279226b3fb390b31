// VGA text-mode console (80x25, colour): text memory at 0xB8000, CRTC 0x3D4/0x3D5 for the
// hardware cursor (IBM VGA Technical Reference, CRT controller registers 0x0A-0x0F).
// Needs: memory 0xB8000 (4000 bytes) and ports 0x3D4-0x3D5.

export const COLS = 80;
export const ROWS = 25;
const CRTC_INDEX = 0, CRTC_DATA = 1;
const CRTC_CURSOR_START = 0x0a;
const CRTC_CURSOR_END = 0x0b;
const CRTC_CURSOR_HIGH = 0x0e;
const CRTC_CURSOR_LOW = 0x0f;
const CURSOR_DISABLE = 0x20;
const TAB = 8;

/** The 16 text colours, by name, as attribute nibbles. */
export const Colour = Object.freeze({
  black: 0, blue: 1, green: 2, cyan: 3, red: 4, magenta: 5, brown: 6, lightGrey: 7,
  darkGrey: 8, lightBlue: 9, lightGreen: 10, lightCyan: 11, lightRed: 12, pink: 13, yellow: 14, white: 15,
});

// Code page 437 for the printable ASCII range is ASCII itself; other characters show as '?'.
const glyph = (code) => (code >= 0x20 && code < 0x7f ? code : 0x3f);

export class VgaText {
  #mem; #crtc; #row = 0; #col = 0; #attr = 0x07;

  /**
   * @param {MemoryBlock} memory text memory (at least 80*25*2 bytes at 0xB8000).
   * @param {PortRange} crtc ports 0x3D4-0x3D5.
   */
  constructor(memory, crtc) {
    if (memory.size < COLS * ROWS * 2) throw new RangeError(`vga-text: needs ${COLS * ROWS * 2} bytes of text memory, got ${memory.size}`);
    if (crtc.length !== 2) throw new RangeError(`vga-text: needs ports 0x3D4-0x3D5, got a range of ${crtc.length}`);
    this.#mem = memory.u8;
    this.#crtc = crtc;
    this.setCursorShape(14, 15);
  }

  get row() { return this.#row; }
  get col() { return this.#col; }
  get cols() { return COLS; }
  get rows() { return ROWS; }

  /** Sets the colours of what is written next. */
  setColour(fg, bg = Colour.black) { this.#attr = ((bg & 0x7) << 4) | (fg & 0xf); }

  clear() {
    for (let i = 0; i < COLS * ROWS; i++) { this.#mem[2 * i] = 0x20; this.#mem[2 * i + 1] = this.#attr; }
    this.moveTo(0, 0);
  }

  moveTo(row, col) {
    this.#row = Math.max(0, Math.min(ROWS - 1, row));
    this.#col = Math.max(0, Math.min(COLS - 1, col));
    this.#syncCursor();
  }

  /** Sets one cell (a code page 437 byte and an attribute byte); the cursor stays. */
  putCell(row, col, code, attr) {
    if (row < 0 || row >= ROWS || col < 0 || col >= COLS) return;
    const cell = 2 * (row * COLS + col);
    this.#mem[cell] = code;
    this.#mem[cell + 1] = attr;
  }

  /** Moves the cursor (the surface interface of js/services/sessions/terminal.js). */
  moveCursor(row, col) { this.moveTo(row, col); }

  /** Writes text at the cursor: \n new line, \r column 0, \b back one, \t to the next stop; scrolls. */
  write(text) {
    for (const ch of text) this.#put(ch);
    this.#syncCursor();
  }

  /** The characters of a row, trailing spaces kept. */
  rowText(row) {
    let s = '';
    for (let c = 0; c < COLS; c++) s += String.fromCharCode(this.#mem[2 * (row * COLS + c)]);
    return s;
  }

  /** The attribute byte at a cell. */
  attributeAt(row, col) { return this.#mem[2 * (row * COLS + col) + 1]; }

  /** Cursor scan lines (0-15), or hides it with visible=false. */
  setCursorShape(start, end, visible = true) {
    this.#crtcWrite(CRTC_CURSOR_START, (start & 0x1f) | (visible ? 0 : CURSOR_DISABLE));
    this.#crtcWrite(CRTC_CURSOR_END, end & 0x1f);
  }

  #put(ch) {
    if (ch === '\n') { this.#col = 0; this.#lineFeed(); return; }
    if (ch === '\r') { this.#col = 0; return; }
    if (ch === '\b') { if (this.#col > 0) this.#col--; return; }
    if (ch === '\t') { this.#col = Math.min(COLS - 1, (this.#col + TAB) & ~(TAB - 1)); return; }
    const cell = 2 * (this.#row * COLS + this.#col);
    this.#mem[cell] = glyph(ch.codePointAt(0));
    this.#mem[cell + 1] = this.#attr;
    if (++this.#col === COLS) { this.#col = 0; this.#lineFeed(); }
  }

  #lineFeed() {
    if (this.#row < ROWS - 1) { this.#row++; return; }
    this.#mem.copyWithin(0, 2 * COLS, 2 * COLS * ROWS);
    const last = 2 * COLS * (ROWS - 1);
    for (let c = 0; c < COLS; c++) { this.#mem[last + 2 * c] = 0x20; this.#mem[last + 2 * c + 1] = this.#attr; }
  }

  #syncCursor() {
    const pos = this.#row * COLS + this.#col;
    this.#crtcWrite(CRTC_CURSOR_HIGH, pos >> 8);
    this.#crtcWrite(CRTC_CURSOR_LOW, pos & 0xff);
  }

  #crtcWrite(reg, value) {
    this.#crtc.write8(CRTC_INDEX, reg);
    this.#crtc.write8(CRTC_DATA, value);
  }
}
