// Tests of js/internal/inspect.js. The expected strings of the first two tables are
// what Node 20's util.inspect / util.format print for the same values (generated once
// with Node, then written here); the hand-written tests below cover what rtjs adds or
// does differently (no native helpers: promise state, proxies, iterators).
import { test, assertEqual, assertMatch } from './harness.js';
import { inspect, formatArgs, setInspectHooks, customInspectSymbol } from '../../js/internal/inspect.js';
import * as parseArgsModule from '../../js/internal/parse-args.js';

class Foo { constructor() { this.x = 1; } }
class Bar extends Foo { get y() { return 2; } }
class MyError extends Error {}
function withStack(err, stack) { err.stack = stack; return err; }
function circular() { const o = { name: 'c' }; o.self = o; o.list = [o, { inner: o }]; return o; }
function holes() { const a = [1, , 3, , , 6]; a.extra = 'x'; return a; }
function sized(length, f) { return Array.from({ length }, (_, i) => f(i)); }

// [name, value factory, options, expected inspect() output]
const inspectCases = [
  ["number", () => (42), undefined,
    "42"],
  ["negative zero", () => (-0), undefined,
    "-0"],
  ["NaN", () => (NaN), undefined,
    "NaN"],
  ["float", () => ([0.1, -1.5e-7, 1e21, -Infinity]), undefined,
    "[ 0.1, -1.5e-7, 1e+21, -Infinity ]"],
  ["bigint", () => ([10n, -5n]), undefined,
    "[ 10n, -5n ]"],
  ["symbol", () => (Symbol('tag')), undefined,
    "Symbol(tag)"],
  ["undefined and null", () => ([undefined, null]), undefined,
    "[ undefined, null ]"],
  ["booleans", () => ([true, false]), undefined,
    "[ true, false ]"],
  ["string at top level", () => ('hello'), undefined,
    "'hello'"],
  ["string with single quote uses double quotes", () => ("it's"), undefined,
    "\"it's\""],
  ["string with both quotes uses backticks", () => (`it's "x"`), undefined,
    "`it's \"x\"`"],
  ["string with all quotes escapes single quotes", () => ('it\'s "x" `y`'), undefined,
    "'it\\'s \"x\" `y`'"],
  ["control characters are escaped", () => ('a\nb\tc\x00\x7f\u0085\\'), undefined,
    "'a\\nb\\tc\\x00\\x7F\\x85\\\\'"],
  ["lone surrogates are escaped", () => ('\ud800x\udc00 \u{1F600}'), undefined,
    "'\\ud800x\\udc00 😀'"],
  ["long string is split at newlines", () => ('line one is here\nline two is also here and is long\nline three is the last one of them all\n'), undefined,
    "'line one is here\\n' +\n  'line two is also here and is long\\n' +\n  'line three is the last one of them all\\n'"],
  ["nested long string indents the continuation", () => ({ text: 'line one is here\nline two is also here and is long\nline three is the last one' }), undefined,
    "{\n  text: 'line one is here\\n' +\n    'line two is also here and is long\\n' +\n    'line three is the last one'\n}"],
  ["maxStringLength", () => ('abcdefghij'), { maxStringLength: 4 },
    "'abcd'... 6 more characters"],
  ["named function", () => (function foo() {}), undefined,
    "[Function: foo]"],
  ["anonymous function", () => ((() => () => {})()), undefined,
    "[Function (anonymous)]"],
  ["arrow function takes the variable name", () => ((() => { const arrow = () => {}; return arrow; })()), undefined,
    "[Function: arrow]"],
  ["async function", () => (async function af() {}), undefined,
    "[AsyncFunction: af]"],
  ["generator function", () => (function* gf() {}), undefined,
    "[GeneratorFunction: gf]"],
  ["async generator function", () => (async function* ag() {}), undefined,
    "[AsyncGeneratorFunction: ag]"],
  ["class", () => (Foo), undefined,
    "[class Foo]"],
  ["derived class", () => (Bar), undefined,
    "[class Bar extends Foo]"],
  ["anonymous class", () => ((() => class {})()), undefined,
    "[class (anonymous)]"],
  ["function with properties", () => (Object.assign(function named() {}, { prop: 1 })), undefined,
    "[Function: named] { prop: 1 }"],
  ["class with static field", () => (class WithStatic { static count = 3; }), undefined,
    "[class WithStatic] { count: 3 }"],
  ["method named like a class keyword", () => (({ classify() {} }).classify), undefined,
    "[Function: classify]"],
  ["bound function", () => (function orig() {}.bind(null)), undefined,
    "[Function: bound orig]"],
  ["array", () => ([1, 2, 3]), undefined,
    "[ 1, 2, 3 ]"],
  ["empty array", () => ([]), undefined,
    "[]"],
  ["array with holes and extra property", () => (holes()), undefined,
    "[ 1, <1 empty item>, 3, <2 empty items>, 6, extra: 'x' ]"],
  ["trailing holes", () => ((() => { const a = []; a[5] = 1; a.length = 10; return a; })()), undefined,
    "[ <5 empty items>, 1, <4 empty items> ]"],
  ["all holes", () => (new Array(5)), undefined,
    "[ <5 empty items> ]"],
  ["huge sparse array", () => ((() => { const a = []; a[1e6] = 1; return a; })()), undefined,
    "[ <1000000 empty items>, 1 ]"],
  ["nested arrays beyond depth", () => ([[1, [2, [3, [4]]]]]), undefined,
    "[ [ 1, [ 2, [Array] ] ] ]"],
  ["plain object", () => ({ a: 1, 'b-c': 2 }), undefined,
    "{ a: 1, 'b-c': 2 }"],
  ["empty object", () => ({}), undefined,
    "{}"],
  ["quoted and unquoted keys", () => ({ 'a b': 1, __proto__x: 2, ['__proto__']: 3, 0: 4, '01': 5, é: 6, $d: 7, _u: 8, '': 9 }), undefined,
    "{\n  '0': 4,\n  'a b': 1,\n  __proto__x: 2,\n  ['__proto__']: 3,\n  '01': 5,\n  'é': 6,\n  '$d': 7,\n  _u: 8,\n  '': 9\n}"],
  ["keys with quotes", () => ({ "it's": 1, 'say "hi"': 2, 'a\nb': 3 }), undefined,
    "{ \"it's\": 1, 'say \"hi\"': 2, 'a\\nb': 3 }"],
  ["symbol keys", () => ({ [Symbol('a b')]: 1, [Symbol.iterator]: 2 }), undefined,
    "{ [Symbol(a b)]: 1, [Symbol(Symbol.iterator)]: 2 }"],
  ["getters and setters", () => ({ get g() { return 1; }, set s(v) {}, get gs() { return 1; }, set gs(v) {} }), undefined,
    "{ g: [Getter], s: [Setter], gs: [Getter/Setter] }"],
  ["class instance", () => (new Foo()), undefined,
    "Foo { x: 1 }"],
  ["instance of derived class with prototype getter", () => (new Bar()), undefined,
    "Bar { x: 1 }"],
  ["object created from a prototype", () => (Object.create(Foo.prototype)), undefined,
    "Foo {}"],
  ["null prototype", () => (Object.create(null)), undefined,
    "[Object: null prototype] {}"],
  ["null prototype with keys", () => (Object.assign(Object.create(null), { a: 1 })), undefined,
    "[Object: null prototype] { a: 1 }"],
  ["prototype chain without constructor", () => (Object.create(Object.create(null))), undefined,
    "Object <[Object: null prototype] {}> {}"],
  ["toStringTag", () => ({ [Symbol.toStringTag]: 'T', a: 1 }), undefined,
    "{ a: 1, [Symbol(Symbol.toStringTag)]: 'T' }"],
  ["toStringTag from a class", () => (new (class Z { get [Symbol.toStringTag]() { return 'Tz'; } })()), undefined,
    "Z [Tz] {}"],
  ["Map", () => (new Map([['a', 1], ['b', { c: 2 }]])), undefined,
    "Map(2) { 'a' => 1, 'b' => { c: 2 } }"],
  ["empty Map", () => (new Map()), undefined,
    "Map(0) {}"],
  ["Map with object keys", () => (new Map([[{ k: 1 }, new Set([[1, 2]])]])), undefined,
    "Map(1) { { k: 1 } => Set(1) { [ 1, 2 ] } }"],
  ["Map inside an object", () => ({ m: new Map([['key', 'value'], ['other', 'thing']]) }), undefined,
    "{ m: Map(2) { 'key' => 'value', 'other' => 'thing' } }"],
  ["Set", () => (new Set([1, 'two', [3]])), undefined,
    "Set(3) { 1, 'two', [ 3 ] }"],
  ["empty Set", () => (new Set()), undefined,
    "Set(0) {}"],
  ["Set limited by maxArrayLength", () => (new Set([0, 1, 2, 3, 4])), { maxArrayLength: 3 },
    "Set(5) { 0, 1, 2, ... 2 more items }"],
  ["Map limited by maxArrayLength", () => (new Map([[0, 'a'], [1, 'b'], [2, 'c']])), { maxArrayLength: 2 },
    "Map(3) { 0 => 'a', 1 => 'b', ... 1 more item }"],
  ["WeakMap", () => (new WeakMap()), undefined,
    "WeakMap { <items unknown> }"],
  ["WeakSet", () => (new WeakSet()), undefined,
    "WeakSet { <items unknown> }"],
  ["Date", () => (new Date(0)), undefined,
    "1970-01-01T00:00:00.000Z"],
  ["invalid Date", () => (new Date(NaN)), undefined,
    "Invalid Date"],
  ["Date with a property", () => (Object.assign(new Date(0), { x: 1 })), undefined,
    "1970-01-01T00:00:00.000Z { x: 1 }"],
  ["RegExp", () => (/ab+c/gi), undefined,
    "/ab+c/gi"],
  ["RegExp with a property", () => (Object.assign(/x/, { y: 1 })), undefined,
    "/x/ { y: 1 }"],
  ["Error with stack and extra property", () => (Object.assign(withStack(new Error('boom'), 'Error: boom\n    at f (x.js:1:1)\n    at g (x.js:2:2)'), { code: 'E_X' })), undefined,
    "Error: boom\n    at f (x.js:1:1)\n    at g (x.js:2:2) {\n  code: 'E_X'\n}"],
  ["Error without frames is bracketed", () => (withStack(new TypeError('bad'), 'TypeError: bad')), undefined,
    "[TypeError: bad]"],
  ["Error with cause", () => (withStack(new Error('outer', { cause: withStack(new Error('inner'), 'Error: inner\n    at f (x.js:1:1)') }), 'Error: outer\n    at g (y.js:2:2)')), undefined,
    "Error: outer\n    at g (y.js:2:2) {\n  [cause]: Error: inner\n      at f (x.js:1:1)\n}"],
  ["Error cause is indented", () => ({ e: withStack(new Error('outer', { cause: withStack(new Error('inner'), 'Error: inner') }), 'Error: outer\n    at h (y.js:3:3)') }), undefined,
    "{\n  e: Error: outer\n      at h (y.js:3:3) {\n    [cause]: [Error: inner]\n  }\n}"],
  ["Error subclass names the class", () => (withStack(new MyError('mine'), 'Error: mine\n    at k (z.js:1:1)')), undefined,
    "MyError: mine\n    at k (z.js:1:1)"],
  ["AggregateError lists its errors", () => (withStack(new AggregateError([withStack(new RangeError('r'), 'RangeError: r')], 'many'), 'AggregateError: many\n    at m (a.js:1:1)')), undefined,
    "AggregateError: many\n    at m (a.js:1:1) {\n  [errors]: [ [RangeError: r] ]\n}"],
  ["Errors nested in objects", () => ({ e: withStack(new Error('x'), 'Error: x\n    at f (x.js:1:1)'), list: [withStack(new Error('short'), 'Error: short')] }), undefined,
    "{\n  e: Error: x\n      at f (x.js:1:1),\n  list: [ [Error: short] ]\n}"],
  ["Error with renamed name", () => ((() => { const e = withStack(new Error('x'), 'Error: x\n    at f (x.js:1:1)'); e.name = 'Custom'; return e; })()), undefined,
    "Error: x\n    at f (x.js:1:1) {\n  name: 'Custom'\n}"],
  ["boxed primitives", () => ([new Number(3), new String('ab'), new Boolean(false), Object(Symbol('q')), Object(5n), new Number(-0)]), undefined,
    "[\n  [Number: 3],\n  [String: 'ab'],\n  [Boolean: false],\n  [Symbol: Symbol(q)],\n  [BigInt: 5n],\n  [Number: -0]\n]"],
  ["boxed string with property", () => (Object.assign(new String('ab'), { z: 1 })), undefined,
    "[String: 'ab'] { z: 1 }"],
  ["Uint8Array", () => (new Uint8Array([1, 2, 3])), undefined,
    "Uint8Array(3) [ 1, 2, 3 ]"],
  ["Float64Array", () => (new Float64Array([1.5, -0, NaN])), undefined,
    "Float64Array(3) [ 1.5, -0, NaN ]"],
  ["BigInt64Array", () => (new BigInt64Array([1n, -2n])), undefined,
    "BigInt64Array(2) [ 1n, -2n ]"],
  ["empty typed array", () => (new Uint8Array(0)), undefined,
    "Uint8Array(0) []"],
  ["typed array over maxArrayLength", () => (new Uint8Array(120)), undefined,
    "Uint8Array(120) [\n  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0,\n  ... 20 more items\n]"],
  ["typed array with property", () => (Object.assign(new Uint8Array(2), { p: 1 })), undefined,
    "Uint8Array(2) [ 0, 0, p: 1 ]"],
  ["ArrayBuffer", () => (new ArrayBuffer(4)), undefined,
    "ArrayBuffer { [Uint8Contents]: <00 00 00 00>, byteLength: 4 }"],
  ["ArrayBuffer over maxArrayLength", () => (new ArrayBuffer(120)), undefined,
    "ArrayBuffer {\n  [Uint8Contents]: <00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ... 20 more bytes>,\n  byteLength: 120\n}"],
  ["DataView", () => (new DataView(new ArrayBuffer(4), 1, 2)), undefined,
    "DataView {\n  byteLength: 2,\n  byteOffset: 1,\n  buffer: ArrayBuffer { [Uint8Contents]: <00 00 00 00>, byteLength: 4 }\n}"],
  ["circular references", () => (circular()), undefined,
    "<ref *1> {\n  name: 'c',\n  self: [Circular *1],\n  list: [ [Circular *1], { inner: [Circular *1] } ]\n}"],
  ["circular Map", () => ((() => { const m = new Map(); m.set('self', m); return m; })()), undefined,
    "<ref *1> Map(1) { 'self' => [Circular *1] }"],
  ["two circular targets", () => ((() => { const a = { n: 'a' }; const b = { n: 'b', a }; a.b = b; a.a = a; return [a, b]; })()), undefined,
    "[\n  <ref *1> { n: 'a', b: { n: 'b', a: [Circular *1] }, a: [Circular *1] },\n  <ref *2> {\n    n: 'b',\n    a: <ref *1> { n: 'a', b: [Circular *2], a: [Circular *1] }\n  }\n]"],
  ["depth limit", () => ({ a: { b: { c: { d: { e: 1 } } } } }), undefined,
    "{ a: { b: { c: [Object] } } }"],
  ["depth limit names the class", () => ({ a: { b: { c: new Foo(), d: [1], m: new Map([[1, 2]]), s: new Set([1]), n: Object.assign(Object.create(null), { z: 1 }) } } }), undefined,
    "{\n  a: {\n    b: {\n      c: [Foo],\n      d: [Array],\n      m: [Map],\n      s: [Set],\n      n: [Object: null prototype]\n    }\n  }\n}"],
  ["empty values are shown beyond the depth", () => ({ a: { b: { c: {}, d: [], f() {}, r: /x/, t: new Date(0) } } }), undefined,
    "{\n  a: {\n    b: {\n      c: {},\n      d: [],\n      f: [Function: f],\n      r: /x/,\n      t: 1970-01-01T00:00:00.000Z\n    }\n  }\n}"],
  ["depth 0", () => ({ a: { b: 1 }, c: [1] }), { depth: 0 },
    "{ a: [Object], c: [Array] }"],
  ["depth null shows everything", () => ({ a: { b: { c: { d: { e: 1 } } } } }), { depth: null },
    "{\n  a: {\n    b: { c: { d: { e: 1 } } }\n  }\n}"],
  ["maxArrayLength default 100", () => (sized(101, (i) => i)), undefined,
    "[\n   0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11,\n  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,\n  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n  36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,\n  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,\n  60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,\n  72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,\n  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,\n  96, 97, 98, 99,\n  ... 1 more item\n]"],
  ["maxArrayLength 2", () => ([1, 2, 3]), { maxArrayLength: 2 },
    "[ 1, 2, ... 1 more item ]"],
  ["maxArrayLength 0", () => ([1, 2]), { maxArrayLength: 0 },
    "[ ... 2 more items ]"],
  ["six entries stay on one line", () => ([1, 2, 3, 4, 5, 6]), undefined,
    "[ 1, 2, 3, 4, 5, 6 ]"],
  ["numbers are grouped in right-aligned columns", () => (sized(30, (i) => i * 37)), undefined,
    "[\n    0,  37,  74, 111,  148,  185,\n  222, 259, 296, 333,  370,  407,\n  444, 481, 518, 555,  592,  629,\n  666, 703, 740, 777,  814,  851,\n  888, 925, 962, 999, 1036, 1073\n]"],
  ["strings are grouped in left-aligned columns", () => (sized(26, (i) => String.fromCharCode(97 + i).repeat(i % 5 + 1))), undefined,
    "[\n  'a',     'bb',    'ccc',   'dddd',\n  'eeeee', 'f',     'gg',    'hhh',\n  'iiii',  'jjjjj', 'k',     'll',\n  'mmm',   'nnnn',  'ooooo', 'p',\n  'qq',    'rrr',   'ssss',  'ttttt',\n  'u',     'vv',    'www',   'xxxx',\n  'yyyyy', 'z'\n]"],
  ["mixed entries are left-aligned", () => ([1, 'a', 2, 'bb', 3, 'ccc', 4, 'dddd', 5]), undefined,
    "[\n  1,    'a',    2,\n  'bb', 3,      'ccc',\n  4,    'dddd', 5\n]"],
  ["objects in an array are not grouped", () => (sized(8, (i) => ({ i }))), undefined,
    "[\n  { i: 0 }, { i: 1 },\n  { i: 2 }, { i: 3 },\n  { i: 4 }, { i: 5 },\n  { i: 6 }, { i: 7 }\n]"],
  ["one long entry prevents grouping", () => (['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'b', 'c', 'd', 'e', 'f', 'g']), undefined,
    "[\n  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',\n  'b',\n  'c',\n  'd',\n  'e',\n  'f',\n  'g'\n]"],
  ["arrays of arrays", () => ([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3], [4, 5, 6], [7, 8, 9], [1]]), undefined,
    "[\n  [ 1, 2, 3 ],\n  [ 4, 5, 6 ],\n  [ 7, 8, 9 ],\n  [ 1, 2, 3 ],\n  [ 4, 5, 6 ],\n  [ 7, 8, 9 ],\n  [ 1 ]\n]"],
  ["entries over breakLength go on separate lines", () => ({ alpha: 'aaaaaaaaaaaaaaaa', beta: 'bbbbbbbbbbbbbbbbbbb', gamma: 'ccccccccccccccccccc', delta: 'ddddddd' }), undefined,
    "{\n  alpha: 'aaaaaaaaaaaaaaaa',\n  beta: 'bbbbbbbbbbbbbbbbbbb',\n  gamma: 'ccccccccccccccccccc',\n  delta: 'ddddddd'\n}"],
  ["inner object stays on one line", () => ({ outer: { a: 'x'.repeat(30), b: 'y'.repeat(30), c: 'z'.repeat(10) }, other: 1 }), undefined,
    "{\n  outer: {\n    a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',\n    b: 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy',\n    c: 'zzzzzzzzzz'\n  },\n  other: 1\n}"],
  ["only three inner levels share a line", () => ({ a: { b: { c: { d: 1 } } } }), { depth: 5 },
    "{\n  a: { b: { c: { d: 1 } } }\n}"],
  ["breakLength Infinity", () => ({ a: 'x'.repeat(100), b: 1 }), { breakLength: Infinity },
    "{ a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', b: 1 }"],
  ["compact false", () => ({ a: 1, b: [1, 2] }), { compact: false },
    "{\n  a: 1,\n  b: [\n    1,\n    2\n  ]\n}"],
  ["showHidden shows non-enumerable properties", () => ([Object.defineProperty({}, 'h', { value: 1 }), [1]]), { showHidden: true },
    "[ { [h]: 1 }, [ 1, [length]: 1 ], [length]: 2 ]"],
  ["custom inspect function", () => ({ x: { [Symbol.for('nodejs.util.inspect.custom')](depth) { return `custom at ${depth}`; } } }), undefined,
    "{ x: custom at 1 }"],
  ["custom inspect returning an object", () => ({ [Symbol.for('nodejs.util.inspect.custom')]() { return { replaced: true }; } }), undefined,
    "{ replaced: true }"],
  ["Proxy is shown through its traps", () => (new Proxy({ a: 1 }, {})), undefined,
    "{ a: 1 }"],
  ["colors", () => ({ n: 1, s: 'x', u: undefined, nl: null, b: true, sy: Symbol('c'), d: new Date(0), r: /x/, f() {}, big: 1n, arr: [1, 2] }), { colors: true },
    "{\n  n: \x1b[33m1\x1b[39m,\n  s: \x1b[32m'x'\x1b[39m,\n  u: \x1b[90mundefined\x1b[39m,\n  nl: \x1b[1mnull\x1b[22m,\n  b: \x1b[33mtrue\x1b[39m,\n  sy: \x1b[32mSymbol(c)\x1b[39m,\n  d: \x1b[35m1970-01-01T00:00:00.000Z\x1b[39m,\n  r: \x1b[31m/x/\x1b[39m,\n  f: \x1b[36m[Function: f]\x1b[39m,\n  big: \x1b[33m1n\x1b[39m,\n  arr: [ \x1b[33m1\x1b[39m, \x1b[33m2\x1b[39m ]\n}"],
  ["colors do not count toward the line length", () => (sized(10, (i) => i)), { colors: true },
    "[\n  \x1b[33m0\x1b[39m, \x1b[33m1\x1b[39m, \x1b[33m2\x1b[39m, \x1b[33m3\x1b[39m, \x1b[33m4\x1b[39m,\n  \x1b[33m5\x1b[39m, \x1b[33m6\x1b[39m, \x1b[33m7\x1b[39m, \x1b[33m8\x1b[39m, \x1b[33m9\x1b[39m\n]"],
];

for (const [name, make, options, expected] of inspectCases) {
  test(`inspect: ${name}`, () => {
    assertEqual(inspect(make(), options), expected, name);
  });
}

// [name, console.log arguments, expected formatArgs() output]
const formatCases = [
  ["strings are bare, other values inspected", () => (['a', 'b', 1, { c: 2 }, [1, 'x']]),
    "a b 1 { c: 2 } [ 1, 'x' ]"],
  ["first argument not a string", () => ([1, 'x', { y: 1 }]),
    "1 x { y: 1 }"],
  ["%s and %d", () => (['%s is %d years', 'Bob', 42]),
    "Bob is 42 years"],
  ["%s inspects objects with depth 0", () => (['%s', { a: { b: { c: 1 } } }]),
    "{ a: [Object] }"],
  ["%s inspects arrays with depth 0", () => (['%s', [1, [2, [3]]]]),
    "[ 1, [Array] ]"],
  ["%s on numbers and bigints", () => (['%s %s %s', -0, 1n, 1.5]),
    "-0 1n 1.5"],
  ["%s on symbols, null and undefined", () => (['%s %s %s', Symbol('s'), null, undefined]),
    "Symbol(s) null undefined"],
  ["%s calls a user-defined toString", () => (['%s|%s', { toString() { return 'custom'; } }, new (class A { toString() { return 'A!'; } })()]),
    "custom|A!"],
  ["%s inspects a class instance without toString", () => (['%s', new (class B { constructor() { this.v = 1; } })()]),
    "B { v: 1 }"],
  ["%s on a Date and a null-prototype object", () => (['%s %s', new Date(0), Object.create(null)]),
    "1970-01-01T00:00:00.000Z [Object: null prototype] {}"],
  ["%d", () => (['%d %d %d %d %d', '42', 1.5, 5n, {}, Symbol('x')]),
    "42 1.5 5n NaN NaN"],
  ["%i", () => (['%i %i %i', '42.9px', 7n, -3.7]),
    "42 7n -3"],
  ["%f", () => (['%f %f', '1.25abc', 'x']),
    "1.25 NaN"],
  ["%j", () => (['%j %j', { a: [1] }, 'str']),
    "{\"a\":[1]} \"str\""],
  ["%j on a circular object", () => (['%j', (() => { const c = {}; c.c = c; return c; })()]),
    "[Circular]"],
  ["%O", () => (['%O', { a: { b: { c: { d: 1 } } } }]),
    "{ a: { b: { c: [Object] } } }"],
  ["%o shows hidden properties with depth 4", () => (['%o', [1, { a: { b: { c: { d: { e: 1 } } } } }]]),
    "[\n  1,\n  {\n    a: { b: { c: { d: [Object] } } }\n  },\n  [length]: 2\n]"],
  ["%c consumes its argument", () => (['%c styled', 'color: red']),
    " styled"],
  ["%% is a percent sign", () => (['100%% %s', 'sure', 'extra']),
    "100% sure extra"],
  ["%% without arguments stays", () => (['100%%']),
    "100%%"],
  ["unknown directive stays", () => (['%x %s', 'y']),
    "%x y"],
  ["missing arguments leave directives", () => (['%s %s', 'only']),
    "only %s"],
  ["more arguments than directives", () => (['%s:%s', 'a', 'b', 'c']),
    "a:b c"],
  ["lone percent at the end", () => (['x%', 1]),
    "x% 1"],
  ["strings after a format are bare", () => (['%d%%', 50, 'extra', 'more']),
    "50% extra more"],
  ["no arguments", () => ([]),
    ""],
];

for (const [name, make, expected] of formatCases) {
  test(`formatArgs: ${name}`, () => {
    assertEqual(formatArgs(make()), expected, name);
  });
}

// ---- What rtjs does without Node's native helpers ----

test('inspect: a promise shows <unknown> without a promiseState helper', () => {
  assertEqual(inspect(Promise.resolve(1)), 'Promise { <unknown> }', 'no helper');
  assertEqual(inspect({ p: new Promise(() => {}) }), '{ p: Promise { <unknown> } }', 'nested');
});

test('inspect: options.promiseState shows fulfilled, pending and rejected promises', () => {
  const states = new Map();
  const promiseState = (p) => states.get(p);
  const fulfilled = Promise.resolve();
  const pending = new Promise(() => {});
  const rejected = Promise.resolve();
  states.set(fulfilled, { state: 'fulfilled', value: { a: 1 } });
  states.set(pending, { state: 'pending' });
  states.set(rejected, { state: 'rejected', value: 'why' });
  assertEqual(inspect(fulfilled, { promiseState }), 'Promise { { a: 1 } }', 'fulfilled');
  assertEqual(inspect(pending, { promiseState }), 'Promise { <pending> }', 'pending');
  assertEqual(inspect(rejected, { promiseState }), "Promise { <rejected> 'why' }", 'rejected');
});

test('inspect: setInspectHooks installs helpers for later calls', () => {
  const p = Promise.resolve(7);
  setInspectHooks({ promiseState: () => ({ state: 'fulfilled', value: 7 }) });
  try {
    assertEqual(inspect(p), 'Promise { 7 }', 'with the hook');
  } finally {
    setInspectHooks({});
  }
  assertEqual(inspect(p), 'Promise { <unknown> }', 'hook removed');
});

test('inspect: options.proxyTarget shows the target without running traps', () => {
  const target = { a: 1 };
  const trap = () => { throw new Error('trap ran'); };
  const proxy = new Proxy(target, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const proxyTarget = (v) => (v === proxy ? target : v === revoked ? null : undefined);
  assertEqual(inspect({ proxy, revoked }, { proxyTarget }), '{ proxy: { a: 1 }, revoked: <Revoked Proxy> }', 'proxies');
});

test('inspect: an arguments object is shown like an array', () => {
  const args = (function () { return arguments; })(1, 'two');
  const none = (function () { return arguments; })();
  assertEqual(inspect(args), "[Arguments] [ 1, 'two' ]", 'two arguments');
  assertEqual(inspect(none), '[Arguments] []', 'no arguments');
});

test('inspect: iterators are shown by their tag (their entries need a native helper)', () => {
  assertEqual(inspect(new Map([[1, 2]]).entries()), 'Object [Map Iterator] {}', 'map iterator');
  assertEqual(inspect(new Set([1]).values()), 'Object [Set Iterator] {}', 'set iterator');
});

test('inspect: a module namespace object', () => {
  assertEqual(inspect(parseArgsModule), '[Module: null prototype] { parseArgs: [Function: parseArgs] }', 'namespace');
});

test('inspect: getters are not called', () => {
  let calls = 0;
  const value = { get g() { calls++; return 1; } };
  assertEqual(inspect(value), '{ g: [Getter] }', 'getter');
  assertEqual(calls, 0, 'getter calls');
});

test('inspect: customInspectSymbol is the symbol Node libraries use', () => {
  assertEqual(customInspectSymbol, Symbol.for('nodejs.util.inspect.custom'), 'symbol');
});

test('inspect: a real error shows its V8 stack', () => {
  assertMatch(inspect(new Error('real')), /^Error: real\n {4}at /, 'stack');
  assertMatch(inspect({ e: new RangeError('deep') }), /^\{\n {2}e: RangeError: deep\n {6}at /, 'nested stack');
});

test('inspect: nesting deeper than the stack is cut short, not thrown', () => {
  let inner = {};
  const outer = inner;
  for (let i = 0; i < 200000; i++) {
    inner.n = {};
    inner = inner.n;
  }
  const text = inspect(outer, { depth: null });
  assertMatch(text, /\[Object: Inspection interrupted prematurely\. Maximum call stack size exceeded\.\]/, 'overflow');
});

test('inspect: an app replacing built-in methods does not change the output', () => {
  const value = { a: [1, , 3], m: new Map([[1, { b: 2 }]]), s: new Set(['x']), d: new Date(0), r: /x/g,
    u: new Uint8Array([1, 2]), big: Array.from({ length: 30 }, (_, i) => i), str: "it's\n" };
  value.self = value;
  const before = inspect(value) + formatArgs(['%s %d %j', 'a', 2, { j: 1 }, 'rest']);
  const replaced = [
    [Array.prototype, ['map', 'push', 'join', 'includes', 'indexOf', 'splice', 'unshift', 'filter', Symbol.iterator]],
    [String.prototype, ['slice', 'indexOf', 'includes', 'repeat', 'padStart', 'padEnd', 'charCodeAt', 'split', 'replace']],
    [Map.prototype, ['get', 'set', 'entries', Symbol.iterator]],
    [Set.prototype, ['has', 'values', Symbol.iterator]],
    [RegExp.prototype, ['exec', Symbol.replace]],
    [Object, ['keys', 'getOwnPropertyNames', 'getOwnPropertyDescriptor', 'getPrototypeOf']],
    [Object.prototype, ['hasOwnProperty', 'toString']],
    [Math, ['min', 'max', 'round']],
    [JSON, ['stringify']],
    [Function.prototype, ['call', 'bind']],
  ];
  const saved = [];
  const boom = () => { throw new Error('replaced'); };
  for (let i = 0; i < replaced.length; i++) {
    const [object, names] = replaced[i];
    for (let j = 0; j < names.length; j++) {
      saved.push([object, names[j], Object.getOwnPropertyDescriptor(object, names[j])]);
    }
  }
  let after;
  try {
    for (let i = 0; i < saved.length; i++) {
      Object.defineProperty(saved[i][0], saved[i][1], { value: boom, configurable: true, writable: true });
    }
    try {
      after = inspect(value) + formatArgs(['%s %d %j', 'a', 2, { j: 1 }, 'rest']);
    } catch (err) {
      after = `threw: ${err.message}`;
    }
  } finally {
    for (let i = saved.length - 1; i >= 0; i--) Object.defineProperty(saved[i][0], saved[i][1], saved[i][2]);
  }
  assertEqual(after, before, 'output with replaced built-ins');
});

test('formatArgs: options reach inspect (colors)', () => {
  assertEqual(formatArgs(['n', 1], { colors: true }), 'n \x1b[33m1\x1b[39m', 'colored number');
});
