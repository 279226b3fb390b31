// node:async_hooks: AsyncResource and AsyncLocalStorage. The stores live in the
// asynchronous context (js/internal/async-context.js): an immutable Map from each
// AsyncLocalStorage to its store, which promise continuations (await, then), timers,
// immediates and process.nextTick carry from where they were scheduled. rtjs tracks no
// asynchronous resources otherwise: createHook's hooks never fire.
import { currentContext, enterContext, runInContext } from '../internal/async-context.js';

const EMPTY = new Map();
let nextAsyncId = 1;

function stores() {
  const context = currentContext();
  return context instanceof Map ? context : EMPTY;
}

export class AsyncResource {
  #asyncId = nextAsyncId++;
  #triggerAsyncId;
  #context = currentContext();
  constructor(type, options = {}) {
    this.type = type;
    this.#triggerAsyncId = typeof options === 'number' ? options : options.triggerAsyncId ?? 0;
  }

  runInAsyncScope(fn, thisArg, ...args) {
    return runInContext(this.#context, fn, thisArg, args);
  }

  bind(fn, thisArg) {
    const bound = (...args) => this.runInAsyncScope(fn, thisArg, ...args);
    Object.defineProperty(bound, 'asyncResource', { value: this, enumerable: true, configurable: true, writable: true });
    return bound;
  }

  static bind(fn, type, thisArg) { return new AsyncResource(type || fn.name || 'bound-anonymous-fn').bind(fn, thisArg); }
  emitDestroy() { return this; }
  asyncId() { return this.#asyncId; }
  triggerAsyncId() { return this.#triggerAsyncId; }
}

export class AsyncLocalStorage {
  #enabled = false;
  // A store changes the context only for what `callback` starts; the caller's is back after.
  #with(store, remove, callback, args) {
    const next = new Map(stores());
    if (remove) next.delete(this);
    else next.set(this, store);
    return runInContext(next, callback, undefined, args);
  }

  run(store, callback, ...args) {
    this.#enabled = true;
    return this.#with(store, false, callback, args);
  }

  exit(callback, ...args) {
    if (!this.#enabled) return Reflect.apply(callback, undefined, args);
    return this.#with(undefined, true, callback, args);
  }

  getStore() { return this.#enabled ? stores().get(this) : undefined; }

  /** Sets the store for the rest of the current synchronous run and what it starts. */
  enterWith(store) {
    this.#enabled = true;
    const next = new Map(stores());
    next.set(this, store);
    enterContext(next);
  }

  disable() {
    if (!this.#enabled) return;
    this.#enabled = false;
    const next = new Map(stores());
    next.delete(this);
    enterContext(next);
  }

  static bind(fn) { return AsyncResource.bind(fn); }

  static snapshot() {
    const r = new AsyncResource('AsyncLocalStorageSnapshot');
    return (fn, ...args) => r.runInAsyncScope(fn, undefined, ...args);
  }
}

export function executionAsyncId() { return 1; }
export function triggerAsyncId() { return 0; }
export function executionAsyncResource() { return {}; }
export function createHook() { return { enable() { return this; }, disable() { return this; } }; }
export const asyncWrapProviders = Object.freeze({});
export default { AsyncResource, AsyncLocalStorage, executionAsyncId, triggerAsyncId, executionAsyncResource, createHook, asyncWrapProviders };
