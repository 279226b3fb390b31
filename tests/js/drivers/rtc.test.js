import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { RtcDriver } from '../../../js/drivers/rtc.js';

test('the RTC agrees with the host clock within 2 s', () => {
  const rtc = new RtcDriver(rt.hw.ports(0x70, 2));
  const t = rtc.now().getTime();
  const diff = Math.abs(t - Date.now());
  assertEqual(diff < 2000, true, `RTC ${new Date(t).toISOString()} vs host ${new Date().toISOString()}`);
});

test('setting the RTC, in 12-hour binary mode too, and back', () => {
  const ports = rt.hw.ports(0x70, 2);
  const rtc = new RtcDriver(ports);
  const then = new Date(Date.UTC(2031, 11, 31, 23, 59, 30));
  rtc.set(then);
  assertEqual(Math.abs(rtc.now() - then) < 2000, true, `read ${rtc.now().toISOString()}`);
  ports.write8(0, 0x0b);
  const regB = ports.read8(1);
  ports.write8(1, 0x04); // binary, 12-hour
  const pm = new Date(Date.UTC(2024, 1, 29, 13, 5, 0));
  rtc.set(pm);
  ports.write8(0, 0x04);
  assertEqual(ports.read8(1), 0x80 | 1); // 1 PM
  assertEqual(Math.abs(rtc.now() - pm) < 2000, true, `read ${rtc.now().toISOString()}`);
  ports.write8(0, 0x0b);
  ports.write8(1, regB);
  rtc.set(new Date());
  assertEqual(Math.abs(rtc.now() - Date.now()) < 2000, true);
});
