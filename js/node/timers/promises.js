// node:timers/promises: setTimeout, setImmediate and setInterval as promises, with
// `signal` (AbortSignal) and `ref: false` (the timer does not keep the app alive).
import { abortError } from '../../internal/modules/errors.js';
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

export async function* setInterval(delay = 1, value, options = {}) {
  const { signal } = checkOptions(options);
  for (;;) {
    if (signal && signal.aborted) throw abortError(signal);
    yield await setTimeout(delay, value, options);
  }
}

export const scheduler = {
  wait: (delay, options) => setTimeout(delay, undefined, options),
  yield: () => setImmediate(),
};
export default { setTimeout, setImmediate, setInterval, scheduler };
