// PC screen fonts (PSF), the console fonts of Linux's kbd and Debian's console-data.
// PSF1: magic 36 04, mode, bytes per glyph (= height); 256 or 512 glyphs 8 pixels wide.
// PSF2: magic 72 B5 4A 86, then little-endian version, header size, flags, glyph count,
// bytes per glyph, height, width. Glyph rows are whole bytes, most significant bit leftmost.
// (kbd's "psf.h" format description.)

const PSF1_MAGIC0 = 0x36, PSF1_MAGIC1 = 0x04;
const PSF1_HEADER_SIZE = 4;
const PSF1_MODE_512 = 0x01;
const PSF2_MAGIC = 0x864ab572;
const PSF2_HEADER_MIN = 32;
const MAX_SIDE = 64;

/** A bitmap font: glyph n's row y is bytesPerRow bytes at (n * height + y) * bytesPerRow. */
export class PsfFont {
  #bits;
  constructor(width, height, count, bits) {
    this.width = width;
    this.height = height;
    this.count = count;
    this.bytesPerRow = (width + 7) >> 3;
    this.#bits = bits;
    Object.freeze(this);
  }

  /** Whether pixel (x, y) of glyph n is set. */
  pixel(n, x, y) {
    return (this.#bits[(n * this.height + y) * this.bytesPerRow + (x >> 3)] & (0x80 >> (x & 7))) !== 0;
  }

  /** The row y of glyph n as a bit mask, leftmost pixel in the highest bit (width <= 32). */
  rowBits(n, y) {
    let v = 0;
    const at = (n * this.height + y) * this.bytesPerRow;
    for (let i = 0; i < this.bytesPerRow; i++) v = (v << 8) | this.#bits[at + i];
    return v >>> (this.bytesPerRow * 8 - this.width);
  }
}

const le32 = (b, at) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/**
 * Parses a PSF file (uncompressed).
 * @param {Uint8Array} bytes
 * @returns {PsfFont}
 */
export function parsePsf(bytes) {
  const bad = (why) => new RangeError(`psf font: ${why}`);
  let width, height, count, header;
  if (bytes.length >= PSF1_HEADER_SIZE && bytes[0] === PSF1_MAGIC0 && bytes[1] === PSF1_MAGIC1) {
    width = 8;
    height = bytes[3];
    count = bytes[2] & PSF1_MODE_512 ? 512 : 256;
    header = PSF1_HEADER_SIZE;
  } else if (bytes.length >= PSF2_HEADER_MIN && le32(bytes, 0) === PSF2_MAGIC) {
    header = le32(bytes, 8);
    count = le32(bytes, 16);
    const perGlyph = le32(bytes, 20);
    height = le32(bytes, 24);
    width = le32(bytes, 28);
    if (width >= 1 && width <= MAX_SIDE && perGlyph !== ((width + 7) >> 3) * height) throw bad(`${perGlyph} bytes per glyph do not make ${width}x${height}`);
  } else {
    throw bad('not a PSF1 or PSF2 file');
  }
  if (!(width >= 1 && width <= 32 && height >= 1 && height <= MAX_SIDE)) throw bad(`glyphs of ${width}x${height} pixels are not supported`);
  if (count < 256) throw bad(`${count} glyphs; a console font has at least 256`);
  const size = count * height * ((width + 7) >> 3);
  if (header > bytes.length || bytes.length - header < size) throw bad(`the file ends inside its glyphs (${bytes.length} bytes)`);
  return new PsfFont(width, height, count, bytes.slice(header, header + size));
}

/** Bytes from a hex string (the embedded font module's form). */
export function bytesFromHex(hex) {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}
