// The language level the runtime's V8 (Debian's libnode115: V8 11.3) gives every app: ES2023
// and the later features V8 11.3 ships. Runs on every target (rtjs-sim, the ring-0 program on
// Linux, the kernel), so a runtime on an older V8 or a different build fails here.
import { test, assertEqual, assertThrows } from './harness.js';

test('change-array-by-copy: toSorted, toReversed, toSpliced, with leave the array as it was', () => {
  const a = [3, 1, 2];
  assertEqual(a.toSorted(), [1, 2, 3]);
  assertEqual(a.toSorted((x, y) => y - x), [3, 2, 1]);
  assertEqual(a.toReversed(), [2, 1, 3]);
  assertEqual(a.toSpliced(1, 1, 'x', 'y'), [3, 'x', 'y', 2]);
  assertEqual(a.with(-1, 9), [3, 1, 9]);
  assertEqual(a, [3, 1, 2]);
  assertThrows(() => a.with(3, 0), /RangeError/);
  // Holes read as undefined: the copy is dense.
  assertEqual(Object.hasOwn([, 1].toReversed(), 1), true);
});

test('change-array-by-copy on typed arrays', () => {
  const t = new Int16Array([5, -1, 3]);
  assertEqual(t.toSorted(), new Int16Array([-1, 3, 5]));
  assertEqual(t.toReversed(), new Int16Array([3, -1, 5]));
  assertEqual(t.with(0, 7), new Int16Array([7, -1, 3]));
  assertEqual(t, new Int16Array([5, -1, 3]));
});

test('findLast and findLastIndex search from the end', () => {
  const a = [1, 2, 3, 4];
  assertEqual(a.findLast((x) => x % 2 === 1), 3);
  assertEqual(a.findLastIndex((x) => x % 2 === 1), 2);
  assertEqual(a.findLastIndex((x) => x > 9), -1);
  assertEqual(new Uint8Array([1, 2, 3]).findLast((x) => x < 3), 2);
});

test('String isWellFormed and toWellFormed see lone surrogates', () => {
  assertEqual('a'.isWellFormed(), true);
  assertEqual('𝄞'.isWellFormed(), true);
  assertEqual('a\uD800b'.isWellFormed(), false);
  assertEqual('\uDC00'.toWellFormed(), '\uFFFD');
  assertEqual('x\uD800'.toWellFormed(), 'x\uFFFD');
});

test('RegExp v flag: set difference, intersection and string properties', () => {
  assertEqual(/[\p{L}--[a-z]]/v.test('A'), true);
  assertEqual(/[\p{L}--[a-z]]/v.test('a'), false);
  assertEqual(/[\p{ASCII}&&\p{Letter}]/v.test('é'), false);
  assertEqual(/^\p{RGI_Emoji}$/v.test('👍🏽'), true);
  assertEqual(/x/v.unicodeSets, true);
  assertThrows(() => new RegExp('[a-z', 'v'), /SyntaxError/);
});

test('RegExp match indices (d flag) and named groups', () => {
  const m = /(?<word>b+)/d.exec('aabbbc');
  assertEqual(m.indices[0], [2, 5]);
  assertEqual(m.indices.groups.word, [2, 5]);
});

test('at, Object.hasOwn, Error cause, AggregateError', () => {
  assertEqual([1, 2, 3].at(-1), 3);
  assertEqual('abc'.at(-2), 'b');
  assertEqual(Object.hasOwn({ k: 1 }, 'k'), true);
  assertEqual(Object.hasOwn(Object.create({ k: 1 }), 'k'), false);
  const cause = new Error('inner');
  assertEqual(new Error('outer', { cause }).cause, cause);
  assertEqual(new AggregateError([cause], 'all').errors[0], cause);
});

test('classes: static blocks, private methods, #x in obj brand checks', () => {
  class C {
    static #count;
    static { C.#count = 41; }
    #secret() { return C.#count + 1; }
    static has(o) { return #secret in o; }
    read() { return this.#secret(); }
  }
  assertEqual(new C().read(), 42);
  assertEqual(C.has(new C()), true);
  assertEqual(C.has({}), false);
});

test('symbols as WeakMap keys and WeakRef targets', () => {
  const key = Symbol('k');
  const wm = new WeakMap([[key, 1]]);
  assertEqual(wm.get(key), 1);
  assertEqual(new WeakRef(key).deref(), key);
  // Registered symbols can never be collected, so they are refused.
  assertThrows(() => wm.set(Symbol.for('k'), 2), /TypeError/);
});

test('resizable ArrayBuffer and growable SharedArrayBuffer', () => {
  const b = new ArrayBuffer(2, { maxByteLength: 8 });
  const view = new Uint8Array(b);
  assertEqual(b.resizable, true);
  b.resize(6);
  assertEqual([b.byteLength, view.length], [6, 6]);
  assertThrows(() => b.resize(9), /RangeError/);
  const s = new SharedArrayBuffer(1, { maxByteLength: 4 });
  s.grow(4);
  assertEqual(s.byteLength, 4);
});

test('logical assignment, numeric separators, optional chaining, nullish coalescing', () => {
  let a = null;
  a ??= 1_000;
  let b = 0;
  b ||= 2;
  const o = { p: { q: 3 } };
  assertEqual([a, b, o?.p?.q, o.r?.s, o.r ?? 'none'], [1000, 2, 3, undefined, 'none']);
});

test('Intl with full ICU data: locales, segmenter, plural rules, list format', () => {
  assertEqual(new Intl.NumberFormat('de-DE').format(1234567.891), '1.234.567,891');
  assertEqual(new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' })
    .format(Date.UTC(2023, 0, 2)), '2 January 2023');
  const words = [...new Intl.Segmenter('en', { granularity: 'word' }).segment('Hi there!')]
    .filter((s) => s.isWordLike).map((s) => s.segment);
  assertEqual(words, ['Hi', 'there']);
  assertEqual(new Intl.PluralRules('en', { type: 'ordinal' }).select(2), 'two');
  assertEqual(new Intl.ListFormat('en', { type: 'conjunction' }).format(['a', 'b', 'c']), 'a, b, and c');
  assertEqual('İ'.toLocaleLowerCase('tr'), 'i');
  // NumberFormat v3 (V8 10.6): rounding increments and ranges.
  const nickel = { minimumFractionDigits: 2, maximumFractionDigits: 2, roundingIncrement: 5 };
  assertEqual(new Intl.NumberFormat('en', nickel).format(1.234), '1.25');
  assertEqual(new Intl.NumberFormat('en').formatRange(3, 5), '3–5');
});

test('Atomics.waitAsync resolves when notified', async () => {
  const word = new Int32Array(new SharedArrayBuffer(4));
  const { async, value } = Atomics.waitAsync(word, 0, 0);
  assertEqual(async, true);
  assertEqual(Atomics.notify(word, 0, 1), 1);
  assertEqual(await value, 'ok');
});

test('Array.prototype.flat, Object.fromEntries, String replaceAll, Promise.any', async () => {
  assertEqual([1, [2, [3]]].flat(Infinity), [1, 2, 3]);
  assertEqual(Object.fromEntries([['a', 1]]), { a: 1 });
  assertEqual('a-b-c'.replaceAll('-', '+'), 'a+b+c');
  assertEqual(await Promise.any([Promise.reject(new Error('no')), Promise.resolve(7)]), 7);
});
