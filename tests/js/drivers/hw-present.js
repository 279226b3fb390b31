// Imported first by every driver test: the tests need interrupt delivery from a machine (the
// simulated PC of rtjs-sim, or the rtjs kernel). The ring-0 platform's program run as a plain
// Linux process has neither IRQs nor port access, and a port access there is a fault: such a
// run stops here, saying why, with status 77 (skipped; tests/rules.cmake).
const SKIPPED = 77;
let present = true;
try {
  const line = rt.hw.irq(23);
  line.on(() => {});
  line.off();
} catch (e) {
  present = false;
  console.log(`skipped: no hardware interrupts on this platform (${e.message})`);
}
if (!present) rt.exit(SKIPPED);
export const hwPresent = present;
