// node:dgram (nodejs.org/api/dgram.html) over rtjs's network service: a UDP socket of the
// service, driven through the functions the app was granted; received datagrams are moved
// into this app. IPv4 ('udp4') only: a 'udp6' socket is ERR_SOCKET_BAD_TYPE's refusal of a
// type the stack does not carry.
import { EventEmitter } from './events.js';
import { asBuffer } from '../internal/crypto-bytes.js';
import { currentNetwork } from '../services/net/client.js';
import { refFunction } from '../internal/ipc.js';
import { reportError } from '../internal/report-error.js';

const encoder = new TextEncoder();
const call = (fn, ...args) => Promise.resolve().then(() => fn(...args));
const coded = (Ctor, code, message) => Object.assign(new Ctor(message), { code });
const notRunning = () => coded(Error, 'ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running');
const received = (value) => (value === undefined ? 'undefined' : value === null ? 'null' : typeof value === 'object'
  ? `an instance of ${value.constructor?.name ?? 'Object'}` : `type ${typeof value} (${String(value)})`);
const badBuffer = (name, value) => coded(TypeError, 'ERR_INVALID_ARG_TYPE',
  `The "${name}" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${received(value)}`);

// Node's port check: a number or numeric string 0-65535 (1-65535 where 0 cannot be meant).
function validPort(port, allowZero) {
  if ((typeof port !== 'number' && typeof port !== 'string') || (typeof port === 'string' && port.trim() === '') ||
    +port !== (+port >>> 0) || port > 0xFFFF || (+port === 0 && !allowZero)) {
    throw coded(RangeError, 'ERR_SOCKET_BAD_PORT', `Port should be ${allowZero ? '>=' : '>'} 0 and < 65536. Received ${received(port)}.`);
  }
  return +port;
}

const bytesOf = (chunk) => (typeof chunk === 'string' ? encoder.encode(chunk)
  : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));

// send()'s offset and length: a view of that part of the buffer.
function slice(buffer, offset, length) {
  if (typeof buffer === 'string') buffer = encoder.encode(buffer);
  else if (!ArrayBuffer.isView(buffer)) throw badBuffer('buffer', buffer);
  offset >>>= 0;
  length >>>= 0;
  if (offset > buffer.byteLength) throw coded(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"offset" is outside of buffer bounds');
  if (offset + length > buffer.byteLength) throw coded(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"length" is outside of buffer bounds');
  return new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
}

/** One datagram of the parts (strings and buffers), copied: it is moved to the service. */
function datagram(parts) {
  const views = parts.map(bytesOf);
  const out = new Uint8Array(views.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of views) { out.set(v, at); at += v.length; }
  return out;
}

const hostOf = (address) => (address === undefined || address === null || address === '' || address === 'localhost' ? '127.0.0.1' : address);

export class Socket extends EventEmitter {
  #sock = null;        // a promise of the service's socket functions
  #address = null;     // what address() says, once bound
  #bound = false;      // bind() was called (or send()/connect() bound it)
  #broadcast = false;
  #closed = false;
  #remote = null;      // connect(): { address, family, port }, once connected
  #connecting = false;
  #sends = Promise.resolve();   // the datagrams on their way to the service
  type;

  constructor(type, listener) {
    super();
    const options = type !== null && typeof type === 'object' ? type : { type };
    if (options.type !== 'udp4') {
      throw coded(TypeError, 'ERR_SOCKET_BAD_TYPE', 'Bad socket type specified. Valid types are: udp4, udp6');
    }
    this.type = options.type;
    if (options.lookup !== undefined && typeof options.lookup !== 'function') {
      throw coded(TypeError, 'ERR_INVALID_ARG_TYPE', `The "lookup" argument must be of type function. Received ${received(options.lookup)}`);
    }
    if (typeof listener === 'function') this.on('message', listener);
    if (options.signal) {
      const onAbort = () => { if (!this.#closed) this.close(); };
      if (options.signal.aborted) queueMicrotask(onAbort);
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
  }

  bind(...args) {
    if (this.#closed) throw notRunning();
    if (this.#bound) throw coded(Error, 'ERR_SOCKET_ALREADY_BOUND', 'Socket is already bound');
    let port = 0, address;
    const cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    if (args[0] !== null && typeof args[0] === 'object') ({ port = 0, address } = args[0]);
    else {
      if (args[0] !== undefined && args[0] !== null) port = args[0];
      if (typeof args[1] === 'string') address = args[1];
    }
    port = validPort(port, true);
    if (cb) {
      // The callback is for this bind: an error ends the wait for it.
      const onListening = () => { this.removeListener('error', forget); cb.call(this); };
      const forget = () => this.removeListener('listening', onListening);
      this.once('listening', onListening);
      this.once('error', forget);
    }
    this.#open(port, address ?? '0.0.0.0');
    return this;
  }

  // What the service calls with each datagram: it keeps the app alive while the socket is
  // open, unless unref'd.
  #onMessage = (data, rinfo) => {
    if (this.#closed) return;
    // A connected socket hears only its peer, as the kernel's does.
    if (this.#remote && (rinfo.address !== this.#remote.address || rinfo.port !== this.#remote.port)) return;
    // A listener's exception is the program's uncaught one, not an answer to the service.
    try { this.emit('message', asBuffer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)), rinfo); } catch (e) { reportError(e); }
  };

  #open(port, address) {
    if (this.#sock) return this.#sock;
    this.#bound = true;
    let net;
    try { net = currentNetwork('bind'); } catch (e) {
      queueMicrotask(() => this.emit('error', e));
      this.#sock = Promise.reject(e);
      this.#sock.catch(() => {});
      return this.#sock;
    }
    const host = address === 'localhost' ? '127.0.0.1' : address || '0.0.0.0';
    this.#sock = call(net.udpBind, { port, host, broadcast: this.#broadcast }, this.#onMessage);
    this.#sock.then(async (s) => {
      this.#address = await s.address();
      if (this.#closed) return call(s.close);
      this.emit('listening');
    }, (e) => {
      // Not bound after all: bind() may be tried again, as Node's socket returns to unbound.
      this.#sock = null;
      this.#bound = false;
      if (!this.#closed) this.emit('error', e);
    });
    this.#sock.catch(() => {});
    return this.#sock;
  }

  connect(port, address, cb) {
    port = validPort(port, false);
    if (typeof address === 'function') { cb = address; address = undefined; }
    else if (address !== undefined && typeof address !== 'string') {
      throw coded(TypeError, 'ERR_INVALID_ARG_TYPE', `The "address" argument must be of type string. Received ${received(address)}`);
    }
    if (this.#closed) throw notRunning();
    if (this.#remote || this.#connecting) throw coded(Error, 'ERR_SOCKET_DGRAM_IS_CONNECTED', 'Already connected');
    this.#connecting = true;
    if (cb) this.once('connect', cb);
    this.#open(0, '0.0.0.0').then(() => {
      if (this.#closed || !this.#connecting) return;
      this.#connecting = false;
      this.#remote = { address: hostOf(address), family: 'IPv4', port };
      this.emit('connect');
    }, () => { this.#connecting = false; });
  }

  disconnect() {
    if (this.#closed) throw notRunning();
    if (!this.#remote) throw coded(Error, 'ERR_SOCKET_DGRAM_NOT_CONNECTED', 'Not connected');
    this.#remote = null;
    this.#connecting = false;
  }

  remoteAddress() {
    if (this.#closed) throw notRunning();
    if (!this.#remote) throw coded(Error, 'ERR_SOCKET_DGRAM_NOT_CONNECTED', 'Not connected');
    return { ...this.#remote };
  }

  /**
   * send(msg[, offset, length][, port][, address][, callback]) as Node reads its arguments:
   * a connected socket takes no port nor address; msg is a string, a buffer, or a list of
   * them sent as one datagram.
   */
  send(buffer, offset, length, port, address, callback) {
    const connected = this.#remote !== null;
    if (!connected) {
      if (address || (port && typeof port !== 'function')) buffer = slice(buffer, offset, length);
      else { callback = port; port = offset; address = length; }
    } else {
      if (typeof length === 'number') {
        buffer = slice(buffer, offset, length);
        if (typeof port === 'function') { callback = port; port = null; }
      } else callback = offset;
      if (port || address) throw coded(Error, 'ERR_SOCKET_DGRAM_IS_CONNECTED', 'Already connected');
    }
    let parts;
    if (Array.isArray(buffer)) {
      if (!buffer.every((b) => typeof b === 'string' || ArrayBuffer.isView(b))) throw badBuffer('buffer list arguments', buffer);
      parts = buffer;
    } else if (typeof buffer === 'string' || ArrayBuffer.isView(buffer)) parts = [buffer];
    else throw badBuffer('buffer', buffer);
    if (!connected) port = validPort(port, false);
    if (typeof callback !== 'function') callback = undefined;
    if (typeof address === 'function') { callback = address; address = undefined; }
    else if (address !== undefined && address !== null && typeof address !== 'string') {
      throw coded(TypeError, 'ERR_INVALID_ARG_TYPE', `The "address" argument must be of type string. Received ${received(address)}`);
    }
    if (this.#closed) throw notRunning();
    const bytes = datagram(parts), n = bytes.length;   // moved to the service: detached after
    const to = connected ? this.#remote : { address: hostOf(address), port };
    const sent = this.#open(0, '0.0.0.0').then((s) => call(s.send, globalThis.rt.transfer(bytes), to.port, to.address));
    this.#sends = Promise.all([this.#sends, sent.catch(() => {})]);
    sent.then(() => callback?.(null, n), (e) => { if (callback) callback(e); else this.emit('error', e); });
  }

  setBroadcast(on) {
    if (!this.#address) throw coded(Error, 'EBADF', 'setBroadcast EBADF');
    this.#broadcast = !!on;
    this.#sock?.then((s) => call(s.setBroadcast, !!on)).catch(() => {});
  }

  address() {
    if (!this.#address) throw Object.assign(new Error('getsockname EBADF'), { code: 'EBADF', errno: -9, syscall: 'getsockname' });
    return { ...this.#address };
  }

  close(cb) {
    if (this.#closed) throw notRunning();
    this.#closed = true;
    if (typeof cb === 'function') this.once('close', cb);
    const done = () => queueMicrotask(() => this.emit('close'));
    if (!this.#sock) { done(); return this; }
    // As Node's, the datagrams sent before close() go first.
    Promise.all([this.#sock, this.#sends]).then(([s]) => call(s.close)).then(done, done);
    return this;
  }

  [Symbol.asyncDispose]() {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.close(resolve));
  }

  // Node's: an unref'd socket does not keep the app alive (its datagrams still come).
  ref() { refFunction(this.#onMessage, true); return this; }
  unref() { refFunction(this.#onMessage, false); return this; }
}

export function createSocket(type, listener) { return new Socket(type, listener); }
export default { Socket, createSocket };
