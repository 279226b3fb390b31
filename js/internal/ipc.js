// Remote functions between apps (docs/design.md, "Apps, engines and IPC"), on the records of 'rtjs:binding'
// (ipcCall/ipcReply/ipcSend/ipcRelease out, the onMessage hook in; src/core/engine/ipc.h).
// The runtime builds and checks each record's header; this module fills in payloads.
//
// Outgoing values are prepared before the clone: every function in them becomes a
// reference (owner app id, export id) and the function stays in this app's export table;
// rt.transfer() markers become the value they wrap, their ArrayBuffer going into the
// transfer list. Incoming references become proxy functions: calling one sends a call
// message to the owner and returns a Promise of its result.
//
// Lifetime: the owner counts, per holder app, how many times it handed each function out.
// A holder counts how many times it received a reference; when its proxy is collected it
// releases that many. An entry goes when no app holds it (or the holders have ended).
// Forwarding a proxy to a third app tells the owner (retain) so that its counts stay right;
// a transient negative count (release overtaking retain) is allowed and settles to zero.
import binding from 'rtjs:binding';
import primordials from './primordials.js';

const {
  serialize, makeRef, isRef, refOwner, refId: refIdOf, ipcCall, ipcNotify, ipcReply, ipcSend, ipcRelease, keepAlive, jsonPlain,
  compileFunction,
} = binding;

const {
  Array: ArrayCtor, ArrayIsArray, ArrayPrototype, ArrayPrototypeShift, ArrayPrototypeSlice, ArrayBufferIsView, ArrayBufferPrototypeGetByteLength,
  Error: ErrorCtor, ErrorPrototype, MapPrototypeGet, MapPrototypeSet, MapPrototypeHas,
  MapPrototypeDelete, MapPrototypeClear, MapPrototypeForEach, MapPrototypeGetSize, ObjectCreate,
  JSONStringify, ObjectDefineProperty, ObjectFreeze, ObjectGetOwnPropertyNames, ObjectGetPrototypeOf, ObjectHasOwn, ObjectKeys,
  Int32Array: Int32ArrayCtor, ObjectPrototype, ObjectPrototypeIsPrototypeOf, ObjectSetPrototypeOf, Promise: PromiseCtor, PromiseReject,
  PromiseResolve, PromisePrototypeThen, ReflectApply, SafeFinalizationRegistry, SafeMap, SafeSet,
  SafeWeakMap, SafeWeakRef, SafeWeakSet, SetPrototypeAdd, SetPrototypeHas, SetPrototypeClear, SetPrototypeForEach,
  SetPrototypeGetSize, String: StringCtor, TypedArrayPrototypeSet, TypedArrayPrototypeGetSymbolToStringTag, StringPrototypeIndexOf, StringPrototypeSlice,
  StringPrototypeStartsWith, SymbolIterator, TypeError: TypeErrorCtor, WeakMapPrototypeGet, WeakMapPrototypeSet,
  WeakMapPrototypeHas, WeakRefPrototypeDeref, FinalizationRegistryPrototypeRegister,
} = primordials;

/**
 * Record kinds of the wire format (src/core/engine/ipc.h). The runtime, not this module,
 * stamps each record with its sender, kind, call id and function id and checks them; only
 * the payload is ours.
 */
export const KIND_CALL = 1;      // id: call id, ref: function id; payload: the arguments
export const KIND_RESULT = 2;    // id: call id; payload: the value
export const KIND_ERROR = 3;     // id: call id; payload: [true, name, message, stack, code] | [false, value]
export const KIND_RELEASE = 4;   // id: function id, ref: receipts released
export const KIND_RETAIN = 5;    // payload: [function id, holder app id]
export const KIND_EXPORT = 6;    // payload: the interface (apps.js)
const HAS_REFS = 1;              // record flags, set by the runtime
const UNREADABLE = 2;
const SHAPED = 4;                // the payload is in the shaped form (decodeShaped)
const ONE_WAY = 8;               // a call nobody waits an answer for (notify)


/** An array with no prototype: `a[a.length] = x` cannot reach an app's index setter. */
export function list() {
  return ObjectSetPrototypeOf([], null);
}

function setCode(err, code) {
  ObjectDefineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
}

// Errors rebuilt with their own constructor when the name is a standard one.
const standardErrors = ObjectCreate(null);
for (const C of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) {
  standardErrors[C.name] = C;
}

// Prototypes whose instances are left whole to the structured clone (which copies them, or
// throws DataCloneError for what it cannot clone: promises, weak collections...).
const leafPrototypes = new SafeSet();
for (const C of [Date, RegExp, Error, ArrayBuffer, Number, String, Boolean, BigInt, Symbol,
  Promise, WeakMap, WeakSet, WeakRef, FinalizationRegistry]) {
  SetPrototypeAdd(leafPrototypes, C.prototype);
}
// Iterators and generators (every one inherits %IteratorPrototype% or
// %AsyncIteratorPrototype%), WebAssembly's and Intl's objects: ordinary-looking objects the
// clone refuses, which must not be copied as plain objects on the way.
SetPrototypeAdd(leafPrototypes, ObjectGetPrototypeOf(ObjectGetPrototypeOf([][SymbolIterator]())));
SetPrototypeAdd(leafPrototypes, ObjectGetPrototypeOf(ObjectGetPrototypeOf(async function* () {}.prototype)));

/** Adds the prototypes of the built-ins V8 installs only in a context made for use
 *  (SharedArrayBuffer, WebAssembly: not in a startup snapshot's); once per app, before app code. */
export function addLateLeafPrototypes() {
  if (typeof SharedArrayBuffer === 'function') SetPrototypeAdd(leafPrototypes, SharedArrayBuffer.prototype);
  for (const ns of [globalThis.WebAssembly, globalThis.Intl]) {
    if (ns === undefined) continue;
    for (const name of ObjectGetOwnPropertyNames(ns)) {
      const C = ns[name];
      if (typeof C === 'function' && typeof C.prototype === 'object') SetPrototypeAdd(leafPrototypes, C.prototype);
    }
  }
}

// ---- app names, for error messages --------------------------------------------------

const names = new SafeMap();    // app id -> name
const ended = new SafeSet();    // ids of apps that have ended

/** Records the name of app `id` (the spawn handle, the parent, the list). */
export function noteAppName(id, name) {
  MapPrototypeSet(names, id, name);
}

function appName(id) {
  if (!MapPrototypeHas(names, id)) {
    const list = binding.apps();
    for (let i = 0; i < list.length; i++) MapPrototypeSet(names, list[i].id, list[i].name);
  }
  const name = MapPrototypeGet(names, id);
  return name === undefined ? '?' : name;
}

function endedError(id) {
  const err = new ErrorCtor(`app '${appName(id)}' (id ${id}) has ended`);
  setCode(err, 'ERR_APP_ENDED');
  return err;
}

/** True once an exit notice for app `id` has arrived. */
export function hasEnded(id) {
  return SetPrototypeHas(ended, id);
}

// ---- the export table: this app's functions that other apps hold ---------------------

const exportsById = new SafeMap();  // refId -> { fn, holders: Map(appId -> count), ref }
const idOfFunction = new SafeMap(); // fn -> refId
let nextExportId = 1;
// An app lives while another app holds one of its functions, except those unref'd (Node's
// unref() of a socket or server, whose events come through such a function): one keepAlive
// reference while at least one held function is ref'd.
const unrefd = new SafeWeakSet();
let refExports = 0;
function countRef(delta) {
  refExports += delta;
  if (delta > 0 && refExports === 1) keepAlive(1);
  else if (delta < 0 && refExports === 0) keepAlive(-1);
}

function exportFunction(fn) {
  let id = MapPrototypeGet(idOfFunction, fn);
  if (id !== undefined) return id;
  id = nextExportId++;
  const ref = !unrefd.has(fn);
  MapPrototypeSet(exportsById, id, { fn, holders: new SafeMap(), ref });
  MapPrototypeSet(idOfFunction, fn, id);
  if (ref) countRef(1);
  return id;
}

function dropIfUnheld(id, entry) {
  if (MapPrototypeGetSize(entry.holders) !== 0) return;
  MapPrototypeDelete(exportsById, id);
  MapPrototypeDelete(idOfFunction, entry.fn);
  if (entry.ref) countRef(-1);
}

/** Whether `fn`, while other apps hold it, keeps this app alive (true unless unref'd). */
export function refFunction(fn, ref) {
  if (ref) unrefd.delete(fn); else unrefd.add(fn);
  const id = MapPrototypeGet(idOfFunction, fn);
  const entry = id === undefined ? undefined : MapPrototypeGet(exportsById, id);
  if (entry === undefined || entry.ref === !!ref) return;
  entry.ref = !!ref;
  countRef(ref ? 1 : -1);
}

function addHolder(id, holder, delta) {
  const entry = MapPrototypeGet(exportsById, id);
  if (entry === undefined) return;
  const n = (MapPrototypeGet(entry.holders, holder) || 0) + delta;
  if (n === 0) MapPrototypeDelete(entry.holders, holder);
  else MapPrototypeSet(entry.holders, holder, n);
  dropIfUnheld(id, entry);
}

/** How many functions of this app other apps hold (tests and rt.apps diagnostics). */
export function exportCount() {
  return MapPrototypeGetSize(exportsById);
}

// ---- transfer markers ---------------------------------------------------------------

const markers = new SafeWeakMap(); // marker -> { value, buffer }

/**
 * Marks `value` (an ArrayBuffer or a view of one) to be moved, not copied, when it is sent:
 * the receiver gets the same memory and the sender's buffer is detached (byteLength 0).
 * Returns a marker that stands for `value` anywhere in a sent value (call arguments,
 * results, grants, exports).
 */
export function transfer(value) {
  let buffer = value;
  if (ArrayBufferIsView(value)) buffer = value.buffer;
  try {
    ArrayBufferPrototypeGetByteLength(buffer);
  } catch {
    throw new TypeErrorCtor('rt.transfer: an ArrayBuffer or a typed array / DataView expected');
  }
  const marker = ObjectFreeze(ObjectCreate(null));
  // An ArrayBuffer or a Uint8Array may travel in the plain-data format (ipc-plain.cc, kMoved);
  // other views take the structured clone.
  const plain = buffer === value || TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint8Array';
  WeakMapPrototypeSet(markers, marker, { value, buffer, plain });
  return marker;
}

// ---- preparing outgoing values --------------------------------------------------------

const proxyInfo = new SafeWeakMap(); // proxy function -> { owner, refId }

const PLAIN = 0, ARRAY = 1, MAP = 2, SET = 3, LEAF = 4, FUNCTION = 5, MARKER = 6, PORT = 7;

// A platform object that travels as functions (a MessagePort, message-channel.js): `is`
// recognises one, `toWire` gives the plain record of functions it travels as (the record's
// `key` property marks it), `fromWire` rebuilds one from the received record.
// Until the app loads message-channel.js it has no port to send, and a port it receives
// loads the module.
let portHooks = {
  key: '\u0000rtjs:MessagePort',
  is: () => false,
  toWire: undefined,
  fromWire: (wire) => binding.importSync('rtjs:internal/message-channel.js').fromWire(wire),
};
export function setPortHooks(hooks) { portHooks = hooks; }

function isMap(v) {
  try { MapPrototypeGetSize(v); return true; } catch { return false; }
}

function isSet(v) {
  try { SetPrototypeGetSize(v); return true; } catch { return false; }
}

function kindOf(v) {
  if (typeof v === 'function') return FUNCTION;
  if (typeof v !== 'object' || v === null) return LEAF;
  if (ArrayIsArray(v)) return ARRAY;
  if (portHooks.is(v)) return PORT;
  const proto = ObjectGetPrototypeOf(v);
  if (proto === ObjectPrototype) return PLAIN;
  if (proto === null) return WeakMapPrototypeHas(markers, v) ? MARKER : PLAIN;
  if (ArrayBufferIsView(v)) return LEAF;
  if (isMap(v)) return MAP;
  if (isSet(v)) return SET;
  for (let p = proto; p !== null; p = ObjectGetPrototypeOf(p)) {
    if (SetPrototypeHas(leafPrototypes, p)) return LEAF;
  }
  return PLAIN; // a class instance: cloned as its own enumerable properties
}

/** One outgoing message under construction: its transfer list and the references in it. */
// Its fields are defined, not assigned, and its lists have no prototype: no setter an app
// puts on Object.prototype or Array.prototype sees them.
// The lists are made when first needed: most messages carry no function and no transfer.
class Outgoing {
  transfer = undefined;
  moved = undefined;     // the values of markers that may travel as plain data (leaves)
  mine = undefined;      // ids of this app's functions in the message
  foreign = undefined;   // { owner, refId } of other apps' functions forwarded to the receiver
  hasRefs = false;
}

function refFor(fn, out) {
  out.hasRefs = true;
  const info = WeakMapPrototypeGet(proxyInfo, fn);
  if (info !== undefined) {
    if (out.foreign === undefined) out.foreign = list();
    out.foreign[out.foreign.length] = info;
    return makeRef(info.owner, info.refId);
  }
  const id = exportFunction(fn);
  if (out.mine === undefined) out.mine = list();
  out.mine[out.mine.length] = id;
  return makeRef(binding.appId, id);
}

function unwrapMarker(marker, s) {
  const out = outgoingOf(s);
  const m = WeakMapPrototypeGet(markers, marker);
  if (out.transfer === undefined) out.transfer = list();
  const transferList = out.transfer;
  for (let i = 0; i < transferList.length; i++) {
    if (transferList[i] === m.buffer) {
      s.plain = false; // the clone keeps a value marked twice one object
      return m.value;
    }
  }
  transferList[transferList.length] = m.buffer;
  if (m.plain) {
    if (out.moved === undefined) out.moved = list();
    out.moved[out.moved.length] = m.value;
  } else {
    s.plain = false;
  }
  return m.value;
}

// ---- the one read of an outgoing value -----------------------------------------------

// An outgoing value is read once, as its structured clone reads it: each own enumerable
// property once, getters included (one with side effects runs once, and a value that changes
// between two reads cannot send something other than what was checked). The order differs
// only in that an object's properties are all read before the objects they hold. The read
// makes a copy of every array and object (class instances become plain objects, as in the
// clone; Maps and Sets are copied too) with functions replaced by references and transfer
// markers by their values; the caller's objects are never changed, and shared or cyclic parts
// stay shared and cyclic. What the clone copies whole (dates, typed arrays, errors...) or
// refuses (proxies, arguments objects, host objects) is left to it as it is. The copies are
// made by spreading and slicing, which define their properties (no setter an app put on a
// prototype sees them), so the serializer reads only data properties.
//
// The same read tells whether the value may travel as JSON text, which V8 writes and parses
// faster than its structured clone (docs/design.md, "Apps, engines and IPC"): only when the
// JSON round trip gives what the clone would, that is strings, booleans, null, finite numbers
// other than -0, and arrays (no holes, no named properties) and objects with the standard or
// no prototype, none reached twice, at most SMALL_TREE of them and JSON_CHARS characters
// of strings (large strings copy faster than they escape), and no toJSON on the standard
// prototypes.
//
// A value with no object in it, only arrays (the arguments array of every call; as above, no
// holes, no named properties, none reached twice, at most SMALL_TREE) and primitives, travels
// in the runtime's plain-data format instead (src/core/engine/ipc-plain.cc),
// which writes and reads those faster than JSON and takes undefined, -0, NaN and infinities
// as they are. A value with objects in it that is otherwise such a tree (objects with the
// standard or no prototype, at most SHAPE_KEYS keys each) travels in the same format in its
// shaped form (encodeShaped): each object as the list of its keys and its values, which the
// receiver makes into an object with a function compiled once per list of keys, an object
// literal, which V8 builds from a boilerplate without a transition per property.
const SMALL_TREE = 16;
const JSON_CHARS = 4096;
const SHAPE_KEYS = 32;
// The forms a payload takes, for ipcCall and ipcReply (src/core/engine/ipc.cc).
const FORM_CLONE = 0, FORM_JSON = 1, FORM_PLAIN = 2, FORM_SHAPED = 3;
// Copies remembered in a list up to this many (most messages are small trees, for which a
// map costs more than the search), in a map beyond.
const MEMO_LIST = 16;

class Snapshot {
  from = list();      // originals copied so far...
  to = list();        // ...and their copies
  count = 0;
  map = undefined;    // original -> copy, once there are more than MEMO_LIST
  json = true;        // may go as JSON text
  plain = true;       // may go as plain data if it holds no object
  objects = false;    // an object (not an array) was met
  shaped = true;      // its objects may take the shaped form
  leaves = 0;         // primitives and keys met
  chars = 0;
  out = undefined;    // the Outgoing, made when a function or a marker is met
  value = undefined;  // the copy
  form = FORM_CLONE;
}

// Reads are re-entrant (a getter may send a message itself), so each takes its own state.
const spareSnapshots = list();

function remembered(s, v) {
  if (s.map !== undefined) return MapPrototypeGet(s.map, v);
  for (let i = 0; i < s.count; i++) if (s.from[i] === v) return s.to[i];
  return undefined;
}

function remember(s, v, copy) {
  if (s.map === undefined && s.count < MEMO_LIST) {
    s.from[s.count] = v;
    s.to[s.count] = copy;
  } else {
    if (s.map === undefined) {
      s.map = new SafeMap();
      for (let i = 0; i < s.count; i++) MapPrototypeSet(s.map, s.from[i], s.to[i]);
    }
    MapPrototypeSet(s.map, v, copy);
  }
  if (++s.count > SMALL_TREE) s.json = s.plain = false;
}

function outgoingOf(s) {
  if (s.out === undefined) s.out = new Outgoing();
  return s.out;
}

function snap(s, v) {
  s.leaves++;
  switch (typeof v) {
    case 'string':
      s.chars += v.length;
      if (s.chars > JSON_CHARS) s.json = false;
      return v;
    case 'boolean':
      return v;
    case 'number':
      if (v - v !== 0 || (v === 0 && 1 / v < 0)) s.json = false;
      return v;
    case 'object':
      if (v === null) return v;
      break;
    case 'function':
      s.json = s.plain = false;
      return refFor(v, outgoingOf(s));
    case 'undefined':
      s.json = false;
      return v;
    default: // bigint, symbol (which the clone refuses)
      s.json = s.plain = false;
      return v;
  }
  // Proxies, arguments objects and host objects go to the clone untouched (it refuses the
  // first two and writes references); no proxy trap runs here.
  const kind = jsonPlain(v) ? kindOf(v) : LEAF;
  if (kind === LEAF) {
    s.json = s.plain = false;
    return v;
  }
  if (kind === MARKER) {
    s.json = false;
    return unwrapMarker(v, s);
  }
  if (kind === PORT) {
    s.json = s.plain = false;
    return snap(s, portHooks.toWire(v));
  }
  const done = remembered(s, v);
  if (done !== undefined) {
    s.json = s.plain = false; // JSON and plain data would write it twice
    return done;
  }
  if (kind === ARRAY) return snapArray(s, v);
  if (kind === PLAIN) {
    // Spreading reads each own enumerable property once and defines it on the copy (no
    // setter runs, a "__proto__" key stays a key); the copy is then walked for what it holds.
    const copy = { ...v };
    remember(s, v, copy);
    s.objects = true;
    const proto = ObjectGetPrototypeOf(v);
    if (proto !== ObjectPrototype && proto !== null) s.json = s.plain = false; // a class instance
    const keys = ObjectKeys(copy);
    if (keys.length > SHAPE_KEYS) s.shaped = false;
    s.leaves += keys.length;
    snapParts(s, copy, keys);
    return copy;
  }
  s.json = s.plain = false;
  if (kind === MAP) {
    const copy = new SafeMap();
    remember(s, v, copy);
    MapPrototypeForEach(v, (value, key) => { MapPrototypeSet(copy, snap(s, key), snap(s, value)); });
    return copy;
  }
  const copy = new SafeSet();
  remember(s, v, copy);
  SetPrototypeForEach(v, (x) => SetPrototypeAdd(copy, snap(s, x)));
  return copy;
}

function snapArray(s, v) {
  let copy;
  if (ObjectGetPrototypeOf(v) === ArrayPrototype) {
    // slice reads each index once and keeps holes.
    copy = ArrayPrototypeSlice(v);
    if (!ArrayIsArray(copy) || ObjectGetPrototypeOf(copy) !== ArrayPrototype) copy = speciesCopy(s, copy, v.length);
  } else {
    s.json = s.plain = false; // a subclass: the clone makes it an Array
    copy = ObjectSetPrototypeOf(new ArrayCtor(v.length), null);
    for (let i = 0; i < v.length; i++) if (ObjectHasOwn(v, i)) copy[i] = v[i];
  }
  remember(s, v, copy);
  const n = copy.length;
  const keys = ObjectKeys(v);
  if (keys.length !== n) {
    // Holes (which JSON writes as null) or named properties, which the clone keeps and
    // slice does not copy.
    s.json = s.plain = false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!isIndex(key)) copy[key] = v[key];
    }
    snapParts(s, copy, keys);
    return copy;
  }
  // Every index present and nothing else: walked by number, which V8 reads faster than by
  // the keys' strings. The copy's elements are its own data properties.
  for (let i = 0; i < n; i++) {
    const part = copy[i];
    const done = snap(s, part);
    if (done !== part) copy[i] = done;
  }
  return copy;
}

// slice made its copy with the constructor an app put as Array[Symbol.species] (or as an
// array's constructor): `made` holds the values slice read, as its own data properties, in
// whatever object that constructor returned. They are moved into an array of our own without
// a prototype (so that no index setter an app put on Array.prototype sees them), which only
// the clone and plain data take as an Array. A proxy is refused: reading it would run its traps.
function speciesCopy(s, made, length) {
  if (!jsonPlain(made)) {
    throw new TypeErrorCtor('an array could not be copied to be sent: Array[Symbol.species] gave a proxy');
  }
  s.json = false;
  const copy = ObjectSetPrototypeOf(new ArrayCtor(length), null);
  for (let i = 0; i < length; i++) if (ObjectHasOwn(made, i)) copy[i] = made[i];
  return copy;
}

// Replaces the parts of a new copy by what snap makes of them; the copy's properties are
// its own data properties, so nothing here runs app code.
function snapParts(s, copy, keys) {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const part = copy[key];
    const done = snap(s, part);
    if (done !== part) copy[key] = done;
  }
}

// True for an array index in its canonical form (an array's own indices are below its length).
function isIndex(key) {
  const i = +key;
  return (i >>> 0) === i && `${i}` === key;
}

/**
 * Reads `value` once (above). Returns its state: `value` the copy to send, `form` the form it
 * may take (FORM_*), `out` the Outgoing when functions or markers were met (else
 * undefined). Hand it back with release() once sent. Throws what a getter throws (and then
 * forgets the functions it exported).
 */
function snapshot(value, isArguments = false) {
  let s;
  if (spareSnapshots.length > 0) {
    s = spareSnapshots[spareSnapshots.length - 1];
    spareSnapshots.length--;
  } else {
    s = new Snapshot();
  }
  s.json = s.plain = s.shaped = true;
  s.objects = false;
  s.leaves = 0;
  try {
    s.value = isArguments ? snapArguments(s, value) : snap(s, value);
    if (s.plain && !s.objects) {
      s.form = FORM_PLAIN;
    } else if (s.plain && s.shaped && s.leaves <= SHAPED_ARGUMENTS) {
      s.form = FORM_SHAPED;
    } else {
      // The copies have the standard prototypes, where JSON would find a toJSON an app put.
      s.form = s.json && !('toJSON' in ObjectPrototype || 'toJSON' in ArrayPrototype) ? FORM_JSON : FORM_CLONE;
    }
  } catch (err) {
    const out = s.out;
    release(s);
    if (out !== undefined) abort(out);
    throw err;
  }
  return s;
}

// ---- the shaped form ----------------------------------------------------------------

// A copy the read made (plain objects and arrays of primitives, no part reached twice) is
// handed to the runtime flat: node codes in pre-order in `layout` (a leaf; an array and its
// length; an object and its number of keys) and, as arguments of the native call, its keys
// and leaves in the order the codes take them (src/core/engine/ipc-plain.cc), so that nothing
// reads a property through the API. The receiver's runtime gives each object as a list
// [keys, value 1, ..., value n] and each array whose first item is a list as [[], items...],
// which decodeShaped makes into the value. No app code runs between the encoding and the
// native call, so one layout serves every message.
const NODE_LEAF = 0, NODE_ARRAY = 1, NODE_OBJECT = 2;
// The most leaves and keys a shaped message hands over as arguments.
const SHAPED_ARGUMENTS = 1024;
let layout; // made at the first shaped message (not in the startup snapshot)
let layoutLength = 0;

function putNode(code) {
  if (layoutLength === layout.length) {
    const larger = new Int32ArrayCtor(layout.length * 2);
    TypedArrayPrototypeSet(larger, layout);
    layout = larger;
  }
  layout[layoutLength++] = code;
}

// The moved buffers and Uint8Arrays of the message being encoded (leaves), or undefined.
let shapedMoved;

function isMovedLeaf(v) {
  for (let i = 0; i < shapedMoved.length; i++) if (shapedMoved[i] === v) return true;
  return false;
}

function encodeShaped(v, args) {
  if (typeof v !== 'object' || v === null || (shapedMoved !== undefined && isMovedLeaf(v))) {
    putNode(NODE_LEAF);
    args[args.length] = v;
    return;
  }
  if (ArrayIsArray(v)) {
    const n = v.length;
    putNode(NODE_ARRAY);
    putNode(n);
    for (let i = 0; i < n; i++) encodeShaped(v[i], args);
    return;
  }
  const keys = ObjectKeys(v);
  const n = keys.length;
  putNode(NODE_OBJECT);
  putNode(n);
  for (let i = 0; i < n; i++) args[args.length] = keys[i];
  for (let i = 0; i < n; i++) encodeShaped(v[keys[i]], args);
}

// The arguments of ipcCall or ipcReply for a value in the shaped form: `head` (the first
// arguments, ending where the layout goes) then the layout, its length, the form, the
// transfer list and the leaves.
function shapedArguments(head, value, out) {
  if (layout === undefined) layout = new Int32ArrayCtor(256);
  layoutLength = 0;
  const args = head;
  const at = args.length;
  args[at] = layout;
  args[at + 1] = 0;
  args[at + 2] = FORM_SHAPED;
  args[at + 3] = out?.transfer;
  shapedMoved = out?.moved;
  encodeShaped(value, args);
  shapedMoved = undefined;
  args[at] = layout;
  args[at + 1] = layoutLength;
  return args;
}

function listOf2(a, b) {
  const l = list();
  l[0] = a;
  l[1] = b;
  return l;
}

function malformed(what) {
  const err = new ErrorCtor(`a malformed shaped message: ${what}`);
  ObjectDefineProperty(err, 'name', { value: 'DataCloneError', writable: true, configurable: true, enumerable: false });
  return err;
}

// Object builders by list of keys: first key -> [{ keys, build }]. A sender chooses the keys,
// so at most MAX_BUILDERS are compiled per app; objects of other lists are built one property
// at a time.
const MAX_BUILDERS = 256;
const builders = new SafeMap();
let builderCount = 0;

function sameKeys(a, b) {
  for (let i = 1; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function buildEach(keys, t) {
  const o = {};
  for (let i = 0; i < keys.length; i++) {
    ObjectDefineProperty(o, keys[i], { __proto__: null, value: t[i + 1], writable: true, enumerable: true, configurable: true });
  }
  return o;
}

function builderFor(keys) {
  const n = keys.length;
  const first = n === 0 ? '' : keys[0];
  if (typeof first !== 'string') throw malformed('a key that is not a string');
  let bucket = MapPrototypeGet(builders, first);
  if (bucket !== undefined) {
    for (let i = 0; i < bucket.length; i++) {
      const known = bucket[i];
      if (known.keys.length === n && sameKeys(known.keys, keys)) return known.build;
    }
  }
  const copy = list();
  let source = 'return {';
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    if (typeof key !== 'string') throw malformed('a key that is not a string');
    copy[i] = key;
    // A JSON string is a JavaScript string literal; "__proto__" as a literal's key would set
    // the prototype, as a computed key it is a property.
    const literal = JSONStringify(key);
    source += `${key === '__proto__' ? `[${literal}]` : literal}: t[${i + 1}],`;
  }
  if (builderCount >= MAX_BUILDERS || n > SHAPE_KEYS) return undefined;
  const build = compileFunction(`${source}};`, 'rtjs:internal/ipc.js (shape)', ['t']);
  if (bucket === undefined) {
    bucket = list();
    MapPrototypeSet(builders, first, bucket);
  }
  bucket[bucket.length] = { __proto__: null, keys: copy, build };
  builderCount++;
  return build;
}

// The value of a payload in the shaped form: `t` is what the runtime read (arrays it made,
// with their elements, and primitives); its arrays are reused for the arrays of the value.
function decodeShaped(t) {
  if (!ArrayIsArray(t)) return t;
  const head = t.length === 0 ? undefined : t[0];
  if (ArrayIsArray(head)) {
    if (head.length === 0 && t.length > 1) {
      ArrayPrototypeShift(t);
      decodeItems(t, 0);
      return t;
    }
    if (head.length !== t.length - 1) throw malformed('keys and values do not match');
    decodeItems(t, 1);
    const build = builderFor(head);
    return build === undefined ? buildEach(head, t) : build(t);
  }
  decodeItems(t, 0);
  return t;
}

function decodeItems(t, from) {
  for (let i = from; i < t.length; i++) {
    const part = t[i];
    if (typeof part === 'object' && part !== null) t[i] = decodeShaped(part);
  }
}

// A call's arguments: the rest-parameter array a remote function's proxy made, which no app
// code can reach, so it is its own copy: only its elements are read (the array itself is not
// counted in SMALL_TREE). It is a fresh Array, with no holes and nothing but its elements.
function snapArguments(s, args) {
  for (let i = 0; i < args.length; i++) {
    const part = args[i];
    const done = snap(s, part);
    if (done !== part) args[i] = done;
  }
  return args;
}

function release(s) {
  for (let i = 0; i < s.count && i < MEMO_LIST; i++) {
    s.from[i] = undefined;
    s.to[i] = undefined;
  }
  s.count = 0;
  s.map = undefined;
  s.chars = 0;
  s.out = undefined;
  s.value = undefined;
  spareSnapshots[spareSnapshots.length] = s;
}

/**
 * Serializes `build(prepared, hasRefs)` for app `to` (0: not known yet, see commit): the spawn
 * payload. Returns { message, out }; throws DataCloneError (and leaves no trace) if it cannot
 * be cloned.
 */
export function encode(to, value, build) {
  const s = snapshot(value);
  const out = s.out;
  try {
    const hasRefs = out !== undefined && out.hasRefs;
    return { message: serialize(build(s.value, hasRefs), out?.transfer), out };
  } catch (err) {
    if (out !== undefined) abort(out);
    throw err;
  } finally {
    release(s);
  }
}

/** After a message was sent to `to`: count the references it carried as held by `to`. */
export function commit(out, to) {
  if (out.mine !== undefined) {
    for (let i = 0; i < out.mine.length; i++) addHolder(out.mine[i], to, 1);
  }
  if (out.foreign !== undefined) {
    for (let i = 0; i < out.foreign.length; i++) {
      const info = out.foreign[i];
      if (info.owner !== to && !hasEnded(info.owner)) ipcSend(info.owner, KIND_RETAIN, [info.refId, to]);
    }
  }
}

/** After a message could not be sent: forget the functions exported only for it. */
export function abort(out) {
  if (out.mine === undefined) return;
  for (let i = 0; i < out.mine.length; i++) {
    const entry = MapPrototypeGet(exportsById, out.mine[i]);
    if (entry !== undefined) dropIfUnheld(out.mine[i], entry);
  }
}

/**
 * Sends `value` to app `to` as a record of `kind` (KIND_EXPORT, or a kind of apps.js).
 * The runtime queues it and sends it at the end of the task, with everything else this task
 * sent to `to`, in order. Throws DataCloneError for a value `to` could not read.
 */
export function sendValue(to, kind, value) {
  const s = snapshot(value);
  const out = s.out;
  try {
    ipcSend(to, kind, s.value, out?.transfer);
  } catch (err) {
    if (out !== undefined) abort(out);
    throw err;
  } finally {
    release(s);
  }
  if (out !== undefined) commit(out, to);
}

// ---- receiving: references become proxies -------------------------------------------

const remotes = new SafeMap(); // "owner:refId" -> { owner, refId, count, weak }
const registry = new SafeFinalizationRegistry(releaseRecord);

function releaseRecord(record) {
  if (record.released) return;
  record.released = true;
  const key = `${record.owner}:${record.refId}`;
  if (MapPrototypeGet(remotes, key) === record) MapPrototypeDelete(remotes, key);
  if (!hasEnded(record.owner)) ipcRelease(record.owner, record.refId, record.count);
}

/**
 * Lets go of another app's function now rather than when this app's garbage collector finds
 * it unreachable: its owner stops counting this app as a holder (and may end, if nothing else
 * keeps it alive), and calls through it fail from then on. For a holder that knows when it is
 * done, as a service is when a connection or listener it called back closes. Not a remote
 * function: nothing.
 */
export function releaseFunction(fn) {
  const info = typeof fn === 'function' ? WeakMapPrototypeGet(proxyInfo, fn) : undefined;
  if (info === undefined) return;
  const record = MapPrototypeGet(remotes, `${info.owner}:${info.refId}`);
  if (record !== undefined && WeakRefPrototypeDeref(record.weak) === fn) releaseRecord(record);
}

function staleFunction() {
  return PromiseReject(new ErrorCtor('this function was released by its app'));
}

function makeProxy(owner, refId) {
  const proxy = (...args) => callRemote(owner, refId, args);
  WeakMapPrototypeSet(proxyInfo, proxy, { owner, refId });
  return proxy;
}

// The function for reference (owner, refId); `seen` holds the keys counted for this message.
function functionFor(owner, refId, seen) {
  if (owner === binding.appId) {
    const entry = MapPrototypeGet(exportsById, refId);
    return entry === undefined ? staleFunction : entry.fn;
  }
  const key = `${owner}:${refId}`;
  const counted = SetPrototypeHas(seen, key);
  SetPrototypeAdd(seen, key);
  let record = MapPrototypeGet(remotes, key);
  const live = record === undefined ? undefined : WeakRefPrototypeDeref(record.weak);
  if (live !== undefined) {
    if (!counted) record.count++;
    return live;
  }
  const proxy = makeProxy(owner, refId);
  record = { owner, refId, count: 1, weak: new SafeWeakRef(proxy) };
  MapPrototypeSet(remotes, key, record);
  if (!hasEnded(owner)) FinalizationRegistryPrototypeRegister(registry, proxy, record);
  return proxy;
}

function revived(v, seen, visited) {
  if (typeof v !== 'object' || v === null) return v;
  if (isRef(v)) return functionFor(refOwner(v), refIdOf(v), seen);
  if (SetPrototypeHas(visited, v)) return v;
  SetPrototypeAdd(visited, v);
  if (ArrayIsArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revived(v[i], seen, visited);
  } else if (ObjectGetPrototypeOf(v) === ObjectPrototype) {
    const keys = ObjectKeys(v);
    for (let i = 0; i < keys.length; i++) v[keys[i]] = revived(v[keys[i]], seen, visited);
    if (ObjectHasOwn(v, portHooks.key)) return portHooks.fromWire(v);
  } else if (isMap(v)) {
    const entries = list();
    MapPrototypeForEach(v, (value, key) => { entries[entries.length] = [key, value]; });
    MapPrototypeClear(v);
    for (let i = 0; i < entries.length; i++) {
      MapPrototypeSet(v, revived(entries[i][0], seen, visited), revived(entries[i][1], seen, visited));
    }
  } else if (isSet(v)) {
    const items = list();
    SetPrototypeForEach(v, (x) => { items[items.length] = x; });
    SetPrototypeClear(v);
    for (let i = 0; i < items.length; i++) SetPrototypeAdd(v, revived(items[i], seen, visited));
  }
  return v;
}

/** Replaces, in place, the references in a freshly received value by functions. */
export function revive(value, hasRefs) {
  return hasRefs ? revived(value, new SafeSet(), new SafeSet()) : value;
}

// ---- calls ----------------------------------------------------------------------------

const pending = new SafeMap(); // callId -> { owner, resolve, reject }

// The app whose call is running, from the record's sender as the runtime stamped it (never
// from the arguments). Set only while the called function runs synchronously: a continuation
// after an `await` runs in a later task, when this is undefined again or another call's.
let caller;

/** The id of the app that called the function now running, or undefined outside a call. */
export function currentCaller() {
  return caller;
}

// Sends a call of function `refId` of app `owner` with `args` (a fresh array no app code
// holds) through `native` (ipcCall, or ipcNotify for a one-way call); what it returns (the
// call id). Throws what reading the arguments or sending them throws.
function sendCall(native, owner, refId, args) {
  if (hasEnded(owner)) throw endedError(owner);
  const snapped = snapshot(args, true);
  const out = snapped.out;
  let callId;
  try {
    callId = snapped.form === FORM_SHAPED
      ? ReflectApply(native, undefined, shapedArguments(listOf2(owner, refId), snapped.value, out))
      : native(owner, refId, snapped.value, out?.transfer, snapped.form);
  } catch (err) {
    if (out !== undefined) abort(out);
    throw err;
  } finally {
    release(snapped);
  }
  if (out !== undefined) commit(out, owner);
  return callId;
}

function callRemote(owner, refId, args) {
  let callId;
  try {
    callId = sendCall(ipcCall, owner, refId, args);
  } catch (err) {
    return PromiseReject(err);
  }
  return awaitReply(owner, callId);
}

/**
 * Calls remote function `fn` with `args` one way: the call goes as any other (in order with
 * this app's other calls to the same app, the arguments read and copied now), but nothing
 * waits for its result and the callee sends none; what the function returns or throws stays
 * in its app, dropped. Returns undefined. Throws (nothing sent) a TypeError when `fn` is not
 * another app's function, ERR_APP_ENDED when its app has ended, and what a call would reject
 * with at once (DataCloneError, ERR_IPC_INBOX_FULL, a getter's error).
 */
/** True for another app's function (a remote function this app holds). */
export function isRemoteFunction(fn) {
  return typeof fn === 'function' && WeakMapPrototypeGet(proxyInfo, fn) !== undefined;
}

export function notify(fn, args) {
  const info = typeof fn === 'function' ? WeakMapPrototypeGet(proxyInfo, fn) : undefined;
  if (info === undefined) throw new TypeErrorCtor('rt.notify: the function of another app expected (a remote function)');
  sendCall(ipcNotify, info.owner, info.refId, args);
}

// The app stays alive while any of its calls waits for an answer: one reference for all of
// them, taken by the first and dropped by the last (not a native call per call).
function awaitReply(owner, callId) {
  if (MapPrototypeGetSize(pending) === 0) keepAlive(1);
  return new PromiseCtor((resolve, reject) => {
    MapPrototypeSet(pending, callId, { owner, resolve, reject });
  });
}

function settle(callId) {
  const p = MapPrototypeGet(pending, callId);
  if (p === undefined) return undefined;
  MapPrototypeDelete(pending, callId);
  if (MapPrototypeGetSize(pending) === 0) keepAlive(-1);
  return p;
}

function ignore() {}

// A one-way call's result and errors stay here: a rejected promise it returns is handled
// (by nothing), so that no caller can end this app with an unhandled rejection.
function dropResult(result) {
  if (typeof result !== 'object' || result === null) return;
  try {
    PromisePrototypeThen(result, undefined, ignore);
  } catch {
    // not a promise
  }
}

function onCall(from, callId, refId, hasRefs, args, oneWay) {
  const entry = MapPrototypeGet(exportsById, refId);
  if (entry === undefined) {
    if (!oneWay) replyError(from, callId, new ErrorCtor(`function ${refId} of app '${binding.appName}' was released`));
    return;
  }
  let result;
  const outer = caller;
  caller = from;
  try {
    result = ReflectApply(entry.fn, undefined, revive(args, hasRefs));
  } catch (err) {
    if (!oneWay) replyError(from, callId, err);
    return;
  } finally {
    caller = outer;
  }
  if (oneWay) {
    dropResult(result);
    return;
  }
  if (typeof result === 'object' && result !== null || typeof result === 'function') {
    PromisePrototypeThen(PromiseResolve(result),
      (value) => replyValue(from, callId, value), (err) => replyError(from, callId, err));
  } else {
    replyValue(from, callId, result);
  }
}

function replyValue(to, callId, value) {
  if (hasEnded(to)) return;
  let snapped;
  try {
    snapped = snapshot(value);
  } catch (err) {
    replyError(to, callId, err); // a getter threw
    return;
  }
  const out = snapped.out;
  try {
    if (snapped.form === FORM_SHAPED) {
      const head = listOf2(to, callId);
      head[2] = KIND_RESULT;
      ReflectApply(ipcReply, undefined, shapedArguments(head, snapped.value, out));
    } else {
      ipcReply(to, callId, KIND_RESULT, snapped.value, out?.transfer, snapped.form);
    }
  } catch (err) {
    if (out !== undefined) abort(out);
    replyError(to, callId, err);
    return;
  } finally {
    release(snapped);
  }
  if (out !== undefined) commit(out, to);
}

// The frames below the app's own (this module's dispatch) mean nothing to the caller.
function withoutInternalFrames(stack) {
  const at = StringPrototypeIndexOf(stack, '\n    at onCall (rtjs:internal/ipc.js');
  return at < 0 ? stack : StringPrototypeSlice(stack, 0, at);
}

function errorFields(err) {
  try {
    const code = err.code;
    return [StringCtor(err.name), StringCtor(err.message), withoutInternalFrames(StringCtor(err.stack)),
      typeof code === 'string' || typeof code === 'number' ? code : undefined];
  } catch {
    return ['Error', 'an error that could not be read was thrown', '', undefined];
  }
}

function replyError(to, callId, err) {
  if (hasEnded(to)) return;
  if (typeof err === 'object' && err !== null && ObjectPrototypeIsPrototypeOf(ErrorPrototype, err)) {
    const fields = errorFields(err);
    ipcReply(to, callId, KIND_ERROR, [true, fields[0], fields[1], fields[2], fields[3]]);
    return;
  }
  let out;
  try {
    const snapped = snapshot(err);
    out = snapped.out;
    try {
      ipcReply(to, callId, KIND_ERROR, [false, snapped.value], out?.transfer);
    } finally {
      release(snapped);
    }
  } catch (cloneError) {
    if (out !== undefined) abort(out);
    const fields = errorFields(cloneError);
    ipcReply(to, callId, KIND_ERROR, [true, fields[0], fields[1], fields[2], fields[3]]);
    return;
  }
  if (out !== undefined) commit(out, to);
}

// The frames of a stack, without its "Name: message" header.
function framesOf(stack, header) {
  if (typeof stack !== 'string') return '';
  if (StringPrototypeStartsWith(stack, header)) return StringPrototypeSlice(stack, header.length);
  const nl = StringPrototypeIndexOf(stack, '\n    at ');
  return nl < 0 ? '' : StringPrototypeSlice(stack, nl);
}

// The rejection for an error thrown in app `owner`: same name and message, and the owner's
// frames. (The caller's frames are not captured: that would cost a stack walk on every call.)
function remoteError(owner, reply) {
  const name = StringCtor(reply[1]);
  const message = StringCtor(reply[2]);
  const stack = reply[3];
  const code = reply[4];
  const Ctor = standardErrors[name] || ErrorCtor;
  const err = new Ctor(message);
  if (Ctor === ErrorCtor && name !== 'Error') {
    ObjectDefineProperty(err, 'name', { value: name, writable: true, configurable: true, enumerable: false });
  }
  if (code !== undefined) setCode(err, code);
  const header = `${name}: ${message}`;
  ObjectDefineProperty(err, 'stack', {
    value: `${header}\n    in app '${appName(owner)}' (id ${owner}):${framesOf(stack, header)}`,
    writable: true, configurable: true, enumerable: false,
  });
  return err;
}

// ---- hooks ----------------------------------------------------------------------------

const handlers = new SafeMap(); // extra message kinds (apps.js)

/** Routes records of `kind` to `fn(from, value, hasRefs)`. */
export function onKind(kind, fn) {
  MapPrototypeSet(handlers, kind, fn);
}

// A call whose arguments or answer the other side could not read.
function unreadableError(message) {
  const err = new ErrorCtor(StringCtor(message));
  ObjectDefineProperty(err, 'name', { value: 'DataCloneError', writable: true, configurable: true, enumerable: false });
  return err;
}

function onAnswer(from, kind, callId, flags, value) {
  const p = settle(callId);
  if (p === undefined) return;
  if (kind === KIND_RESULT) p.resolve(revive(value, (flags & HAS_REFS) !== 0));
  else if ((flags & UNREADABLE) !== 0) p.reject(unreadableError(value));
  else if (ArrayIsArray(value) && value[0] === true) p.reject(remoteError(from, value));
  else p.reject(revive(ArrayIsArray(value) ? value[1] : value, (flags & HAS_REFS) !== 0));
}

/**
 * The engine's onMessage hook: one record. `from`, `kind`, `id`, `ref` and `flags` come from
 * the runtime, which has checked them (the caller holds the function it calls; an answer
 * comes from the app called, once); `value` is the payload, already read.
 */
export function onMessage(from, kind, id, ref, flags, value) {
  if ((flags & SHAPED) !== 0) {
    try {
      value = decodeShaped(value);
    } catch (err) {
      if (kind === KIND_CALL) {
        if ((flags & ONE_WAY) === 0) replyError(from, id, err);
      }
      else if (kind === KIND_RESULT || kind === KIND_ERROR) settle(id)?.reject(err);
      return;
    }
  }
  switch (kind) {
    case KIND_CALL: onCall(from, id, ref, (flags & HAS_REFS) !== 0, value, (flags & ONE_WAY) !== 0); return;
    case KIND_RESULT:
    case KIND_ERROR: onAnswer(from, kind, id, flags, value); return;
    case KIND_RELEASE: addHolder(id, from, -ref); return;
    case KIND_RETAIN:
      if (ArrayIsArray(value) && typeof value[1] === 'number' && !hasEnded(value[1])) addHolder(value[0], value[1], 1);
      return;
    default: {
      const fn = MapPrototypeGet(handlers, kind);
      if (fn !== undefined) fn(from, value, (flags & HAS_REFS) !== 0);
    }
  }
}

const exitListeners = list();

/** Calls `fn(id, code, reason)` after ipc.js has handled an app's end. */
export function onExitNotice(fn) {
  exitListeners[exitListeners.length] = fn;
}

/** The engine's onAppExit hook: app `id` ended; nothing it held or owned survives. */
export function onAppExit(id, code, reason) {
  SetPrototypeAdd(ended, id);
  MapPrototypeForEach(pending, (p, callId) => {
    if (p.owner === id) settle(callId).reject(endedError(id));
  });
  MapPrototypeForEach(exportsById, (entry, refId) => {
    if (MapPrototypeDelete(entry.holders, id)) dropIfUnheld(refId, entry);
  });
  MapPrototypeForEach(remotes, (record, key) => {
    if (record.owner === id) MapPrototypeDelete(remotes, key);
  });
  for (let i = 0; i < exitListeners.length; i++) exitListeners[i](id, code, reason);
}
