// Imported first by every driver test: the tests need interrupt delivery from a machine (the
// simulated PC of rtjs-sim, or the rtjs kernel). The ring-0 platform's program run as a plain
// Linux process (the ring0-platform/ test variant) has neither IRQs nor port access, and a
// port access there is a fault: such a run stops here, saying so, with status 0.
let present = true;
try {
  const line = rt.hw.irq(23);
  line.on(() => {});
  line.off();
} catch (e) {
  present = false;
  console.log(`skipped: no hardware interrupts on this platform (${e.message})`);
}
if (!present) rt.exit(0);
export const hwPresent = present;
