// PCI enumeration on the simulated PC: exactly the i440FX host bridge and the PIIX3 ISA bridge.
import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { PciBus, matchDrivers } from '../../../js/drivers/pci.js';

const pci = new PciBus(rt.hw.ports(0xcf8, 8));

test('enumeration lists exactly the simulated devices', () => {
  const found = pci.enumerate().map((d) => [d.bus, d.device, d.function, d.vendorId.toString(16), d.deviceId.toString(16)]);
  assertEqual(found, [[0, 0, 0, '8086', '1237'], [0, 1, 0, '8086', '7000']]);
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
