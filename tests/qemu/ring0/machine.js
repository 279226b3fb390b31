// The JavaScript drivers on the kernel, unchanged from the simulator: PCI
// enumeration and the CMOS clock through rt.hw capabilities, then power-off from JavaScript
// (init's exit status becomes the machine's). machine.test.sh compares the output with
// what QEMU itself reports.
import { PciBus } from 'rtjs:drivers/pci.js';
import { RtcDriver } from 'rtjs:drivers/rtc.js';

const hex = (n) => n.toString(16).padStart(4, '0');
const bus = new PciBus(rt.hw.ports(0xcf8, 8));
for (const d of bus.enumerate()) {
  console.log(`pci ${d.bus}:${d.device}.${d.function} ${hex(d.vendorId)}:${hex(d.deviceId)}`);
}
const rtc = new RtcDriver(rt.hw.ports(0x70, 2));
console.log(`rtc ${Math.floor(rtc.now().getTime() / 1000)}`);
rt.exit(Number(rt.argv[0] ?? 0));
