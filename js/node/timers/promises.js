// node:timers/promises: setTimeout, setImmediate and setInterval as promises.
import { abortError } from '../../internal/modules/errors.js';

export function setTimeout(delay = 1, value, options = {}) {
  const signal = options && options.signal;
  if (signal && signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const id = globalThis.setTimeout(() => resolve(value), delay);
    if (signal) signal.addEventListener('abort', () => { globalThis.clearTimeout(id); reject(abortError(signal)); }, { once: true });
  });
}

export function setImmediate(value, options = {}) { return setTimeout(0, value, options); }

export async function* setInterval(delay = 1, value, options = {}) {
  const signal = options && options.signal;
  for (;;) {
    if (signal && signal.aborted) throw abortError(signal);
    yield await setTimeout(delay, value, options);
  }
}

export const scheduler = { wait: (delay, options) => setTimeout(delay, undefined, options), yield: () => setImmediate() };
export default { setTimeout, setImmediate, setInterval, scheduler };
