// node:timers: the global timers, plus setImmediate (a task after the current one).
import * as internal from '../internal/timers.js';
import * as promises from './timers/promises.js';

const immediates = new Map();
let nextImmediate = 1;

export function setImmediate(callback, ...args) {
  if (typeof callback !== 'function') {
    const err = new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  const id = nextImmediate++;
  const handle = { id, timer: internal.setImmediate(() => { immediates.delete(id); callback(...args); }) };
  immediates.set(id, handle);
  return new Immediate(id);
}

class Immediate {
  #id;
  constructor(id) { this.#id = id; }
  get _id() { return this.#id; }
  ref() { return this; }
  unref() { return this; }
  hasRef() { return true; }
  [Symbol.toPrimitive]() { return this.#id; }
}

export function clearImmediate(immediate) {
  const id = immediate && typeof immediate === 'object' ? immediate._id : immediate;
  const handle = immediates.get(id);
  if (handle) {
    internal.clearImmediate(handle.timer);
    immediates.delete(id);
  }
}

export const setTimeout = (...args) => globalThis.setTimeout(...args);
export const setInterval = (...args) => globalThis.setInterval(...args);
export const clearTimeout = (id) => globalThis.clearTimeout(id);
export const clearInterval = (id) => globalThis.clearInterval(id);
export { promises };

export default { setTimeout, setInterval, clearTimeout, clearInterval, setImmediate, clearImmediate, promises };
