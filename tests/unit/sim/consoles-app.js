// Both consoles of the system service; prints the VGA screen's first rows when done
// (tests/unit/sim/consoles.test.sh).
import { startSystem } from 'rtjs:services/system.js';

const sys = startSystem();
if (sys.errors.length) console.log(`errors: ${sys.errors.join('; ')}`);
setTimeout(() => {
  const text = rt.hw.memory(0xb8000, 4000).u8;
  for (let row = 0; row < 3; row++) {
    let line = '';
    for (let col = 0; col < 80; col++) line += String.fromCharCode(text[2 * (row * 80 + col)]);
    console.log(`vga: ${line.trimEnd()}`);
  }
  rt.exit(0);
}, 2000);
