// mock.timers: setTimeout, setInterval, setImmediate, Date and scheduler.wait follow a
// clock of the test's own, moved by tick, runAll and setTime; reset gives the real ones back.
import { test } from 'node:test';
import assert from 'node:assert';
import timers from 'node:timers';
import { scheduler } from 'node:timers/promises';

const realSetTimeout = globalThis.setTimeout;

test('tick runs the timers due, in order', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const seen = [];
  setTimeout(() => seen.push('t100'), 100);
  timers.setTimeout(() => seen.push('t50'), 50);
  const cancelled = setTimeout(() => seen.push('never'), 60);
  clearTimeout(cancelled);
  const iv = setInterval(() => seen.push('iv'), 40);
  t.mock.timers.tick(99);
  assert.deepStrictEqual(seen, ['iv', 't50', 'iv']);
  t.mock.timers.tick(1);
  assert.deepStrictEqual(seen, ['iv', 't50', 'iv', 't100']);
  clearInterval(iv);
  t.mock.timers.runAll();
  assert.strictEqual(seen.length, 4);
});

test('Date follows the mocked clock', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 1000 });
  assert.strictEqual(Date.now(), 1000);
  assert.strictEqual(new Date().getTime(), 1000);
  assert.strictEqual(new Date(5).getTime(), 5);
  assert.ok(new Date() instanceof Date);
  t.mock.timers.tick(250);
  assert.strictEqual(Date.now(), 1250);
  t.mock.timers.setTime(50);
  assert.strictEqual(Date.now(), 50);
  assert.throws(() => t.mock.timers.enable(), { code: 'ERR_INVALID_STATE' });
});

test('scheduler.wait and runAll', async (t) => {
  t.mock.timers.enable({ apis: ['scheduler.wait', 'setImmediate'] });
  let woke = false;
  const p = scheduler.wait(5000).then(() => { woke = true; });
  let immediate = false;
  setImmediate(() => { immediate = true; });
  t.mock.timers.runAll();
  await p;
  assert.ok(woke && immediate);
});

test('the real timers are back after the test', async (t) => {
  assert.strictEqual(globalThis.setTimeout, realSetTimeout);
  assert.ok(Date.now() > 1e12);
  assert.throws(() => t.mock.timers.tick(1), { code: 'ERR_INVALID_STATE' });
  assert.throws(() => t.mock.timers.enable({ now: -1 }), { code: 'ERR_INVALID_ARG_VALUE' });
  await new Promise((resolve) => setTimeout(resolve, 1));
});
