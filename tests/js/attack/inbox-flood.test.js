// A sender cannot fill another app's inbox: what it has queued for one receiver and the
// receiver has not handled yet is bounded (64 MiB, ipc.h), so a flood of messages each under
// the per-message bound is refused at the sender, and the receiver and the runtime go on.
import { test, assertEqual, assertMatch } from '../harness.js';
import { assertAlive } from './hostile.js';

const CALLS = 100;

test('calls past 64 MiB queued for one receiver are refused at the sender (ERR_IPC_INBOX_FULL)', async () => {
  const service = rt.spawn({ source: `let calls = 0, bytes = 0;
    rt.export({ take: (s) => { calls++; bytes += s.length; }, count: () => [calls, bytes] });` },
  { name: 'flooded' });
  const svc = await service.interface;
  // The attacker sends ${CALLS} calls of 1 MiB each in one task, without waiting for any.
  const attacker = rt.spawn({ source: `rt.export({
      flood: (take, n) => {
        const chunk = 'x'.repeat(1 << 20);
        const results = [];
        for (let i = 0; i < n; i++) results.push(take(chunk).then(() => 'sent', (e) => e.code + ': ' + e.message));
        return Promise.all(results);
      },
      one: async (take) => { await take('y'); return 'sent'; },
    });` }, { name: 'flooder' });
  const a = await attacker.interface;
  const results = await a.flood(svc.take, CALLS);
  const sent = results.filter((r) => r === 'sent').length;
  // 64 MiB hold 63 calls of 1 MiB and the record each costs natively.
  if (!(sent >= 60 && sent < 64)) throw new Error(`${sent} of ${CALLS} calls of 1 MiB were sent`);
  for (let i = 0; i < CALLS; i++) {
    if (i < sent) assertEqual(results[i], 'sent', `call ${i} (the first ${sent} were sent)`);
    else assertMatch(results[i], /^ERR_IPC_INBOX_FULL: app 'flooder' \(id \d+\) has \d+ bytes of calls queued for app 'flooded' \(id \d+\) that it has not handled yet; \d+ more would pass the 67108864 one app may queue for another/);
  }
  assertEqual(await svc.count(), [sent, sent << 20], 'the receiver ran exactly the calls that were sent');
  // Once the receiver has handled them, the sender may call again.
  assertEqual(await a.one(svc.take), 'sent');
  assertEqual(await a.flood(svc.take, 8), Array(8).fill('sent'));
  attacker.kill();
  await attacker.exited;
  service.kill();
  await service.exited;
  await assertAlive();
});

test('one message larger than the bound still goes when nothing is queued', async () => {
  const service = rt.spawn({ source: 'rt.export({ size: (b) => b.byteLength });' },
    { name: 'sizer', heapLimitMb: 512 });
  const svc = await service.interface;
  // 40 MiB: under the per-message bound; with a second one in the same task the queue (64 MiB)
  // is full. Not larger: init sends both in one task, which has a budget of its own.
  const big = new Uint8Array(40 << 20);
  const [first, second] = await Promise.all([svc.size(big), svc.size(big).catch((e) => e.code)]);
  assertEqual(first, 40 << 20);
  assertEqual(second, 'ERR_IPC_INBOX_FULL');
  assertEqual(await svc.size(big), 40 << 20, 'the queue is empty again');
  service.kill();
  await service.exited;
  await assertAlive();
});
