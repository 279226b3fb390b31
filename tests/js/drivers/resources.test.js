import { test, assertEqual, assertThrows } from '../harness.js';
import { ResourceManager } from '../../../js/services/resources.js';

test('a driver gets only its ports; another driver cannot claim them', () => {
  const rm = new ResourceManager(rt.hw);
  const com1 = rm.ports('serial', 0x3f8, 8);
  assertEqual([com1.base, com1.length], [0x3f8, 8]);
  assertThrows(() => rm.ports('intruder', 0x3fc, 2), /I\/O ports 0x3fc-0x3fd overlap 0x3f8-0x3ff held by 'serial'/);
  rm.release('serial');
  assertEqual(rm.ports('other', 0x3fc, 2).base, 0x3fc);
});

test('a capability narrows but never widens', () => {
  const rm = new ResourceManager(rt.hw);
  const kbd = rm.ports('kbd', 0x60, 1);
  assertThrows(() => kbd.read8(1), /RangeError: port offset 1 .*outside I\/O ports 0x60-0x60/);
  assertThrows(() => kbd.subrange(0, 2), /RangeError: .*0x60-0x60/);
  const vga = rm.memory('vga', 0xb8000, 4000);
  assertThrows(() => vga.subrange(3990, 20), /RangeError: memory subrange 3990\+20 is outside 0xb8000-0xb8f9f/);
  assertEqual(vga.subrange(160, 160).base, 0xb8000 + 160);
});

test('a driver denied a foreign port by the binding', async () => {
  const app = rt.spawn({ source: `
    try { rt.hw.ports(0x60, 1).read8(0); rt.exit(0); }
    catch (e) { console.log(String(e)); rt.exit(e.message.includes('0x60') ? 3 : 4); }` },
  { name: 'denied', resources: { ports: [[0x3f8, 8]] } });
  assertEqual((await app.exited).code, 3);
});

test('IRQ and DMA grants name what is missing', () => {
  const rm = new ResourceManager({ ...rt.hw, resources: () => ({ ports: [[0x3f8, 8]], memory: [], irqs: [4], dma: false }) });
  assertThrows(() => rm.irq('kbd', 1), /IRQ 1 for 'kbd' is not held/);
  assertThrows(() => rm.ports('kbd', 0x60, 1), /I\/O ports 0x60-0x60 for 'kbd' are not held/);
  assertThrows(() => rm.dma('net', 4096), /DMA for 'net'/);
  assertEqual(rm.grant('serial', { ports: [[0x3f8, 8]], irqs: [4] }), { ports: [[0x3f8, 8]], memory: [], irqs: [4], dma: false });
});
