import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { VgaText, Colour, ROWS } from '../../../js/drivers/vga-text.js';

const crtc = rt.hw.ports(0x3d4, 2);
const vga = new VgaText(rt.hw.memory(0xb8000, 4000), crtc);

function cursorRegister() {
  crtc.write8(0, 0x0e);
  const hi = crtc.read8(1);
  crtc.write8(0, 0x0f);
  return (hi << 8) | crtc.read8(1);
}

test('text lands in text memory with its colours, and the hardware cursor follows', () => {
  vga.clear();
  vga.setColour(Colour.yellow, Colour.blue);
  vga.write('6*7\n42');
  assertEqual(vga.rowText(0).trimEnd(), '6*7');
  assertEqual(vga.rowText(1).trimEnd(), '42');
  assertEqual(vga.attributeAt(1, 0), 0x1e);
  assertEqual(cursorRegister(), 80 + 2);
});

test('writing past the last row scrolls up', () => {
  vga.clear();
  for (let i = 0; i < ROWS + 2; i++) vga.write(`line ${i}\n`);
  assertEqual(vga.rowText(0).trimEnd(), 'line 3');
  assertEqual(vga.rowText(ROWS - 2).trimEnd(), `line ${ROWS + 1}`);
  assertEqual(vga.rowText(ROWS - 1).trim(), '');
  assertEqual(cursorRegister(), (ROWS - 1) * 80);
});

test('backspace, carriage return and tab move the cursor', () => {
  vga.clear();
  vga.write('abc\b\rX\t');
  assertEqual(vga.rowText(0).slice(0, 3), 'Xbc');
  assertEqual(vga.col, 8);
});
