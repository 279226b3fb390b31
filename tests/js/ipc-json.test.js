// Small trees of plain data travel between apps as JSON text (docs/design.md, "Apps, engines
// and IPC"): whatever they are, they arrive exactly as their structured clone, and what the
// clone refuses stays refused.
import { test, assertEqual, rejection } from './harness.js';

const echo = rt.spawn('fixtures/apps/echo.js', { name: 'echo' });
const service = () => echo.interface;

test('small plain values arrive exactly as their structured clone', async () => {
  // Small trees of plain data travel as JSON text; whatever JSON would not bring back as the
  // clone does must take the clone instead.
  const svc = await service();
  const holey = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const named = [1, 2];
  named.extra = 'kept';
  const hiddenToJSON = Object.defineProperty({ a: 1 }, 'toJSON', { value: () => 'replaced', enumerable: false });
  const values = [
    0, -0, 1.5, -1e-300, 1e21, NaN, Infinity, -Infinity, 2 ** 53 + 2, '', 'text', true, false, null, undefined,
    '\ud800 lone surrogate', 'two-byte \u4e2d\u6587 \u{1f600}', 'quote " backslash \\ controls \u0000\n\t',
    [], {}, [1, 'two', [3, [4]]], { b: 1, 2: 'index', a: [null, false] }, { __proto__: null, k: 1 },
    JSON.parse('{"__proto__": 5, "x": 1}'), { u: undefined, n: NaN, z: -0 }, [undefined, -0, NaN],
    holey, named, hiddenToJSON, { date: new Date(0) }, { deep: { deeper: { deepest: [1] } } },
    Array.from({ length: 40 }, (_, i) => ({ i })), 'x'.repeat(5000),
  ];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    assertEqual(await svc.echo(v), structuredClone(v), `echo of values[${i}]`);
    assertEqual(await svc.kinds([v]), [Object.prototype.toString.call(structuredClone(v)).slice(8, -1)], `kind of values[${i}]`);
  }
  // Parts reached twice stay one object.
  const part = { p: 1 };
  const back = await svc.echo({ a: part, b: part, list: [part] });
  assertEqual(back.a === back.b && back.b === back.list[0], true, 'a shared part arrives shared');
  // toJSON anywhere on the chain changes nothing.
  Object.prototype.toJSON = () => 'from the prototype'; // eslint-disable-line no-extend-native
  try {
    assertEqual(await svc.echo({ a: [1] }), { a: [1] });
  } finally {
    delete Object.prototype.toJSON;
  }
  // What the clone refuses stays refused.
  assertEqual((await rejection(svc.echo(new Proxy([1], {})))).name, 'DataCloneError');
  assertEqual((await rejection(svc.echo({ p: new Proxy({}, {}) }))).name, 'DataCloneError');
  const args = (function () { return arguments; })(1, 2); // eslint-disable-line prefer-rest-params
  assertEqual((await rejection(svc.echo(args))).name, 'DataCloneError');
});

test('the echo service is stopped', async () => {
  echo.kill();
  assertEqual((await echo.exited).reason, 'killed');
});
