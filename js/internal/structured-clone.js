// structuredClone(value, { transfer }) (HTML): V8's serializer, the one IPC uses, so a value
// clones here exactly as it would travel to another app. Errors are DataCloneError
// DOMExceptions, as in browsers and Node.
import binding from 'rtjs:binding';
import { DOMException } from './dom-exception.js';
import primordials from './primordials.js';

const { ArrayFrom, TypeError } = primordials;

const clone = binding.structuredClone;

export function structuredClone(value, options = undefined) {
  if (arguments.length < 1) {
    throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present");
  }
  let transfer = [];
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object') throw new TypeError('The "options" argument must be an object');
    if (options.transfer !== undefined) transfer = ArrayFrom(options.transfer);
  }
  try {
    return clone(value, transfer);
  } catch (err) {
    if (err instanceof Error && err.name === 'DataCloneError') {
      throw new DOMException(err.message, 'DataCloneError');
    }
    throw err;
  }
}
