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

const { serialize, makeRef, isRef, refOwner, refId: refIdOf, ipcCall, ipcReply, ipcSend, ipcRelease, keepAlive, jsonPlain } = binding;

const {
  Array: ArrayCtor, ArrayIsArray, ArrayPrototype, ArrayBufferIsView, ArrayBufferPrototypeGetByteLength,
  Error: ErrorCtor, ErrorPrototype, MapPrototypeGet, MapPrototypeSet, MapPrototypeHas,
  MapPrototypeDelete, MapPrototypeClear, MapPrototypeForEach, MapPrototypeGetSize, ObjectCreate,
  ObjectDefineProperty, ObjectFreeze, ObjectGetPrototypeOf, ObjectHasOwn, ObjectKeys,
  ObjectPrototype, ObjectPrototypeIsPrototypeOf, ObjectSetPrototypeOf, Promise: PromiseCtor, PromiseReject,
  PromiseResolve, PromisePrototypeThen, ReflectApply, SafeFinalizationRegistry, SafeMap, SafeSet,
  SafeWeakMap, SafeWeakRef, SetPrototypeAdd, SetPrototypeHas, SetPrototypeClear, SetPrototypeForEach,
  SetPrototypeGetSize, String: StringCtor, StringPrototypeIndexOf, StringPrototypeSlice,
  StringPrototypeStartsWith, TypeError: TypeErrorCtor, WeakMapPrototypeGet, WeakMapPrototypeSet,
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

export const myId = binding.appId;

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
if (typeof SharedArrayBuffer === 'function') SetPrototypeAdd(leafPrototypes, SharedArrayBuffer.prototype);

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

const exportsById = new SafeMap();  // refId -> { fn, holders: Map(appId -> count) }
const idOfFunction = new SafeMap(); // fn -> refId
let nextExportId = 1;

function exportFunction(fn) {
  let id = MapPrototypeGet(idOfFunction, fn);
  if (id !== undefined) return id;
  id = nextExportId++;
  if (MapPrototypeGetSize(exportsById) === 0) keepAlive(1);
  MapPrototypeSet(exportsById, id, { fn, holders: new SafeMap() });
  MapPrototypeSet(idOfFunction, fn, id);
  return id;
}

function dropIfUnheld(id, entry) {
  if (MapPrototypeGetSize(entry.holders) !== 0) return;
  MapPrototypeDelete(exportsById, id);
  MapPrototypeDelete(idOfFunction, entry.fn);
  if (MapPrototypeGetSize(exportsById) === 0) keepAlive(-1);
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
  WeakMapPrototypeSet(markers, marker, { value, buffer });
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

// True if `v` holds a function or a transfer marker anywhere (then it must be prepared).
function needsPrepare(v, seen) {
  const kind = kindOf(v);
  if (kind === FUNCTION || kind === MARKER || kind === PORT) return true;
  if (kind === LEAF || SetPrototypeHas(seen, v)) return false;
  SetPrototypeAdd(seen, v);
  let found = false;
  const visit = (x) => { if (!found && needsPrepare(x, seen)) found = true; };
  if (kind === ARRAY) {
    for (let i = 0; i < v.length && !found; i++) visit(v[i]);
  } else if (kind === PLAIN) {
    const keys = ObjectKeys(v);
    for (let i = 0; i < keys.length && !found; i++) visit(v[keys[i]]);
  } else if (kind === MAP) {
    MapPrototypeForEach(v, (value, key) => { visit(key); visit(value); });
  } else {
    SetPrototypeForEach(v, visit);
  }
  return found;
}

/** One outgoing message under construction: its transfer list and the references in it. */
// Its fields are defined, not assigned, and its lists have no prototype: no setter an app
// puts on Object.prototype or Array.prototype sees them.
// The lists are made when first needed: most messages carry no function and no transfer.
class Outgoing {
  transfer = undefined;
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
  return makeRef(myId, id);
}

function unwrapMarker(marker, out) {
  const m = WeakMapPrototypeGet(markers, marker);
  if (out.transfer === undefined) out.transfer = list();
  const transferList = out.transfer;
  for (let i = 0; i < transferList.length; i++) if (transferList[i] === m.buffer) return m.value;
  transferList[transferList.length] = m.buffer;
  return m.value;
}

// A copy of `v` with functions replaced by references and markers by their values; the
// caller's objects are never changed. Shared and cyclic parts stay shared and cyclic.
function copyPrepared(v, out, memo) {
  const kind = kindOf(v);
  if (kind === LEAF) return v;
  if (kind === FUNCTION) return refFor(v, out);
  if (kind === MARKER) return unwrapMarker(v, out);
  if (kind === PORT) return copyPrepared(portHooks.toWire(v), out, memo);
  const done = MapPrototypeGet(memo, v);
  if (done !== undefined) return done;
  let copy;
  if (kind === ARRAY) {
    copy = ObjectSetPrototypeOf(new ArrayCtor(v.length), null);
    MapPrototypeSet(memo, v, copy);
    for (let i = 0; i < v.length; i++) {
      if (ObjectHasOwn(v, i)) copy[i] = copyPrepared(v[i], out, memo);
    }
  } else if (kind === PLAIN) {
    copy = ObjectCreate(null); // so that a "__proto__" key stays a key
    MapPrototypeSet(memo, v, copy);
    const keys = ObjectKeys(v);
    for (let i = 0; i < keys.length; i++) copy[keys[i]] = copyPrepared(v[keys[i]], out, memo);
  } else if (kind === MAP) {
    copy = new SafeMap();
    MapPrototypeSet(memo, v, copy);
    MapPrototypeForEach(v, (value, key) => {
      MapPrototypeSet(copy, copyPrepared(key, out, memo), copyPrepared(value, out, memo));
    });
  } else {
    copy = new SafeSet();
    MapPrototypeSet(memo, v, copy);
    SetPrototypeForEach(v, (x) => SetPrototypeAdd(copy, copyPrepared(x, out, memo)));
  }
  return copy;
}

function isPrimitive(v) {
  return typeof v !== 'function' && (typeof v !== 'object' || v === null);
}

// True for an array of primitives (call arguments, most often): nothing to prepare.
function isFlat(v) {
  if (!ArrayIsArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isPrimitive(v[i])) return false;
  return true;
}

// How many objects scanShallow looks at without remembering them: most messages are small
// trees of arrays and plain objects, for which a set of what was seen costs more than the
// walk. A larger, shared or cyclic value is walked again by needsPrepare.
const SHALLOW_OBJECTS = 64;
let shallowLeft = 0;

// 1: `v` holds a function, marker or port; 0: it does not; -1: it cannot tell.
function scanShallow(v) {
  const kind = kindOf(v);
  if (kind === FUNCTION || kind === MARKER || kind === PORT) return 1;
  if (kind === LEAF) return 0;
  if (--shallowLeft < 0 || (kind !== ARRAY && kind !== PLAIN)) return -1;
  if (kind === ARRAY) {
    for (let i = 0; i < v.length; i++) {
      const found = scanShallow(v[i]);
      if (found !== 0) return found;
    }
  } else {
    const keys = ObjectKeys(v);
    for (let i = 0; i < keys.length; i++) {
      const found = scanShallow(v[keys[i]]);
      if (found !== 0) return found;
    }
  }
  return 0;
}

function prepare(value, out) {
  if (isPrimitive(value) || isFlat(value)) return value;
  shallowLeft = SHALLOW_OBJECTS;
  const found = scanShallow(value);
  if (found === 0 || (found < 0 && !needsPrepare(value, new SafeSet()))) return value;
  return copyPrepared(value, out, new SafeMap());
}

// ---- the JSON form ------------------------------------------------------------------

// Small trees of plain data (the most common call arguments and results) travel as JSON text,
// which V8 writes and parses several times faster than its structured clone (docs/design.md,
// "Apps, engines and IPC"). Only a value whose JSON round trip gives what the clone would is
// sent so: strings, booleans, null, finite numbers other than -0, and arrays and objects with
// the standard prototypes, no holes, no proxies, no toJSON, no part reached twice. Anything
// else (undefined, a Date, a Map, a function...) takes the clone, as does a value with more
// than JSON_OBJECTS objects or JSON_CHARS characters of strings (large strings copy faster
// than they escape).
const JSON_OBJECTS = 16;
const JSON_CHARS = 4096;
const jsonSeen = list();
let jsonCount = 0;
let jsonChars = 0;

function jsonValue(v) {
  switch (typeof v) {
    case 'string':
      jsonChars += v.length;
      return jsonChars <= JSON_CHARS;
    case 'boolean':
      return true;
    case 'number':
      return v - v === 0 && (v !== 0 || 1 / v > 0);
    case 'object':
      break;
    default:
      return false;
  }
  if (v === null) return true;
  if (jsonCount === JSON_OBJECTS || !jsonPlain(v)) return false;
  for (let i = 0; i < jsonCount; i++) if (jsonSeen[i] === v) return false;
  jsonSeen[jsonCount++] = v;
  const proto = ObjectGetPrototypeOf(v);
  if (proto !== ObjectPrototype && (proto !== ArrayPrototype || !ArrayIsArray(v))) return false;
  if (v.toJSON !== undefined) return false;
  const keys = ObjectKeys(v);
  if (proto === ArrayPrototype) {
    if (keys.length !== v.length) return false; // holes or named properties
    for (let i = 0; i < keys.length; i++) if (!jsonValue(v[i])) return false;
    return true;
  }
  for (let i = 0; i < keys.length; i++) if (!jsonValue(v[keys[i]])) return false;
  return true;
}

/**
 * True if `value` may travel as JSON text (above). A getter that throws makes it false: the
 * clone then reads the value again and reports the error as it always did.
 */
function jsonExact(value) {
  jsonCount = 0;
  jsonChars = 0;
  try {
    return jsonValue(value);
  } catch {
    return false;
  } finally {
    for (let i = 0; i < jsonCount; i++) jsonSeen[i] = undefined;
  }
}

/**
 * Serializes `build(prepared, hasRefs)` for app `to` (0: not known yet, see commit): the spawn
 * payload. Returns { message, out }; throws DataCloneError (and leaves no trace) if it cannot
 * be cloned.
 */
export function encode(to, value, build) {
  const out = new Outgoing();
  try {
    const prepared = prepare(value, out);
    return { message: serialize(build(prepared, out.hasRefs), out.transfer), out };
  } catch (err) {
    abort(out);
    throw err;
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
  const out = new Outgoing();
  try {
    ipcSend(to, kind, prepare(value, out), out.transfer);
  } catch (err) {
    abort(out);
    throw err;
  }
  commit(out, to);
}

// ---- receiving: references become proxies -------------------------------------------

const remotes = new SafeMap(); // "owner:refId" -> { owner, refId, count, weak }
const registry = new SafeFinalizationRegistry(releaseRecord);

function releaseRecord(record) {
  const key = `${record.owner}:${record.refId}`;
  if (MapPrototypeGet(remotes, key) === record) MapPrototypeDelete(remotes, key);
  if (!hasEnded(record.owner)) ipcRelease(record.owner, record.refId, record.count);
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
  if (owner === myId) {
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

function callRemote(owner, refId, args) {
  if (hasEnded(owner)) return PromiseReject(endedError(owner));
  if (jsonExact(args)) {
    let callId;
    try {
      callId = ipcCall(owner, refId, args, undefined, true);
    } catch (err) {
      return PromiseReject(err);
    }
    return awaitReply(owner, callId);
  }
  const out = new Outgoing();
  let callId;
  try {
    // `args` is the proxy's own rest array: nothing else sees it.
    callId = ipcCall(owner, refId, prepare(args, out), out.transfer);
  } catch (err) {
    abort(out);
    return PromiseReject(err);
  }
  commit(out, owner);
  return awaitReply(owner, callId);
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

function onCall(from, callId, refId, hasRefs, args) {
  const entry = MapPrototypeGet(exportsById, refId);
  if (entry === undefined) {
    replyError(from, callId, new ErrorCtor(`function ${refId} of app '${binding.appName}' was released`));
    return;
  }
  let result;
  const outer = caller;
  caller = from;
  try {
    result = ReflectApply(entry.fn, undefined, revive(args, hasRefs));
  } catch (err) {
    replyError(from, callId, err);
    return;
  } finally {
    caller = outer;
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
  if (jsonExact(value)) {
    try {
      ipcReply(to, callId, KIND_RESULT, value, undefined, true);
    } catch (err) {
      replyError(to, callId, err);
    }
    return;
  }
  const out = new Outgoing();
  try {
    ipcReply(to, callId, KIND_RESULT, prepare(value, out), out.transfer);
  } catch (err) {
    abort(out);
    replyError(to, callId, err);
    return;
  }
  commit(out, to);
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
  const out = new Outgoing();
  try {
    ipcReply(to, callId, KIND_ERROR, [false, prepare(err, out)], out.transfer);
  } catch (cloneError) {
    abort(out);
    const fields = errorFields(cloneError);
    ipcReply(to, callId, KIND_ERROR, [true, fields[0], fields[1], fields[2], fields[3]]);
    return;
  }
  commit(out, to);
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
  switch (kind) {
    case KIND_CALL: onCall(from, id, ref, (flags & HAS_REFS) !== 0, value); return;
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
