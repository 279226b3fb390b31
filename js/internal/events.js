// Event, CustomEvent and EventTarget (DOM Standard, "Events"), without the tree: a target
// has no parent, so dispatch is the at-target phase alone. A listener that throws does not
// stop the others: the error is reported as uncaught (reportError) once dispatch is done.
import { DOMException } from './dom-exception.js';
import { now } from './performance.js';
import { reportError } from './report-error.js';
import primordials from './primordials.js';

const {
  ArrayPrototypePush, ArrayPrototypeSlice, ArrayPrototypeSplice, Map, MapPrototypeGet,
  MapPrototypeSet, ObjectDefineProperty, ReflectApply, TypeError,
} = primordials;


let dispatch;
let markTrusted;

// A listener added with { [kResistStopPropagation]: true } runs even after an earlier one
// called stopImmediatePropagation() (events.addAbortListener: cleanup must run).
export const kResistStopPropagation = Symbol('kResistStopPropagation');
const NONE = 0;
const AT_TARGET = 2;

function checkArgs(given, needed, what) {
  if (given < needed) {
    throw new TypeError(`${what}: ${needed} argument${needed > 1 ? 's' : ''} required, but only ${given} present`);
  }
}

export class Event {
  #type;
  #bubbles;
  #cancelable;
  #composed;
  #canceled = false;
  #stop = false;
  #stopImmediate = false;
  #target = null;
  #current = null;
  #phase = NONE;
  #dispatching = false;
  #inPassive = false;
  #timeStamp = now();
  #trusted = false;

  constructor(type, init = undefined) {
    checkArgs(arguments.length, 1, "Failed to construct 'Event'");
    if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') {
      throw new TypeError("Failed to construct 'Event': The provided value is not of type 'EventInit'");
    }
    this.#type = `${type}`;
    this.#bubbles = !!init?.bubbles;
    this.#cancelable = !!init?.cancelable;
    this.#composed = !!init?.composed;
  }

  static #check(e) {
    if (!(#type in e)) throw new TypeError('Illegal invocation: not an Event');
  }

  get type() { Event.#check(this); return this.#type; }
  get bubbles() { Event.#check(this); return this.#bubbles; }
  get cancelable() { Event.#check(this); return this.#cancelable; }
  get composed() { Event.#check(this); return this.#composed; }
  get defaultPrevented() { Event.#check(this); return this.#canceled; }
  get returnValue() { Event.#check(this); return !this.#canceled; }
  set returnValue(v) { Event.#check(this); if (!v) this.preventDefault(); }
  get cancelBubble() { Event.#check(this); return this.#stop; }
  set cancelBubble(v) { Event.#check(this); if (v) this.#stop = true; }
  get timeStamp() { Event.#check(this); return this.#timeStamp; }
  get isTrusted() { Event.#check(this); return this.#trusted; }
  get target() { Event.#check(this); return this.#target; }
  get srcElement() { Event.#check(this); return this.#target; }
  get currentTarget() { Event.#check(this); return this.#current; }
  get eventPhase() { Event.#check(this); return this.#phase; }

  composedPath() {
    Event.#check(this);
    return this.#dispatching && this.#current ? [this.#current] : [];
  }

  preventDefault() {
    Event.#check(this);
    if (this.#cancelable && !this.#inPassive) this.#canceled = true;
  }

  stopPropagation() { Event.#check(this); this.#stop = true; }

  stopImmediatePropagation() {
    Event.#check(this);
    this.#stop = true;
    this.#stopImmediate = true;
  }

  initEvent(type, bubbles = false, cancelable = false) {
    Event.#check(this);
    checkArgs(arguments.length, 1, "Failed to execute 'initEvent' on 'Event'");
    if (this.#dispatching) return;
    this.#type = `${type}`;
    this.#bubbles = !!bubbles;
    this.#cancelable = !!cancelable;
    this.#canceled = false;
    this.#stop = false;
    this.#stopImmediate = false;
    this.#target = null;
  }

  // Dispatch, for EventTarget: the at-target phase over a snapshot of the listeners.
  static {
    markTrusted = (event) => { event.#trusted = true; return event; };
    dispatch = (event, target, listeners) => {
    if (event.#dispatching) {
      throw new DOMException('The event is already being dispatched', 'InvalidStateError');
    }
    event.#dispatching = true;
    event.#target = target;
    event.#current = target;
    event.#phase = AT_TARGET;
    const errors = [];
    if (listeners && !event.#stop) {
      const snapshot = ArrayPrototypeSlice(listeners);
      for (let i = 0; i < snapshot.length; i++) {
        const l = snapshot[i];
        if (l.removed) continue;
        if (event.#stopImmediate && !l.resist) continue;
        if (l.once) removeListener(listeners, l);
        event.#inPassive = l.passive;
        try {
          const cb = l.callback;
          if (typeof cb === 'function') {
            ReflectApply(cb, target, [event]);
          } else {
            const handle = cb.handleEvent;
            if (typeof handle !== 'function') throw new TypeError("The listener's handleEvent is not a function");
            ReflectApply(handle, cb, [event]);
          }
        } catch (err) {
          ArrayPrototypePush(errors, err);
        }
        event.#inPassive = false;
      }
    }
    event.#dispatching = false;
    event.#current = null;
    event.#phase = NONE;
    event.#stop = false;
    event.#stopImmediate = false;
    for (let i = 0; i < errors.length; i++) reportError(errors[i]);
    return !event.#canceled;
    };
  }
}

for (const [name, value] of [['NONE', 0], ['CAPTURING_PHASE', 1], ['AT_TARGET', 2], ['BUBBLING_PHASE', 3]]) {
  ObjectDefineProperty(Event, name, { value, enumerable: true });
  ObjectDefineProperty(Event.prototype, name, { value, enumerable: true });
}
ObjectDefineProperty(Event.prototype, Symbol.toStringTag, { value: 'Event', configurable: true });

/** Marks an event the runtime itself dispatches (abort, message): isTrusted is true. */
export function trusted(event) { return markTrusted(event); }

export class CustomEvent extends Event {
  #detail;
  constructor(type, init = undefined) {
    checkArgs(arguments.length, 1, "Failed to construct 'CustomEvent'");
    super(type, init);
    this.#detail = init?.detail ?? null;
  }
  get detail() {
    if (!(#detail in this)) throw new TypeError('Illegal invocation: not a CustomEvent');
    return this.#detail;
  }
  initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
    this.initEvent(type, bubbles, cancelable);
    this.#detail = detail;
  }
}
ObjectDefineProperty(CustomEvent.prototype, Symbol.toStringTag, { value: 'CustomEvent', configurable: true });

function removeListener(list, l) {
  l.removed = true;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === l) {
      ArrayPrototypeSplice(list, i, 1);
      return;
    }
  }
}

function flattenOptions(options) {
  if (typeof options === 'boolean') return { capture: options, once: false, passive: false, signal: undefined };
  if (options === null || options === undefined) return { capture: false, once: false, passive: false, signal: undefined };
  return {
    capture: !!options.capture, once: !!options.once, passive: !!options.passive, signal: options.signal,
    resist: options[kResistStopPropagation] === true,
  };
}

export class EventTarget {
  #listeners = new Map();

  static #check(t) {
    if (t === null || (typeof t !== 'object' && typeof t !== 'function') || !(#listeners in t)) throw new TypeError('Illegal invocation: not an EventTarget');
    return t.#listeners;
  }

  addEventListener(type, callback, options = undefined) {
    const map = EventTarget.#check(this);
    checkArgs(arguments.length, 2, "Failed to execute 'addEventListener' on 'EventTarget'");
    const { capture, once, passive, signal, resist } = flattenOptions(options);
    if (callback === null || callback === undefined) return;
    if (typeof callback !== 'function' && typeof callback !== 'object') {
      throw new TypeError("Failed to execute 'addEventListener': the listener is not an object or a function");
    }
    if (signal !== undefined && signal?.aborted) return;
    type = `${type}`;
    let list = MapPrototypeGet(map, type);
    if (!list) {
      list = [];
      MapPrototypeSet(map, type, list);
    }
    for (let i = 0; i < list.length; i++) {
      if (list[i].callback === callback && list[i].capture === capture) return;
    }
    const l = { callback, capture, once, passive, resist, removed: false };
    ArrayPrototypePush(list, l);
    if (signal !== undefined) {
      signal.addEventListener('abort', () => removeListener(list, l), { once: true });
    }
  }

  removeEventListener(type, callback, options = undefined) {
    const map = EventTarget.#check(this);
    checkArgs(arguments.length, 2, "Failed to execute 'removeEventListener' on 'EventTarget'");
    const capture = typeof options === 'boolean' ? options : !!options?.capture;
    const list = MapPrototypeGet(map, `${type}`);
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      if (list[i].callback === callback && list[i].capture === capture) {
        removeListener(list, list[i]);
        return;
      }
    }
  }

  dispatchEvent(event) {
    const map = EventTarget.#check(this);
    checkArgs(arguments.length, 1, "Failed to execute 'dispatchEvent' on 'EventTarget'");
    if (!(event instanceof Event)) {
      throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'");
    }
    return dispatch(event, this, MapPrototypeGet(map, event.type));
  }
}
ObjectDefineProperty(EventTarget.prototype, Symbol.toStringTag, { value: 'EventTarget', configurable: true });
