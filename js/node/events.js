// node:events: EventEmitter, once, on, captureRejections (nodejs.org/api/events.html).
import binding from 'rtjs:binding';
import { abortError, codedError } from '../internal/modules/errors.js';
import { invalidArgType, outOfRange } from '../internal/node-errors.js';
import { kFirstEventParam } from '../internal/event-symbols.js';
import { inspect } from '../internal/inspect.js';
import { kResistStopPropagation } from '../internal/events.js';

const kCapture = Symbol('kCapture');
const kRejection = Symbol.for('nodejs.rejection');
let defaultMaxListeners = 10;

function checkListener(listener) {
  if (typeof listener !== 'function') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "listener" argument must be of type function. Received ${listener === null ? 'null' : `type ${typeof listener}`}`);
  }
}

/**
 * EventEmitter is a plain constructor function, as Node's: packages call it on their own
 * objects (EventEmitter.call(this)) and inherit with util.inherits.
 */
export function EventEmitter(options) {
  EventEmitter.init.call(this, options);
}

EventEmitter.init = function init(options) {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (options && options.captureRejections !== undefined) {
    if (typeof options.captureRejections !== 'boolean') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "options.captureRejections" property must be of type boolean.');
    }
    this[kCapture] = options.captureRejections;
  } else {
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

Object.defineProperties(EventEmitter, {
  defaultMaxListeners: {
    enumerable: true,
    get() { return defaultMaxListeners; },
    set(n) {
      checkListenerCount(n, 'defaultMaxListeners');
      defaultMaxListeners = n;
    },
  },
  captureRejections: {
    enumerable: true,
    get() { return EventEmitter.prototype[kCapture]; },
    set(value) { EventEmitter.prototype[kCapture] = Boolean(value); },
  },
});

function checkListenerCount(n, name) {
  if (typeof n !== 'number') throw invalidArgType(name, 'number', n);
  if (n < 0 || Number.isNaN(n)) throw outOfRange(name, '>= 0', n);
}

// The methods, written as a class body and then made EventEmitter.prototype's own.
class Methods {
  setMaxListeners(n) {
    checkListenerCount(n, 'setMaxListeners');
    this._maxListeners = n;
    return this;
  }

  getMaxListeners() {
    return this._maxListeners === undefined ? defaultMaxListeners : this._maxListeners;
  }

  emit(type, ...args) {
    const events = this._events;
    if (type === 'error' && (events === undefined || events.error === undefined)) {
      if (events !== undefined && events[EventEmitter.errorMonitor] !== undefined) {
        this.emit(EventEmitter.errorMonitor, ...args);
      }
      const er = args[0];
      if (er instanceof Error) throw er;
      let shown;
      try {
        shown = inspect(er);
      } catch {
        shown = er; // an inspect hook that throws: the value as a string
      }
      const err = codedError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${shown})`);
      err.context = er;
      throw err;
    }
    if (events === undefined) return false;
    if (type === 'error' && events[EventEmitter.errorMonitor] !== undefined) {
      this.emit(EventEmitter.errorMonitor, ...args);
    }
    const handler = events[type];
    if (handler === undefined) return false;
    const listeners = typeof handler === 'function' ? [handler] : handler.slice();
    for (const listener of listeners) {
      const result = Reflect.apply(listener, this, args);
      if (result !== undefined && result !== null && this[kCapture] && typeof result.then === 'function') {
        addCatch(this, result, type, args);
      }
    }
    return true;
  }

  addListener(type, listener) { return addListener(this, type, listener, false); }
  on(type, listener) { return addListener(this, type, listener, false); }
  prependListener(type, listener) { return addListener(this, type, listener, true); }

  once(type, listener) {
    checkListener(listener);
    this.on(type, onceWrapper(this, type, listener));
    return this;
  }

  prependOnceListener(type, listener) {
    checkListener(listener);
    this.prependListener(type, onceWrapper(this, type, listener));
    return this;
  }

  removeListener(type, listener) {
    checkListener(listener);
    const events = this._events;
    if (events === undefined) return this;
    const list = events[type];
    if (list === undefined) return this;
    if (list === listener || list.listener === listener) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
      if (events.removeListener) this.emit('removeListener', type, list.listener || listener);
      return this;
    }
    if (typeof list === 'function') return this;
    let position = -1;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) { position = i; break; }
    }
    if (position < 0) return this;
    list.splice(position, 1);
    if (list.length === 1) events[type] = list[0];
    if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
    return this;
  }

  off(type, listener) { return this.removeListener(type, listener); }

  removeAllListeners(type) {
    const events = this._events;
    if (events === undefined) return this;
    if (events.removeListener === undefined) {
      if (arguments.length === 0) {
        this._events = Object.create(null);
        this._eventsCount = 0;
      } else if (events[type] !== undefined) {
        if (--this._eventsCount === 0) this._events = Object.create(null);
        else delete events[type];
      }
      return this;
    }
    if (arguments.length === 0) {
      for (const key of Reflect.ownKeys(events)) {
        if (key !== 'removeListener') this.removeAllListeners(key);
      }
      this.removeAllListeners('removeListener');
      this._events = Object.create(null);
      this._eventsCount = 0;
      return this;
    }
    const listeners = events[type];
    if (typeof listeners === 'function') this.removeListener(type, listeners);
    else if (listeners !== undefined) for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
    return this;
  }

  listeners(type) { return listenersOf(this, type, true); }
  rawListeners(type) { return listenersOf(this, type, false); }
  listenerCount(type, listener) {
    if (listener === undefined) return listenerCount(this, type);
    return listenersOf(this, type, false).filter((l) => l === listener || l.listener === listener).length;
  }
  eventNames() { return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : []; }
}

for (const key of Reflect.ownKeys(Methods.prototype)) {
  if (key !== 'constructor') {
    const desc = Object.getOwnPropertyDescriptor(Methods.prototype, key);
    desc.enumerable = true;
    Object.defineProperty(EventEmitter.prototype, key, desc);
  }
}
EventEmitter.prototype.addListener = EventEmitter.prototype.on;
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;
EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
EventEmitter.prototype[kCapture] = false;
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;
EventEmitter.captureRejectionSymbol = kRejection;
EventEmitter.errorMonitor = Symbol('events.errorMonitor');

function addCatch(emitter, promise, type, args) {
  promise.then(undefined, (err) => {
    queueMicrotask(() => {
      if (typeof emitter[kRejection] === 'function') emitter[kRejection](err, type, ...args);
      else emitter.emit('error', err);
    });
  });
}

function addListener(target, type, listener, prepend) {
  checkListener(listener);
  let events = target._events;
  if (events === undefined) {
    events = target._events = Object.create(null);
    target._eventsCount = 0;
  } else if (events.newListener !== undefined) {
    target.emit('newListener', type, listener.listener ? listener.listener : listener);
    events = target._events;
  }
  let existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    ++target._eventsCount;
  } else {
    if (typeof existing === 'function') {
      existing = events[type] = prepend ? [listener, existing] : [existing, listener];
    } else if (prepend) {
      existing.unshift(listener);
    } else {
      existing.push(listener);
    }
    const max = target._maxListeners === undefined ? defaultMaxListeners : target._maxListeners;
    if (max > 0 && existing.length > max && !existing.warned) {
      existing.warned = true;
      const name = typeof type === 'symbol' ? type.toString() : type;
      const w = new Error(`Possible EventEmitter memory leak detected. ${existing.length} ${name} listeners added to ${inspectTarget(target)}. MaxListeners is ${max}. Use emitter.setMaxListeners() to increase limit`);
      w.name = 'MaxListenersExceededWarning';
      w.emitter = target;
      w.type = type;
      w.count = existing.length;
      binding.importSync('rtjs:node/process.js').default.emitWarning(w);
    }
  }
  return target;
}

function inspectTarget(target) {
  const name = target.constructor && target.constructor.name;
  return `[${name || 'EventEmitter'}]`;
}

function onceWrapper(target, type, listener) {
  const state = { fired: false, target, type, listener };
  function wrapped(...args) {
    if (!state.fired) {
      state.target.removeListener(state.type, wrapped);
      state.fired = true;
      return Reflect.apply(state.listener, state.target, args);
    }
    return undefined;
  }
  wrapped.listener = listener;
  return wrapped;
}

function listenersOf(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const listener = events[type];
  if (listener === undefined) return [];
  if (typeof listener === 'function') return unwrap ? [listener.listener || listener] : [listener];
  return unwrap ? listener.map((l) => l.listener || l) : listener.slice();
}

export function listenerCount(emitter, type) {
  if (typeof emitter.listenerCount === 'function' && emitter.listenerCount !== EventEmitter.prototype.listenerCount) {
    return emitter.listenerCount(type);
  }
  const events = emitter._events;
  if (events === undefined || events[type] === undefined) return 0;
  return typeof events[type] === 'function' ? 1 : events[type].length;
}

export function getEventListeners(emitter, type) {
  if (typeof emitter.listeners === 'function') return emitter.listeners(type);
  return [];
}

/** once(emitter, name[, { signal }]): a promise of the arguments of the next `name` event. */
export function once(emitter, name, options = {}) {
  const signal = options ? options.signal : undefined;
  if (signal && signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      emitter.removeListener(name, resolver);
      if (signal) signal.removeEventListener('abort', onAbort);
      reject(err);
    };
    const resolver = (...args) => {
      if (name !== 'error' && typeof emitter.removeListener === 'function') emitter.removeListener('error', onError);
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(args);
    };
    const onAbort = () => {
      emitter.removeListener(name, resolver);
      emitter.removeListener('error', onError);
      reject(abortError(signal));
    };
    if (typeof emitter.addEventListener === 'function' && typeof emitter.once !== 'function') {
      emitter.addEventListener(name, (...args) => resolve(args), { once: true });
      return;
    }
    emitter.once(name, resolver);
    if (name !== 'error') emitter.once('error', onError);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}


/**
 * on(emitter, name[, { signal, close, highWaterMark, lowWaterMark }]): an async iterator over
 * the arguments of each `name` event. Events not yet consumed queue; past highWaterMark the
 * emitter is paused (emitter.pause()) until fewer than lowWaterMark wait. An event named in
 * `close` ends the iteration after what is queued.
 */
export function on(emitter, name, options = {}) {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'Object', options);
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw invalidArgType('options.signal', 'AbortSignal', signal);
  }
  if (signal && signal.aborted) throw abortError(signal);
  const high = options.highWaterMark ?? options.highWatermark ?? Number.MAX_SAFE_INTEGER;
  const low = options.lowWaterMark ?? options.lowWatermark ?? 1;
  checkWatermark(high, 'options.highWaterMark');
  checkWatermark(low, 'options.lowWaterMark');
  const firstOnly = options[kFirstEventParam] === true;
  const queue = [];
  let head = 0;
  const waiting = [];
  let error = null;
  let finished = false;
  let paused = false;
  const listening = [];
  const listen = (event, fn) => {
    listening.push([event, fn]);
    if (typeof emitter.on === 'function') emitter.on(event, fn);
    else emitter.addEventListener(event, fn);
  };
  const size = () => queue.length - head;
  const take = () => {
    const value = queue[head];
    queue[head++] = undefined;
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    return value;
  };
  const closeHandler = () => {
    paused = false; // a closed emitter is not resumed
    for (const [event, fn] of listening.splice(0)) {
      if (typeof emitter.removeListener === 'function') emitter.removeListener(event, fn);
      else emitter.removeEventListener(event, fn);
    }
    if (signal) signal.removeEventListener('abort', onAbort);
    finished = true;
    for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  };
  const handler = (...args) => {
    const value = firstOnly ? args[0] : args;
    const next = waiting.shift();
    if (next) {
      next.resolve({ value, done: false });
      return;
    }
    queue.push(value);
    if (!paused && size() > high && typeof emitter.pause === 'function') {
      paused = true;
      emitter.pause();
    }
  };
  const onError = (err) => {
    const next = waiting.shift();
    if (next) next.reject(err);
    else error = err;
    closeHandler();
  };
  const onAbort = () => onError(abortError(signal));
  const iterator = {
    next() {
      if (size() > 0) {
        const value = take();
        if (paused && size() < low) {
          paused = false;
          emitter.resume();
        }
        return Promise.resolve({ value, done: false });
      }
      if (error) {
        const e = error;
        error = null;
        return Promise.reject(e);
      }
      if (finished) return closeHandler();
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() { return closeHandler(); },
    throw(err) {
      if (!(err instanceof Error)) throw invalidArgType('EventEmitter.AsyncIterator', 'Error', err);
      onError(err);
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() { return this; },
    // What Node's own tests read to see the queue and the pause state.
    [Symbol.for('nodejs.watermarkData')]: {
      get size() { return size(); },
      get low() { return low; },
      get high() { return high; },
      get isPaused() { return paused; },
    },
  };
  Object.setPrototypeOf(iterator, AsyncIteratorPrototype);
  listen(name, handler);
  if (name !== 'error' && typeof emitter.on === 'function') listen('error', onError);
  for (const event of options.close ?? []) listen(event, closeHandler);
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  return iterator;
}

const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);

function checkWatermark(value, name) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < 1 || value > Number.MAX_SAFE_INTEGER) throw outOfRange(name, `>= 1 && <= ${Number.MAX_SAFE_INTEGER}`, value);
}

/**
 * addAbortListener(signal, listener): runs `listener` once when `signal` aborts (at once, in a
 * microtask, if it has), even if another abort listener stops the event's propagation.
 * Answers a Disposable that removes it.
 */
export function addAbortListener(signal, listener) {
  if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
    throw invalidArgType('signal', 'AbortSignal', signal);
  }
  if (typeof listener !== 'function') throw invalidArgType('listener', 'Function', listener);
  let remove;
  if (signal.aborted) {
    queueMicrotask(() => listener());
  } else {
    signal.addEventListener('abort', listener, { once: true, [kResistStopPropagation]: true });
    remove = () => signal.removeEventListener('abort', listener);
  }
  return { __proto__: null, [Symbol.dispose]() { remove?.(); } };
}

export function setMaxListeners(n = defaultMaxListeners, ...targets) {
  checkListenerCount(n, 'n');
  if (targets.length === 0) defaultMaxListeners = n;
  for (const t of targets) {
    if (t !== null && typeof t === 'object' && typeof t.setMaxListeners === 'function') {
      t.setMaxListeners(n);
    } else if (t === null || typeof t !== 'object' || typeof t.addEventListener !== 'function') {
      // An EventTarget is accepted; it keeps no listener limit here.
      throw invalidArgType('eventTargets', ['EventEmitter', 'EventTarget'], t);
    }
  }
}

export const errorMonitor = EventEmitter.errorMonitor;
export const captureRejectionSymbol = kRejection;
EventEmitter.once = once;
EventEmitter.on = on;
EventEmitter.listenerCount = listenerCount;
EventEmitter.getEventListeners = getEventListeners;
EventEmitter.setMaxListeners = setMaxListeners;
EventEmitter.addAbortListener = addAbortListener;
EventEmitter.default = EventEmitter;
export default EventEmitter;
