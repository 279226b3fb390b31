// virtio-net as a service app (js/services/netdev.js): the driver app holds the device's
// resources and nothing else; init, holding the interface, sends an ARP request and gets
// slirp's reply as ArrayBuffers that move between the apps (the sender's buffer is detached).
// An app without the device's resources cannot drive it.
import { test, assertEqual, assertMatch } from '../harness.js';
import { PciBus } from '../../../js/drivers/pci.js';
import { virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { netdevResources } from '../../../js/services/netdev.js';
import { arpRequest, parseArp } from './frames.js';

const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === 1);
const h = rt.spawn('rtjs:services/netdev.js', { name: 'netdev', args: [fn.bus, fn.device, fn.function].map(String), resources: netdevResources(fn) });
const nic = await h.interface;

test('the service reports the device', async () => {
  const info = await nic.info();
  assertEqual([info.mac, info.linkUp], ['52:54:00:12:34:56', true]);
});

test('frames move between the apps: an ARP request out, slirp\'s reply in', async () => {
  let replied;
  const reply = new Promise((resolve) => { replied = resolve; });
  await nic.receive((frames) => {
    for (const f of frames) {
      assertEqual(f instanceof ArrayBuffer, true);
      const a = parseArp(f);
      if (a && a.op === 2) replied(a);
    }
  });
  const frame = arpRequest('52:54:00:12:34:56', '10.0.2.15', '10.0.2.2');
  assertEqual(await nic.send(rt.transfer(frame)), true);
  assertEqual(frame.byteLength, 0, 'the frame was copied, not moved');
  const a = await reply;
  assertEqual([a.senderIp, a.targetIp], ['10.0.2.2', '10.0.2.15']);
  const s = await nic.stats();
  assertEqual([s.txFrames + s.txInFlight >= 1, s.rxFrames >= 1], [true, true]);
});

test('an app handed the device without the net.raw permission cannot send or receive frames', async () => {
  const app = rt.spawn({ source: `
    const out = [];
    for (const f of [() => rt.grants.nic.send(new ArrayBuffer(60)), () => rt.grants.nic.receive(() => {})]) {
      try { await f(); out.push('allowed'); } catch (e) { out.push(e.code + ' ' + e.message); }
    }
    rt.export(out);` }, { name: 'no-raw', permissions: { net: { connect: ['*:*'] } }, grant: { nic } });
  const out = await app.interface;
  app.kill();
  assertEqual(out.length, 2);
  for (const line of out) assertMatch(line, /^ERR_ACCESS_DENIED app 'no-raw' \(id \d+\) may not send or receive raw frames \(permission net\.raw\): grant it with --allow-net=raw/);
});

test('an app without the device\'s resources cannot drive it', async () => {
  const intruder = rt.spawn({ source: `
    import { PciBus } from 'rtjs:drivers/pci.js';
    let error = 'no error';
    try { new PciBus(rt.hw.ports(0xcf8, 8)).enumerate(); } catch (e) { error = e.message; }
    try { rt.hw.msi(); } catch (e) { error += ' / ' + e.message; }
    rt.export({ error });` }, { name: 'intruder' });
  const { error } = await intruder.interface;
  assertMatch(error, /^app 'intruder' \(id \d+\) does not hold I\/O port 0xcf8 \(4 bytes\) \/ .*does not hold DMA memory/);
  intruder.kill();
  h.kill();
});
