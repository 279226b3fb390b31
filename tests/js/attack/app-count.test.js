// The number of apps is bounded, per parent and in all: spawning past it is an error in the
// app that asked (code ERR_APP_LIMIT), never the machine running out of memory.
import { test, assertEqual } from '../harness.js';
import { hostile, assertAlive } from './hostile.js';

test('spawning past the number of children an app may have is an error', async () => {
  const src = `
    let error;
    try { for (let i = 0; i < 1000; i++) rt.spawn({ source: 'rt.export({})' }, { name: 'c' + i }); }
    catch (e) { error = e; }
    rt.exit(error && error.code === 'ERR_APP_LIMIT' && /too many apps/.test(error.message) ? 0 : 5);`;
  assertEqual(await hostile(src), { code: 0, reason: 'exit' });
  await assertAlive();
});

// Each copy starts another of itself; the refusal at the limit travels back up as exit code 7.
function chain() {
  let child;
  try {
    child = rt.spawn({ source: `(${chain})()` }, { name: 'chain' });
  } catch (e) {
    rt.exit(e.code === 'ERR_APP_LIMIT' ? 7 : 5);
    return;
  }
  child.exited.then((e) => rt.exit(e.code));
}

test('a recursive spawn stops at the limit on apps with an error, the runtime survives', async () => {
  assertEqual(await hostile(`(${chain})()`), { code: 7, reason: 'exit' });
  // The whole chain ends with its root (an app's children never outlive it).
  while (rt.apps().length > 1) await new Promise((resolve) => setTimeout(resolve, 5));
  await assertAlive();
});
