// An app's memory (heap + ArrayBuffers + code) is bounded by its limit: past it the app is
// refused or ended, alone; the rest of the system answers afterwards.
import { test, assertEqual, assertMatch } from '../harness.js';
import { hostile, assertAlive } from './hostile.js';

const oom = { code: 1, reason: 'out-of-memory' };

test('one allocation far past the heap limit (20 million elements) ends the app, not the runtime', async () => {
  assertEqual(await hostile('const a = new Array(20e6).fill(1.5); rt.exit(9);', { heapLimitMb: 16 }), oom);
  await assertAlive();
});

test('eval of a 20 MB source in a 16 MB app does not end the runtime', async () => {
  // Under emulation the parse alone can outlast any sensible budget: the watchdog may end it.
  const end = await hostile('eval("1+".repeat(10e6) + "1"); rt.exit(9);', { heapLimitMb: 16, budgetMs: 2000 });
  if (!(end.reason === 'out-of-memory' || end.reason === 'watchdog' || (end.reason === 'exit' && end.code === 9))) {
    throw new Error(`ended ${JSON.stringify(end)}`);
  }
  await assertAlive();
});

test('ArrayBuffer memory counts against the app\'s limit', async () => {
  // A 32 MB app could once hold gigabytes in buffers.
  assertEqual(await hostile('const keep = []; for (;;) keep.push(new ArrayBuffer(1 << 20));', { heapLimitMb: 32 }), oom);
  assertEqual(await hostile('const b = new ArrayBuffer(2 ** 31); rt.exit(9);', { heapLimitMb: 32 }), oom);
  // A refused allocation is a RangeError the app may catch, and then it goes on.
  assertEqual(await hostile('try { new Uint8Array(64 << 20); } catch (e) { rt.exit(e instanceof RangeError ? 9 : 5); }',
    { heapLimitMb: 32 }), { code: 9, reason: 'exit' });
  // Within the limit all is well, and the memory is reported.
  const h = rt.spawn({ source: 'const b = new ArrayBuffer(8 << 20); rt.export({ used: () => b.byteLength });' },
    { name: 'holds-8mb', heapLimitMb: 32 });
  assertEqual(await (await h.interface).used(), 8 << 20);
  const entry = rt.apps().find((a) => a.id === h.id);
  assertEqual(entry.heapLimitMb, 32);
  h.kill();
  await h.exited;
  await assertAlive();
});

test('a transferred buffer is charged to the app that receives it', async () => {
  // 20 MB made, moved out, then 20 MB more: fits in 32 MB only if the first left the account.
  const giver = rt.spawn({ source: `rt.export({
      give: () => rt.transfer(new ArrayBuffer(20 << 20)),
      more: () => { globalThis.kept = new ArrayBuffer(20 << 20); return kept.byteLength; },
    });` }, { name: 'giver', heapLimitMb: 32 });
  const g = await giver.interface;
  const received = await g.give();
  assertEqual(received.byteLength, 20 << 20);
  assertEqual(await g.more(), 20 << 20, 'the giver may allocate again once its buffer moved out');
  // 20 MB received by a 32 MB app: 20 MB more no longer fits (a RangeError in the taker,
  // which reaches the caller), 4 MB still does.
  const taker = rt.spawn({ source: `rt.export({
      take: (b) => { globalThis.kept = b; return b.byteLength; },
      more: (mb) => { globalThis.more = new ArrayBuffer(mb << 20); return more.byteLength; },
    });` }, { name: 'taker', heapLimitMb: 32 });
  const t = await taker.interface;
  assertEqual(await t.take(rt.transfer(new ArrayBuffer(20 << 20))), 20 << 20);
  const refused = await t.more(20).then(() => 'allocated', (e) => `${e.name}: ${e.message}`);
  assertMatch(refused, /^RangeError: .*allocation failed/);
  assertEqual(await t.more(4), 4 << 20);
  taker.kill();
  await taker.exited;
  giver.kill();
  await giver.exited;
  await assertAlive();
});

test('one message larger than a quarter of the receiver\'s heap limit is refused before it is read', async () => {
  const service = rt.spawn({ source: `let calls = 0;
    rt.export({ take: (s) => { calls++; return s.length; }, calls: () => calls });` },
  { name: 'small-service', heapLimitMb: 16 });
  const svc = await service.interface;
  const refused = await svc.take('x'.repeat(5 << 20)).then(() => null, (e) => e);
  assertEqual(refused && refused.name, 'DataCloneError');
  assertMatch(refused.message, /^app 'small-service' \(id \d+\) could not read the arguments: the message's \d+ bytes are more than the 4194304 it reads in one message/);
  assertEqual(await svc.calls(), 0, 'the function never ran');
  assertEqual(await svc.take('x'.repeat(3 << 20)), 3 << 20, 'a message under the limit is read');
  service.kill();
  await service.exited;
  await assertAlive();
});

test('a message past 64 MiB is refused at the sender (ERR_IPC_MESSAGE_TOO_LARGE); a moved buffer is not', async () => {
  const sizer = rt.spawn({ source: 'rt.export({ size: (b) => b.byteLength });' }, { name: 'sizer' });
  const s = await sizer.interface;
  const tooLarge = async (value) => {
    const err = await s.size(value).then(() => null, (e) => e);
    assertEqual(err && err.code, 'ERR_IPC_MESSAGE_TOO_LARGE');
    assertEqual(err.name, 'DataCloneError');
    assertMatch(err.message, /larger than the 67108864 bytes one message between apps may carry/);
  };
  await tooLarge(new ArrayBuffer(200 << 20)); // refused while it is written
  const just = new ArrayBuffer((64 << 20) + 1);
  await tooLarge(just);                       // refused by its final size
  assertEqual(just.byteLength, (64 << 20) + 1, 'nothing was taken from the sender');
  assertEqual(await s.size(rt.transfer(just)), (64 << 20) + 1);
  sizer.kill();
  await sizer.exited;
  await assertAlive();
});
