// performance (High Resolution Time, User Timing, Resource Timing): now(), timeOrigin, mark(),
// measure() and the entry list, with toJSON, fetch's PerformanceResourceTiming entries;
// PerformanceObserver (Performance Timeline) for marks, measures and resources, delivered in
// a task of their own as the timeline standard queues them.
import binding from 'rtjs:binding';
import { DOMException } from './dom-exception.js';
import { setTimeout } from './timers.js';
import primordials from './primordials.js';

const {
  ArrayPrototypeFilter, ArrayPrototypePush, ArrayPrototypeSort, ObjectDefineProperty,
  ReflectApply, TypeError,
} = primordials;

const { wallTime } = binding;
const structuredCloneFn = binding.structuredClone;

// High Resolution Time's "current high resolution time" is relative to the time origin, the
// start of this app's global environment (this module is evaluated as the app starts); the
// binding's clock counts from the machine's boot, which would make now() read hours.
const originClock = binding.now();
const timeOrigin = wallTime() - (binding.now() - originClock);

/** Milliseconds since this app's time origin, as performance.now() and Event.timeStamp read. */
export function now() { return binding.now() - originClock; }
const CONSTRUCT = Symbol('PerformanceEntry');

export class PerformanceEntry {
  #name; #type; #start; #duration;
  constructor(key, name, type, start, duration) {
    if (key !== CONSTRUCT) throw new TypeError('Illegal constructor');
    this.#name = name; this.#type = type; this.#start = start; this.#duration = duration;
  }
  get name() { return this.#name; }
  get entryType() { return this.#type; }
  get startTime() { return this.#start; }
  get duration() { return this.#duration; }
  toJSON() { return { name: this.#name, entryType: this.#type, startTime: this.#start, duration: this.#duration }; }
}

export class PerformanceMark extends PerformanceEntry {
  #detail;
  constructor(name, options = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'PerformanceMark': 1 argument required");
    // WebIDL: the options are a dictionary, so a number or a string is refused.
    if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
      throw new TypeError("Failed to construct 'PerformanceMark': The provided value is not of type 'PerformanceMarkOptions'.");
    }
    const start = options?.startTime !== undefined ? +options.startTime : now();
    if (!(start >= 0)) throw new TypeError(`startTime must be a non-negative number (got ${options.startTime})`);
    super(CONSTRUCT, `${name}`, 'mark', start, 0);
    const detail = options?.detail;
    this.#detail = detail === undefined ? null : structuredCloneFn(detail, []);
  }
  get detail() { return this.#detail; }
}

export class PerformanceMeasure extends PerformanceEntry {
  #detail;
  constructor(key, name, start, duration, detail) {
    super(key, name, 'measure', start, duration);
    this.#detail = detail;
  }
  get detail() { return this.#detail; }
}
// Resource Timing: one entry per fetch of an http: or https: URL, made when its body has been
// read. The connection's phases are fetch's (connectStart, connectEnd, and for https: the TLS
// handshake's start, secureConnectionStart, else 0); the name's lookup happens inside the
// connect, so domainLookupStart and End equal fetchStart. transferSize adds Resource Timing's
// 300-byte allowance for the head.
const HEADER_ALLOWANCE = 300;
const RESOURCE_FIELDS = ['initiatorType', 'nextHopProtocol', 'workerStart', 'redirectStart', 'redirectEnd', 'fetchStart',
  'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd', 'secureConnectionStart', 'requestStart',
  'responseStart', 'responseEnd', 'transferSize', 'encodedBodySize', 'decodedBodySize', 'responseStatus'];

export class PerformanceResourceTiming extends PerformanceEntry {
  #t;
  constructor(key, name, t) {
    super(key, name, 'resource', t.fetchStart, t.responseEnd - t.fetchStart);
    this.#t = t;
  }
  static {
    for (const field of RESOURCE_FIELDS) {
      ObjectDefineProperty(this.prototype, field, { get() { return this.#t[field]; }, enumerable: true, configurable: true });
    }
  }
  toJSON() {
    const out = super.toJSON();
    for (const field of RESOURCE_FIELDS) out[field] = this[field];
    return out;
  }
}

for (const C of [PerformanceEntry, PerformanceMark, PerformanceMeasure, PerformanceResourceTiming]) {
  ObjectDefineProperty(C.prototype, Symbol.toStringTag, { value: C.name, configurable: true });
}

let entries = [];
let resources = [];
let resourceBufferSize = 250;   // Resource Timing's initial buffer size
const SUPPORTED = ['mark', 'measure', 'resource'];

function filterEntries(list, name, type) {
  return ArrayPrototypeFilter(list, (e) => (name === undefined || e.name === `${name}`) && (type === undefined || e.entryType === `${type}`));
}

export class PerformanceObserverEntryList {
  #entries;
  constructor(key, list) {
    if (key !== CONSTRUCT) throw new TypeError('Illegal constructor');
    this.#entries = ArrayPrototypeSort(list, byStart);
  }
  getEntries() { return [...this.#entries]; }
  getEntriesByName(name, type = undefined) { return filterEntries(this.#entries, name, type); }
  getEntriesByType(type) { return filterEntries(this.#entries, undefined, type); }
}

const observers = new Set();
let deliveryQueued = false;
let offer;   // (observer, entry): buffers the entry if the observer watches its type
let deliver; // (observer): calls its callback with what it buffered, if anything

// Performance Timeline "queue a PerformanceEntry": each observer of the entry's type buffers
// it; one task later every observer with entries has its callback called once.
function scheduleDelivery() {
  if (deliveryQueued) return;
  deliveryQueued = true;
  setTimeout(() => {
    deliveryQueued = false;
    for (const o of [...observers]) deliver(o);
  }, 0);
}

function queueEntry(entry) {
  if (observers.size === 0) return;
  for (const o of observers) offer(o, entry);
  scheduleDelivery();
}

export class PerformanceObserver {
  #callback;
  #types = new Set();
  #buffer = [];
  constructor(callback) {
    if (typeof callback !== 'function') throw new TypeError("Failed to construct 'PerformanceObserver': the callback must be a function");
    this.#callback = callback;
  }
  static get supportedEntryTypes() { return [...SUPPORTED]; }
  static {
    offer = (o, entry) => { if (o.#types.has(entry.entryType)) ArrayPrototypePush(o.#buffer, entry); };
    deliver = (o) => {
      if (o.#buffer.length === 0) return;
      const list = new PerformanceObserverEntryList(CONSTRUCT, o.takeRecords());
      ReflectApply(o.#callback, o, [list, o]);
    };
  }
  observe(options = {}) {
    const { entryTypes, type, buffered } = options ?? {};
    if (entryTypes !== undefined && type !== undefined) throw new TypeError("PerformanceObserver.observe: give 'entryTypes' or 'type', not both");
    if (entryTypes === undefined && type === undefined) throw new TypeError("PerformanceObserver.observe: 'entryTypes' or 'type' is required");
    const wanted = entryTypes !== undefined ? [...entryTypes].map(String) : [`${type}`];
    // Types this runtime does not record are ignored, as the standard says.
    const known = wanted.filter((t) => SUPPORTED.includes(t));
    if (entryTypes !== undefined) this.#types.clear();
    for (const t of known) this.#types.add(t);
    if (this.#types.size === 0) return;
    observers.add(this);
    if (type !== undefined && buffered && known.length) {
      for (const e of filterEntries([...entries, ...resources], undefined, known[0])) ArrayPrototypePush(this.#buffer, e);
      if (this.#buffer.length) scheduleDelivery();
    }
  }
  disconnect() {
    observers.delete(this);
    this.#types.clear();
    this.#buffer = [];
  }
  takeRecords() {
    const out = this.#buffer;
    this.#buffer = [];
    return out;
  }
}
for (const C of [PerformanceObserver, PerformanceObserverEntryList]) {
  ObjectDefineProperty(C.prototype, Symbol.toStringTag, { value: C.name, configurable: true });
}

function markTime(name) {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === 'mark' && entries[i].name === name) return entries[i].startTime;
  }
  throw new DOMException(`The mark '${name}' does not exist.`, 'SyntaxError');
}

function timeOf(v) { return typeof v === 'number' ? v : markTime(`${v}`); }

function byStart(a, b) { return a.startTime - b.startTime; }

export const performance = {
  now,
  get timeOrigin() { return timeOrigin; },
  mark(name, options = undefined) {
    const m = new PerformanceMark(name, options);
    ArrayPrototypePush(entries, m);
    queueEntry(m);
    return m;
  },
  measure(name, startOrOptions = undefined, endMark = undefined) {
    let start = 0;
    let end = now();
    let detail = null;
    if (startOrOptions !== null && typeof startOrOptions === 'object') {
      const o = startOrOptions;
      if (o.start !== undefined) start = timeOf(o.start);
      if (o.end !== undefined) end = timeOf(o.end);
      if (o.duration !== undefined) {
        if (o.start !== undefined) end = start + +o.duration;
        else start = end - +o.duration;
      }
      if (o.detail !== undefined) detail = structuredCloneFn(o.detail, []);
    } else if (startOrOptions !== undefined) {
      start = timeOf(startOrOptions);
    }
    if (endMark !== undefined) end = timeOf(endMark);
    const m = new PerformanceMeasure(CONSTRUCT, `${name}`, start, end - start, detail);
    ArrayPrototypePush(entries, m);
    queueEntry(m);
    return m;
  },
  getEntries() { return ArrayPrototypeSort([...entries, ...resources], byStart); },
  getEntriesByName(name, type = undefined) {
    return ArrayPrototypeFilter(this.getEntries(), (e) => e.name === `${name}` && (type === undefined || e.entryType === type));
  },
  getEntriesByType(type) {
    return ArrayPrototypeFilter(this.getEntries(), (e) => e.entryType === `${type}`);
  },
  clearMarks(name = undefined) {
    entries = ArrayPrototypeFilter(entries, (e) => e.entryType !== 'mark' || (name !== undefined && e.name !== `${name}`));
  },
  clearMeasures(name = undefined) {
    entries = ArrayPrototypeFilter(entries, (e) => e.entryType !== 'measure' || (name !== undefined && e.name !== `${name}`));
  },
  clearResourceTimings() { resources = []; },
  setResourceTimingBufferSize(size) { resourceBufferSize = Math.max(0, Math.trunc(+size) || 0); },
  toJSON() { return { timeOrigin }; },
};

/**
 * Records a fetch's Resource Timing entry (fetch.js): name is the URL asked for, t the times
 * (performance.now() values) and sizes; an entry past the buffer's size is only observed.
 */
export function markResourceTiming(name, t) {
  const e = new PerformanceResourceTiming(CONSTRUCT, `${name}`, {
    initiatorType: 'fetch', nextHopProtocol: 'http/1.1', workerStart: 0, redirectStart: t.redirectStart, redirectEnd: t.redirectEnd,
    fetchStart: t.fetchStart, domainLookupStart: t.fetchStart, domainLookupEnd: t.fetchStart,
    connectStart: t.connectStart || t.fetchStart, connectEnd: t.connectEnd || t.connectStart || t.fetchStart,
    secureConnectionStart: t.secureConnectionStart ?? 0, requestStart: t.requestStart, responseStart: t.responseStart,
    responseEnd: t.responseEnd, transferSize: t.bodySize + HEADER_ALLOWANCE, encodedBodySize: t.bodySize,
    decodedBodySize: t.bodySize, responseStatus: t.status,
  });
  if (resources.length < resourceBufferSize) ArrayPrototypePush(resources, e);
  queueEntry(e);
}
ObjectDefineProperty(performance, Symbol.toStringTag, { value: 'Performance', configurable: true });
