import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { Ps2Keyboard, ScancodeDecoder } from '../../../js/drivers/ps2-keyboard.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function typed(bytes) {
  const d = new ScancodeDecoder();
  return bytes.map((b) => d.feed(b)).filter((e) => e && e.pressed).map((e) => e.key);
}

test('set 1 decoding: shift, caps lock, extended keys, unknown codes ignored', () => {
  assertEqual(typed([0x07, 0x87, 0x2a, 0x09, 0x89, 0xaa, 0x08, 0x88, 0x1c, 0x9c]), ['6', 'Shift', '*', '7', 'Enter']);
  assertEqual(typed([0x3a, 0xba, 0x1e, 0x9e, 0x2a, 0x1e, 0x9e, 0xaa]), ['CapsLock', 'A', 'Shift', 'a']);
  assertEqual(typed([0xe0, 0x48, 0xe0, 0xc8, 0x7e, 0x55]), ['ArrowUp']);
  assertEqual(typed([0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x1e]), ['Pause', 'a']); // Pause is not Ctrl
});

test('modifiers are reported with each key', () => {
  const d = new ScancodeDecoder();
  d.feed(0x1d);
  const ev = d.feed(0x2e);
  assertEqual([ev.key, ev.ctrl, ev.shift, ev.alt], ['c', true, false, false]);
});

test('the driver initialises the 8042 and delivers keys from IRQ 1', async () => {
  const data = rt.hw.ports(0x60, 1), status = rt.hw.ports(0x64, 1);
  const kbd = new Ps2Keyboard(data, status, rt.hw.irq(1));
  const keys = [];
  kbd.onKey((ev) => { if (ev.pressed) keys.push(ev.key); });
  // Controller command 0xD2 puts a byte in the output buffer as if the keyboard sent it.
  for (const b of [0x2a, 0x23, 0xa3, 0xaa, 0x17, 0x97]) {
    status.write8(0, 0xd2);
    data.write8(0, b);
    for (let i = 0; i < 50 && (status.read8(0) & 1); i++) await sleep(2);
  }
  await sleep(20);
  kbd.close();
  assertEqual(keys, ['Shift', 'H', 'i']);
});
