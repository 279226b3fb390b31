// virtio-net through the JS driver against libslirp (rtjs-sim --net user, or QEMU's
// -netdev user): the device is found and negotiated, the MAC is the one given, the link is
// up; an ARP request for 10.0.2.2 gets slirp's reply and a DHCPDISCOVER gets an offer of
// 10.0.2.15. Interrupts carry every completion (the test never polls the rings), by MSI-X
// (a vector per queue) or by INTx: arguments [mac] [msix|intx].
import { test, assertEqual } from '../harness.js';
import { PciBus } from '../../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { VirtioNet } from '../../../js/drivers/virtio-net.js';
import { arpRequest, parseArp, dhcpDiscover, parseDhcp } from './frames.js';

const EXPECTED_MAC = rt.argv[0] ?? '52:54:00:12:34:56';
const MODE = rt.argv[1] ?? 'msix';
const VIRTIO_ID_NET = 1;

const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_NET);
if (!fn) throw new Error('no virtio-net PCI function on this machine');
const where = `${fn.bus.toString(16).padStart(2, '0')}:${fn.device.toString(16).padStart(2, '0')}.${fn.function}`;
const nic = new VirtioNet(new VirtioPciTransport(pci, fn, `virtio-net ${where}`), { rxBufferSize: 1024, msix: MODE === 'msix' });

// Frames wait here for whoever asks; each wait has a hang guard only.
const inbox = [];
let wake = null;
nic.onFrame((frame) => { inbox.push(frame); if (wake) wake(); });
async function waitFor(match, what) {
  const deadline = Date.now() + 60000;
  for (;;) {
    for (let i = 0; i < inbox.length; i++) {
      const m = match(inbox[i]);
      if (m) { inbox.splice(i, 1); return m; }
    }
    if (Date.now() > deadline) throw new Error(`no ${what} within 60 s (stats ${JSON.stringify(nic.stats)})`);
    await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 500); });
  }
}

test('the device is found, negotiated, link up with the MAC given', () => {
  assertEqual(nic.mac, EXPECTED_MAC);
  assertEqual(nic.linkUp, true);
  console.log(`${where}: mac ${nic.mac}, offloads ${JSON.stringify(nic.offloads)}`);
});

test('an ARP request for 10.0.2.2 gets slirp\'s reply', async () => {
  assertEqual(nic.send(arpRequest(nic.mac, '10.0.2.15', '10.0.2.2')), true);
  const reply = await waitFor((f) => { const a = parseArp(f); return a && a.op === 2 ? a : null; }, 'ARP reply');
  assertEqual([reply.senderIp, reply.targetIp], ['10.0.2.2', '10.0.2.15']);
  assertEqual(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(reply.senderMac), true);
  console.log(`10.0.2.2 is at ${reply.senderMac}`);
});

test('a DHCPDISCOVER gets an offer of 10.0.2.15', async () => {
  const xid = 0x52544a53;
  assertEqual(nic.send(dhcpDiscover(nic.mac, xid)), true);
  const offer = await waitFor((f) => { const d = parseDhcp(f); return d && d.xid === xid ? d : null; }, 'DHCP offer');
  assertEqual([offer.type, offer.yiaddr, offer.server], [2, '10.0.2.15', '10.0.2.2']);
});

test('counters add up: frames sent completed, frames received counted', async () => {
  const s = nic.stats;
  assertEqual(s.txFrames + s.txInFlight, 2);
  assertEqual(s.rxFrames >= 2, true, `rxFrames ${s.rxFrames}`);
  assertEqual([s.txDropped, s.txErrors, s.rxErrors, s.deviceResets], [0, 0, 0, 0]);
  console.log(`stats ${JSON.stringify(s)}`);
  const irq = nic.interrupts;
  assertEqual([irq.mode, irq.count > 0], [MODE, true], 'interrupts');
  console.log(`interrupts: ${irq.count} by ${irq.mode} ${irq.mode === 'msix' ? `(${irq.vectors} vectors)` : `on line ${irq.line}`}`);
  nic.close();
});
