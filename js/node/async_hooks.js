// node:async_hooks: AsyncResource and AsyncLocalStorage. rtjs tracks no asynchronous
// resources, so a store set by run() is seen by the code run() calls synchronously but
// does not follow into promise continuations or timers; createHook's hooks never fire.
let currentStores = new Map();
let nextAsyncId = 1;

export class AsyncResource {
  #asyncId = nextAsyncId++;
  #triggerAsyncId;
  #stores = currentStores;
  constructor(type, options = {}) {
    this.type = type;
    this.#triggerAsyncId = typeof options === 'number' ? options : options.triggerAsyncId ?? 0;
  }

  runInAsyncScope(fn, thisArg, ...args) {
    const saved = currentStores;
    currentStores = this.#stores;
    try {
      return Reflect.apply(fn, thisArg, args);
    } finally {
      currentStores = saved;
    }
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
  #enabled = true;
  run(store, callback, ...args) {
    const saved = currentStores;
    currentStores = new Map(currentStores);
    currentStores.set(this, store);
    try {
      return callback(...args);
    } finally {
      currentStores = saved;
    }
  }

  exit(callback, ...args) {
    const saved = currentStores;
    currentStores = new Map(currentStores);
    currentStores.delete(this);
    try {
      return callback(...args);
    } finally {
      currentStores = saved;
    }
  }

  getStore() { return this.#enabled ? currentStores.get(this) : undefined; }
  enterWith(store) { currentStores = new Map(currentStores); currentStores.set(this, store); }
  disable() { this.#enabled = false; currentStores = new Map(currentStores); currentStores.delete(this); }
  static bind(fn) { return AsyncResource.bind(fn); }
  static snapshot() { const r = new AsyncResource('AsyncLocalStorageSnapshot'); return (fn, ...args) => r.runInAsyncScope(fn, undefined, ...args); }
}

export function executionAsyncId() { return 1; }
export function triggerAsyncId() { return 0; }
export function executionAsyncResource() { return {}; }
export function createHook() { return { enable() { return this; }, disable() { return this; } }; }
export const asyncWrapProviders = Object.freeze({});
export default { AsyncResource, AsyncLocalStorage, executionAsyncId, triggerAsyncId, executionAsyncResource, createHook, asyncWrapProviders };
