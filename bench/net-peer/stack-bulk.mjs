// The TCP/IP stack alone: a bulk transfer between two NetStacks in one thread, over NICs
// that behave as virtio-net does for the stack (segments built in a lent transmit slot, frames
// received into a ring of buffers and lent, or sliced out for a stack that does not ask for
// lending; delivery in batches, one task each). No device, no IPC: what it costs is the
// stack's JavaScript for a data segment at one end and its share of ACKs at the other.
// In the rtjs guest under QEMU's -icount shift=0 (bench/net-peer/stack-icount.sh) the clock
// runs one nanosecond per guest instruction, so the elapsed milliseconds are millions of
// instructions; under Node (node bench/net-peer/stack-bulk.mjs js/services/net 32 8
// --cpu-prof) it gives a profile of the same code with the same V8.
// usage: stack-bulk.mjs NET_DIR [MB=32] [WARMUP_MB=8]   NET_DIR: a js/services/net directory
const args = globalThis.rt ? rt.argv : process.argv.slice(2);
const dir = args[0].startsWith('/') ? args[0] : `${process.cwd()}/${args[0]}`;
const { NetStack } = await import(`${dir}/stack.js`);
const { parseIPv4 } = await import(`${dir}/addr.js`);
const MB = Number(args[1] ?? 32), WARMUP_MB = Number(args[2] ?? 8);
const SLOT = 2048, SLOTS = 256, VIRTIO_HEADER = 12;   // virtio-net's transmit slot and header

function nic(n) {
  const tx = new ArrayBuffer(SLOT * SLOTS), txBytes = new Uint8Array(tx);
  const rx = new ArrayBuffer(SLOT * SLOTS), rxBytes = new Uint8Array(rx);
  let txNext = 0, rxNext = 0;
  const self = {
    mac: `02:00:00:00:00:0${n}`, linkUp: true, peer: null, listener: null, lend: false, queue: [], scheduled: false, frames: 0,
    onFrame(fn, options) { self.listener = fn; self.lend = !!options?.lend; },
    frameBuffer(length) { return new Uint8Array(tx, txNext * SLOT + VIRTIO_HEADER, length); },
    send(frame) {
      const at = txNext * SLOT + VIRTIO_HEADER;
      txNext = (txNext + 1) % SLOTS;
      if (frame.buffer !== tx) txBytes.set(frame, at);
      self.frames++;
      // On the wire: the other end's device writes it into a receive buffer on a later task.
      const to = self.peer;
      to.queue.push(tx.slice(at, at + frame.length));
      if (!to.scheduled) {
        to.scheduled = true;
        setImmediate(() => {
          to.scheduled = false;
          const q = to.queue;
          to.queue = [];
          for (const f of q) to.receive(f);
        });
      }
      return true;
    },
    receive(f) {
      const at = rxNext * SLOT + VIRTIO_HEADER;
      rxNext = (rxNext + 1) % SLOTS;
      rxBytes.set(new Uint8Array(f), at);
      self.listener(self.lend ? new Uint8Array(rx, at, f.byteLength) : rx.slice(at, at + f.byteLength), { checksumValid: false });
    },
  };
  return self;
}

const na = nic(1), nb = nic(2);
na.peer = nb; nb.peer = na;
const a = new NetStack(), b = new NetStack();
a.addEthernet('eth0', na); b.addEthernet('eth0', nb);
a.configure('eth0', { address: '10.0.2.15', prefix: 24 });
b.configure('eth0', { address: '10.0.2.2', prefix: 24 });
let received = 0, wanted = 0, arrived = null;
b.tcp.listen(9001).onConnection((c) => c.on('data', (d) => { received += d.length; if (received >= wanted) arrived?.(); }));
const c = a.tcp.connect(parseIPv4('10.0.2.2'), 9001);
await new Promise((resolve) => c.on('connect', resolve));
const CHUNK = new Uint8Array(64 * 1024).fill(0x61);

async function move(mb) {
  wanted = received + mb * 1048576;
  let left = mb * 1048576;
  const done = new Promise((resolve) => { arrived = resolve; });
  const pump = () => { while (left > 0) { left -= CHUNK.length; if (!c.write(CHUNK)) return; } };
  c.on('drain', pump);
  pump();
  await done;
  c.off('drain', pump);
}

await move(WARMUP_MB);
const frames = [na.frames, nb.frames], t0 = performance.now();
await move(MB);
const ms = performance.now() - t0, segments = na.frames - frames[0];
console.log(`stack-bulk ${MB} MiB after ${WARMUP_MB}: ${segments} data segments, ${nb.frames - frames[1]} ACKs, ${ms.toFixed(1)} ms, ` +
  `${(ms * 1000 / segments).toFixed(2)} us per data segment (under -icount shift=0: thousands of guest instructions)`);
if (!globalThis.rt) process.exit(0);
