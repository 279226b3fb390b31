// PCI enumeration on the simulated PC: exactly the i440FX host bridge, the PIIX3 ISA bridge
// and the simulator's test device (sim/pci-testdev.h).
import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { PciBus, matchDrivers } from '../../../js/drivers/pci.js';

const pci = new PciBus(rt.hw.ports(0xcf8, 8));

test('enumeration lists exactly the simulated devices', () => {
  const found = pci.enumerate().map((d) => [d.bus, d.device, d.function, d.vendorId.toString(16), d.deviceId.toString(16)]);
  assertEqual(found, [[0, 0, 0, '8086', '1237'], [0, 1, 0, '8086', '7000'], [0, 3, 0, '1234', '5153']]);
});

test('class codes and header types', () => {
  const [host, isa] = pci.enumerate();
  assertEqual([host.classCode, host.subclass, isa.classCode, isa.subclass], [6, 0, 6, 1]);
  assertEqual(isa.headerType, 0x80);
  assertEqual(host.bars, []);
  assertEqual(host.capabilities, []);
});

test('drivers are matched by vendor/device or by class', () => {
  const table = [{ vendorId: 0x8086, deviceId: 0x7000, driver: 'isa' }, { classCode: 6, subclass: 0, driver: 'host' }];
  assertEqual(matchDrivers(pci.enumerate(), table).map((m) => m.driver), ['host', 'isa']);
});

test('a read-only register stays put', () => {
  pci.write(0, 0, 0, 0, 0);
  assertEqual(pci.read(0, 0, 0, 0), 0x12378086);
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('BARs are sized (I/O and 64-bit memory), capabilities listed, INTA routed', () => {
  const dev = pci.enumerate().find((d) => d.vendorId === 0x1234);
  assertEqual(dev.bars.map((b) => [b.index, b.type, b.size]), [[0, 'io', 32], [2, 'mem64', 4096]]);
  assertEqual(dev.bars[1].prefetchable, true);
  assertEqual(dev.capabilities.map((c) => [c.id, c.offset]), [[0x01, 0x40], [0x09, 0x48]]);
  assertEqual([dev.interruptPin, dev.interruptLine], [1, 11]);
});

test('a device programmed through its BARs: registers, memory, interrupt, DMA', async () => {
  // Place BAR0 at 0xc000 and BAR2 at 0x1_f000_0000, then enable I/O, memory and bus mastering.
  pci.write(0, 3, 0, 0x10, 0xc000);
  pci.write(0, 3, 0, 0x18, 0xf0000000);
  pci.write(0, 3, 0, 0x1c, 0x1);
  pci.write(0, 3, 0, 0x04, 0x7, 2);
  const regs = rt.hw.ports(0xc000, 32);
  assertEqual(regs.read32(0), 0x7274736d);
  regs.write32(4, 0xdeadbeef);
  assertEqual(regs.read32(4), 0xdeadbeef);
  const bar2 = rt.hw.memory(0x1f0000000, 4096);
  bar2.u8.set([1, 2, 3, 4]);
  const dma = rt.hw.dma(4096);
  regs.write32(0x0c, dma.phys);
  regs.write32(0x10, 4);
  regs.write32(0x14, 1); // device memory -> guest RAM
  assertEqual(regs.read32(0x14), 0);
  assertEqual([...new Uint8Array(dma.buffer, 0, 4)], [1, 2, 3, 4]);
  const irq = rt.hw.irq(11);
  let fired = 0;
  irq.on(() => { fired++; regs.write32(8, 0); irq.ack(); });
  regs.write32(8, 1);
  for (let i = 0; i < 50 && !fired; i++) await sleep(2);
  irq.off();
  assertEqual(fired, 1);
});
