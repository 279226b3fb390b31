// setTimeout, setInterval, setImmediate and their clear functions, as Node has them: the
// set functions return Timeout and Immediate objects (ref/unref/hasRef/refresh, and the id
// as their primitive value, so that clearTimeout(+t) works too). The callbacks live here by
// id, the deadlines in the engine's timer heap (src/core/timer-heap.c), which fires them
// earliest first and, for equal deadlines, in creation order. A callback runs in the
// asynchronous context it was scheduled in (AsyncLocalStorage), with `this` its timer.
import binding from 'rtjs:binding';
import { currentContext, runInContext } from './async-context.js';
import { invalidArgType } from './node-errors.js';
import primordials from './primordials.js';

const {
  Map, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet, MathTrunc, ReflectApply, SymbolToPrimitive,
} = primordials;

const { timerStart, timerStop, timerRef, postImmediate, keepAlive } = binding;
// The id the engine passes to onTimer for "run the immediates" (src/core/engine/binding-web.cc).
const IMMEDIATE_ID = 0;
// Node's limit: a delay past 2^31-1 ms (or below 1, or not a number) becomes 1 ms.
const TIMEOUT_MAX = 2 ** 31 - 1;
// Symbol.dispose as bootstrap.js defines it (timers.js is evaluated before it runs).
const SymbolDispose = Symbol.dispose ?? Symbol.for('nodejs.dispose');

const pending = new Map(); // id -> Timeout, while armed

export function delayOf(delay) {
  const ms = +delay;
  return ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
}
let nextId = 1;

function checkCallback(callback) {
  if (typeof callback !== 'function') throw invalidArgType('callback', 'Function', callback);
}

function call(callback, thisArg, args, context) {
  if (context === undefined) return ReflectApply(callback, thisArg, args);
  return runInContext(context, callback, thisArg, args);
}

// What onTimer and clearTimeout do to a Timeout (module-private).
let fireTimeout, clearTimeoutState;

export class Timeout {
  #id;
  #ref = true;
  #context;
  constructor(callback, delay, args, repeat) {
    const ms = delayOf(delay);
    if (+delay > TIMEOUT_MAX) {
      // Node's warning for a delay past 2^31-1 ms (process is loaded for it on first use).
      globalThis.process.emitWarning(`${delay} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`, 'TimeoutOverflowWarning');
    }
    this.#id = nextId++;
    this._idleTimeout = ms;
    this._onTimeout = callback;
    this._timerArgs = args;
    this._repeat = repeat ? ms : null;
    this._destroyed = false;
    this.#context = currentContext();
    this.#arm();
  }

  #arm() {
    MapPrototypeSet(pending, this.#id, this);
    // Whole milliseconds, as Node truncates a delay: timers of 1 and 1.8 ms share a
    // deadline and fire in the order they were set.
    timerStart(this.#id, MathTrunc(this._idleTimeout), !this.#ref);
  }

  // The engine fired this timer.
  #fire() {
    MapPrototypeDelete(pending, this.#id);
    try {
      call(this._onTimeout, this, this._timerArgs, this.#context);
    } finally {
      // As Node decides after the callback: an interval (or a timeout given a _repeat) runs
      // again unless the callback cleared it (or unenrolled it: _idleTimeout -1).
      if (this._repeat && this._idleTimeout !== -1 && this._onTimeout !== null && !this._destroyed) {
        this._idleTimeout = delayOf(this._repeat);
        this.#arm();
      } else {
        this._destroyed = true;
      }
    }
  }

  #clear() {
    this._destroyed = true;
    this._idleTimeout = -1;
    if (MapPrototypeDelete(pending, this.#id)) timerStop(this.#id);
  }

  /** Restarts the timer's delay from now (and re-arms a timer that has already fired). */
  refresh() {
    if (this._onTimeout !== null && this._idleTimeout !== -1) {
      this._destroyed = false;
      this.#arm();
    }
    return this;
  }

  ref() {
    if (#id in this) {
      this.#ref = true;
      timerRef(this.#id, true);
    }
    return this;
  }

  unref() {
    if (#id in this) {
      this.#ref = false;
      timerRef(this.#id, false);
    }
    return this;
  }

  hasRef() { return #id in this ? this.#ref : false; }
  close() { this.#clear(); return this; }
  [SymbolToPrimitive]() { return this.#id; }
  [SymbolDispose]() { this.#clear(); }

  static {
    fireTimeout = (timer) => timer.#fire();
    clearTimeoutState = (timer) => timer.#clear();
  }
}

/** Runs `callback(...args)` once, after at least `delay` ms. */
export function setTimeout(callback, delay, ...args) {
  checkCallback(callback);
  return new Timeout(callback, delay, args, false);
}

/** Runs `callback(...args)` every `delay` ms until clearInterval. */
export function setInterval(callback, delay, ...args) {
  checkCallback(callback);
  return new Timeout(callback, delay, args, true);
}

// clearTimeout takes the Timeout or its id (its primitive value).
function clearTimer(timer) {
  if (timer instanceof Timeout) {
    timer._onTimeout = null;
    clearTimeoutState(timer);
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const found = MapPrototypeGet(pending, +timer);
    if (found !== undefined) clearTimer(found);
  }
}

export function clearTimeout(timer) { clearTimer(timer); }
export const clearInterval = clearTimeout;

// setImmediate: callbacks queued in order; one engine task runs those queued before it
// started (an immediate queued by an immediate waits for the next task, as in Node).
const immediates = new Map(); // id -> Immediate, until it runs or is cleared
let immediatePosted = false;
// The app is kept alive (one keepAlive reference) while a ref'd immediate waits; unref'd
// ones run only if something else keeps it alive, as Node's.
let refedImmediates = 0;
let holdingRef = false;

function syncImmediateRef() {
  const want = refedImmediates > 0;
  if (want !== holdingRef) {
    holdingRef = want;
    keepAlive(want ? 1 : -1);
  }
}

// What clearImmediate and the immediates' task do to an Immediate (module-private).
let runImmediate, dropImmediate;

export class Immediate {
  #id;
  #context;
  #ref = true;
  constructor(callback, args) {
    this.#id = nextId++;
    this._onImmediate = callback;
    this._argv = args;
    this._destroyed = false;
    this.#context = currentContext();
    MapPrototypeSet(immediates, this.#id, this);
    refedImmediates++;
    syncImmediateRef();
    if (!immediatePosted) {
      immediatePosted = true;
      postImmediate();
    }
  }

  // Leaves the queue (run or cleared): no longer counted as keeping the app alive.
  #drop() {
    if (!MapPrototypeDelete(immediates, this.#id)) return false;
    if (this.#ref) refedImmediates--;
    this._destroyed = true;
    return true;
  }

  static {
    dropImmediate = (immediate) => immediate.#drop();
    runImmediate = (immediate) => call(immediate._onImmediate, immediate, immediate._argv, immediate.#context);
  }

  ref() {
    if (!this.#ref && MapPrototypeGet(immediates, this.#id) === this) {
      refedImmediates++;
      syncImmediateRef();
    }
    this.#ref = true;
    return this;
  }

  unref() {
    if (this.#ref && MapPrototypeGet(immediates, this.#id) === this) {
      refedImmediates--;
      syncImmediateRef();
    }
    this.#ref = false;
    return this;
  }

  hasRef() { return this.#ref; }
  [SymbolDispose]() { clearImmediate(this); }
}

/** Runs `callback(...args)` in a task of its own, after the current one, with no delay. */
export function setImmediate(callback, ...args) {
  checkCallback(callback);
  return new Immediate(callback, args);
}

export function clearImmediate(immediate) {
  if (!(immediate instanceof Immediate)) return;
  immediate._onImmediate = null;
  dropImmediate(immediate);
  immediate._destroyed = true;
  syncImmediateRef();
}

function runImmediates() {
  immediatePosted = false;
  const end = nextId;
  let ran = false;
  try {
    for (const [id, entry] of immediates) {
      if (id >= end) break;
      // Node runs the ticks and promise jobs one immediate queued before the next runs.
      if (ran) {
        binding.runTicksAndMicrotasks();
        if (MapPrototypeGet(immediates, id) !== entry) continue; // cleared by one of them
      }
      ran = true;
      dropImmediate(entry);
      runImmediate(entry);
    }
  } finally {
    syncImmediateRef();
    if (immediates.size > 0 && !immediatePosted) {
      immediatePosted = true;
      postImmediate();
    }
  }
}

/** Called by the engine when timer `id` is due. */
export function onTimer(id) {
  if (id === IMMEDIATE_ID) {
    runImmediates();
    return;
  }
  const timer = MapPrototypeGet(pending, id);
  if (timer !== undefined) fireTimeout(timer);
}
