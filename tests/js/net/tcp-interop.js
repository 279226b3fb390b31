// One bulk TCP transfer between the JavaScript stack (over the virtio-net driver on a TAP
// backend) and Linux's own TCP (a Python peer in the network namespace), driven by
// tests/net/tcp-interop.test.sh. The app is 10.9.0.2/24; the peer is 10.9.0.1.
//   send PORT BYTES   connects, sends BYTES (numbered 64 KiB blocks), half-closes, waits for close
//   recv PORT         connects, receives until the peer closes
//   ... nosack        (last) the stack does not offer selective acknowledgements
// Prints "guest sent|received N sha256 HEX" and the connection's end, for the script to compare
// with what the peer printed; the TCP counters show the retransmissions faults caused.
import { createHash } from 'node:crypto';
import { PciBus } from '../../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { VirtioNet } from '../../../js/drivers/virtio-net.js';
import { NetStack } from '../../../js/services/net/stack.js';
import { parseIPv4 as ip } from '../../../js/services/net/addr.js';

const [mode, portArg, bytesArg] = rt.argv.filter((a) => a !== 'nosack');
const PORT = Number(portArg), BYTES = Number(bytesArg ?? 0);
if (!['send', 'recv'].includes(mode) || !(PORT > 0)) throw new Error('usage: tcp-interop.js send PORT BYTES | recv PORT');
const BLOCK = 65536;

const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === 1);
const nic = new VirtioNet(new VirtioPciTransport(pci, fn, 'virtio-net'));
const stack = new NetStack();
stack.addEthernet('eth0', nic);
stack.configure('eth0', { address: '10.9.0.2', prefix: 24 });
stack.tcp.sack = !rt.argv.includes('nosack');

const hash = createHash('sha256');
let count = 0, sack = null;
const t0 = performance.now();
const outcome = await new Promise((resolve) => {
  const c = stack.tcp.connect(ip('10.9.0.1'), PORT);
  let error = null;
  c.on('error', (e) => { error = e; });
  c.on('connect', () => { sack = c.info.sack; });
  c.on('close', () => resolve(error ? `error ${error.code}: ${error.message}` : 'closed cleanly'));
  if (mode === 'recv') {
    c.on('data', (d) => { hash.update(d); count += d.length; });
    c.on('end', () => c.end());
    return;
  }
  // Numbered blocks: a block delivered twice or out of place changes the digest.
  const block = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) block[i] = (i * 131 + (i >> 8) * 7) & 0xff;
  let n = 0;
  const pump = () => {
    while (count < BYTES) {
      const len = Math.min(BLOCK, BYTES - count);
      const b = block.slice(0, len);
      new DataView(b.buffer).setUint32(0, n++);
      hash.update(b);
      count += len;
      if (!c.write(b)) return;
    }
    c.end();
  };
  c.on('connect', pump);
  c.on('drain', pump);
  c.on('end', () => {});
});
const s = (performance.now() - t0) / 1000;
console.log(`guest ${mode === 'send' ? 'sent' : 'received'} ${count} sha256 ${hash.digest('hex')}`);
console.log(`connection: ${outcome}; ${(count / s / 1e6).toFixed(2)} MB/s`);
const t = stack.tcp.stats;
console.log(`tcp: retransmits ${t.retransmits} (${t.retransmittedBytes} bytes), fast ${t.fastRetransmits}, timeouts ${t.timeouts}, bad segments ${t.badSegments}; sack ${sack ? 'agreed' : 'not used'}`);
nic.close();
rt.exit(0);
