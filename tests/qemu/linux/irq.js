// RTC periodic interrupt (IRQ 8) at 64 Hz while a JS timer also runs: the kernel's event
// wait must return for both.
const cmos = rt.hw.ports(0x70, 2);
const reg = (r) => { cmos.write8(0, 0x80 | r); return cmos.read8(1); };
const set = (r, v) => { cmos.write8(0, 0x80 | r); cmos.write8(1, v); };
const irq = rt.hw.irq(8);
let n = 0, timerFired = false;
const t0 = performance.now();
irq.on(() => {
  reg(0x0c); // reading C acknowledges the RTC
  n++;
  if (n === 20) {
    set(0x0b, reg(0x0b) & ~0x40);
    irq.off();
    console.log(`rtc irqs ${n} in ${Math.round(performance.now() - t0)} ms, timer ${timerFired}`);
    rt.exit(0);
    return;
  }
  irq.ack();
});
set(0x0a, (reg(0x0a) & 0xf0) | 0x0a); // rate 10: 64 Hz
set(0x0b, reg(0x0b) | 0x40);          // periodic interrupt enable
reg(0x0c);
setTimeout(() => { timerFired = true; console.log('timer fired while waiting for IRQs'); }, 30);
