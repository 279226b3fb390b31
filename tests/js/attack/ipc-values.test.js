// IPC with values that cannot be delivered, or that try to hurt the receiver: every one is a
// clear error at the app that sent it (a DataCloneError when the other side could not read
// it), never the receiver's uncaught error, and the receiver answers on.
import { test, assertEqual, assertMatch, rejection } from '../harness.js';

// The smallest valid WebAssembly module: the magic number and version 1.
const WASM = 'new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))';

let shared = null;
async function service() {
  if (!shared) {
    shared = rt.spawn({ source: `
      let calls = 0;
      rt.export({
        echo: (v) => { calls++; return v; },
        calls: () => calls,
        wasm: () => ${WASM},
        sab: () => new SharedArrayBuffer(8),
        call: (f, v) => f(v),
      });` }, { name: 'values' }).interface;
  }
  return shared;
}

async function assertAlive(svc) {
  assertEqual(await svc.echo('still here'), 'still here', 'the receiver answers on');
}

test('a WebAssembly.Module is a DataCloneError at the sender, both ways', async () => {
  const svc = await service();
  const before = await svc.calls();
  const err = await rejection(svc.echo(new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))));
  assertEqual(err.name, 'DataCloneError');
  assertMatch(err.message, /WebAssembly\.Module cannot be sent/);
  assertEqual(await svc.calls(), before, 'the call never reached the receiver');
  const back = await rejection(svc.wasm());
  assertEqual(back.name, 'DataCloneError');
  await assertAlive(svc);
});

test('a WebAssembly.Module sent to init fails the sender, init runs on', async () => {
  let got = 'not called';
  const h = rt.spawn({ source: `rt.grants.take(${WASM}).then(
    () => rt.export('delivered'), (e) => rt.export(e.name + ': ' + e.message));` },
  { name: 'wasm-sender', grant: { take: (v) => { got = v; } } });
  assertMatch(await h.interface, /^DataCloneError: a WebAssembly\.Module cannot be sent/);
  assertEqual(got, 'not called', 'init never received the module');
});

test('SharedArrayBuffers are refused both ways', async () => {
  if (typeof SharedArrayBuffer !== 'function') return;
  const svc = await service();
  assertEqual((await rejection(svc.echo(new SharedArrayBuffer(8)))).name, 'DataCloneError');
  assertEqual((await rejection(svc.echo({ deep: [new Int32Array(new SharedArrayBuffer(8))] }))).name, 'DataCloneError');
  assertEqual((await rejection(svc.sab())).name, 'DataCloneError');
  await assertAlive(svc);
});

test('proxies, symbols and throwing getters fail the sender only', async () => {
  const svc = await service();
  assertEqual((await rejection(svc.echo(new Proxy({}, {})))).name, 'DataCloneError');
  assertEqual((await rejection(svc.echo(Symbol('s')))).name, 'DataCloneError');
  const getter = await rejection(svc.echo({ get boom() { throw new RangeError('from a getter'); } }));
  assertEqual([getter.name, getter.message], ['RangeError', 'from a getter']);
  await assertAlive(svc);
});

test('rt.hw memory (a mapping, DMA) cannot be transferred to another app', async () => {
  const svc = await service();
  const vga = rt.hw.memory(0xb8000, 4000);
  const err = await rejection(svc.echo(rt.transfer(vga.buffer)));
  assertEqual(err.name, 'DataCloneError');
  assertMatch(err.message, /memory mapped by rt\.hw cannot be transferred/);
  assertEqual(vga.buffer.byteLength, 4000, 'the mapping is still this app\'s');
  let dma;
  try {
    dma = rt.hw.dma(4096);
  } catch (err) { // the ring-0 platform run on Linux has no DMA memory
    assertMatch(err.message, /not implemented/);
    return;
  }
  assertEqual((await rejection(svc.echo(rt.transfer(dma.buffer)))).name, 'DataCloneError');
  assertEqual(dma.buffer.byteLength, 4096);
  await assertAlive(svc);
});

test('transfer lists: duplicates move once, a detached buffer is a DataCloneError', async () => {
  const svc = await service();
  const buf = new Uint8Array([1, 2, 3]).buffer;
  const back = await svc.echo([rt.transfer(buf), rt.transfer(new Uint8Array(buf))]);
  assertEqual(buf.byteLength, 0, 'moved');
  assertEqual([back[0].byteLength, [...back[1]]], [3, [1, 2, 3]]);
  const err = await rejection(svc.echo(rt.transfer(buf)));
  assertEqual(err.name, 'DataCloneError');
  assertMatch(err.message, /not a transferable ArrayBuffer/);
  await assertAlive(svc);
});

test('a message nested too deeply for either side is an error at the caller only', async () => {
  const svc = await service();
  let deep = [];
  for (let i = 0; i < 200000; i++) deep = [deep];
  const err = await rejection(svc.echo(deep));
  assertEqual(err instanceof Error, true);
  assertMatch(`${err.name}: ${err.message}`, /DataCloneError|RangeError|stack/);
  await assertAlive(svc);
});

test('large messages arrive whole', async () => {
  const svc = await service();
  const big = { text: 'x'.repeat(1 << 16), list: Array.from({ length: 500 }, (_, i) => ({ i })) };
  const back = await svc.echo(big);
  assertEqual([back.text.length, back.list.length, back.list[499].i], [1 << 16, 500, 499]);
  await assertAlive(svc);
});

test('a flood of calls in one task arrives whole and in order (the receiver takes it in bounded tasks)', async () => {
  const h = rt.spawn({ source: `
    const seen = [];
    rt.export({ note: (i) => { seen.push(i); }, seen: () => seen });` }, { name: 'flooded' });
  const api = await h.interface;
  const calls = [];
  for (let i = 0; i < 3000; i++) calls.push(api.note(i));
  await Promise.all(calls);
  const seen = await api.seen();
  assertEqual(seen.length, 3000);
  assertEqual(seen.every((x, i) => x === i), true, 'in the order they were made');
  h.kill();
});

test('what an app sent before it ended is all handled before its end is', async () => {
  let count = 0;
  const h = rt.spawn({ source: `
    for (let i = 0; i < 1500; i++) rt.grants.tick(i).catch(() => {});
    rt.exit(0);` }, { name: 'burst', grant: { tick: () => { count++; } } });
  await h.exited;
  assertEqual(count, 1500, 'every call it made before it ended ran');
});
