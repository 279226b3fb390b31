// The machine's consoles as an app: a REPL on the VGA screen typed at with the PS/2
// keyboard, and one on COM1, side by side (js/services/system.js). Run it as the init app:
//   ./rtjs rtjs:apps/consoles.js          (rtjs-sim: the SDL2 window when there is a display)
// It runs until both consoles are left (.exit or Ctrl-D on each) or rt.exit is called.
import { startSystem } from '../services/system.js';

const system = startSystem();
for (const error of system.errors) console.error(`consoles: ${error}`);
if (system.consoles.length === 0) rt.exit(1);
