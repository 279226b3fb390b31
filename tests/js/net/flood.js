// The frame flood through virtio-net and the TAP backend (tests/net/tap-flood.test.sh runs it
// against tests/net/frame-peer in a network namespace). Arguments: send|recv COUNT.
//   send: COUNT frames of ethertype 0x88b5 with sequence numbers, as fast as the ring takes
//         them, then end markers; prints the driver's counters.
//   recv: counts the peer's frames until its end marker; prints what arrived, duplicates,
//         and the driver's counters.
// Either way it samples the app's heap after 10% and at the end: the driver must not grow.
import { PciBus } from '../../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { VirtioNet } from '../../../js/drivers/virtio-net.js';

const [mode, countArg] = rt.argv;
const COUNT = Number(countArg);
const ETHERTYPE = 0x88b5, MAGIC_DATA = 0x72746a73, MAGIC_END = 0x656e6421;
if ((mode !== 'send' && mode !== 'recv') || !(COUNT > 0)) throw new Error('usage: flood.js send|recv COUNT');

const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === 1);
const nic = new VirtioNet(new VirtioPciTransport(pci, fn, 'virtio-net 00:04.0'));
// The V8 heap now (rt.apps()'s figure is refreshed only from time to time).
const heap = () => process.memoryUsage().heapUsed;
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

function frame(magic, seq) {
  const f = new Uint8Array(60);
  f.fill(0xff, 0, 6);
  f.set(nic.mac.split(':').map((h) => parseInt(h, 16)), 6);
  const v = new DataView(f.buffer);
  v.setUint16(12, ETHERTYPE);
  v.setUint32(14, magic);
  v.setUint32(18, seq);
  return f;
}

let heapEarly = 0;
const report = (what) => {
  const s = nic.stats;
  console.log(`${what}; driver tx ${s.txFrames} sent, ${s.txDropped} dropped (ring full), ${s.txErrors} errors; ` +
    `rx ${s.rxFrames} frames, ${s.rxDropped} dropped, ${s.rxErrors} errors; resets ${s.deviceResets}`);
  console.log(`heap after 10%: ${(heapEarly / 1048576).toFixed(1)} MB, at the end: ${(heap() / 1048576).toFixed(1)} MB`);
};

if (mode === 'send') {
  let seq = 0;
  const t0 = performance.now();
  while (seq < COUNT) {
    // A full ring is not a loss here: wait for completions (send() counted nothing lost).
    if (nic.send(frame(MAGIC_DATA, seq))) seq++;
    else await tick();
    if (seq === COUNT / 10) heapEarly = heap();
    if ((seq & 1023) === 0) await null;
  }
  while (nic.stats.txInFlight > 0) await tick();
  const ms = performance.now() - t0;
  for (let k = 0; k < 20; k++) { nic.send(frame(MAGIC_END, k)); await tick(); }
  report(`guest sent ${COUNT} frames in ${ms.toFixed(0)} ms (${(COUNT / ms * 1000).toFixed(0)} frames/s)`);
  nic.close();
} else {
  const seen = new Uint8Array(COUNT);
  let got = 0, dups = 0, done = false, wake = null, t0 = 0, tLast = 0;
  nic.onFrame((buf) => {
    const v = new DataView(buf);
    if (buf.byteLength < 22 || v.getUint16(12) !== ETHERTYPE) return;
    const magic = v.getUint32(14), seq = v.getUint32(18);
    if (magic === MAGIC_END) { done = true; if (wake) wake(); return; }
    if (magic !== MAGIC_DATA || seq >= COUNT) return;
    tLast = performance.now();
    if (!t0) t0 = tLast;
    if (seen[seq]++) { dups++; return; }
    got++;
    if (got === COUNT / 10) heapEarly = heap();
  });
  console.log('guest ready');
  while (!done) await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 200); });
  // First to last data frame: the wait for the end marker is not receiving.
  const ms = Math.max(tLast - t0, 1);
  report(`guest received ${got} of ${COUNT}, duplicates ${dups}, in ${ms.toFixed(0)} ms (${(got / ms * 1000).toFixed(0)} frames/s)`);
  nic.close();
}
