// The VGA console app the window test types into (tests/unit/sim/window.test.sh).
import { VgaText } from 'rtjs:drivers/vga-text.js';
import { Ps2Keyboard } from 'rtjs:drivers/ps2-keyboard.js';
import { startVgaConsole } from 'rtjs:services/console.js';

const vga = new VgaText(rt.hw.memory(0xb8000, 4000), rt.hw.ports(0x3d4, 2));
vga.clear();
const keyboard = new Ps2Keyboard(rt.hw.ports(0x60, 1), rt.hw.ports(0x64, 1), rt.hw.irq(1));
startVgaConsole({ vga, keyboard });
const ms = 2500;
setTimeout(() => {
  console.log(vga.rowText(1).trimEnd());
  rt.exit(0);
}, ms);
