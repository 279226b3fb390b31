// A simulated virtio-net that misbehaves once (rtjs-sim --virtio-fault KIND@1: the
// completion of the first received frame is wrong): the driver reports an error naming the
// device and what was wrong, resets the device and brings it up again; the network works
// afterwards and the system keeps running.
import { test, assertEqual, assertMatch } from '../harness.js';
import { PciBus } from '../../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { VirtioNet } from '../../../js/drivers/virtio-net.js';
import { arpRequest, parseArp } from './frames.js';

const EXPECTED = {
  'used-jump': /^virtio-net 00:04\.0: queue 0: used index jumped from 0 to \d+ with \d+ buffers in flight$/,
  'bad-id': /^virtio-net 00:04\.0: queue 0: used element names descriptor \d+, out of range \(queue size \d+\)$/,
  'bad-len': /^virtio-net 00:04\.0: queue 0: used length \d+ is past the \d+-byte buffer of descriptor \d+$/,
}[rt.argv[0]];
if (!EXPECTED) throw new Error(`usage: virtio-net-fault.js used-jump|bad-id|bad-len (got ${rt.argv[0]})`);

const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === 1);
const nic = new VirtioNet(new VirtioPciTransport(pci, fn, 'virtio-net 00:04.0'));
const errors = [];
const frames = [];
let wake = null;
nic.onError((e) => { errors.push(e); if (wake) wake(); });
nic.onFrame((f) => { frames.push(f); if (wake) wake(); });
const until = async (cond, what) => {
  for (let i = 0; i < 120 && !cond(); i++) await new Promise((r) => { wake = r; setTimeout(r, 500); });
  if (!cond()) throw new Error(`${what} never happened (stats ${JSON.stringify(nic.stats)})`);
};
const arpReply = () => frames.some((f) => parseArp(f)?.op === 2);

test('the fault is reported naming the device, and the device is reset', async () => {
  nic.send(arpRequest(nic.mac, '10.0.2.15', '10.0.2.2'));
  await until(() => errors.length > 0, 'an error report');
  assertEqual([errors[0].name, errors[0].code, errors[0].device, errors[0].queue], ['VirtioError', 'ERR_VIRTIO_DEVICE', 'virtio-net 00:04.0', 0]);
  assertMatch(errors[0].message, EXPECTED);
  assertEqual(nic.stats.deviceResets, 1);
  assertEqual(frames.filter((f) => parseArp(f)).length, 0, 'the frame in the bad completion was delivered');
});

test('after the reset the device works again', async () => {
  assertEqual(nic.linkUp, true);
  nic.send(arpRequest(nic.mac, '10.0.2.15', '10.0.2.2'));
  await until(arpReply, 'an ARP reply after the reset');
  assertEqual(errors.length, 1);
  nic.close();
});
