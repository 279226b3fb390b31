import './hw-present.js';
import { test, assertEqual } from '../harness.js';
import { RtcDriver } from '../../../js/drivers/rtc.js';

test('the RTC agrees with the host clock within 2 s', () => {
  const rtc = new RtcDriver(rt.hw.ports(0x70, 2));
  const t = rtc.now().getTime();
  const diff = Math.abs(t - Date.now());
  assertEqual(diff < 2000, true, `RTC ${new Date(t).toISOString()} vs host ${new Date().toISOString()}`);
});
