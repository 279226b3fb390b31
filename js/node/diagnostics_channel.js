// node:diagnostics_channel: named channels a library publishes messages on and tools
// subscribe to (undici, fastify and pino publish and listen here), and tracing channels, the
// five channels (start, end, asyncStart, asyncEnd, error) around one traced operation.
// Channels are per app, as per process in Node; one with no subscribers and no bound store is
// held weakly, so naming a channel does not keep it alive.
import { invalidArgType } from '../internal/node-errors.js';
import { reportError } from '../internal/report-error.js';

const channels = new Map();   // name -> WeakRef(Channel)
const held = new Set();        // channels with subscribers or stores: kept alive
const registry = new FinalizationRegistry((name) => {
  const ref = channels.get(name);
  if (ref && ref.deref() === undefined) channels.delete(name);
});

function checkName(name) {
  if (typeof name !== 'string' && typeof name !== 'symbol') throw invalidArgType('name', ['string', 'symbol'], name);
}

export class Channel {
  #subscribers = [];
  #stores = new Map();   // AsyncLocalStorage -> transform (or undefined)

  constructor(name) {
    this.name = name;
  }

  static [Symbol.hasInstance](value) {
    return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Channel.prototype;
  }

  get hasSubscribers() { return this.#subscribers.length > 0 || this.#stores.size > 0; }

  #hold() { if (this.hasSubscribers) held.add(this); else held.delete(this); }

  subscribe(fn) {
    if (typeof fn !== 'function') throw invalidArgType('subscription', 'function', fn);
    this.#subscribers = [...this.#subscribers, fn];   // a copy: publish() may be iterating
    this.#hold();
  }

  unsubscribe(fn) {
    const i = this.#subscribers.indexOf(fn);
    if (i < 0) return false;
    this.#subscribers = this.#subscribers.filter((_, j) => j !== i);
    this.#hold();
    return true;
  }

  /** Calls every subscriber with (message, name); one that throws does not stop the rest. */
  publish(message) {
    for (const fn of this.#subscribers) {
      try { fn(message, this.name); } catch (err) { queueMicrotask(() => reportError(err)); }
    }
  }

  bindStore(store, transform) {
    this.#stores.set(store, transform);
    this.#hold();
  }

  unbindStore(store) {
    const had = this.#stores.delete(store);
    this.#hold();
    return had;
  }

  /** Publishes `data`, then runs fn with every bound store entered with its transform of data. */
  runStores(data, fn, thisArg, ...args) {
    let run = () => {
      this.publish(data);
      return Reflect.apply(fn, thisArg, args);
    };
    for (const [store, transform] of this.#stores) {
      const inner = run;
      let value = data;
      if (transform) {
        try { value = transform(data); } catch (err) { queueMicrotask(() => reportError(err)); continue; }
      }
      run = () => store.run(value, inner);
    }
    return run();
  }
}

/** The channel of that name, made on first use. */
export function channel(name) {
  checkName(name);
  const existing = channels.get(name)?.deref();
  if (existing) return existing;
  const made = new Channel(name);
  channels.set(name, new WeakRef(made));
  registry.register(made, name);
  return made;
}

export function hasSubscribers(name) {
  checkName(name);
  return channels.get(name)?.deref()?.hasSubscribers ?? false;
}

export function subscribe(name, fn) { channel(name).subscribe(fn); }
export function unsubscribe(name, fn) { return channel(name).unsubscribe(fn); }

const TRACE_EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

export class TracingChannel {
  constructor(nameOrChannels) {
    if (typeof nameOrChannels === 'string') {
      for (const event of TRACE_EVENTS) this[event] = channel(`tracing:${nameOrChannels}:${event}`);
    } else if (nameOrChannels !== null && typeof nameOrChannels === 'object') {
      for (const event of TRACE_EVENTS) {
        const c = nameOrChannels[event];
        if (!(c instanceof Channel)) throw invalidArgType(`nameOrChannels.${event}`, 'Channel', c);
        this[event] = c;
      }
    } else throw invalidArgType('nameOrChannels', ['string', 'object', 'TracingChannel'], nameOrChannels);
  }

  get hasSubscribers() { return TRACE_EVENTS.some((e) => this[e].hasSubscribers); }

  subscribe(handlers) {
    for (const event of TRACE_EVENTS) if (handlers[event]) this[event].subscribe(handlers[event]);
  }

  unsubscribe(handlers) {
    let all = true;
    for (const event of TRACE_EVENTS) {
      if (handlers[event] && !this[event].unsubscribe(handlers[event])) all = false;
    }
    return all;
  }

  // Runs body() inside start's stores: start before it, error if it throws, end after it.
  #around(context, body) {
    return this.start.runStores(context, () => {
      try {
        return body();
      } catch (err) {
        context.error = err;
        this.error.publish(context);
        throw err;
      } finally {
        this.end.publish(context);
      }
    });
  }

  /** Runs fn: start, then end (error first if it threw). */
  traceSync(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
    return this.#around(context, () => {
      const result = Reflect.apply(fn, thisArg, args);
      context.result = result;
      return result;
    });
  }

  /** Runs fn, which returns a promise: start and end around the call, asyncStart/asyncEnd when it settles. */
  tracePromise(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
    const { asyncStart, asyncEnd, error } = this;
    const settled = (err, result, failed) => {
      if (failed) { context.error = err; error.publish(context); } else context.result = result;
      asyncStart.publish(context);
      asyncEnd.publish(context);
      if (failed) throw err;
      return result;
    };
    return this.#around(context, () => Promise.resolve(Reflect.apply(fn, thisArg, args))
      .then((r) => settled(undefined, r, false), (e) => settled(e, undefined, true)));
  }

  /** Runs fn with a callback at `position` (-1: last): asyncStart/asyncEnd around the callback. */
  traceCallback(fn, position = -1, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
    const { asyncStart, asyncEnd, error } = this;
    const at = position < 0 ? args.length + position : position;
    const callback = args[at];
    if (typeof callback !== 'function') throw invalidArgType('callback', 'function', callback);
    args[at] = function wrapped(err, result) {
      if (err) { context.error = err; error.publish(context); } else context.result = result;
      return asyncStart.runStores(context, () => {
        try { return Reflect.apply(callback, this, arguments); } finally { asyncEnd.publish(context); }
      });
    };
    return this.#around(context, () => Reflect.apply(fn, thisArg, args));
  }
}

export function tracingChannel(nameOrChannels) { return new TracingChannel(nameOrChannels); }

export default { channel, hasSubscribers, subscribe, unsubscribe, tracingChannel, Channel };
