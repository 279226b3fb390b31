// The runtime's own modules are compiled from a process-wide code cache from the first
// spawned app on (src/core/engine/code-cache.h). Apps started that way must get the same
// runtime as one that parsed the modules: the same globals, the same behaviour of functions
// the bootstrap ran (in the cache as bytecode) and of those it never ran (compiled lazily
// from the cached module).
import { test, assertEqual } from './harness.js';

const child = `
  const seen = [typeof console.log, typeof setTimeout, typeof queueMicrotask, Object.isFrozen(rt),
    Object.keys(globalThis).length, rt.argv.join(',')];
  seen.push(new TextDecoder().decode(new TextEncoder().encode('caf\\u00e9 \\u2713')));
  await new Promise((resolve) => setTimeout(resolve, 1));
  let microtask = false;
  queueMicrotask(() => { microtask = true; });
  await null;
  seen.push(microtask, rt.apps().some((a) => a.id === rt.self.id));
  await rt.grants.report(JSON.stringify(seen));`;

test('every spawned app, from the code cache or not, sees the same runtime', async () => {
  for (let i = 0; i < 4; i++) {
    let report;
    const reported = new Promise((resolve) => { report = resolve; });
    const h = rt.spawn({ source: child }, { name: `cached-${i}`, args: ['a', String(i)], grant: { report } });
    assertEqual(JSON.parse(await reported),
      ['function', 'function', 'function', true, 0, `a,${i}`, 'café ✓', true, true], `app ${i}`);
    await h.exited;
  }
});
