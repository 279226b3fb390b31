// inspect's internals (its formatting context, which holds the native promiseState and
// proxyTarget helpers) never reach app code: not through setters or getters planted on the
// built-in prototypes, nor through a custom inspect function or a proxy trap.
import { test, assertEqual } from '../harness.js';
import { hostile, assertAlive } from './hostile.js';

test('setters and getters on Object.prototype never receive inspect\'s context', async () => {
  const src = `
    const seen = [];
    const names = ['stylize', 'seen', 'circular', 'indentationLvl', 'currentDepth', 'depth', 'colors',
      'promiseState', 'proxyTarget', 'budget', 'compact', 'breakLength', 'showHidden', 'state', 'value'];
    for (const k of names) {
      Object.defineProperty(Object.prototype, k, {
        __proto__: null, configurable: true,
        set(v) { seen.push(this); },
        get() { seen.push(this); return undefined; },
      });
    }
    console.log({ a: 1, p: Promise.resolve(2), q: new Promise(() => {}), r: new Proxy({}, {}) }, [1, [2, [3, [4]]]]);
    for (const k of names) delete Object.prototype[k];
    const leaked = seen.filter((o) => o !== null && typeof o === 'object' &&
      (typeof o.promiseState === 'function' || typeof o.proxyTarget === 'function'));
    rt.exit(leaked.length === 0 ? 0 : 5);`;
  assertEqual(await hostile(src), { code: 0, reason: 'exit' });
  await assertAlive();
});

test('a custom inspect function and proxy traps see no native helper', async () => {
  const src = `
    const found = [];
    const look = (o, depth = 0) => {
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || depth > 3) return;
      for (const k of Reflect.ownKeys(o)) {
        let v; try { v = o[k]; } catch { continue; }
        if (typeof v === 'function' && /promiseState|proxyTarget/.test(String(k) + v.name)) found.push(k);
        look(v, depth + 1);
      }
    };
    const custom = { [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
      look(options); look(inspect); return 'custom'; } };
    const traps = new Proxy({}, { get(t, k, receiver) { look(receiver); return undefined; } });
    console.log(custom, traps, [custom]);
    rt.exit(found.length === 0 ? 0 : 5);`;
  assertEqual(await hostile(src), { code: 0, reason: 'exit' });
  await assertAlive();
});
