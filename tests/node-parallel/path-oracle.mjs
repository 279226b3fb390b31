// node:path (POSIX and Windows) against Node itself: the same seeded corpus of paths made
// from roots, separators, dots and names goes through every function, here and under Node,
// and the two outputs must be equal (the test compares them). Prints one line per case.
import path from 'node:path';

const CASES = 4000;
const atoms = ['a', 'b', 'C:', 'c:', '\\', '/', '.', '..', '\\\\', '//', '?', 'srv', 'sh', 'x.y', '.z', '...', 'İ'];
let seed = 20260101;
// A linear congruential generator (glibc's constants): the same corpus on every run.
const next = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const make = () => { let s = ''; for (let i = next(7); i > 0; i--) s += atoms[next(atoms.length)]; return s; };

const lines = [];
// The cases run in batches, one task each: all of them in one task came near the watchdog's
// budget for a task (1000 ms) on a loaded machine.
const BATCH = 250;
for (let k = 0; k < CASES; k++) {
  if (k % BATCH === BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
  const p = make();
  const q = make();
  for (const flavour of ['posix', 'win32']) {
    const f = path[flavour];
    const calls = [['normalize', p], ['dirname', p], ['basename', p], ['basename', p, q], ['extname', p],
      ['parse', p], ['isAbsolute', p], ['join', p, q], ['relative', p, q], ['resolve', p, q],
      ['toNamespacedPath', p], ['format', f.parse(p)]];
    for (const [name, ...args] of calls) {
      let out;
      try {
        out = JSON.stringify(f[name](...args));
      } catch (err) {
        out = `throws ${err.code}`;
      }
      lines.push(`${flavour}.${name}${JSON.stringify(args)} ${out}`);
    }
  }
}
console.log(lines.join('\n'));
