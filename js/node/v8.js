// node:v8: the app's heap statistics (its own isolate's: every app has its own heap) and V8's
// serialization format. What would reach past the app is left out on purpose: V8's flags
// (setFlagsFromString) are shared by every app of the machine, so an app may not set them, and
// heap snapshots and the inspector are not offered.
import binding from 'rtjs:binding';
import { Buffer } from './buffer.js';
import { invalidArgType } from '../internal/node-errors.js';
import { codedError } from '../internal/modules/errors.js';

export function getHeapStatistics() { return { ...binding.v8HeapStatistics() }; }
export function getHeapSpaceStatistics() { return binding.v8HeapSpaceStatistics().map((s) => ({ ...s })); }
export function cachedDataVersionTag() { return binding.v8CachedDataVersionTag(); }

/** The value in V8's serialization format, as a Buffer (DataCloneError for what cannot be cloned). */
export function serialize(value) { return Buffer.from(binding.v8Serialize(value)); }

/** The value serialized in `bytes` (a Buffer, TypedArray or DataView). */
export function deserialize(bytes) {
  if (!ArrayBuffer.isView(bytes)) throw invalidArgType('buffer', ['Buffer', 'TypedArray', 'DataView'], bytes);
  return binding.v8Deserialize(bytes);
}

/** Refused: V8's flags are the whole machine's, not one app's. */
export function setFlagsFromString(flags) {
  if (typeof flags !== 'string') throw invalidArgType('flags', 'string', flags);
  throw codedError(Error, 'ERR_ACCESS_DENIED',
    `v8.setFlagsFromString('${flags}'): V8's flags are shared by every app on this machine, so an app may not change them`);
}

export default {
  getHeapStatistics, getHeapSpaceStatistics, cachedDataVersionTag, serialize, deserialize,
  setFlagsFromString,
};
