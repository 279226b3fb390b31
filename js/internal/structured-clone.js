// structuredClone(value, { transfer }) (HTML): V8's serializer, the one IPC uses, so a value
// clones here exactly as it would travel to another app. The transfer list is checked first
// as HTML's StructuredSerializeWithTransfer does: an entry that is not an object is a
// TypeError (WebIDL's sequence<object>), a SharedArrayBuffer, a detached or repeated entry or
// an object that cannot be transferred is a DataCloneError DOMException, and nothing is
// detached unless all of it is good. ArrayBuffers move natively; a MessagePort moves as it
// does between apps (message-channel.js), into a new port of this app entangled with the
// same peer.
import binding from 'rtjs:binding';
import { DOMException } from './dom-exception.js';
import primordials from './primordials.js';

const {
  ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, ArrayFrom, ArrayIsArray, Map, MapPrototypeGet, MapPrototypeSet,
  ObjectKeys, SharedArrayBufferPrototypeGetByteLength, SymbolIterator, TypeError,
} = primordials;

const clone = binding.structuredClone;
// Where a transferred port stood in the value while V8 cloned it (its index in the list).
const PORT_SLOT = '\u0000rtjs:transferred-port';

const brand = (getter, v) => { try { getter(v); return true; } catch { return false; } };
const isArrayBuffer = (v) => brand(ArrayBufferPrototypeGetByteLength, v);
const isSharedArrayBuffer = (v) => brand(SharedArrayBufferPrototypeGetByteLength, v);
const dataCloneError = (message) => new DOMException(message, 'DataCloneError');

let channels;
const messageChannel = () => (channels ??= binding.importSync('rtjs:internal/message-channel.js'));

/**
 * A clone of `value` with the objects of `transfer` (an array) moved into it.
 * @throws TypeError (an entry not an object), DOMException DataCloneError
 */
export function cloneWithTransfer(value, transfer) {
  const buffers = [], ports = [];
  for (let i = 0; i < transfer.length; i++) {
    const x = transfer[i];
    if ((typeof x !== 'object' || x === null) && typeof x !== 'function') {
      throw new TypeError(`Failed to execute 'structuredClone': Value at index ${i} of the transfer list is not an object.`);
    }
    if (isArrayBuffer(x)) buffers[buffers.length] = x;
    else if (isSharedArrayBuffer(x)) throw dataCloneError(`Value at index ${i} of the transfer list is a SharedArrayBuffer, which is shared, never transferred.`);
    else if (messageChannel().isMessagePort(x)) {
      if (ports.includes(x)) throw dataCloneError(`Value at index ${i} of the transfer list is a MessagePort listed twice.`);
      if (messageChannel().isDetachedPort(x)) throw dataCloneError(`Value at index ${i} of the transfer list is a MessagePort already transferred.`);
      ports[ports.length] = x;
    } else {
      throw dataCloneError(`Value at index ${i} of the transfer list does not have a transferable type.`);
    }
  }
  try {
    if (ports.length === 0) return clone(value, buffers);
    const copy = clone(withPortSlots(value, ports, new Map()), buffers);
    const moved = ports.map((p) => messageChannel().movePort(p));
    return withPorts(copy, moved, new Map());
  } catch (err) {
    if (err instanceof Error && err.name === 'DataCloneError' && !(err instanceof DOMException)) throw dataCloneError(err.message);
    throw err;
  }
}

const isContainer = (v) => typeof v === 'object' && v !== null && !ArrayBufferIsView(v) && !isArrayBuffer(v);

// A copy of the objects and arrays of `value` with each transferred port replaced by its
// slot (V8 would clone a port as an empty object); shared and cyclic parts stay so.
function withPortSlots(value, ports, memo) {
  if (!isContainer(value)) return value;
  const i = ports.indexOf(value);
  if (i >= 0) return { [PORT_SLOT]: i };
  if (messageChannel().isMessagePort(value)) throw dataCloneError('A MessagePort in the value is not in the transfer list.');
  const done = MapPrototypeGet(memo, value);
  if (done !== undefined) return done;
  if (value instanceof Map) {
    const copy = new Map();
    MapPrototypeSet(memo, value, copy);
    for (const [k, v] of value) copy.set(withPortSlots(k, ports, memo), withPortSlots(v, ports, memo));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set();
    MapPrototypeSet(memo, value, copy);
    for (const v of value) copy.add(withPortSlots(v, ports, memo));
    return copy;
  }
  if (!ArrayIsArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return value;   // Date, RegExp, Error...
  const copy = ArrayIsArray(value) ? new Array(value.length) : {};
  MapPrototypeSet(memo, value, copy);
  for (const k of ObjectKeys(value)) copy[k] = withPortSlots(value[k], ports, memo);
  return copy;
}

// The clone with each slot replaced by its moved port, in place.
function withPorts(value, moved, seen) {
  if (!isContainer(value)) return value;
  if (Object.hasOwn(value, PORT_SLOT)) return moved[value[PORT_SLOT]];
  if (MapPrototypeGet(seen, value)) return value;
  MapPrototypeSet(seen, value, true);
  if (value instanceof Map) {
    for (const [k, v] of [...value]) { value.delete(k); value.set(withPorts(k, moved, seen), withPorts(v, moved, seen)); }
  } else if (value instanceof Set) {
    for (const v of [...value]) { value.delete(v); value.add(withPorts(v, moved, seen)); }
  } else {
    for (const k of ObjectKeys(value)) value[k] = withPorts(value[k], moved, seen);
  }
  return value;
}

export function structuredClone(value, options = undefined) {
  if (arguments.length < 1) {
    throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present");
  }
  let transfer = [];
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object' && typeof options !== 'function') {
      throw new TypeError("Failed to execute 'structuredClone': The provided value is not of type 'StructuredSerializeOptions'.");
    }
    const list = options.transfer;
    if (list !== undefined) {
      if ((typeof list !== 'object' && typeof list !== 'function') || list === null || typeof list[SymbolIterator] !== 'function') {
        throw new TypeError("Failed to execute 'structuredClone': Failed to read the 'transfer' property from 'StructuredSerializeOptions': The provided value cannot be converted to a sequence.");
      }
      transfer = ArrayFrom(list);
    }
  }
  return cloneWithTransfer(value, transfer);
}
