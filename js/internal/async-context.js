// The asynchronous context: one immutable value per point of execution that follows the
// program's own asynchronous flow (AsyncLocalStorage keeps its stores in it, a Map).
//
// Promise reactions carry it natively: V8 captures the context's continuation-preserved
// embedder data when a reaction is created (then, await) and restores it while the reaction
// runs. Callbacks the runtime itself holds (timers, immediates, nextTick) capture it here
// when they are scheduled and run inside it.
import binding from 'rtjs:binding';
import primordials from './primordials.js';

const { ReflectApply } = primordials;

const { asyncContext, setAsyncContext } = binding;

/** The current context: undefined until something has set one. */
export function currentContext() {
  return asyncContext();
}

/** Runs fn.apply(thisArg, args) inside `context`, then restores the one before. */
export function runInContext(context, fn, thisArg, args) {
  const saved = asyncContext();
  setAsyncContext(context);
  try {
    return ReflectApply(fn, thisArg, args);
  } finally {
    setAsyncContext(saved);
  }
}

/** Makes `context` current (AsyncLocalStorage.enterWith). */
export function enterContext(context) {
  setAsyncContext(context);
}
