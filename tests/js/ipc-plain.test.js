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

test('objects arrive as their structured clone, keys in order, whatever their keys', async () => {
  // Objects of plain data travel as their keys and values and are rebuilt from one builder
  // per list of keys: a key must never be taken for code or for the prototype, objects of
  // many lists of keys must arrive as well as those of one, and arrays of objects must not be
  // taken for objects (docs/design.md, "Apps, engines and IPC").
  const svc = await service();
  const odd = ['}; throw 1; //', '"', '\\', '\u2028', '\u2029', '${x}', '__proto__', 'constructor', 'toString',
    '0', '4294967295', '-1', '1.5', '', ' ', '\u0000', '\ud800', '\u4e2d'];
  const values = [
    Object.fromEntries(odd.map((k, i) => [k, i])),
    [{ a: 1 }, { a: 2 }], [[{ a: 1 }]], [null, { a: 1 }], [[], {}], [[[]], { b: [] }], [{}], [[{}], [{}]],
    { a: [{ b: [{ c: [{ d: 1 }] }] }] }, { x: [undefined, -0, NaN, -Infinity], y: { z: undefined } },
    Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, i])),
    Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, [i]])),
    { 2: 'b', 1: 'a', z: 1, y: 2 }, { __proto__: null, n: null },
  ];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    for (const round of [1, 2]) { // the first of a list of keys compiles its builder, the second finds it
      const back = await svc.echo(v);
      const clone = structuredClone(v);
      assertEqual(back, clone, `echo of values[${i}], round ${round}`);
      assertEqual(JSON.stringify(back, (k, x) => (x === undefined ? 'undefined' : x)),
        JSON.stringify(clone, (k, x) => (x === undefined ? 'undefined' : x)), `keys in order, values[${i}]`);
    }
  }
  const back = await svc.echo({ __proto__: null, __proto__x: 1, ['__proto__']: 2 });
  assertEqual([Object.getPrototypeOf(back) === Object.prototype, Object.hasOwn(back, '__proto__'), back.__proto__x],
    [true, true, 1], 'a "__proto__" key is a property of an ordinary object');
  // More lists of keys than builders are kept: the rest are built one property at a time.
  for (let batch = 0; batch < 6; batch++) {
    const many = Array.from({ length: 64 }, (_, i) => ({ [`s${batch}_${i}`]: i, last: [batch] }));
    const calls = many.map((m) => svc.echo(m));
    assertEqual(await Promise.all(calls), many, `batch ${batch} of distinct lists of keys`);
  }
  // The arrived objects are ordinary: extensible, writable, their prototype the standard one.
  const got = await svc.echo({ a: 1, list: [{ b: 2 }] });
  got.a = 5;
  got.c = 6;
  got.list[0].b = 7;
  assertEqual(got, { a: 5, list: [{ b: 7 }], c: 6 });
  assertEqual(await svc.kinds([{ a: 1 }, [{ a: 1 }]]), ['Object', 'Array']);
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

test('moved buffers and Uint8Arrays arrive as the clone moves them, in any form', async () => {
  // An ArrayBuffer or a Uint8Array marked with rt.transfer is a leaf of the plain and shaped
  // forms; other views (and one buffer marked twice) take the clone. Either way the receiver
  // gets what the clone would give and the sender's buffer is detached.
  const svc = await service();
  const bytes = (n, at = 0) => Uint8Array.from({ length: n }, (_, i) => (i + at) & 0xff);
  const buffer = (n, at) => bytes(n, at).buffer;
  // What a received buffer or view is: its kind, offset, length and its buffer's bytes.
  const seen = (v) => [Object.prototype.toString.call(v), v.byteOffset ?? 0, v.byteLength, [...new Uint8Array(v.buffer ?? v)]];
  const walk = (v) => {
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return seen(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  class Sub extends Uint8Array {}
  const cases = [
    // [what, buffer moved, value sent (made with it), what arrives]
    ['a Uint8Array alone', buffer(8), (b) => [rt.transfer(new Uint8Array(b))],
      [['[object Uint8Array]', 0, 8, [0, 1, 2, 3, 4, 5, 6, 7]]]],
    ['a view into a larger buffer', buffer(6), (b) => [{ data: rt.transfer(new Uint8Array(b, 2, 3)), n: 1 }],
      [{ data: ['[object Uint8Array]', 2, 3, [0, 1, 2, 3, 4, 5]], n: 1 }]],
    ['an ArrayBuffer in an array', buffer(5), (b) => [[1, rt.transfer(b), 'x']],
      [[1, ['[object ArrayBuffer]', 0, 5, [0, 1, 2, 3, 4]], 'x']]],
    ['a response-like object', buffer(3, 7), (b) => [{ ops: [[0, rt.transfer(new Uint8Array(b))]] }],
      [{ ops: [[0, ['[object Uint8Array]', 0, 3, [7, 8, 9]]]] }]],
    ['a DataView (the clone)', buffer(2), (b) => [{ d: rt.transfer(new DataView(b)) }],
      [{ d: ['[object DataView]', 0, 2, [0, 1]] }]],
    ['a Float64Array (the clone)', new Float64Array([1.5]).buffer, (b) => [[rt.transfer(new Float64Array(b))]],
      [[['[object Float64Array]', 0, 8, [...new Uint8Array(new Float64Array([1.5]).buffer)]]]]],
    ['a Uint8Array subclass (arrives a Uint8Array, as cloned)', buffer(2), (b) => [{ u: rt.transfer(new Sub(b)) }],
      [{ u: ['[object Uint8Array]', 0, 2, [0, 1]] }]],
  ];
  for (const [what, moved, make, expected] of cases) {
    const args = make(moved);
    assertEqual(walk(await svc.echo(...args)), expected[0], `echo of ${what}`);
    assertEqual(moved.byteLength, 0, `the sender's buffer is detached (${what})`);
  }
  // Two views of one buffer, each marked: they still share one buffer on arrival.
  const b = new ArrayBuffer(8);
  const [x, y] = await svc.echo([rt.transfer(new Uint8Array(b, 0, 4)), rt.transfer(new Uint8Array(b, 4, 4))]);
  assertEqual([x.buffer === y.buffer, x.byteOffset, y.byteOffset, b.byteLength], [true, 0, 4, 0]);
  // One view marked twice stays one object, as in the clone.
  const u = new Uint8Array(2);
  const [p, q] = await svc.echo([rt.transfer(u), rt.transfer(u)]);
  assertEqual([p === q, u.byteLength], [true, 0]);
  // A buffer moved back in a result.
  const back = await svc.fillAndReturn(new ArrayBuffer(6), 9);
  assertEqual([...new Uint8Array(back)], [9, 9, 9, 9, 9, 9]);
  // A detached buffer cannot be sent, in any form.
  const gone = new ArrayBuffer(4);
  structuredClone(gone, { transfer: [gone] });
  assertEqual((await rejection(svc.echo({ a: rt.transfer(new Uint8Array(4)), b: rt.transfer(gone) }))).name, 'DataCloneError');
});

test('the echo service is stopped', async () => {
  echo.kill();
  assertEqual((await echo.exited).reason, 'killed');
});
