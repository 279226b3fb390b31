// setTimeout, setInterval, clearTimeout, clearInterval: the callbacks live here by id, the
// deadlines in the engine's timer heap (src/core/timer-heap.c), which fires them earliest
// first and, for equal deadlines, in creation order.
import binding from 'rtjs:binding';

const { timerStart, timerStop, postImmediate } = binding;
// The id the engine passes to onTimer for "run the immediates" (src/core/engine/binding-web.cc).
const IMMEDIATE_ID = 0;
const MapCtor = Map;
const MapGet = Map.prototype.get;
const MapSet = Map.prototype.set;
const MapDelete = Map.prototype.delete;
const ReflectApply = Reflect.apply;
const TypeErrorCtor = TypeError;

const pending = new MapCtor();
let nextId = 1;

function schedule(callback, delay, args, repeat) {
  if (typeof callback !== 'function') {
    throw new TypeErrorCtor(`The "callback" argument must be a function (got ${typeof callback})`);
  }
  const id = nextId++;
  const ms = +delay;
  ReflectApply(MapSet, pending, [id, { callback, args, repeat: repeat ? ms : -1 }]);
  timerStart(id, ms);
  return id;
}

function cancel(id) {
  if (typeof id !== 'number') return;
  if (ReflectApply(MapDelete, pending, [id])) timerStop(id);
}

/** Runs `callback(...args)` once, after at least `delay` ms. Returns an id for clearTimeout. */
export function setTimeout(callback, delay = 0, ...args) {
  return schedule(callback, delay, args, false);
}

/** Runs `callback(...args)` every `delay` ms until clearInterval. */
export function setInterval(callback, delay = 0, ...args) {
  return schedule(callback, delay, args, true);
}

export function clearTimeout(id) { cancel(id); }
export const clearInterval = clearTimeout;

// setImmediate: callbacks queued in order; one engine task runs those queued before it
// started (an immediate queued by an immediate waits for the next task, as in Node).
const immediates = new MapCtor();
let immediatePosted = false;

/** Runs `callback(...args)` in a task of its own, after the current one, with no delay. */
export function setImmediate(callback, ...args) {
  if (typeof callback !== 'function') {
    throw new TypeErrorCtor(`The "callback" argument must be a function (got ${typeof callback})`);
  }
  const id = nextId++;
  ReflectApply(MapSet, immediates, [id, { callback, args }]);
  if (!immediatePosted) {
    immediatePosted = true;
    postImmediate();
  }
  return id;
}

export function clearImmediate(id) {
  if (typeof id === 'number') ReflectApply(MapDelete, immediates, [id]);
}

function runImmediates() {
  immediatePosted = false;
  const end = nextId;
  try {
    for (const [id, entry] of immediates) {
      if (id >= end) break;
      ReflectApply(MapDelete, immediates, [id]);
      ReflectApply(entry.callback, globalThis, entry.args);
    }
  } finally {
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
  const entry = ReflectApply(MapGet, pending, [id]);
  if (entry === undefined) return;
  if (entry.repeat >= 0) {
    timerStart(id, entry.repeat);
  } else {
    ReflectApply(MapDelete, pending, [id]);
  }
  ReflectApply(entry.callback, globalThis, entry.args);
}
