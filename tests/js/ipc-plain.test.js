// Small trees of plain data travel between apps in the runtime's plain-data format
// (docs/design.md, "Apps, engines and IPC"): whatever they are, they arrive exactly as their
// structured clone, and what the clone refuses stays refused.
import { test, assertEqual, rejection } from './harness.js';

const echo = rt.spawn('fixtures/apps/echo.js', { name: 'echo' });
const service = () => echo.interface;

test('small plain values arrive exactly as their structured clone', async () => {
  // Small trees of plain data travel as plain data; whatever that format would not bring back
  // as the clone does must take the clone instead.
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
    { 'quote"key': 1, 'new\nline': [2], '\ud800': { '\\': 3 } }, [0.1, 1e-7, 123456789.125, -5e-324, 2 ** 31],
    { '\u4e2d': '\u00e9', 'caf\u00e9': [-(2 ** 31), 2 ** 31 - 1, -(2 ** 31) - 1, Infinity, -0, [undefined, NaN]] }, Array.from({ length: 1000 }, (_, i) => i * 0.5),
    { long: '\u00ff'.repeat(70000), wide: '\u4e2d'.repeat(300) }, [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]],
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

test('a sent value is read once, as its structured clone reads it', async () => {
  // Each getter runs once whichever form the value takes (JSON text, the clone, a copy with
  // references), as an argument and as a result, and the value read is the one that arrives.
  const svc = await service();
  let reads = 0;
  const counted = (fields) => Object.defineProperty(fields, 'g', { get: () => ++reads, enumerable: true });
  const shapes = [
    ['plain data', () => counted({ a: 1 })],
    ['a Date beside it', () => ({ list: [counted({})], when: new Date(0) })],
    ['a function beside it', () => ({ v: counted({}), f: () => 1 })],
    ['past 16 objects', () => ({ many: Array.from({ length: 20 }, () => ({})), v: counted({}) })],
    ['in a Map', () => new Map([[1, counted({})]])],
    ['an index getter', () => counted([1, 2])],
  ];
  for (const [what, make] of shapes) {
    reads = 0;
    const back = await svc.echo(make());
    assertEqual(reads, 1, `getter runs when sent as an argument (${what})`);
    const arrived = back instanceof Map ? back.get(1) : (back.v ?? back.list?.[0] ?? back);
    assertEqual(arrived.g, 1, `the value read is the one that arrives (${what})`);
    reads = 0;
    await svc.call(() => make());
    assertEqual(reads, 1, `getter runs when sent as a result (${what})`);
  }
  // A getter that throws fails the call with its error; one that sends a message meanwhile
  // sends both.
  const err = await rejection(svc.echo({ get bad() { throw new RangeError('unreadable'); } }));
  assertEqual([err.name, err.message], ['RangeError', 'unreadable']);
  let inner;
  const outer = await svc.echo({ a: 1, get b() { inner = svc.echo({ c: 2 }); return 3; }, d: [4] });
  assertEqual(outer, { a: 1, b: 3, d: [4] });
  assertEqual(await inner, { c: 2 });
});

test('the echo service is stopped', async () => {
  echo.kill();
  assertEqual((await echo.exited).reason, 'killed');
});
