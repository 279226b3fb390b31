// node:test's mocks (nodejs.org/api/test.html#mocking): MockTracker's fn, method, getter
// and setter, which record each call (arguments, result or error, this, new.target), and
// MockTimers, a clock of its own that setTimeout, setInterval, setImmediate, Date and
// timers/promises' scheduler.wait follow while enabled (time moves only by tick, runAll
// and setTime).
import { codedError } from './modules/errors.js';
import { invalidArgType, invalidArgValue } from './node-errors.js';
import timersModule from '../node/timers.js';
import { delayOf } from './timers.js'; // Node's delay limits, as the real timers apply them
import timerPromises from '../node/timers/promises.js';
import process from '../node/process.js';

function checkFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'function', value);
}

function checkObject(value, name) {
  if (value === null || typeof value !== 'object') throw invalidArgType(name, 'Object', value);
}

function checkTimes(times) {
  if (times === undefined) return Infinity;
  if (typeof times !== 'number') throw invalidArgType('options.times', 'number', times);
  if (!Number.isInteger(times) || times < 1) {
    throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
      `The value of "options.times" is out of range. It must be >= 1 && <= ${Number.MAX_SAFE_INTEGER}. Received ${times}`);
  }
  return times;
}

/** A mock function's `mock` property: its calls and how it behaves next. */
export class MockFunctionContext {
  #calls = [];
  #implementation;
  #once = new Map(); // call number -> implementation for that call only
  #restore;
  constructor(original, implementation, restore, times) {
    this.#implementation = implementation;
    this.#restore = restore;
    if (times !== Infinity) {
      // The implementation for the first `times` calls, the original's behaviour after.
      for (let i = 0; i < times; i++) this.#once.set(i, implementation);
      this.#implementation = original;
    }
  }

  get calls() { return this.#calls.slice(); }
  callCount() { return this.#calls.length; }

  mockImplementation(implementation) {
    checkFunction(implementation, 'implementation');
    this.#implementation = implementation;
  }

  mockImplementationOnce(implementation, onCall) {
    checkFunction(implementation, 'implementation');
    const call = onCall ?? this.#calls.length;
    if (!Number.isInteger(call) || call < 0) throw invalidArgValue('onCall', onCall, 'must be a non-negative integer');
    if (call < this.#calls.length) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "onCall" is out of range. It must be >= ${this.#calls.length} && <= ${Number.MAX_SAFE_INTEGER}. Received ${call}`);
    }
    this.#once.set(call, implementation);
  }

  resetCalls() { this.#calls = []; }

  restore() {
    if (!this.#restore) return;
    const { object, name, descriptor } = this.#restore;
    if (descriptor) Object.defineProperty(object, name, descriptor);
    else delete object[name];
  }

  /** The implementation the next call runs (module-private use). */
  nextImplementation() {
    const n = this.#calls.length;
    const once = this.#once.get(n);
    if (once === undefined) return this.#implementation;
    this.#once.delete(n);
    return once;
  }

  record(call) { this.#calls.push(call); }
}

// One call of a mock: its next implementation runs, and the call is recorded whether it
// returned or threw (`who` gives the call's target and `this`).
function tracked(context, call, who, args) {
  const fn = context.nextImplementation();
  let result, error;
  try {
    result = call(fn);
    return result;
  } catch (err) {
    error = err;
    throw err;
  } finally {
    context.record({ arguments: args, error, result, stack: new Error(), ...who(result) });
  }
}

function makeMock(original, implementation, restore, times) {
  const context = new MockFunctionContext(original, implementation, restore, times);
  const mock = new Proxy(original, {
    get(target, property, receiver) {
      if (property === 'mock') return context;
      return Reflect.get(target, property, receiver);
    },
    apply(target, thisArg, args) {
      return tracked(context, (fn) => Reflect.apply(fn, thisArg, args), () => ({ target: undefined, this: thisArg }), args);
    },
    construct(target, args, newTarget) {
      let realTarget;
      return tracked(context, (fn) => {
        realTarget = newTarget === mock ? fn : newTarget;
        return Reflect.construct(fn, args, realTarget);
      }, (result) => ({ target: realTarget, this: result }), args);
    },
  });
  return { mock, context };
}

// The property `name` of `object` or of an object on its prototype chain.
function findDescriptor(object, name) {
  for (let o = object; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

/** t.mock and the module's `mock`: makes mocks and restores what they replaced. */
export class MockTracker {
  #mocks = [];
  #timers;

  get timers() { return (this.#timers ??= new MockTimers()); }

  fn(original = function () {}, implementation = original, options = {}) {
    if (original !== null && typeof original === 'object') {
      options = original;
      original = function () {};
      implementation = original;
    } else if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = original;
    }
    checkFunction(original, 'original');
    checkFunction(implementation, 'implementation');
    checkObject(options, 'options');
    const { mock, context } = makeMock(original, implementation, null, checkTimes(options.times));
    this.#mocks.push(context);
    return mock;
  }

  method(object, methodName, implementation, options = {}) {
    if (object === null || (typeof object !== 'object' && typeof object !== 'function')) {
      throw invalidArgType('object', 'object', object);
    }
    if (typeof methodName !== 'string' && typeof methodName !== 'symbol') {
      throw invalidArgType('methodName', ['string', 'symbol'], methodName);
    }
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = undefined;
    }
    checkObject(options, 'options');
    const { getter = false, setter = false } = options;
    if (typeof getter !== 'boolean') throw invalidArgType('options.getter', 'boolean', getter);
    if (typeof setter !== 'boolean') throw invalidArgType('options.setter', 'boolean', setter);
    if (getter && setter) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The property 'options.setter' cannot be used with 'options.getter'. Received true");
    }
    const descriptor = findDescriptor(object, methodName);
    const original = descriptor && (getter ? descriptor.get : setter ? descriptor.set : descriptor.value);
    if (typeof original !== 'function') {
      throw invalidArgValue('methodName', original, 'must be a method');
    }
    if (implementation === undefined) implementation = original;
    checkFunction(implementation, 'implementation');
    // Restoring defines the descriptor found on the object itself, as Node does, even
    // when it came from the prototype chain.
    const restore = { object, name: methodName, descriptor, original };
    const { mock, context } = makeMock(original, implementation, restore, checkTimes(options.times));
    const replaced = { configurable: descriptor.configurable, enumerable: descriptor.enumerable };
    if (getter) Object.assign(replaced, { get: mock, set: descriptor.set });
    else if (setter) Object.assign(replaced, { get: descriptor.get, set: mock });
    else Object.assign(replaced, { value: mock, writable: descriptor.writable });
    Object.defineProperty(object, methodName, replaced);
    this.#mocks.push(context);
    return mock;
  }

  getter(object, methodName, implementation, options = {}) {
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = undefined;
    }
    if (options.getter === false) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The property 'options.getter' cannot be false. Received false");
    }
    return this.method(object, methodName, implementation, { ...options, getter: true });
  }

  setter(object, methodName, implementation, options = {}) {
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = undefined;
    }
    if (options.setter === false) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The property 'options.setter' cannot be false. Received false");
    }
    return this.method(object, methodName, implementation, { ...options, setter: true });
  }

  restoreAll() {
    for (const context of this.#mocks) context.restore();
  }

  reset() {
    this.restoreAll();
    this.#timers?.reset();
    this.#mocks = [];
  }
}

// ---- MockTimers ----

const TIMER_APIS = ['setTimeout', 'setInterval', 'setImmediate', 'Date', 'scheduler.wait'];
const RealDate = Date;
const mockedApis = new Set(); // what any MockTimers has replaced, process-wide
let warned = false;

class MockTimeout {
  constructor(clock, id, callback, delay, args, repeat) {
    this.clock = clock;
    this.id = id;
    this.callback = callback;
    this.args = args;
    this.delay = delay;
    this.repeat = repeat;
    this.runAt = clock.now + delay;
  }

  ref() { return this; }
  unref() { return this; }
  hasRef() { return true; }
  refresh() {
    this.runAt = this.clock.now + this.delay;
    return this;
  }

  close() { this.clock.clear(this); }
  [Symbol.toPrimitive]() { return this.id; }
  [Symbol.dispose]() { this.close(); }
}

class MockTimers {
  #enabled = false;
  now = 0;
  #pending = new Map(); // id -> MockTimeout
  #order = 0; // creation order among equal deadlines
  #saved = [];

  #checkEnabled(what) {
    if (!this.#enabled) {
      throw codedError(Error, 'ERR_INVALID_STATE', `Invalid state: You should enable MockTimers first by calling the .enable function`);
    }
    return what;
  }

  enable(options = {}) {
    if (!warned) {
      warned = true;
      process.emitWarning('The MockTimers API is an experimental feature and might change at any time', 'ExperimentalWarning');
    }
    if (this.#enabled) throw codedError(Error, 'ERR_INVALID_STATE', 'Invalid state: MockTimers is already enabled!');
    checkObject(options, 'options');
    const apis = options.apis ?? TIMER_APIS;
    if (!Array.isArray(apis)) throw invalidArgType('options.apis', 'Array', apis);
    for (const api of apis) {
      if (!TIMER_APIS.includes(api)) throw invalidArgValue('options.apis', api, `option ${api} is not supported`);
    }
    let now = options.now ?? 0;
    if (now instanceof RealDate) now = now.getTime();
    if (typeof now !== 'number') throw invalidArgType('options.now', ['number', 'Date'], options.now);
    if (!(now >= 0) || !Number.isFinite(now)) throw invalidArgValue('options.now', now, 'must be a positive number');
    for (const api of apis) {
      if (mockedApis.has(api)) throw codedError(Error, 'ERR_INVALID_STATE', `Invalid state: ${api} is already mocked`);
    }
    this.now = now;
    this.#enabled = true;
    for (const api of new Set(apis)) this.#replace(api);
  }

  #swap(object, name, value) {
    this.#saved.push({ object, name, descriptor: Object.getOwnPropertyDescriptor(object, name) });
    Object.defineProperty(object, name, { value, writable: true, configurable: true, enumerable: object !== globalThis });
  }

  #replace(api) {
    mockedApis.add(api);
    this.#saved.push({ api });
    const set = (repeat) => (callback, delay, ...args) => this.#add(callback, delayOf(delay), args, repeat);
    const clear = (timer) => {
      if (timer == null) return;
      const t = typeof timer === 'object' ? timer : this.#pending.get(+timer);
      if (t) this.clear(t);
    };
    switch (api) {
      case 'setTimeout':
        for (const o of [globalThis, timersModule]) {
          this.#swap(o, 'setTimeout', set(false));
          this.#swap(o, 'clearTimeout', clear);
        }
        this.#swap(timerPromises, 'setTimeout', (delay, value, options) => this.#later(delay, value, options));
        break;
      case 'setInterval':
        for (const o of [globalThis, timersModule]) {
          this.#swap(o, 'setInterval', set(true));
          this.#swap(o, 'clearInterval', clear);
        }
        break;
      case 'setImmediate':
        for (const o of [globalThis, timersModule]) {
          this.#swap(o, 'setImmediate', (callback, ...args) => this.#add(callback, 0, args, false));
          this.#swap(o, 'clearImmediate', clear);
        }
        this.#swap(timerPromises, 'setImmediate', (value, options) => this.#later(0, value, options));
        break;
      case 'scheduler.wait':
        this.#swap(timerPromises.scheduler, 'wait', (delay, options) => this.#later(delay, undefined, options));
        break;
      case 'Date':
        this.#swap(globalThis, 'Date', this.#mockDate());
        break;
    }
  }

  #mockDate() {
    const timers = this;
    function MockDate(...args) {
      if (!new.target) return new RealDate(timers.now).toString();
      const date = args.length === 0 ? new RealDate(timers.now) : new RealDate(...args);
      Object.setPrototypeOf(date, new.target.prototype);
      return date;
    }
    MockDate.prototype = RealDate.prototype;
    Object.defineProperties(MockDate, {
      name: { value: 'Date' },
      length: { value: RealDate.length },
      now: { value: () => timers.now, writable: true, configurable: true },
      parse: { value: RealDate.parse, writable: true, configurable: true },
      UTC: { value: RealDate.UTC, writable: true, configurable: true },
      isMock: { value: true },
      toString: { value: () => RealDate.toString(), writable: true, configurable: true },
    });
    return MockDate;
  }

  #add(callback, delay, args, repeat) {
    if (typeof callback !== 'function') throw invalidArgType('callback', 'Function', callback);
    const timer = new MockTimeout(this, ++this.#order, callback, delay, args, repeat);
    this.#pending.set(timer.id, timer);
    return timer;
  }

  #later(delay, value, options = {}) {
    const signal = options?.signal;
    if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
      return Promise.reject(invalidArgType('options.signal', 'AbortSignal', signal));
    }
    if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('The operation was aborted', 'AbortError'));
    return new Promise((resolve, reject) => {
      const timer = this.#add(() => resolve(value), delayOf(delay), [], false);
      signal?.addEventListener('abort', () => {
        this.clear(timer);
        const err = new Error('The operation was aborted');
        err.name = 'AbortError';
        err.code = 'ABORT_ERR';
        err.cause = signal.reason;
        reject(err);
      }, { once: true });
    });
  }

  clear(timer) { this.#pending.delete(timer.id); }

  // The next timer due by `limit`, earliest deadline first, then creation order.
  #next(limit) {
    let best = null;
    for (const t of this.#pending.values()) {
      if (t.runAt <= limit && (best === null || t.runAt < best.runAt)) best = t;
    }
    return best;
  }

  #fire(timer) {
    if (timer.repeat) timer.runAt += timer.delay;
    else this.#pending.delete(timer.id);
    Reflect.apply(timer.callback, timer, timer.args);
  }

  tick(milliseconds = 1) {
    this.#checkEnabled();
    if (typeof milliseconds !== 'number') throw invalidArgType('time', 'number', milliseconds);
    if (milliseconds < 0) throw invalidArgValue('time', milliseconds, 'must be a positive number');
    const target = this.now + milliseconds;
    for (let t = this.#next(target); t !== null; t = this.#next(target)) {
      this.now = Math.max(this.now, t.runAt);
      this.#fire(t);
    }
    this.now = target;
  }

  runAll() {
    this.#checkEnabled();
    let last = this.now;
    for (const t of this.#pending.values()) last = Math.max(last, t.runAt);
    this.tick(last - this.now);
  }

  setTime(milliseconds) {
    this.#checkEnabled();
    if (typeof milliseconds !== 'number') throw invalidArgType('time', 'number', milliseconds);
    this.now = milliseconds;
  }

  reset() {
    if (!this.#enabled) return;
    for (const saved of this.#saved.reverse()) {
      if (saved.api) mockedApis.delete(saved.api);
      else if (saved.descriptor) Object.defineProperty(saved.object, saved.name, saved.descriptor);
      else delete saved.object[saved.name];
    }
    this.#saved = [];
    this.#pending.clear();
    this.#enabled = false;
    this.now = 0;
  }

  [Symbol.dispose]() { this.reset(); }
}
