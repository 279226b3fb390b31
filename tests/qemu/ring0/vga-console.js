// The consoles of js/services/system.js on the kernel: the VGA REPL typed at with the PS/2
// keyboard (vga-console.test.sh types through QEMU's monitor and reads VGA memory back).
import { startSystem } from 'rtjs:services/system.js';

const system = startSystem({ vga: true, serial: false });
for (const e of system.errors) console.log(`error: ${e}`);
console.log('console ready');
