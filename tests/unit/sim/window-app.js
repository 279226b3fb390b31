// The VGA console app the window test types into (tests/unit/sim/window.test.sh): once the
// console shows the answer to the typed keys, prints that row and 'screen ready', then runs
// until the test, done grabbing the window, leaves 'grabbed' next to this file.
import { exists, waitFor } from './wait-for.js';
import { VgaText } from 'rtjs:drivers/vga-text.js';
import { Ps2Keyboard } from 'rtjs:drivers/ps2-keyboard.js';
import { startVgaConsole } from 'rtjs:services/console.js';

const vga = new VgaText(rt.hw.memory(0xb8000, 4000), rt.hw.ports(0x3d4, 2));
vga.clear();
const keyboard = new Ps2Keyboard(rt.hw.ports(0x60, 1), rt.hw.ports(0x64, 1), rt.hw.irq(1));
startVgaConsole({ vga, keyboard });

const grabbed = new URL('./grabbed', import.meta.url).pathname;
waitFor(() => vga.rowText(1).trimEnd() === '42', 'the console never showed 42', () => {
  console.log(vga.rowText(1).trimEnd());
  console.log('screen ready');
  waitFor(() => exists(grabbed), 'the test never grabbed the window', () => rt.exit(0));
});
