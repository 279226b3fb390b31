// Timer and microtask ordering, as browsers and Node define it.
import { test, assertEqual, assertThrows } from './harness.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('synchronous code, then microtasks, then timers', async () => {
  const log = [];
  setTimeout(() => log.push('timeout'), 0);
  Promise.resolve().then(() => log.push('promise'));
  queueMicrotask(() => log.push('microtask'));
  log.push('sync');
  await sleep(10);
  assertEqual(log, ['sync', 'promise', 'microtask', 'timeout']);
});

test('microtasks drain after each timer callback, before the next timer', async () => {
  const log = [];
  setTimeout(() => { log.push('t1'); Promise.resolve().then(() => log.push('m1')); }, 1);
  setTimeout(() => { log.push('t2'); queueMicrotask(() => log.push('m2')); }, 1);
  await sleep(20);
  assertEqual(log, ['t1', 'm1', 't2', 'm2']);
});

test('equal delays fire in creation order; shorter delays first', async () => {
  const log = [];
  setTimeout(() => log.push('b30'), 30);
  setTimeout(() => log.push('a1'), 1);
  for (let i = 0; i < 5; i++) setTimeout(() => log.push(`same${i}`), 5);
  await sleep(60);
  assertEqual(log, ['a1', 'same0', 'same1', 'same2', 'same3', 'same4', 'b30']);
});

test('a timer set inside a timer runs after the timers already due', async () => {
  const log = [];
  setTimeout(() => { log.push('outer'); setTimeout(() => log.push('inner'), 0); }, 2);
  setTimeout(() => log.push('sibling'), 2);
  await sleep(30);
  assertEqual(log, ['outer', 'sibling', 'inner']);
});

test('timers wait at least their delay', async () => {
  const start = performance.now();
  await sleep(25);
  const elapsed = performance.now() - start;
  if (elapsed < 24) throw new Error(`woke after ${elapsed} ms, asked for 25`);
});

test('setTimeout passes extra arguments', async () => {
  const got = await new Promise((resolve) => setTimeout((a, b) => resolve([a, b]), 1, 'x', 42));
  assertEqual(got, ['x', 42]);
});

test('clearTimeout cancels; clearing twice or an unknown id is harmless', async () => {
  let fired = false;
  const id = setTimeout(() => { fired = true; }, 1);
  clearTimeout(id);
  clearTimeout(id);
  clearTimeout(123456);
  clearTimeout(undefined);
  await sleep(10);
  assertEqual(fired, false);
});

test('setInterval repeats until clearInterval, also from inside its callback', async () => {
  let n = 0;
  await new Promise((resolve) => {
    const id = setInterval(() => {
      n++;
      if (n === 3) { clearInterval(id); resolve(); }
    }, 2);
  });
  await sleep(15);
  assertEqual(n, 3);
});

test('timer functions reject a callback that is not a function', () => {
  assertThrows(() => setTimeout('code', 1), /TypeError: .*callback.*function/);
  assertThrows(() => setInterval(null, 1), /TypeError/);
  assertThrows(() => queueMicrotask(42), /TypeError/);
});

test('performance.now is monotonic and fractional milliseconds', () => {
  const a = performance.now();
  let b = a;
  for (let i = 0; i < 1000; i++) b = performance.now();
  if (!(b >= a)) throw new Error(`clock went back: ${a} -> ${b}`);
});
