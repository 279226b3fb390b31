import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { startSystem } from 'rtjs:services/system.js';

test('the system starts the VGA and serial consoles side by side and claims their resources', () => {
  const sys = startSystem();
  assertEqual(sys.errors, []);
  assertEqual(sys.consoles.length, 2);
  assertEqual(sys.devices.length, 3);
  const owners = sys.resources.claims().irqs.map(([n, , owner]) => [n, owner]);
  assertEqual(owners, [[1, 'keyboard'], [4, 'com1']]);
  const text = rt.hw.memory(0xb8000, 4);
  assertEqual(String.fromCharCode(text.u8[0], text.u8[2]), '> ');
  for (const c of sys.consoles) c.close();
});
