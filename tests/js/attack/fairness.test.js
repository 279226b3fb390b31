// Fairness: one app cannot hold its engine. Timers due at once run a bounded number per
// round of the loop, interleaved with the work of the other apps on the engine.
import { test, assertEqual } from '../harness.js';
import { assertAlive } from './hostile.js';

const TIMERS = 20000;

test('an app with thousands of timers due at once does not stall its neighbours', async () => {
  // Everything on engine 0 (init's): the order of work is then decided by the loop alone.
  const flood = rt.spawn({ source: `
    let fired = 0;
    for (let i = 0; i < ${TIMERS}; i++) setTimeout(() => { fired++; }, 1);
    rt.export({ fired: () => fired });` }, { name: 'flood', cpu: 0 });
  const neighbour = rt.spawn({ source: 'rt.export({ ping: () => "pong" })' }, { name: 'neighbour', cpu: 0 });
  const n = await neighbour.interface;
  const f = await flood.interface;
  assertEqual(await n.ping(), 'pong');
  const fired = await f.fired();
  // Unbounded, the loop would run every due timer before the ping: fired would be TIMERS.
  if (!(fired < TIMERS)) throw new Error(`the neighbour answered only after all ${fired} timers of the flood`);
  flood.kill();
  neighbour.kill();
  await Promise.all([flood.exited, neighbour.exited]);
  await assertAlive();
});
