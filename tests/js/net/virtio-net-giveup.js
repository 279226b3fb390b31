// A simulated virtio-net that never stops misbehaving (rtjs-sim --virtio-fault bad-id@0+:
// every completion names a descriptor out of range): the driver reports each fault naming the
// device, resets it three times, then gives it up (FAILED); sending then fails with the error,
// and the rest of the system keeps running.
import { test, assertEqual, assertMatch } from '../harness.js';
import { PciBus } from '../../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { VirtioNet } from '../../../js/drivers/virtio-net.js';

const MAX_RESETS = 3;
const FAILED = 0x80; // device status FAILED (VIRTIO 1.2, 2.1)
const LOCAL_EXPERIMENTAL = 0x88b5; // IEEE Std 802, local experimental EtherType: nobody answers it
const ETH_MIN_FRAME = 60; // IEEE 802.3 minimum frame without its FCS

// A frame libslirp drops without a word. An ARP request to 10.0.2.2 was answered, and when the
// answer reached the receive queue before the driver had reset the device (a loaded host delays
// the driver), it made a fault on queue 0 besides the transmit faults counted here.
function unansweredFrame(mac) {
  const f = new Uint8Array(ETH_MIN_FRAME);
  f.fill(0xff, 0, 6);
  f.set(mac.split(':').map((b) => parseInt(b, 16)), 6);
  f[12] = LOCAL_EXPERIMENTAL >> 8;
  f[13] = LOCAL_EXPERIMENTAL & 0xff;
  return f;
}
const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === 1);
const transport = new VirtioPciTransport(pci, fn, 'virtio-net 00:04.0');
const nic = new VirtioNet(transport);
const errors = [];
let wake = null;
nic.onError((e) => { errors.push(e); if (wake) wake(); });

test(`the device is reset ${MAX_RESETS} times, then given up`, async () => {
  let sendError = null;
  // Each frame sent makes a completion, and each completion is a fault; stop when send refuses.
  for (let i = 0; i < 20 && !sendError; i++) {
    const seen = errors.length;
    try {
      nic.send(unansweredFrame(nic.mac));
    } catch (e) {
      sendError = e;
      break;
    }
    for (let j = 0; j < 120 && errors.length === seen; j++) await new Promise((r) => { wake = r; setTimeout(r, 500); });
    assertEqual(errors.length > seen, true, `no fault reported for frame ${i} (stats ${JSON.stringify(nic.stats)})`);
  }
  assertEqual(errors.length, MAX_RESETS + 1);
  for (const e of errors) {
    assertEqual([e.code, e.device], ['ERR_VIRTIO_DEVICE', 'virtio-net 00:04.0']);
    assertMatch(e.message, /^virtio-net 00:04\.0: queue 1: used element names descriptor \d+, out of range/);
  }
  assertEqual(nic.stats.deviceResets, MAX_RESETS + 1);
  assertEqual(sendError?.code, 'ERR_VIRTIO_DEVICE', `send after giving up: ${sendError}`);
  assertMatch(sendError.message, /^virtio-net 00:04\.0: /);
  assertEqual((transport.status & FAILED) !== 0, true, 'device status does not say FAILED');
});

test('the system keeps running: timers and a new app work', async () => {
  await new Promise((r) => setTimeout(r, 10));
  const h = rt.spawn({ source: 'rt.export({ ok: () => 42 });' }, { name: 'after' });
  assertEqual(await (await h.interface).ok(), 42);
  h.kill();
  nic.close();
});
