// node:timers/promises: setTimeout, setImmediate and setInterval as promises, with
// `signal` (AbortSignal) and `ref: false` (the timer does not keep the app alive).
import { abortError, codedError } from '../../internal/modules/errors.js';
import { invalidArgType } from '../../internal/node-errors.js';
import * as timers from '../../internal/timers.js';

function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'Object', options);
  const { signal, ref } = options;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw invalidArgType('options.signal', 'AbortSignal', signal);
  }
  if (ref !== undefined && typeof ref !== 'boolean') throw invalidArgType('options.ref', 'boolean', ref);
  return { signal, ref };
}

function later(start, value, options) {
  let checked;
  try {
    checked = checkOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  const { signal, ref } = checked;
  if (signal && signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    let onAbort;
    const timer = start(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (ref === false) timer.unref();
    if (signal) {
      onAbort = () => {
        if (timer instanceof timers.Immediate) timers.clearImmediate(timer);
        else timers.clearTimeout(timer);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}

export function setTimeout(delay = 1, value, options = {}) {
  return later((fn) => timers.setTimeout(fn, delay), value, options);
}

export function setImmediate(value, options = {}) {
  return later((fn) => timers.setImmediate(fn), value, options);
}

/**
 * An async iterator over an interval: each tick yields `value`; ticks that come while the
 * consumer is busy are counted and yielded at once after, as Node's. Ends (AbortError)
 * when `signal` aborts, a pending next() rejecting at once; return() clears the interval.
 */
export async function* setInterval(delay = 1, value, options = {}) {
  const { signal, ref } = checkOptions(options);
  if (signal && signal.aborted) throw abortError(signal);
  let ticks = 0;
  let wake = null; // resolves the next() waiting for a tick
  const interval = timers.setInterval(() => {
    ticks++;
    if (wake) wake();
  }, delay);
  if (ref === false) interval.unref();
  let aborted = null;
  const onAbort = () => {
    timers.clearInterval(interval);
    aborted = abortError(signal);
    if (wake) wake();
  };
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (ticks === 0 && !aborted) await new Promise((resolve) => { wake = resolve; });
      wake = null;
      if (aborted) throw aborted;
      for (; ticks > 0; ticks--) {
        yield value;
        if (aborted) throw aborted;
      }
    }
  } finally {
    timers.clearInterval(interval);
    if (signal) signal.removeEventListener('abort', onAbort);
  }
}

// Only the module's own scheduler passes this check (Node's ERR_INVALID_THIS otherwise).
const schedulerToken = Symbol('scheduler');

function checkScheduler(self) {
  if (self === null || typeof self !== 'object' || self[schedulerToken] !== true) {
    throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type Scheduler');
  }
}

/** The Scheduling APIs draft's scheduler (wicg.github.io/scheduling-apis): wait and yield. */
class Scheduler {
  constructor() {
    throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }

  /** Resolves after the current task and those already queued: setImmediate's promise. */
  yield() {
    checkScheduler(this);
    return setImmediate();
  }

  /** Resolves after `delay` ms; options { signal, ref } as setTimeout's. */
  wait(delay, options) {
    checkScheduler(this);
    return setTimeout(delay, undefined, options);
  }
}

export const scheduler = Object.create(Scheduler.prototype, { [schedulerToken]: { value: true } });
export default { setTimeout, setImmediate, setInterval, scheduler };
