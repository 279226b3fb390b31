// The framebuffer console driver on rtjs-sim's framebuffer device (--framebuffer WxH[xBPP]):
// every check reads the pixels back from the framebuffer memory and compares them with the
// console font's bitmaps and VGA's palette.
// usage: rtjs-sim --headless --framebuffer 320x200[x24] framebuffer/console.js BPP
import { test, assertEqual, assertThrows } from '../harness.js';
import { FramebufferConsole, consoleFont } from '../../../js/drivers/framebuffer-console.js';
import { Colour } from '../../../js/drivers/vga-text.js';

const fb = rt.hw.framebuffer();
const wantBpp = Number(rt.argv[0] ?? 32);
const font = consoleFont();
const mem = rt.hw.memory(fb.base, fb.size);
const con = new FramebufferConsole(fb, mem);
const bytes = fb.bpp / 8;

// The pixel at (x, y) as 0xRRGGBB.
function pixel(x, y) {
  let v = 0;
  for (let i = bytes - 1; i >= 0; i--) v = v * 256 + mem.u8[y * fb.pitch + x * bytes + i];
  const ch = ([shift, bits]) => ((v >>> shift) & ((1 << bits) - 1)) << (8 - bits);
  return (ch(fb.red) << 16) | (ch(fb.green) << 8) | ch(fb.blue);
}

// What the cell shows, as the character whose glyph its lit pixels are ('' if none).
function cellGlyph(row, col, fg) {
  for (let code = 0x20; code < 0x7f; code++) {
    let same = true;
    for (let y = 0; y < font.height && same; y++) {
      for (let x = 0; x < font.width && same; x++) {
        same = font.pixel(code, x, y) === (pixel(col * font.width + x, row * font.height + y) === fg);
      }
    }
    if (same) return String.fromCharCode(code);
  }
  return '';
}
const screenText = (row, n, fg = 0xaaaaaa) => Array.from({ length: n }, (_, c) => cellGlyph(row, c, fg)).join('');

test('the device is described as the simulator made it', () => {
  assertEqual([fb.width, fb.height, fb.bpp], [320, 200, wantBpp]);
  assertEqual(fb.pitch, 320 * bytes);
  assertEqual([con.cols, con.rows], [40, 12]);
});

test('characters are drawn with the font in VGA colours, and the cells remember them', () => {
  con.setCursorShape(0, 0, false);
  con.setColour(Colour.lightGrey);
  con.clear();
  con.write('6*7\n');
  con.setColour(Colour.yellow, Colour.blue);
  con.write('42');
  assertEqual(screenText(0, 3), '6*7');
  assertEqual(screenText(1, 2, 0xffff55), '42');
  assertEqual(pixel(0, font.height), 0x0000aa); // the blue background of the '4' cell's corner
  assertEqual(con.rowText(1).trimEnd(), '42');
  assertEqual(con.attributeAt(1, 0), 0x1e);
  assertEqual([con.row, con.col], [1, 2]);
});

test('the cursor is drawn in its cell and leaves it as it was when it moves', () => {
  con.setColour(Colour.lightGrey);
  con.clear();
  con.write('ab');
  con.setCursorShape(14, 15);
  const x = 2 * font.width, y = 15;
  assertEqual(pixel(x, y), 0xaaaaaa);
  con.moveTo(0, 0);
  assertEqual(pixel(x, y), 0x000000);
  assertEqual(pixel(0, 15), 0xaaaaaa);
  con.setCursorShape(0, 0, false);
  assertEqual(screenText(0, 2), 'ab');
});

test('writing past the last row scrolls the picture up a text row', () => {
  con.clear();
  for (let i = 0; i < con.rows + 2; i++) con.write(`line ${i}\n`);
  assertEqual(screenText(0, 6), 'line 3');
  assertEqual(screenText(con.rows - 2, 7), `line ${con.rows + 1}`);
  assertEqual(screenText(con.rows - 1, 4), '    ');
  assertEqual(con.rowText(0).trimEnd(), 'line 3');
  assertEqual([con.row, con.col], [con.rows - 1, 0]);
});

test('a long line wraps, tab and backspace move, other characters show as ?', () => {
  con.clear();
  con.write('x'.repeat(con.cols + 1));
  assertEqual(screenText(1, 1), 'x');
  con.clear();
  con.write('abc\b\rX\tZ\u00e9');
  assertEqual(screenText(0, 3), 'Xbc');
  assertEqual(screenText(0, 10).slice(8), 'Z?');
});

test('putCell writes one cell (a character or a code page 437 byte) and ignores one off the screen', () => {
  con.clear();
  con.putCell(2, 3, 'Q', 0x0f);
  con.putCell(2, 4, 0x52, 0x0f);
  assertEqual(cellGlyph(2, 3, 0xffffff) + cellGlyph(2, 4, 0xffffff), 'QR');
  con.putCell(con.rows, 0, 'x');
  assertEqual(con.rowText(con.rows - 1).trim(), '');
  con.moveCursor(3, 5);
  assertEqual([con.row, con.col], [3, 5]);
});

test('a framebuffer it cannot draw on is refused with the reason', () => {
  assertThrows(() => new FramebufferConsole({ ...fb, bpp: 8 }, mem), /8 bits per pixel/);
  assertThrows(() => new FramebufferConsole({ ...fb, pitch: 10 }, mem), /pitch of 10 bytes/);
  assertThrows(() => new FramebufferConsole(fb, mem.subrange(0, 4096)), /needs \d+ bytes/);
});
