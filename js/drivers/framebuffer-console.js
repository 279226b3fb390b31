// A text console drawn on a linear framebuffer (what GRUB hands over on UEFI, from the
// firmware's Graphics Output Protocol, where VGA text mode does not exist): a grid of
// character cells in the console font (the simulator's VGA font, Debian's default8x16),
// VGA's 16 colours and attribute bytes, an underline cursor drawn in, and scrolling by
// moving the pixel rows up. The same surface as js/drivers/vga-text.js (write, moveTo,
// clear, rowText, attributeAt, setColour, setCursorShape, row, col, cols, rows, putCell,
// moveCursor), so the virtual consoles draw on either.
// Needs: the framebuffer's memory (rt.hw.framebuffer() describes it).

import fontHex from 'rtjs:generated/console-font.js';
import { parsePsf, bytesFromHex } from './psf-font.js';

const TAB = 8;
const BLANK = 0x20;
const DEFAULT_ATTR = 0x07; // light grey on black, as the BIOS leaves text mode

// The default VGA palette of mode 3 (DAC values scaled to 8 bits), indexed by attribute nibble.
const PALETTE = [
  [0x00, 0x00, 0x00], [0x00, 0x00, 0xaa], [0x00, 0xaa, 0x00], [0x00, 0xaa, 0xaa],
  [0xaa, 0x00, 0x00], [0xaa, 0x00, 0xaa], [0xaa, 0x55, 0x00], [0xaa, 0xaa, 0xaa],
  [0x55, 0x55, 0x55], [0x55, 0x55, 0xff], [0x55, 0xff, 0x55], [0x55, 0xff, 0xff],
  [0xff, 0x55, 0x55], [0xff, 0x55, 0xff], [0xff, 0xff, 0x55], [0xff, 0xff, 0xff],
];

// Printable ASCII is the font's own index (code page 437); other characters show as '?',
// as on the VGA text screen.
const glyph = (code) => (code >= 0x20 && code < 0x7f ? code : 0x3f);

let defaultFont;
/** The console font embedded in the runtime (the simulator's VGA font). */
export function consoleFont() {
  defaultFont ??= parsePsf(bytesFromHex(fontHex));
  return defaultFont;
}

export class FramebufferConsole {
  #fb; #font; #px; #bytes; #stride; #cols; #rows; #cells; #pixels; #colours;
  #row = 0; #col = 0; #attr = DEFAULT_ATTR;
  #cursorStart; #cursorEnd; #cursorVisible = true; #cursorDrawn = false;

  /**
   * @param {object} fb the description from rt.hw.framebuffer()
   * @param {MemoryBlock} memory the framebuffer's memory, fb.size bytes from fb.base
   * @param {{ font?: PsfFont }} [options]
   */
  constructor(fb, memory, { font = consoleFont() } = {}) {
    if (!fb || ![16, 24, 32].includes(fb.bpp)) throw new RangeError(`framebuffer-console: ${fb?.bpp} bits per pixel are not supported (16, 24, 32)`);
    if (fb.pitch < fb.width * (fb.bpp >> 3)) throw new RangeError(`framebuffer-console: a pitch of ${fb.pitch} bytes cannot hold ${fb.width} pixels`);
    if (memory.size < fb.pitch * fb.height) throw new RangeError(`framebuffer-console: needs ${fb.pitch * fb.height} bytes of framebuffer, got ${memory.size}`);
    this.#fb = fb;
    this.#font = font;
    this.#bytes = fb.bpp >> 3;
    this.#cols = Math.floor(fb.width / font.width);
    this.#rows = Math.floor(fb.height / font.height);
    if (this.#cols < 1 || this.#rows < 1) throw new RangeError(`framebuffer-console: ${fb.width}x${fb.height} holds no ${font.width}x${font.height} cell`);
    this.#px = memory.u8;
    // Pixels are written whole: 32 bits through a Uint32Array (little-endian, as x86), 16
    // through a Uint16Array (the stride then counts pixels), 24 byte by byte (in bytes).
    this.#stride = fb.pitch;
    if (this.#bytes !== 3) {
      if (fb.pitch % this.#bytes) throw new RangeError(`framebuffer-console: a pitch of ${fb.pitch} bytes is not whole pixels`);
      this.#stride = fb.pitch / this.#bytes;
      const Pixels = this.#bytes === 4 ? Uint32Array : Uint16Array;
      this.#pixels = new Pixels(memory.buffer, 0, (fb.pitch * fb.height) / this.#bytes);
    }
    this.#cells = new Uint16Array(this.#cols * this.#rows).fill((DEFAULT_ATTR << 8) | BLANK);
    this.#colours = PALETTE.map(([r, g, b]) => this.#pack(r, g, b));
    this.#cursorStart = font.height - 2;
    this.#cursorEnd = font.height - 1;
  }

  get cols() { return this.#cols; }
  get rows() { return this.#rows; }
  get row() { return this.#row; }
  get col() { return this.#col; }
  /** Pixel size of a cell: { width, height }. */
  get cell() { return { width: this.#font.width, height: this.#font.height }; }

  /** Sets the colours of what is written next (VGA colour numbers 0-15; background 0-7). */
  setColour(fg, bg = 0) { this.#attr = ((bg & 0x7) << 4) | (fg & 0xf); }

  clear() {
    this.#cells.fill((this.#attr << 8) | BLANK);
    this.#fillRows(0, this.#rows * this.#font.height, this.#colours[(this.#attr >> 4) & 0x7]);
    this.#cursorDrawn = false;
    this.moveTo(0, 0);
  }

  moveTo(row, col) {
    this.#hideCursor();
    this.#row = Math.max(0, Math.min(this.#rows - 1, row));
    this.#col = Math.max(0, Math.min(this.#cols - 1, col));
    this.#showCursor();
  }

  /** Writes text at the cursor: \n new line, \r column 0, \b back one, \t to the next stop; scrolls. */
  write(text) {
    this.#hideCursor();
    for (const ch of text) this.#put(ch);
    this.#showCursor();
  }

  /** Puts one cell: a character, or a code page 437 byte (the font's own index), with an
   *  attribute byte; the cursor stays. A cell outside the screen is ignored, as on VGA. */
  putCell(row, col, ch, attr = this.#attr) {
    if (!Number.isInteger(row) || !Number.isInteger(col) || row < 0 || col < 0 || row >= this.#rows || col >= this.#cols) return;
    const code = typeof ch === 'number' ? ch & 0xff : glyph(String(ch).codePointAt(0));
    const onCursor = row === this.#row && col === this.#col;
    if (onCursor) this.#hideCursor();
    this.#setCell(row, col, code, attr & 0xff);
    if (onCursor) this.#showCursor();
  }

  /** Moves the cursor (the surface interface of js/services/sessions/terminal.js). */
  moveCursor(row, col) { this.moveTo(row, col); }

  /** The characters of a row, trailing spaces kept. */
  rowText(row) {
    let s = '';
    for (let c = 0; c < this.#cols; c++) s += String.fromCharCode(this.#cells[row * this.#cols + c] & 0xff);
    return s;
  }

  /** The attribute byte at a cell. */
  attributeAt(row, col) { return this.#cells[row * this.#cols + col] >> 8; }

  /** Cursor as the scan lines start..end of the cell, or hidden with visible=false. */
  setCursorShape(start, end, visible = true) {
    this.#hideCursor();
    const last = this.#font.height - 1;
    this.#cursorStart = Math.max(0, Math.min(last, start));
    this.#cursorEnd = Math.max(this.#cursorStart, Math.min(last, end));
    this.#cursorVisible = visible;
    this.#showCursor();
  }

  #put(ch) {
    if (ch === '\n') { this.#col = 0; this.#lineFeed(); return; }
    if (ch === '\r') { this.#col = 0; return; }
    if (ch === '\b') { if (this.#col > 0) this.#col--; return; }
    if (ch === '\t') { this.#col = Math.min(this.#cols - 1, (this.#col + TAB) & ~(TAB - 1)); return; }
    this.#setCell(this.#row, this.#col, glyph(ch.codePointAt(0)), this.#attr);
    if (++this.#col === this.#cols) { this.#col = 0; this.#lineFeed(); }
  }

  #lineFeed() {
    if (this.#row < this.#rows - 1) { this.#row++; return; }
    // Scroll: every pixel row of the text moves up one cell height (one memmove), and the
    // last text row is blanked.
    const h = this.#font.height, pitch = this.#fb.pitch;
    this.#px.copyWithin(0, h * pitch, this.#rows * h * pitch);
    this.#cells.copyWithin(0, this.#cols, this.#cells.length);
    const last = (this.#rows - 1) * this.#cols;
    this.#cells.fill((this.#attr << 8) | BLANK, last);
    this.#fillRows((this.#rows - 1) * h, h, this.#colours[(this.#attr >> 4) & 0x7]);
  }

  #setCell(row, col, code, attr) {
    this.#cells[row * this.#cols + col] = (attr << 8) | code;
    this.#drawCell(row, col, code, this.#colours[attr & 0xf], this.#colours[(attr >> 4) & 0x7], 0, this.#font.height);
  }

  // Draws scan lines [from, to) of a cell.
  #drawCell(row, col, code, fg, bg, from, to) {
    const font = this.#font, w = font.width, h = font.height;
    const x0 = col * w;
    for (let y = from; y < to; y++) {
      const bits = font.rowBits(code, y), py = row * h + y;
      for (let x = 0; x < w; x++) this.#setPixel(py, x0 + x, (bits >>> (w - 1 - x)) & 1 ? fg : bg);
    }
  }

  // The cursor is the cell's scan lines start..end drawn in the cell's foreground colour,
  // as VGA draws it; hiding it redraws those lines from the cell.
  #showCursor() {
    if (!this.#cursorVisible || this.#cursorDrawn) return;
    const v = this.#cells[this.#row * this.#cols + this.#col];
    const fg = this.#colours[(v >> 8) & 0xf];
    const h = this.#font.height, w = this.#font.width;
    for (let y = this.#cursorStart; y <= this.#cursorEnd; y++) {
      for (let x = 0; x < w; x++) this.#setPixel(this.#row * h + y, this.#col * w + x, fg);
    }
    this.#cursorDrawn = true;
  }

  #hideCursor() {
    if (!this.#cursorDrawn) return;
    const v = this.#cells[this.#row * this.#cols + this.#col], attr = v >> 8;
    this.#drawCell(this.#row, this.#col, v & 0xff, this.#colours[attr & 0xf], this.#colours[(attr >> 4) & 0x7],
      this.#cursorStart, this.#cursorEnd + 1);
    this.#cursorDrawn = false;
  }

  #fillRows(y0, count, value) {
    if (this.#pixels) {
      this.#pixels.fill(value, y0 * this.#stride, (y0 + count) * this.#stride);
      return;
    }
    for (let y = y0; y < y0 + count; y++) for (let x = 0; x < this.#fb.width; x++) this.#setPixel(y, x, value);
  }

  #setPixel(y, x, value) {
    if (this.#pixels) { this.#pixels[y * this.#stride + x] = value; return; }
    const at = y * this.#stride + x * 3;
    this.#px[at] = value & 0xff;
    this.#px[at + 1] = (value >> 8) & 0xff;
    this.#px[at + 2] = (value >> 16) & 0xff;
  }

  // An 8-bit colour as the framebuffer's pixel value: each channel's top bits in its field.
  #pack(r, g, b) {
    const field = ([shift, bits], v) => (bits === 0 ? 0 : ((v >> Math.max(0, 8 - bits)) << shift));
    return (field(this.#fb.red, r) | field(this.#fb.green, g) | field(this.#fb.blue, b)) >>> 0;
  }
}
