// The built-ins of the runtime's own JavaScript, captured before any app code runs (as
// Node's lib/internal/per_context/primordials.js). An app shares its realm with the runtime's
// modules, so it can replace Array.prototype.push, Map.prototype.get, Promise.prototype.then or
// Symbol.iterator's methods; code that uses only what this module exports keeps working as
// written whatever the app does.
//
// Names:
//   Array, Map, ...              the constructors themselves (for `new`, instanceof)
//   ObjectKeys, JSONStringify    statics (bound to their constructor: PromiseResolve(x) works)
//   ArrayPrototypeSlice          prototype methods, uncurried: ArrayPrototypeSlice(list, 1)
//   MapPrototypeGetSize          accessors, uncurried: MapPrototypeGetSize(map)
//   SymbolIterator               well-known symbols
//   SafeMap, SafeSet, SafeWeakMap, SafeWeakSet, SafeWeakRef, SafeFinalizationRegistry:
//                                collections whose methods are their own copies, not looked up
//                                on the app-visible prototypes; their iterators are safe too
//
// What this does not cover: operations the language performs through the prototype chain
// (an index setter on Array.prototype sees `list[list.length] = x` and ArrayPrototypePush;
// spreading and for-of use the iterator protocol; `await` and resolving a promise read `then`).
// Runtime code that must not be steered by the app keeps such values out of the app's hands
// or lets native code hold the authority (the IPC wire format, ipc.cc).

/* eslint-disable no-restricted-globals */
const { apply, bind, call } = Function.prototype;
const uncurryThis = bind.bind(call);
const applyBind = bind.bind(apply);
const FunctionPrototypeBind = uncurryThis(bind);
const {
  create, defineProperty, freeze, getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf,
} = Object;
const { ownKeys } = Reflect;
const StringPrototypeToUpperCase = uncurryThis(String.prototype.toUpperCase);
const StringPrototypeSlice = uncurryThis(String.prototype.slice);
const SymbolPrototypeGetDescription = uncurryThis(getOwnPropertyDescriptor(Symbol.prototype, 'description').get);

const primordials = create(null);

// 'keys' -> 'Keys'; Symbol.iterator -> 'SymbolIterator'.
function keyName(key) {
  if (typeof key === 'symbol') {
    const d = SymbolPrototypeGetDescription(key);
    return `Symbol${StringPrototypeToUpperCase(d[7])}${StringPrototypeSlice(d, 8)}`;
  }
  return `${StringPrototypeToUpperCase(key[0])}${StringPrototypeSlice(key, 1)}`;
}

function define(name, value) {
  if (!(name in primordials)) primordials[name] = value;
}

// Statics of `src` as `${prefix}${Key}`; functions bound to `src`.
function copyStatics(src, prefix) {
  const keys = ownKeys(src);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === 'prototype' || key === 'length' || key === 'name' || key === 'caller' || key === 'arguments') continue;
    const desc = getOwnPropertyDescriptor(src, key);
    const name = `${prefix}${keyName(key)}`;
    if ('value' in desc) {
      define(name, typeof desc.value === 'function' ? FunctionPrototypeBind(desc.value, src) : desc.value);
    } else if (desc.get !== undefined) {
      define(`${prefix}Get${keyName(key)}`, FunctionPrototypeBind(desc.get, src));
    }
  }
}

// Methods and accessors of `proto` as `${prefix}${Key}`, `${prefix}Get${Key}`, uncurried.
function copyPrototype(proto, prefix) {
  const keys = ownKeys(proto);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === 'constructor') continue;
    const desc = getOwnPropertyDescriptor(proto, key);
    if ('value' in desc) {
      if (typeof desc.value === 'function') define(`${prefix}${keyName(key)}`, uncurryThis(desc.value));
    } else {
      if (desc.get !== undefined) define(`${prefix}Get${keyName(key)}`, uncurryThis(desc.get));
      if (desc.set !== undefined) define(`${prefix}Set${keyName(key)}`, uncurryThis(desc.set));
    }
  }
}

// Namespaces (no constructor): statics only.
for (const name of ['JSON', 'Math', 'Reflect', 'Atomics']) {
  const ns = globalThis[name];
  if (ns === undefined) continue;
  define(name, ns);
  copyStatics(ns, name);
}

const constructors = [
  'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean',
  'DataView', 'Date', 'Error', 'EvalError', 'FinalizationRegistry', 'Float32Array', 'Float64Array',
  'Function', 'Int16Array', 'Int32Array', 'Int8Array', 'Map', 'Number', 'Object', 'Promise',
  'RangeError', 'ReferenceError', 'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol',
  'SyntaxError', 'TypeError', 'URIError', 'Uint16Array', 'Uint32Array', 'Uint8Array',
  'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet',
];
for (let i = 0; i < constructors.length; i++) {
  const name = constructors[i];
  const C = globalThis[name];
  if (C === undefined) continue;
  define(name, C);
  define(`${name}Prototype`, C.prototype);
  copyStatics(C, name);
  copyPrototype(C.prototype, `${name}Prototype`);
}

// %TypedArray%, the shared parent of the typed arrays (TypedArrayPrototypeGetLength...).
const TypedArray = getPrototypeOf(Uint8Array);
define('TypedArray', TypedArray);
define('TypedArrayPrototype', TypedArray.prototype);
copyStatics(TypedArray, 'TypedArray');
copyPrototype(TypedArray.prototype, 'TypedArrayPrototype');

// The iterator prototypes, so that a safe iterator can step one without `next` lookups.
const ArrayIteratorPrototypeNext = uncurryThis(getPrototypeOf([][Symbol.iterator]()).next);
const MapIteratorPrototypeNext = uncurryThis(getPrototypeOf(new Map()[Symbol.iterator]()).next);
const SetIteratorPrototypeNext = uncurryThis(getPrototypeOf(new Set()[Symbol.iterator]()).next);
define('ArrayIteratorPrototypeNext', ArrayIteratorPrototypeNext);
define('MapIteratorPrototypeNext', MapIteratorPrototypeNext);
define('SetIteratorPrototypeNext', SetIteratorPrototypeNext);

define('uncurryThis', uncurryThis);
define('applyBind', applyBind);

// An iterator class over `factory(iterable)` stepped with the captured `next`: for-of over a
// SafeMap works even after the app replaced %MapIteratorPrototype%.next.
function createSafeIterator(factory, next) {
  class SafeIterator {
    #iterator;
    constructor(iterable) { this.#iterator = factory(iterable); }
    next() { return next(this.#iterator); }
    [Symbol.iterator]() { return this; }
  }
  setPrototypeOf(SafeIterator.prototype, null);
  freeze(SafeIterator.prototype);
  freeze(SafeIterator);
  return (iterable) => new SafeIterator(iterable);
}

// Gives `safe` its own copies of `unsafe`'s prototype methods, cuts its prototype off the
// app-visible one and freezes both.
function makeSafe(unsafe, safe, iterators) {
  const keys = ownKeys(unsafe.prototype);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === 'constructor') continue;
    const desc = getOwnPropertyDescriptor(unsafe.prototype, key);
    if (iterators !== undefined && 'value' in desc && typeof desc.value === 'function' &&
        (key === 'entries' || key === 'values' || key === 'keys' || key === Symbol.iterator)) {
      const make = createSafeIterator(uncurryThis(desc.value), iterators);
      desc.value = function () { return make(this); };
    }
    defineProperty(safe.prototype, key, desc);
  }
  setPrototypeOf(safe.prototype, null);
  freeze(safe.prototype);
  freeze(safe);
  return safe;
}

define('SafeMap', makeSafe(Map, class SafeMap extends Map {
  constructor(entries) { super(entries); }
}, MapIteratorPrototypeNext));
define('SafeSet', makeSafe(Set, class SafeSet extends Set {
  constructor(values) { super(values); }
}, SetIteratorPrototypeNext));
define('SafeWeakMap', makeSafe(WeakMap, class SafeWeakMap extends WeakMap {
  constructor() { super(); }
}));
define('SafeWeakSet', makeSafe(WeakSet, class SafeWeakSet extends WeakSet {
  constructor() { super(); }
}));
define('SafeWeakRef', makeSafe(WeakRef, class SafeWeakRef extends WeakRef {
  constructor(target) { super(target); }
}));
define('SafeFinalizationRegistry', makeSafe(FinalizationRegistry, class SafeFinalizationRegistry extends FinalizationRegistry {
  constructor(cleanup) { super(cleanup); }
}));

freeze(primordials);
export default primordials;
