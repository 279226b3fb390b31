// A network device as a service app: the virtio-net driver runs here, alone with its
// device's resources, and whoever holds this app's interface (the network stack) sends and
// receives Ethernet frames as ArrayBuffers that move between the apps (rt.transfer), never
// copied between them.
//
// Spawn it with the PCI function's resources and its address as arguments:
//   const h = rt.spawn('rtjs:services/netdev.js', { args: ['0', '4', '0'], resources: netdevResources(fn) });
//   const nic = await h.interface;
//   await nic.receive((frames) => { for (const f of frames) ... });   // batches, each frame moved
//   await nic.send(rt.transfer(frame));                              // true, or false: ring full
//
// Interface (every member a function; results are promises on the caller's side):
//   info()          { mac, linkUp, offloads, interrupts }
//   send(frame)     queues one frame (ArrayBuffer or view); false when the transmit ring is full
//   receive(fn)     fn(frames) is called with each batch of received frames (one subscriber);
//                   while MAX_BATCHES_IN_FLIGHT batches are unanswered, frames are dropped and
//                   counted (stats().rxDropped), so a slow subscriber cannot grow this app
//   onLink(fn)      fn(up) on every link change
//   stats()         the driver's counters
import { PciBus, pciFunctionResources } from 'rtjs:drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from 'rtjs:drivers/virtio/index.js';
import { VirtioNet } from 'rtjs:drivers/virtio-net.js';
import { check } from 'rtjs:services/access/broker.js';

const VIRTIO_ID_NET = 1;
const MAX_BATCHES_IN_FLIGHT = 64;

/** The resources a netdev app needs for PCI function `fn` (as PciBus.describe gives it). */
export function netdevResources(fn) {
  return pciFunctionResources(fn);
}

async function main() {
  const [bus, dev, func] = rt.argv.map(Number);
  const pci = new PciBus(rt.hw.ports(0xcf8, 8));
  const fn = pci.describe(bus, dev, func);
  if (virtioDeviceId(fn) !== VIRTIO_ID_NET) throw new Error(`netdev: ${rt.argv.join(':')} is not a virtio-net function`);
  const name = `virtio-net ${bus.toString(16).padStart(2, '0')}:${dev.toString(16).padStart(2, '0')}.${func}`;
  const nic = new VirtioNet(new VirtioPciTransport(pci, fn, name));
  let subscriber = null, inFlight = 0, dropped = 0, linkFn = null;
  let batch = [];
  nic.onFrame((frame) => {
    if (!subscriber || inFlight >= MAX_BATCHES_IN_FLIGHT) { dropped++; return; }
    batch.push(frame);
    if (batch.length === 1) queueMicrotask(flush); // one message per interrupt's worth of frames
  });
  function flush() {
    const frames = batch;
    batch = [];
    inFlight++;
    subscriber(frames.map((f) => rt.transfer(f))).catch(() => {}).finally(() => { inFlight--; });
  }
  nic.onLink((up) => { if (linkFn) linkFn(up).catch(() => {}); });
  // Raw frames can carry any address: sending and receiving them is the net.raw permission
  // of the app calling (js/services/access/).
  const raw = () => check(rt.caller ?? rt.self.id, 'net.raw');
  rt.export({
    info: () => ({ mac: nic.mac, linkUp: nic.linkUp, offloads: nic.offloads, interrupts: nic.interrupts }),
    send: (frame) => { raw(); return nic.send(frame); },
    receive: (fn) => { raw(); subscriber = fn; },
    onLink: (fn) => { linkFn = fn; },
    stats: () => ({ ...nic.stats, rxDropped: nic.stats.rxDropped + dropped }),
  });
}

if (rt.self.parentId !== 0 && rt.argv.length === 3) await main();
