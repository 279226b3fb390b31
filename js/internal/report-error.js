// reportError(e) (HTML): reports `e` as an uncaught exception would be, without throwing to
// the caller. In rtjs, as in Node, an uncaught exception ends the app: it is rethrown in a
// microtask of its own, so the code that reported it finishes first.
import binding from 'rtjs:binding';

const { enqueueMicrotask } = binding;

export function reportError(error) {
  if (arguments.length < 1) {
    throw new TypeError("Failed to execute 'reportError': 1 argument required, but only 0 present");
  }
  enqueueMicrotask(() => { throw error; });
}
