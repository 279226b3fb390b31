// AbortController and AbortSignal (DOM Standard, "Aborting ongoing activities"), with
// AbortSignal.abort(), .timeout(ms), .any(signals) and throwIfAborted().
import { DOMException } from './dom-exception.js';
import { Event, EventTarget, trusted } from './events.js';
import * as timers from './timers.js';
import primordials from './primordials.js';

const {
  ArrayPrototypePush, NumberIsFinite, ObjectDefineProperty, ReflectApply, TypeError, WeakRef,
} = primordials;

const WeakRefDeref = WeakRef.prototype.deref;

// Guards the constructor: signals come from AbortController and the static factories only.
const CONSTRUCT = Symbol('AbortSignal');
let signalAbort;
let signalHas;

export class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  #algorithms = [];
  // AbortSignal.any: the dependents to abort with this one (held weakly, as the spec's set),
  // and for a dependent, the signals it follows (never other dependents).
  #dependents = [];
  #sources = null;
  #onabort = null;

  constructor(key = undefined) {
    if (key !== CONSTRUCT) throw new TypeError('Illegal constructor');
    super();
  }

  static #check(s) {
    if (s === null || typeof s !== 'object' || !(#aborted in s)) {
      throw new TypeError('Illegal invocation: not an AbortSignal');
    }
  }

  get aborted() { AbortSignal.#check(this); return this.#aborted; }
  get reason() { AbortSignal.#check(this); return this.#reason; }

  throwIfAborted() {
    AbortSignal.#check(this);
    if (this.#aborted) throw this.#reason;
  }

  get onabort() { AbortSignal.#check(this); return this.#onabort; }
  set onabort(fn) {
    AbortSignal.#check(this);
    if (this.#onabort) this.removeEventListener('abort', this.#onabort);
    this.#onabort = typeof fn === 'function' || (fn !== null && typeof fn === 'object') ? fn : null;
    if (this.#onabort) this.addEventListener('abort', this.#onabort);
  }

  static abort(reason = undefined) {
    const s = new AbortSignal(CONSTRUCT);
    s.#aborted = true;
    s.#reason = reason !== undefined ? reason : new DOMException('This operation was aborted', 'AbortError');
    return s;
  }

  static timeout(ms) {
    const n = +ms;
    if (!NumberIsFinite(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) {
      throw new TypeError(`The "ms" argument must be a non-negative number (got ${ms})`);
    }
    const s = new AbortSignal(CONSTRUCT);
    // Unlike Node's, this timer keeps the app alive until it fires (rtjs timers have no unref).
    timers.setTimeout(() => {
      signalAbort(s, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, n);
    return s;
  }

  static any(signals) {
    const result = new AbortSignal(CONSTRUCT);
    const list = [...signals];
    for (let i = 0; i < list.length; i++) AbortSignal.#check(list[i]);
    for (let i = 0; i < list.length; i++) {
      if (list[i].#aborted) {
        result.#aborted = true;
        result.#reason = list[i].#reason;
        return result;
      }
    }
    // DOM Standard "create a dependent abort signal": a dependent follows the sources of the
    // dependents it is given, so that events fire source first, then in creation order.
    const ref = new WeakRef(result);
    result.#sources = [];
    const follow = (source) => {
      if (result.#sources.includes(source)) return;
      ArrayPrototypePush(result.#sources, source);
      ArrayPrototypePush(source.#dependents, ref);
    };
    for (let i = 0; i < list.length; i++) {
      if (list[i].#sources === null) follow(list[i]);
      else for (const source of list[i].#sources) follow(source);
    }
    return result;
  }

  static {
    signalHas = (s) => s !== null && typeof s === 'object' && #aborted in s;
    // DOM Standard "signal abort": the signal and its dependents are marked aborted first,
    // then the events fire, the signal's own first.
    const runAbortSteps = (s) => {
      const algorithms = s.#algorithms;
      s.#algorithms = [];
      for (let i = 0; i < algorithms.length; i++) algorithms[i]();
      s.dispatchEvent(trusted(new Event('abort')));
    };
    signalAbort = (s, reason) => {
      if (s.#aborted) return;
      s.#aborted = true;
      s.#reason = reason !== undefined ? reason : new DOMException('This operation was aborted', 'AbortError');
      const toAbort = [];
      const dependents = s.#dependents;
      s.#dependents = [];
      for (let i = 0; i < dependents.length; i++) {
        const d = ReflectApply(WeakRefDeref, dependents[i], []);
        if (d && !d.#aborted) {
          d.#aborted = true;
          d.#reason = s.#reason;
          ArrayPrototypePush(toAbort, d);
        }
      }
      runAbortSteps(s);
      for (let i = 0; i < toAbort.length; i++) runAbortSteps(toAbort[i]);
    };
  }
}
ObjectDefineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: 'AbortSignal', configurable: true });

export function isAbortSignal(value) { return signalHas(value); }

export class AbortController {
  #signal = new AbortSignal(CONSTRUCT);

  get signal() {
    if (!(#signal in this)) throw new TypeError('Illegal invocation: not an AbortController');
    return this.#signal;
  }

  abort(reason = undefined) {
    if (!(#signal in this)) throw new TypeError('Illegal invocation: not an AbortController');
    signalAbort(this.#signal, reason);
  }
}
ObjectDefineProperty(AbortController.prototype, Symbol.toStringTag, { value: 'AbortController', configurable: true });
