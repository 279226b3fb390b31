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

test('equal delays fire in creation order; a timer due earlier fires first', async () => {
  // Which of two timers is due first depends on when each was created, and creation can be
  // delayed by anything (a collection, another engine on the CPU). So each timer's due time is
  // bracketed by the clock read just before and just after its setTimeout call, and the order
  // is checked only where the brackets do not overlap; equal delays are always creation order.
  const plan = [['b30', 30], ['a1', 1], ['same0', 5], ['same1', 5], ['same2', 5], ['same3', 5], ['same4', 5]];
  const due = new Map();
  const log = [];
  await new Promise((resolve) => {
    for (const [name, delay] of plan) {
      const before = performance.now();
      setTimeout(() => { log.push(name); if (log.length === plan.length) resolve(); }, delay);
      due.set(name, [before + delay, performance.now() + delay]);
    }
  });
  assertEqual([...log].sort(), plan.map(([name]) => name).sort());
  assertEqual(log.filter((name) => name.startsWith('same')), ['same0', 'same1', 'same2', 'same3', 'same4']);
  let checked = 0;
  for (const [x] of plan) {
    for (const [y] of plan) {
      if (due.get(x)[1] < due.get(y)[0]) {
        checked++;
        if (log.indexOf(x) > log.indexOf(y)) throw new Error(`${y} fired before ${x}, which was due first: ${log.join(' ')}`);
      }
    }
  }
  if (checked === 0) throw new Error('no two timers had distinct due times to compare');
});

test('a timer set inside a timer runs after the timers already due', async () => {
  const log = [];
  let siblingDue;
  const done = new Promise((resolve) => {
    setTimeout(() => {
      log.push('outer');
      // The sibling is created after the outer timer, so it can fall due a moment later; wait
      // until it surely is due before setting the inner timer.
      while (performance.now() <= siblingDue) { /* spin */ }
      setTimeout(() => { log.push('inner'); resolve(); }, 0);
    }, 2);
    setTimeout(() => log.push('sibling'), 2);
    siblingDue = performance.now() + 2;
  });
  await done;
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
