// MessageChannel, MessagePort, MessageEvent and BroadcastChannel (HTML): messages are
// structured-cloned (transfer lists move buffers) and delivered in tasks of their own, in
// order; a port delivers once started (start(), or setting onmessage).
//
// A port can be sent to another app anywhere in a value rt IPC carries (spawn's data, call
// arguments, results): it travels as two functions of the app it came from, `send` (into
// its entangled peer's queue) and `connect` (tells the peer where to deliver), so the two
// ports stay entangled across apps; the port sent becomes unusable where it was. A port
// received can be sent on: the new holder connects to the same peer. BroadcastChannel is
// per app (docs/design.md).
import { Event, EventTarget, trusted } from './events.js';
import { DOMException } from './dom-exception.js';
import * as timers from './timers.js';
import { isRemoteFunction, notify, setPortHooks } from './ipc.js';
import primordials from './primordials.js';
import { invalidArgType } from './node-errors.js';
import { cloneWithTransfer } from './structured-clone.js';

const { ArrayFrom, ObjectDefineProperty, ObjectFreeze, TypeError } = primordials;

// A message's copy, the ArrayBuffers and MessagePorts of `transfer` moved into it.
const cloneMessage = (message, transfer) => cloneWithTransfer(message, transfer);

function transferList(options) {
  if (options === undefined || options === null) return [];
  if (typeof options === 'object' && typeof options[Symbol.iterator] === 'function') return ArrayFrom(options);
  if (typeof options === 'object') return options.transfer === undefined ? [] : ArrayFrom(options.transfer);
  throw new TypeError('The transfer option must be a sequence or { transfer }');
}

export class MessageEvent extends Event {
  #data; #origin; #lastEventId; #source; #ports;
  constructor(type, init = undefined) {
    super(type, init);
    this.#data = init?.data ?? null;
    this.#origin = init?.origin === undefined ? '' : `${init.origin}`;
    this.#lastEventId = init?.lastEventId === undefined ? '' : `${init.lastEventId}`;
    this.#source = init?.source ?? null;
    this.#ports = ObjectFreeze(init?.ports === undefined ? [] : [...init.ports]);
  }
  get data() { return this.#data; }
  get origin() { return this.#origin; }
  get lastEventId() { return this.#lastEventId; }
  get source() { return this.#source; }
  get ports() { return this.#ports; }
}

const CONSTRUCT = Symbol('MessagePort');
// The key marking a port's record on the wire (ipc.js's port hooks).
export const WIRE_KEY = '\u0000rtjs:MessagePort';
let entangle;
let isPort;
let isClosed;
let toWire;
export let fromWire;

export class MessagePort extends EventTarget {
  #other = null;
  #queue = [];
  #started = false;
  #closed = false;
  #scheduled = false;
  #onmessage = null;
  #onmessageerror = null;
  // Entangled with a port in another app: deliver there with #remote(data); #connect is
  // that app's function to redirect its port's deliveries (kept to send this port on).
  #remote = null;
  #connect = null;
  #pending = null; // messages posted while the other side is being connected

  constructor(key = undefined) {
    if (key !== CONSTRUCT) throw new TypeError('Illegal constructor');
    super();
  }

  static {
    entangle = (a, b) => { a.#other = b; b.#other = a; };
    isPort = (v) => #queue in v;
    isClosed = (port) => port.#closed;
    toWire = (port) => port.#toWire();
    fromWire = (wire) => {
      // Anything else under the key (another app's idea of a joke) stays the plain value.
      if (typeof wire.send !== 'function' || typeof wire.connect !== 'function') return wire;
      const port = new MessagePort(CONSTRUCT);
      port.#remote = wire.send;
      port.#connect = wire.connect;
      // Messages that reached the port before it was sent travel with it (HTML's port message queue).
      if (Array.isArray(wire.queued)) for (const data of wire.queued) port.#queue.push(data);
      Promise.resolve(wire.connect((data) => port.#receive(data))).catch(() => {});
      return port;
    };
  }

  #receive(data) {
    if (this.#closed) return;
    this.#queue.push(data);
    this.#schedule();
  }

  // The port leaves this app: the functions it travels as; it is closed here.
  #toWire() {
    if (this.#closed) throw new DOMException('A closed or already sent MessagePort cannot be sent', 'DataCloneError');
    let wire;
    if (this.#remote !== null) {
      wire = { [WIRE_KEY]: true, send: this.#remote, connect: this.#connect };
    } else {
      const peer = this.#other;
      if (peer !== null) {
        peer.#other = null;
        peer.#pending = [];
      }
      wire = {
        [WIRE_KEY]: true,
        send: (data) => { if (peer !== null) peer.#receive(data); },
        connect: (deliver) => {
          if (peer === null || peer.#closed) return;
          peer.#remote = deliver;
          const pending = peer.#pending ?? [];
          peer.#pending = null;
          for (const data of pending) peer.#post(data);
        },
      };
    }
    if (this.#queue.length) wire.queued = this.#queue;
    this.#closed = true;
    this.#queue = [];
    this.#other = null;
    this.#remote = null;
    this.#connect = null;
    return wire;
  }

  #post(data) {
    if (this.#pending !== null) { this.#pending.push(data); return; }
    // One way: a message needs no answer. The other app may have ended: its messages are
    // lost, as with a closed port.
    const remote = this.#remote;
    if (!isRemoteFunction(remote)) {
      Promise.resolve(remote(data)).catch(() => {}); // the port came back to its own app
      return;
    }
    try { notify(remote, [data]); } catch { /* ended, or past its inbox */ }
  }

  #check() {
    if (!(#queue in this)) throw new TypeError('Illegal invocation: not a MessagePort');
  }

  postMessage(message, options = undefined) {
    this.#check();
    if (arguments.length < 1) throw new TypeError("Failed to execute 'postMessage': 1 argument required");
    const data = cloneMessage(message, transferList(options));
    if (this.#closed) return;
    if (this.#remote !== null || this.#pending !== null) {
      this.#post(data);
      return;
    }
    const target = this.#other;
    if (target === null || target.#closed) return;
    target.#queue.push(data);
    target.#schedule();
  }

  #schedule() {
    if (!this.#started || this.#scheduled || this.#queue.length === 0) return;
    this.#scheduled = true;
    timers.setImmediate(() => {
      this.#scheduled = false;
      // One message a task, as the port message queue delivers them.
      if (this.#closed || !this.#started || this.#queue.length === 0) return;
      const data = this.#queue.shift();
      this.dispatchEvent(trusted(new MessageEvent('message', { data })));
      this.#schedule();
    });
  }

  start() {
    this.#check();
    this.#started = true;
    this.#schedule();
  }

  close() {
    this.#check();
    this.#closed = true;
    this.#queue = [];
    this.#remote = null;
    this.#connect = null;
    this.#pending = null;
    const other = this.#other;
    this.#other = null;
    if (other !== null) other.#other = null;
  }

  // Node's MessagePort is also a NodeEventTarget: on()/once()/off() take listeners that get
  // the message's data, and a 'message' listener added so starts the port.
  #nodeListeners = new Map(); // listener -> [type, the EventTarget listener standing for it]

  #addNode(type, fn, once) {
    this.#check();
    if (typeof fn !== 'function') throw invalidArgType('listener', 'Function', fn);
    const wrapper = (event) => {
      if (once) this.#nodeListeners.delete(fn);
      fn.call(this, type === 'message' || type === 'messageerror' ? event.data : event);
    };
    this.#nodeListeners.set(fn, [type, wrapper]);
    this.addEventListener(type, wrapper, { once });
    if (type === 'message') this.start();
    return this;
  }

  on(type, fn) { return this.#addNode(type, fn, false); }
  addListener(type, fn) { return this.#addNode(type, fn, false); }
  once(type, fn) { return this.#addNode(type, fn, true); }

  off(type, fn) {
    this.#check();
    const entry = this.#nodeListeners.get(fn);
    if (entry && entry[0] === type) {
      this.removeEventListener(type, entry[1]);
      this.#nodeListeners.delete(fn);
    }
    return this;
  }

  removeListener(type, fn) { return this.off(type, fn); }

  /** Node's ref()/unref()/hasRef(): accepted, and they change nothing (hasRef: open and started). */
  ref() { this.#check(); }
  unref() { this.#check(); }
  hasRef() { this.#check(); return this.#started && !this.#closed; }

  get onmessage() { this.#check(); return this.#onmessage; }
  set onmessage(fn) {
    this.#check();
    if (this.#onmessage) this.removeEventListener('message', this.#onmessage);
    this.#onmessage = typeof fn === 'function' ? fn : null;
    if (this.#onmessage) {
      this.addEventListener('message', this.#onmessage);
      this.start();
    }
  }

  get onmessageerror() { this.#check(); return this.#onmessageerror; }
  set onmessageerror(fn) {
    this.#check();
    if (this.#onmessageerror) this.removeEventListener('messageerror', this.#onmessageerror);
    this.#onmessageerror = typeof fn === 'function' ? fn : null;
    if (this.#onmessageerror) this.addEventListener('messageerror', this.#onmessageerror);
  }
}

export class MessageChannel {
  #port1 = new MessagePort(CONSTRUCT);
  #port2 = new MessagePort(CONSTRUCT);
  constructor() { entangle(this.#port1, this.#port2); }
  get port1() { return this.#port1; }
  get port2() { return this.#port2; }
}

// BroadcastChannel: every open channel of the same name in this app but the sender hears.
const channels = new Map();

export class BroadcastChannel extends EventTarget {
  #name;
  #closed = false;
  #onmessage = null;

  constructor(name) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'BroadcastChannel': 1 argument required");
    super();
    this.#name = `${name}`;
    if (!channels.has(this.#name)) channels.set(this.#name, new Set());
    channels.get(this.#name).add(this);
  }

  get name() { return this.#name; }

  postMessage(message) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'postMessage' on 'BroadcastChannel': 1 argument required, but only 0 present.");
    if (this.#closed) throw new DOMException('The channel is closed', 'InvalidStateError');
    const peers = [...channels.get(this.#name)].filter((c) => c !== this);
    for (const peer of peers) {
      const data = cloneMessage(message, []);
      timers.setImmediate(() => { if (!peer.#closed) peer.dispatchEvent(trusted(new MessageEvent('message', { data }))); });
    }
  }

  close() {
    this.#closed = true;
    channels.get(this.#name)?.delete(this);
  }

  get onmessage() { return this.#onmessage; }
  set onmessage(fn) {
    if (this.#onmessage) this.removeEventListener('message', this.#onmessage);
    this.#onmessage = typeof fn === 'function' ? fn : null;
    if (this.#onmessage) this.addEventListener('message', this.#onmessage);
  }
}

setPortHooks({ key: WIRE_KEY, is: isPort, toWire, fromWire });

/** For structuredClone's transfer list: a port of this app, and whether it is gone. */
export const isMessagePort = (v) => isPort(v);
export const isDetachedPort = (port) => isClosed(port);
/** A port transferred within this app: a new port on the same peer; `port` is closed. */
export const movePort = (port) => fromWire(toWire(port));

for (const C of [MessageEvent, MessagePort, MessageChannel, BroadcastChannel]) {
  ObjectDefineProperty(C.prototype, Symbol.toStringTag, { value: C.name, configurable: true });
}
