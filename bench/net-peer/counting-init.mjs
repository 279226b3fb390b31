// rtjs's init for profiling the bench servers: as rtjs-init.mjs, and after each burst of
// traffic (counters moving, then still for a second) it prints what the burst cost: frames,
// TCP segments, device notifications and interrupts, and the CPU time (busyMs) of the network
// service and of the server app. Divided by the requests or megabytes the host sent, these
// are the per-request and per-MB figures in docs/network.md.
import { startNetwork } from 'rtjs:services/net/launch.js';

const { net } = await startNetwork();
const app = rt.spawn(rt.argv[0], { name: 'server', grant: { net } });

async function sample() {
  const [eth] = (await net.interfaces()).filter((i) => i.kind === 'ethernet');
  const { tcp } = await net.counters();
  const busy = Object.fromEntries(rt.apps().map((a) => [a.name, a.busyMs]));
  const d = eth.device ?? {};
  return { rxFrames: eth.rxFrames, txFrames: eth.txFrames, rxBytes: eth.rxBytes, txBytes: eth.txBytes,
    segIn: tcp.segmentsIn, segOut: tcp.segmentsOut, retransmits: tcp.retransmits, fastRetransmits: tcp.fastRetransmits, timeouts: tcp.timeouts,
    txDropped: d.txDropped, rxDropped: d.rxDropped,
    interrupts: d.interrupts, notifications: d.notifications, netMs: busy.net, serverMs: busy.server };
}

let base = await sample(), last = base;
const timer = setInterval(async () => {
  const now = await sample();
  const moved = now.rxFrames !== last.rxFrames || now.txFrames !== last.txFrames;
  last = now;
  if (moved || (now.rxFrames === base.rxFrames && now.txFrames === base.txFrames)) return;
  console.log('burst ' + Object.keys(now).map((k) => `${k}=${Math.round(now[k] - base[k])}`).join(' '));
  base = now;
}, 1000);
await app.exited;
clearInterval(timer);
