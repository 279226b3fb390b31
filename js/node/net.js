// node:net (nodejs.org/api/net.html) over rtjs's network service: a Socket is one TCP
// connection of the service, driven through the functions the app was granted; received data
// is moved into this app, not copied. IPv4 only.
import { EventEmitter } from './events.js';
import { currentNetwork } from '../services/net/client.js';
import { kNetSocket, kWriteOwned } from '../internal/net-socket-brand.js';
import { refFunction } from '../internal/ipc.js';
import { reportError } from '../internal/report-error.js';
import { codedError } from '../internal/modules/errors.js';

const encoder = new TextEncoder();
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+(%\w+)?$/;

export const isIPv4 = (s) => typeof s === 'string' && IPV4.test(s);
export const isIPv6 = (s) => typeof s === 'string' && s.includes(':') && IPV6.test(s);
export const isIP = (s) => (isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0);

const toBytes = (data, encoding) => {
  if (typeof data === 'string') return globalThis.Buffer ? globalThis.Buffer.from(data, encoding) : encoder.encode(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw Object.assign(new TypeError('The "chunk" argument must be of type string or an instance of Buffer or Uint8Array'), { code: 'ERR_INVALID_ARG_TYPE' });
};
const toError = (info) => Object.assign(new Error(info.message), info);
// A Uint8Array nobody else holds, made a Buffer in place (Node's FastBuffer is one).
const asOwnBuffer = (bytes) => (globalThis.Buffer ? Object.setPrototypeOf(bytes, globalThis.Buffer.prototype) : bytes);
// Bytes on their way to the service past which write() returns false; the service's own
// send queue says when it is full too ('drain' follows either).
const WRITE_HIGH_WATER = 256 * 1024;
// Bytes written while an event is handled that go back with its answer; past this they go as
// calls, whose answers keep write()'s backpressure (a batch is sent unanswered).
const BATCH_BYTES_MAX = 64 * 1024;
// A call into the network service: a promise of its result, a throw included.
const call = (fn, ...args) => Promise.resolve().then(() => fn(...args));

function normalizeConnectArgs(args) {
  let [a, b, c] = args;
  let options;
  if (a !== null && typeof a === 'object') { options = { ...a }; c = b; }
  else options = { port: a, host: typeof b === 'string' ? b : undefined };
  const cb = [b, c].find((x) => typeof x === 'function');
  const port = Number(options.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw Object.assign(new RangeError(`Port should be > 0 and < 65536. Received ${options.port}.`), { code: 'ERR_SOCKET_BAD_PORT' });
  }
  return { host: options.host ?? 'localhost', port, cb };
}

// How a Server hands an accepted connection to a new Socket (module-private).
let adopt;

export class Socket extends EventEmitter {
  #conn = null;            // the service's connection functions
  #queue = [];             // writes before the connection exists
  #ending = false;
  #encoding = null;
  #timeout = 0; #timer = null; #lastActive = 0;
  #paused = false;
  #sending = 0; #serviceFull = false; #needDrain = false;
  // Writes, the end and destroy are numbered for the service, which applies them in that order; those
  // made while an event from the service is handled go back with its answer (#batch).
  #nextOp = 0; #batch = null; #batchBytes = 0;
  connecting = false; destroyed = false; pending = true;
  remoteAddress; remotePort; localAddress; localPort; remoteFamily;
  bytesRead = 0; bytesWritten = 0;
  readable = true; writable = true;

  constructor(options = {}) {
    super();
    if (options.allowHalfOpen) this.allowHalfOpen = true;
  }

  // `x instanceof net.Socket` (packages tell sockets apart so) holds for a tls.TLSSocket too,
  // as in Node; a subclass of Socket keeps the ordinary test.
  static [Symbol.hasInstance](value) {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === Socket && value !== null && typeof value === 'object' && value[kNetSocket] === true;
  }

  get readyState() {
    if (this.connecting) return 'opening';
    if (this.destroyed) return 'closed';
    return this.readable && this.writable ? 'open' : this.readable ? 'readOnly' : this.writable ? 'writeOnly' : 'closed';
  }

  connect(...args) {
    const { host, port, cb } = normalizeConnectArgs(args);
    if (cb) this.once('connect', cb);
    this.connecting = true;
    let net;
    try { net = currentNetwork('connect'); } catch (e) { queueMicrotask(() => this.destroy(e)); return this; }
    call(net.connect, { host: host === 'localhost' ? '127.0.0.1' : host, port }, this.#onEvent)
      .then((conn) => { this.#conn = conn; if (this.destroyed) conn.close(); }, (e) => this.destroy(e));
    return this;
  }

  // An accepted connection: its events wait until `announce` (the server's 'connection') has run.
  async #adopt(conn, info, announce) {
    this.#held = [];
    this.#conn = await conn.attach(this.#onEvent);
    this.#connected(info);
    announce();
    const held = this.#held;
    this.#held = null;
    for (const [kind, value] of held) this.#event(kind, value);
  }
  #held = null;
  static { adopt = (socket, conn, info, announce) => socket.#adopt(conn, info, announce); }

  #connected(info) {
    this.connecting = false;
    this.pending = false;
    Object.assign(this, info, { remoteFamily: 'IPv4' });
    for (const [bytes] of this.#queue) this.#send(bytes);
    this.#queue = [];
    if (this.#ending) this.#sendEnd();
    if (this.#paused) this.#ask('pause');
  }

  // The function the service calls with this connection's events: while the service holds it,
  // it keeps this app alive, unless unref'd.
  #onEvent = (kind, value) => this.#event(kind, value, true);

  /**
   * An event from the service. `answering`: this is the service's call, whose answer carries
   * the writes (and end) the handlers make meanwhile.
   */
  #event(kind, value, answering = false) {
    if (this.#held) { this.#held.push([kind, value]); return; }
    if (!answering || this.#batch) return this.#dispatch(kind, value);
    const batch = this.#batch = [];
    this.#batchBytes = 0;
    try { this.#dispatch(kind, value); } finally { this.#batch = null; }
    return batch.length ? { ops: batch } : undefined;
  }

  // The service's call runs the program's listeners: what they throw is the program's
  // uncaught exception (it ends the app, as in Node), not an answer to the service, which
  // would drop it unseen.
  #dispatch(kind, value) {
    try { this.#deliver(kind, value); } catch (e) { reportError(e); }
  }

  #deliver(kind, value) {
    this.#touch();
    switch (kind) {
      case 'connect':
        // Queued writes go once the connection object is here (it arrives with or after this).
        queueMicrotask(() => { this.#connected(value); this.emit('connect'); this.emit('ready'); });
        break;
      case 'data': {
        // The received bytes are this app's own (moved here): the view the service sent
        // becomes the Buffer, no other view made.
        const d = value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        this.bytesRead += d.length;
        this.emit('data', this.#encoding ? new TextDecoder(this.#encoding === 'utf-8' ? 'utf8' : this.#encoding).decode(d) : asOwnBuffer(d));
        break;
      }
      case 'end':
        this.readable = false;
        this.emit('end');
        if (!this.allowHalfOpen && this.writable) this.end();
        break;
      case 'drain': this.#serviceFull = false; this.#maybeDrain(); break;
      case 'full': this.#serviceFull = true; break;
      case 'error': this.destroy(toError(value)); break;
      case 'close': this.#closed(!!value); break;
    }
  }

  write(data, encoding, cb) {
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (!this.writable || this.#ending) return this.#writeAfterEnd(cb);
    // A UTF-8 string's bytes are new; a program's buffer is copied, as it may reuse it at once.
    const fresh = typeof data === 'string' && (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8');
    return this.#write(fresh ? encoder.encode(data) : toBytes(data, encoding).slice(), cb);
  }

  [kWriteOwned](bytes) {
    if (!this.writable || this.#ending) return this.#writeAfterEnd();
    return this.#write(bytes);
  }

  #writeAfterEnd(cb) {
    const err = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    queueMicrotask(() => { cb?.(err); this.emit('error', err); });
    return false;
  }

  #write(bytes, cb) {
    this.bytesWritten += bytes.length;
    this.#sending += bytes.length;
    if (!this.#conn || this.connecting) this.#queue.push([bytes]);
    else this.#send(bytes);
    if (cb) queueMicrotask(() => cb(null));
    const ok = !this.#serviceFull && this.#sending < WRITE_HIGH_WATER;
    if (!ok) this.#needDrain = true;
    return ok;
  }

  get writableLength() { return this.#sending; }
  get writableNeedDrain() { return this.#needDrain; }

  #send(bytes) {
    const n = bytes.length;
    const op = this.#nextOp++;
    if (this.#batch && this.#batchBytes + n <= BATCH_BYTES_MAX) {   // unanswered: a full queue comes as 'full'
      this.#batchBytes += n;
      this.#batch.push([op, globalThis.rt.transfer(bytes)]);
      this.#sending -= n;
      return;
    }
    call(this.#conn.write, globalThis.rt.transfer(bytes), op).then((queued) => {
      this.#sending -= n;
      if (queued === false) this.#serviceFull = true;
      this.#maybeDrain();
    }, (e) => this.destroy(e));
  }

  #sendEnd() {
    const op = this.#nextOp++;
    if (this.#batch) this.#batch.push([op, null]);
    else call(this.#conn.end, op).catch(() => {});
  }

  #maybeDrain() {
    if (!this.#needDrain || this.#serviceFull || this.#sending >= WRITE_HIGH_WATER || this.destroyed) return;
    this.#needDrain = false;
    this.emit('drain');
  }

  end(data, encoding, cb) {
    if (typeof data === 'function') { cb = data; data = undefined; }
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (data !== undefined && data !== null) this.write(data, encoding);
    if (cb) this.once('finish', cb);
    if (this.#ending) return this;
    this.#ending = true;
    this.writable = false;
    if (this.#conn && !this.connecting) this.#sendEnd();
    queueMicrotask(() => this.emit('finish'));
    return this;
  }

  // Node's destroy() closes the descriptor, and the peer sees what Linux's close() sends: a FIN
  // after the data written, or a RST when received data was left unread (RFC 1122 4.2.2.13).
  destroy(err) { return this.#destroy(err, false); }

  // Closes with a RST whatever is left (an abortive close, RFC 9293 3.10.5 ABORT); as Node's,
  // a connecting socket resets once connected, and one with no connection fails ERR_SOCKET_CLOSED.
  resetAndDestroy() {
    if (this.connecting) this.once('connect', () => this.#destroy(undefined, true));
    else if (this.#conn && !this.destroyed) this.#destroy(undefined, true);
    else this.destroy(Object.assign(new Error('Socket is closed'), { code: 'ERR_SOCKET_CLOSED' }));
    return this;
  }

  #destroy(err, reset) {
    if (this.destroyed) return this;
    this.destroyed = true;
    // Numbered as writes are, so that it takes effect after them: those made while an event is
    // handled ride in its answer, which this call would otherwise overtake.
    const fn = reset ? this.#conn?.destroy : this.#conn?.close;
    if (this.#conn && !this.connecting) {
      const op = this.#nextOp++;
      if (this.#batch) this.#batch.push([op, reset]);
      else call(fn, op).catch(() => {});
    } else if (this.#conn) call(fn).catch(() => {});
    this.#closed(!!err, err);
    return this;
  }

  #closed(hadError, err) {
    if (this.#closedOnce) return;
    this.#closedOnce = true;
    this.destroyed = true;
    this.readable = this.writable = false;
    clearTimeout(this.#timer);
    queueMicrotask(() => {
      if (err) this.emit('error', err);
      this.emit('close', hadError);
    });
  }
  #closedOnce = false;

  setEncoding(encoding = 'utf8') { this.#encoding = encoding; return this; }
  // A request to the connection that needs no answer; a connection already gone ignores it.
  #ask(op, ...args) { if (this.#conn) call(this.#conn[op], ...args).catch(() => {}); }
  setNoDelay(on = true) { this.#ask('setNoDelay', on); return this; }
  setKeepAlive(on = false, delay = 0) { this.#ask('setKeepAlive', on, delay || 7200000); return this; }
  pause() { this.#paused = true; this.#ask('pause'); return this; }
  resume() { this.#paused = false; this.#ask('resume'); return this; }
  address() { return this.localAddress ? { address: this.localAddress, family: 'IPv4', port: this.localPort } : {}; }
  // Node's: an unref'd socket does not keep the app alive (its events still come while it lives).
  ref() { refFunction(this.#onEvent, true); return this; }
  unref() { refFunction(this.#onEvent, false); return this; }

  setTimeout(ms, cb) {
    this.#timeout = ms;
    // Node's: a callback given with 0 is removed instead (setStreamTimeout).
    if (cb) { if (ms === 0) this.removeListener('timeout', cb); else this.once('timeout', cb); }
    this.#touch();
    return this;
  }

  // Activity only notes the time; the one timer, when it fires, waits again for what is left
  // of the idle time (no timer cleared and set for every chunk of data, nor for every
  // setTimeout: a server turns the timeout off while it answers and on again after, once a
  // request). A timer left from a timeout since turned off fires and does nothing; one due
  // after the new timeout would end is set again.
  #touch() {
    if (this.#timeout <= 0 || this.destroyed) return;
    const now = performance.now();
    this.#lastActive = now;
    if (this.#timer && this.#timerDue > now + this.#timeout) { clearTimeout(this.#timer); this.#timer = null; }
    if (!this.#timer) this.#armIdle(this.#timeout, now);
  }
  #timerDue = 0;

  // Node's socket timeouts never keep the app alive: the socket does while it is ref'd.
  #armIdle(ms, now = performance.now()) {
    this.#timerDue = now + ms;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#timeout <= 0 || this.destroyed) return;
      const left = this.#lastActive + this.#timeout - performance.now();
      if (left > 0) this.#armIdle(left);
      else this.emit('timeout');
    }, ms);
    this.#timer.unref?.();
  }

  pipe(dest) {
    this.on('data', (d) => { if (dest.write(d) === false) { this.pause(); dest.once?.('drain', () => this.resume()); } });
    this.on('end', () => dest.end?.());
    return dest;
  }

  async *[Symbol.asyncIterator]() {
    const chunks = [];
    let wake = null, done = false, failure = null;
    this.on('data', (d) => { chunks.push(d); wake?.(); });
    this.on('end', () => { done = true; wake?.(); });
    this.on('close', () => { done = true; wake?.(); });
    this.on('error', (e) => { failure = e; wake?.(); });
    for (;;) {
      if (chunks.length) { yield chunks.shift(); continue; }
      if (failure) throw failure;
      if (done) return;
      await new Promise((r) => { wake = r; });
      wake = null;
    }
  }
}

export class Server extends EventEmitter {
  #opening = null;   // the listen call: a promise of the listener (null if it failed or was closed)
  #closing = null;   // close() waiting for the listener to close
  #address = null;
  #connections = new Set();
  listening = false;

  constructor(options, listener) {
    super();
    if (typeof options === 'function') listener = options;
    if (listener) this.on('connection', listener);
  }

  listen(...args) {
    let port = 0, host = '0.0.0.0', backlog, cb = args.find((x) => typeof x === 'function');
    const [a, b, c] = args;
    if (a !== null && typeof a === 'object') ({ port = 0, host = '0.0.0.0', backlog } = a);
    else {
      if (a !== undefined && typeof a !== 'function') port = Number(a);
      if (typeof b === 'string') host = b; else if (typeof b === 'number') backlog = b;
      if (typeof c === 'number') backlog = c;
    }
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw Object.assign(new RangeError(`options.port should be >= 0 and < 65536. Received ${port}.`), { code: 'ERR_SOCKET_BAD_PORT' });
    }
    if (cb) this.once('listening', cb);
    if (host === 'localhost' || host === '::') host = host === '::' ? '0.0.0.0' : '127.0.0.1';
    let net;
    try { net = currentNetwork('listen'); } catch (e) { queueMicrotask(() => this.emit('error', e)); return this; }
    const opening = call(net.listen, { port, host, backlog }, this.#onConnection).then(async (l) => {
      const address = await l.address();
      // close() came first: the listener goes at once, and 'listening' is never emitted.
      if (this.#opening !== opening) { call(l.close).catch(() => {}); return null; }
      this.#address = address;
      this.listening = true;
      this.emit('listening');
      return l;
    }, (e) => {
      if (this.#opening === opening) this.#opening = null;
      this.emit('error', e);
      return null;
    });
    this.#opening = opening;
    return this;
  }

  // The function the service calls with each connection: it keeps this app alive while the
  // server listens, unless unref'd.
  #onConnection = (conn, info) => this.#accept(conn, info);

  async #accept(conn, info) {
    const s = new Socket();
    this.#connections.add(s);
    s.on('close', () => {
      this.#connections.delete(s);
      if (!this.listening && !this.#opening && this.#connections.size === 0) this.#emitCloseIfDrained();
    });
    await adopt(s, conn, info, () => { try { this.emit('connection', s); } catch (e) { reportError(e); } });
  }

  address() { return this.#address; }

  /**
   * Stops accepting connections. As Node's: 'close' (and `cb`) come once the listener is
   * closed and every connection it accepted has closed too; closing a server that is not
   * listening gives `cb` ERR_SERVER_NOT_RUNNING.
   */
  close(cb) {
    const opening = this.#opening;
    if (typeof cb === 'function') {
      if (opening) this.once('close', cb);
      else this.once('close', () => cb(codedError(Error, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.')));
    }
    this.listening = false;
    this.#address = null;
    this.#opening = null;
    if (!opening) { this.#emitCloseIfDrained(); return this; }
    this.#closing = opening.then((l) => l && call(l.close)).catch(() => {}).then(() => {
      this.#closing = null;
      this.#emitCloseIfDrained();
    });
    return this;
  }

  #emitCloseIfDrained() {
    if (this.#opening || this.#closing || this.#connections.size) return;
    queueMicrotask(() => this.emit('close'));
  }

  getConnections(cb) { queueMicrotask(() => cb(null, this.#connections.size)); return this; }
  ref() { refFunction(this.#onConnection, true); return this; }
  unref() { refFunction(this.#onConnection, false); return this; }
}

export function createServer(options, listener) { return new Server(options, listener); }
export function connect(...args) { return new Socket().connect(...args); }
export const createConnection = connect;

export default { Socket, Server, Stream: Socket, createServer, connect, createConnection, isIP, isIPv4, isIPv6 };
