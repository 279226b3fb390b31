// Both consoles of the system service (tests/unit/sim/consoles.test.sh, and on a framebuffer
// tests/js/framebuffer/consoles.sh): once the keyboard's console shows the answer to the
// typed keys, prints the screen's first rows and 'screen ready', then runs until the
// screenshot the test asks for lies next to this file.
import { exists, waitFor } from './wait-for.js';
import { startSystem } from 'rtjs:services/system.js';

const sys = startSystem();
if (sys.errors.length) console.log(`errors: ${sys.errors.join('; ')}`);

const rows = () => [0, 1, 2].map((row) => sys.screen.rowText(row).trimEnd());

const screenshot = new URL('./screen.png', import.meta.url).pathname;
waitFor(() => rows().includes('42'), 'the console never showed 42', () => {
  for (const line of rows()) console.log(`vga: ${line}`);
  console.log('screen ready');
  waitFor(() => exists(screenshot), 'no screenshot after SIGUSR1', () => rt.exit(0));
});
