// The VGA console: keys typed on the PS/2 keyboard reach a REPL whose results appear in VGA
// text memory.
import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { VgaText } from 'rtjs:drivers/vga-text.js';
import { Ps2Keyboard } from 'rtjs:drivers/ps2-keyboard.js';
import { startVgaConsole } from 'rtjs:services/console.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Set 1 make codes: 6, Shift, 8 (with Shift: '*'), 7, Enter.
const SIX_TIMES_SEVEN_ENTER = [0x07, 0x87, 0x2a, 0x09, 0x89, 0xaa, 0x08, 0x88, 0x1c, 0x9c];

test('typing 6*7 and Enter on the keyboard shows 42 on the VGA screen', async () => {
  const data = rt.hw.ports(0x60, 1), status = rt.hw.ports(0x64, 1);
  const vga = new VgaText(rt.hw.memory(0xb8000, 4000), rt.hw.ports(0x3d4, 2));
  vga.clear();
  const keyboard = new Ps2Keyboard(data, status, rt.hw.irq(1));
  const console_ = startVgaConsole({ vga, keyboard });
  for (const b of SIX_TIMES_SEVEN_ENTER) {
    status.write8(0, 0xd2); // the controller delivers the byte as if the keyboard sent it
    data.write8(0, b);
    for (let i = 0; i < 50 && (status.read8(0) & 1); i++) await sleep(2);
  }
  await sleep(50);
  console_.close();
  keyboard.close();
  assertEqual([vga.rowText(0).trimEnd(), vga.rowText(1).trimEnd(), vga.rowText(2).trimEnd()], ['> 6*7', '42', '>']);
});

test('the serial console evaluates a line typed on the far terminal', async () => {
  let sent = '';
  let deliver = null;
  const serial = { write: (text) => { sent += text; }, onData: (fn) => { deliver = fn; } };
  const { startSerialConsole } = await import('rtjs:services/console.js');
  const console_ = startSerialConsole({ serial, exit: () => {} });
  deliver(new TextEncoder().encode('6*7\r'));
  await sleep(20);
  console_.close();
  assertEqual(/\r\n42\r\n/.test(sent), true, `serial output was ${JSON.stringify(sent)}`);
});
