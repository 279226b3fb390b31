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
  create, defineProperty, freeze, getOwnPropertyDescriptor, getOwnPropertyDescriptors,
  getPrototypeOf, hasOwn, setPrototypeOf,
} = Object;
const { ownKeys } = Reflect;
const ProxyCtor = Proxy;
const StringPrototypeToLowerCase = uncurryThis(String.prototype.toLowerCase);
const StringPrototypeSlice = uncurryThis(String.prototype.slice);
const StringPrototypeStartsWith = uncurryThis(String.prototype.startsWith);
const MapPrototypeGet = uncurryThis(Map.prototype.get);
const MapPrototypeSet = uncurryThis(Map.prototype.set);
const MapPrototypeHas = uncurryThis(Map.prototype.has);

// What is captured now, eagerly: every constructor and namespace and the property
// descriptors of it and of its prototype (one native call each). The functions an importer
// names are made from these descriptors when first asked for, so the built-ins a module gets
// are the ones of boot time whenever it is loaded, and an app start does not pay for the
// hundreds of names nobody uses (building them all took a third of a second per app under
// QEMU's TCG).
// A name that begins another (ArrayBuffer, Array) comes after it: names are matched in order.
const NAMESPACES = ['JSON', 'Math', 'Reflect', 'Atomics'];
const CONSTRUCTORS = [
  'AggregateError', 'ArrayBuffer', 'Array', 'BigInt64Array', 'BigInt', 'BigUint64Array', 'Boolean',
  'DataView', 'Date', 'Error', 'EvalError', 'FinalizationRegistry', 'Float32Array', 'Float64Array',
  'Function', 'Int16Array', 'Int32Array', 'Int8Array', 'Map', 'Number', 'Object', 'Promise', 'Proxy',
  'RangeError', 'ReferenceError', 'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol',
  'SyntaxError', 'TypeError', 'URIError', 'Uint16Array', 'Uint32Array', 'Uint8Array',
  'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet',
];

const sources = []; // { name, object, statics, proto, prototype }
function capture(name, object, isConstructor) {
  if (object === undefined) {
    late[late.length] = { name, isConstructor };
    return;
  }
  const prototype = isConstructor ? object.prototype : undefined;
  sources[sources.length] = {
    name, object, prototype,
    statics: getOwnPropertyDescriptors(object),
    proto: prototype === undefined ? undefined : getOwnPropertyDescriptors(prototype),
  };
}
// A context made for a startup snapshot lacks what V8 installs only when a context is made
// or deserialised for use (SharedArrayBuffer, Atomics, WebAssembly): captureLateGlobals takes
// those, still before any app code runs.
const late = [];
for (let i = 0; i < NAMESPACES.length; i++) capture(NAMESPACES[i], globalThis[NAMESPACES[i]], false);
for (let i = 0; i < CONSTRUCTORS.length; i++) capture(CONSTRUCTORS[i], globalThis[CONSTRUCTORS[i]], true);
// %TypedArray%, the shared parent of the typed arrays (TypedArrayPrototypeGetLength...).
capture('TypedArray', getPrototypeOf(Uint8Array), true);
const symbols = getOwnPropertyDescriptors(Symbol);

function lowerFirst(text) {
  return `${StringPrototypeToLowerCase(text[0])}${StringPrototypeSlice(text, 1)}`;
}

// The property key `text` names ('Slice' -> 'slice', 'SymbolIterator' -> Symbol.iterator,
// 'MAX_SAFE_INTEGER' as written) if `descriptors` has it.
function keyIn(descriptors, text) {
  if (text === '') return undefined;
  if (StringPrototypeStartsWith(text, 'Symbol') && text.length > 6) {
    const wellKnown = lowerFirst(StringPrototypeSlice(text, 6));
    const symbol = hasOwn(symbols, wellKnown) ? symbols[wellKnown].value : undefined;
    if (typeof symbol === 'symbol' && hasOwn(descriptors, symbol)) return symbol;
  }
  const lower = lowerFirst(text);
  if (hasOwn(descriptors, lower)) return lower;
  if (hasOwn(descriptors, text)) return text;
  return undefined;
}

// `rest` of a name after its source: a method or value ('Slice'), else an accessor ('GetSize').
function member(descriptors, rest, uncurry, self) {
  const key = keyIn(descriptors, rest);
  if (key !== undefined && hasOwn(descriptors[key], 'value')) {
    const value = descriptors[key].value;
    if (typeof value !== 'function') return value;
    return uncurry ? uncurryThis(value) : FunctionPrototypeBind(value, self);
  }
  const kind = StringPrototypeSlice(rest, 0, 3);
  if (kind !== 'Get' && kind !== 'Set') return undefined;
  const accessorKey = keyIn(descriptors, StringPrototypeSlice(rest, 3));
  if (accessorKey === undefined) return undefined;
  const descriptor = descriptors[accessorKey];
  const which = kind === 'Get' ? 'get' : 'set';
  const fn = hasOwn(descriptor, which) ? descriptor[which] : undefined;
  if (fn === undefined) return undefined;
  return uncurry ? uncurryThis(fn) : FunctionPrototypeBind(fn, self);
}

// Sources by the first letter of their name, in the order above.
const byInitial = new Map();
function index(source) {
  const initial = source.name[0];
  let list = MapPrototypeGet(byInitial, initial);
  if (list === undefined) {
    list = [];
    MapPrototypeSet(byInitial, initial, list);
  }
  list[list.length] = source;
}
for (let i = 0; i < sources.length; i++) index(sources[i]);

/** Captures the built-ins that were missing when this module was evaluated; once per app. */
export function captureLateGlobals() {
  const missing = late.splice(0, late.length);
  for (let i = 0; i < missing.length; i++) {
    const { name, isConstructor } = missing[i];
    const before = sources.length;
    capture(name, globalThis[name], isConstructor);
    if (sources.length > before) index(sources[before]);
  }
}

function resolve(name) {
  const candidates = MapPrototypeGet(byInitial, name[0]);
  if (candidates === undefined) return undefined;
  for (let i = 0; i < candidates.length; i++) {
    const s = candidates[i];
    if (!StringPrototypeStartsWith(name, s.name)) continue;
    const rest = StringPrototypeSlice(name, s.name.length);
    if (rest === '') return s.object;
    if (s.prototype !== undefined && StringPrototypeStartsWith(rest, 'Prototype')) {
      if (rest === 'Prototype') return s.prototype;
      const value = member(s.proto, StringPrototypeSlice(rest, 9), true);
      if (value !== undefined) return value;
    }
    const value = member(s.statics, rest, false, s.object);
    if (value !== undefined) return value;
  }
  return undefined;
}

const resolved = new Map(); // name -> value: each name is made once
const eager = create(null);  // names made at boot (below)

function define(name, value) {
  eager[name] = value;
}

// The iterator prototypes, so that a safe iterator can step one without `next` lookups.
const ArrayIteratorPrototypeNext = uncurryThis(getPrototypeOf([][Symbol.iterator]()).next);
const MapIteratorPrototypeNext = uncurryThis(getPrototypeOf(new Map()[Symbol.iterator]()).next);
const SetIteratorPrototypeNext = uncurryThis(getPrototypeOf(new Set()[Symbol.iterator]()).next);
define('ArrayIteratorPrototypeNext', ArrayIteratorPrototypeNext);
define('MapIteratorPrototypeNext', MapIteratorPrototypeNext);
define('SetIteratorPrototypeNext', SetIteratorPrototypeNext);

define('uncurryThis', uncurryThis);
define('applyBind', applyBind);

// An iterator over a Map's or Set's own iterator, stepped with the captured `next`: for-of
// over a SafeMap works even after the app replaced %MapIteratorPrototype%.next.
class SafeIterator {
  #iterator;
  #next;
  constructor(iterator, next) {
    this.#iterator = iterator;
    this.#next = next;
  }
  next() { return this.#next(this.#iterator); }
  [Symbol.iterator]() { return this; }
}
setPrototypeOf(SafeIterator.prototype, null);
freeze(SafeIterator.prototype);
freeze(SafeIterator);

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
      const make = uncurryThis(desc.value);
      desc.value = function () { return new SafeIterator(make(this), iterators); };
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

freeze(eager);

/**
 * The primordials: `const { ArrayPrototypeSlice, SafeMap } = primordials;`. A name that is no
 * built-in is undefined.
 */
const primordials = new ProxyCtor(freeze(create(null)), {
  get(target, name) {
    if (typeof name !== 'string') return undefined;
    if (hasOwn(eager, name)) return eager[name];
    if (MapPrototypeHas(resolved, name)) return MapPrototypeGet(resolved, name);
    const value = resolve(name);
    // Not remembered when undefined: a late global may still provide it.
    if (value !== undefined) MapPrototypeSet(resolved, name, value);
    return value;
  },
});
export default primordials;
