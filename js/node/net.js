// node:net (nodejs.org/api/net.html) over rtjs's network service: a Socket is one TCP
// connection of the service, driven through the functions the app was granted; received data
// is moved into this app, not copied. IPv4 only.
import { EventEmitter } from './events.js';
import { Duplex } from './stream.js';
import { currentNetwork } from '../services/net/client.js';
import { kNetSocket, kWriteOwned } from '../internal/net-socket-brand.js';
import { refFunction } from '../internal/ipc.js';
import { reportError } from '../internal/report-error.js';
import { queueTick } from '../internal/ticks.js';
import { callableClass } from '../internal/callable-class.js';

const encoder = new TextEncoder();
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

// As Node's, the argument is read as a string (an object's toString() included).
export const isIPv4 = (s) => IPV4.test(`${s}`);

/**
 * RFC 4291 2.2's text forms: eight 16-bit groups, one run of zero groups written `::`, the
 * last two groups as an IPv4 address, and a zone (RFC 4007 11.2, `%` and a name).
 */
export function isIPv6(s) {
  s = `${s}`;
  const zone = s.indexOf('%');
  if (zone >= 0) { if (!/^[0-9a-zA-Z.:-]+$/.test(s.slice(zone + 1))) return false; s = s.slice(0, zone); }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (text) => (text === '' ? [] : text.split(':'));
  const parts = halves.flatMap(groups);
  let count = parts.length;
  const last = parts[parts.length - 1];
  if (last !== undefined && last.includes('.')) {
    // Only as the address's last part: after the `::`, when there is one.
    if (!IPV4.test(last) || !halves[halves.length - 1].endsWith(last)) return false;
    parts.pop();
    count += 1;   // the IPv4 address is two groups
  }
  if (!parts.every((g) => HEXTET.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}
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
// Bytes on their way to the service past which a write's callback waits (and write() then
// returns false); the service's own send queue says when it is full too.
const WRITE_HIGH_WATER = 256 * 1024;
// Bytes written while an event is handled that go back with its answer; past this they go as
// calls, whose answers keep write()'s backpressure (a batch is sent unanswered).
const BATCH_BYTES_MAX = 64 * 1024;
// A call into the network service: a promise of its result, a throw included.
const call = (fn, ...args) => Promise.resolve().then(() => fn(...args));

const badPort = (port, what = 'Port') => Object.assign(
  new RangeError(`${what} should be >= 0 and < 65536. Received ${typeof port === 'string' ? `type string ('${port}')` : typeof port === 'number' ? `type number (${port})` : `${port}`}.`),
  { code: 'ERR_SOCKET_BAD_PORT' });
const argType = (name, expected, value) => Object.assign(
  new TypeError(`The "${name}" argument must be ${expected}. Received ${value === null ? 'null' : typeof value === 'function' ? `function ${value.name}` : typeof value === 'object' ? 'an instance of ' + (value.constructor?.name ?? 'Object') : `type ${typeof value} (${String(value)})`}`),
  { code: 'ERR_INVALID_ARG_TYPE' });

// Node's port check (validatePort): a number or a non-empty numeric string, 0-65535.
function validPort(port, allowZero = true) {
  if ((typeof port !== 'number' && typeof port !== 'string') || (typeof port === 'string' && port.trim() === '') ||
    +port !== (+port >>> 0) || port > 0xFFFF || (port === 0 && !allowZero)) throw badPort(port);
  return +port;
}

function normalizeConnectArgs(args) {
  const [a, b, c] = args;
  let options;
  if (Array.isArray(a) && a.length && a.options !== undefined) return a;   // already normalized
  if (a !== null && typeof a === 'object') options = { ...a };
  else if (typeof a === 'string' && Number.isNaN(Number(a))) options = { path: a };   // Node's: a pipe's path
  else options = { port: a, host: typeof b === 'string' ? b : undefined };
  const cb = [b, c].find((x) => typeof x === 'function');
  return { options, cb };
}

// How a Server hands an accepted connection to a new Socket (module-private).
let adopt;

/**
 * A TCP connection as Node's net.Socket: a Duplex whose writes go to the service's
 * connection and whose reads are what the service delivers; flow control both ways (a full
 * send queue holds the write's callback, a full read buffer pauses the connection).
 */
class Socket extends Duplex {
  #conn = null;            // the service's connection functions
  #pendingWrite = null;    // [chunks, callback] written before the connection exists
  #finalCb = null;         // end() before the connection exists
  #timeout = 0; #timer = null; #lastActive = 0;
  #readPaused = false;     // the service was asked to pause this connection
  #sending = 0; #serviceFull = false; #needDrain = false; #heldCb = null; #heldBytes = 0;
  #dispatched = 0;
  #peerGone = false;       // the service has closed the connection
  // Writes, the end and destroy are numbered for the service, which applies them in that order; those
  // made while an event from the service is handled go back with its answer (#batch).
  #nextOp = 0; #batch = null; #batchBytes = 0;
  connecting = false; pending = true;
  timeout = undefined;
  remoteAddress; remotePort; localAddress; localPort; remoteFamily;
  bytesRead = 0;
  _host = null;

  constructor(options = {}) {
    if (typeof options === 'number') options = { fd: options };
    else options = { ...options };
    options.allowHalfOpen = Boolean(options.allowHalfOpen);
    // Node's: 'close' is the socket's own (with hadError), strings written as they are.
    options.emitClose = false;
    options.autoDestroy = true;
    options.decodeStrings = false;
    super(options);
    this.on('end', () => { if (!this.allowHalfOpen) this.#peerEnded = true; });
    if (options.readable === false) this.push(null);
  }
  #peerEnded = false;

  // `x instanceof net.Socket` (packages tell sockets apart so) holds for a tls.TLSSocket too,
  // as in Node; a subclass of Socket keeps the ordinary test.
  static [Symbol.hasInstance](value) {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return (this === Socket || this === CallableSocket) && value !== null && typeof value === 'object' && value[kNetSocket] === true;
  }

  get readyState() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  }
  get bufferSize() { return this.#conn ? this.writableLength : undefined; }
  get bytesWritten() { return this.#dispatched + this.writableLength - this.#heldBytes; }
  get _handle() { return this.destroyed ? null : this.#conn; }

  connect(...args) {
    const { options, cb } = normalizeConnectArgs(args);
    if (options.path !== undefined && options.path !== null && options.path !== '') {
      if (typeof options.path !== 'string') throw argType('options.path', 'of type string', options.path);
      // No Unix domain sockets here: no such socket file, as for a path nobody listens on.
      queueMicrotask(() => this.destroy(Object.assign(new Error(`connect ENOENT ${options.path}`), { code: 'ENOENT', errno: -2, syscall: 'connect', address: options.path })));
      return this;
    }
    let { host = 'localhost', port } = options;
    if (host !== undefined && host !== null && typeof host !== 'string') throw argType('options.host', 'of type string', host);
    if (port === undefined) throw Object.assign(new TypeError('The "options" or "port" or "path" argument must be specified'), { code: 'ERR_MISSING_ARGS' });
    if (typeof port !== 'number' && typeof port !== 'string') throw argType('options.port', 'one of type number or string', port);
    port = validPort(port);
    if (this.destroyed) this.#reset();
    if (cb) this.once('connect', cb);
    this.connecting = true;
    this._host = host;
    if (host === 'localhost' || !host) host = '127.0.0.1';
    let net;
    try { net = currentNetwork('connect'); } catch (e) { queueMicrotask(() => this.destroy(e)); return this; }
    call(net.connect, { host, port, localPort: options.localPort }, this.#onEvent)
      .then((conn) => { this.#conn = conn; if (this.destroyed) conn.close(); }, (e) => this.destroy(e));
    return this;
  }

  // connect() again on a closed socket: a new connection, nothing of the last one kept.
  #reset() {
    this._undestroy();
    this.#closedOnce = false;
    this.#conn = null; this.#pendingWrite = null; this.#finalCb = null;
    this.#readPaused = false; this.#peerGone = false; this.#peerEnded = false;
    this.#sending = 0; this.#serviceFull = false; this.#needDrain = false; this.#heldCb = null; this.#heldBytes = 0;
    this.#dispatched = 0; this.bytesRead = 0; this.#nextOp = 0; this.#resetOnDestroy = false;
    this.remoteAddress = this.remotePort = this.localAddress = this.localPort = this.remoteFamily = undefined;
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
    if (this.#readPaused) this.#ask('pause');
    const pw = this.#pendingWrite;
    this.#pendingWrite = null;
    if (pw) this.#writeChunks(pw[0], pw[1]);
    const fc = this.#finalCb;
    this.#finalCb = null;
    if (fc) this._final(fc);
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
        queueMicrotask(() => {
          if (this.destroyed) return;
          this.#connected(value);
          this.emit('connect');
          this.emit('ready');
        });
        break;
      case 'data': {
        if (this.destroyed) return;
        // The received bytes are this app's own (moved here): the view the service sent
        // becomes the Buffer, no other view made.
        const d = value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        this.bytesRead += d.length;
        if (!this.push(asOwnBuffer(d)) && !this.#readPaused) { this.#readPaused = true; this.#ask('pause'); }
        break;
      }
      case 'end':
        // As Node's: the end is read at once when nothing is buffered, so 'end' comes even to
        // a socket nobody reads.
        if (!this.destroyed) { this.push(null); this.read(0); }
        break;
      case 'drain': this.#serviceFull = false; this.#maybeDrain(); break;
      case 'full': this.#serviceFull = true; break;
      case 'error': this.destroy(toError(value)); break;
      case 'close':
        this.#peerGone = true;
        // Both ends done: what is left unread is still read, then the stream ends itself
        // (autoDestroy); a reset came as an error first.
        if (value) this.destroy();
        break;
    }
  }

  // A connection paused because the buffer was full reads again at once: the buffered data
  // flows from the next tick on, and Readable may ask no more of _read meanwhile.
  resume() {
    super.resume();
    this._read();
    return this;
  }

  _read() {
    if (this.#readPaused) { this.#readPaused = false; if (this.#conn && !this.connecting) this.#ask('resume'); }
  }

  _writev(chunks, cb) { this.#writeChunks(chunks.map((c) => [c.chunk, c.encoding]), cb); }
  _write(chunk, encoding, cb) { this.#writeChunks([[chunk, encoding]], cb); }

  #writeChunks(chunks, cb) {
    if (this.connecting || !this.#conn) {
      if (this.connecting || this.#pendingConnect) { this.#pendingWrite = [chunks, cb]; return; }
      return cb(Object.assign(new Error('This socket is closed'), { code: 'ERR_SOCKET_CLOSED' }));
    }
    if (this.#peerGone) return cb(Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }));
    let n = 0;
    for (const [chunk, encoding] of chunks) {
      // A string's bytes are new; a program's buffer is copied, as it may reuse it at once.
      const bytes = typeof chunk === 'string' ? toBytes(chunk, encoding) : toBytes(chunk).slice();
      n += bytes.length;
      this.#send(bytes);
    }
    this.#dispatched += n;
    this.#touch();
    // The callback waits while the service's queue is full: the stream's own buffer then holds
    // what is written meanwhile, and write() says false.
    if (this.#serviceFull || this.#sending >= WRITE_HIGH_WATER) { this.#heldCb = cb; this.#heldBytes = n; }
    else cb();
  }
  get #pendingConnect() { return this.pending && !this.destroyed && this.connecting; }

  // http's messages: their bytes sent as they are when nothing is queued ahead of them.
  [kWriteOwned](bytes) {
    if (this.destroyed || this.writableEnded || !this.#conn || this.connecting || this.writableLength > 0 || this.writableCorked || this.#peerGone) return this.write(bytes);
    this.#dispatched += bytes.length;
    this.#send(bytes);
    this.#touch();
    const ok = !this.#serviceFull && this.#sending < WRITE_HIGH_WATER;
    if (!ok) this.#needDrain = true;
    return ok;
  }

  #send(bytes) {
    const n = bytes.length;
    this.#sending += n;
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

  #maybeDrain() {
    if (this.#serviceFull || this.#sending >= WRITE_HIGH_WATER || this.destroyed) return;
    const cb = this.#heldCb;
    if (cb) { this.#heldCb = null; this.#heldBytes = 0; cb(); }
    if (this.#needDrain) { this.#needDrain = false; this.emit('drain'); }
  }

  _final(cb) {
    if (this.pending && this.connecting) { this.#finalCb = cb; return; }
    if (!this.#conn) return cb();
    if (!this.#peerGone) {
      const op = this.#nextOp++;
      if (this.#batch) this.#batch.push([op, null]);
      else call(this.#conn.end, op).catch(() => {});
    }
    cb();
  }

  // A write after the peer's FIN on a socket that is not half-open: Node's EPIPE.
  write(chunk, encoding, cb) {
    if (this.#peerEnded && this.writableEnded && !this.destroyed) {
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      const err = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
      queueMicrotask(() => { cb?.(err); this.destroy(err); });
      return false;
    }
    return super.write(chunk, encoding, cb);
  }

  // Node's destroySoon(): ends the writing side and destroys the socket once that finished.
  destroySoon() {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', this.destroy);
  }

  // Node's destroy() closes the descriptor, and the peer sees what Linux's close() sends: a FIN
  // after the data written, or a RST when received data was left unread (RFC 1122 4.2.2.13).
  _destroy(err, cb) {
    const released = this.#release(this.#resetOnDestroy);
    this.connecting = false;
    clearTimeout(this.#timer);
    this.#timer = null;
    cb(err);
    // 'close' once the service has been told (its call sent), as Node's comes once the
    // descriptor is closed: a program that exits on 'close' loses none of what it wrote.
    released.then(() => this.#emitClose(!!err));
  }
  #resetOnDestroy = false;

  #release(reset) {
    const conn = this.#conn;
    const done = () => {};
    if (!conn || this.#peerGone) return conn && !reset ? call(conn.close).then(done, done) : Promise.resolve();
    // Numbered as writes are, so that it takes effect after them: those made while an event is
    // handled ride in its answer, which this call would otherwise overtake.
    const fn = reset ? conn.destroy : conn.close;
    const op = this.#nextOp++;
    if (this.#batch) { this.#batch.push([op, reset]); return Promise.resolve(); }
    return call(fn, op).then(done, done);
  }

  #emitClose(hadError) {
    if (this.#closedOnce) return;
    this.#closedOnce = true;
    // A tick, as the stream's own 'error' is told: 'close' comes after it.
    queueTick(() => this.emit('close', hadError), []);
  }
  #closedOnce = false;

  // Closes with a RST whatever is left (an abortive close, RFC 9293 3.10.5 ABORT); as Node's,
  // a connecting socket resets once connected, and one with no connection fails ERR_SOCKET_CLOSED.
  resetAndDestroy() {
    if (this.connecting) this.once('connect', () => this.resetAndDestroy());
    else if (this.#conn && !this.destroyed) { this.#resetOnDestroy = true; this.destroy(); }
    else this.destroy(Object.assign(new Error('Socket is closed'), { code: 'ERR_SOCKET_CLOSED' }));
    return this;
  }

  // A request to the connection that needs no answer; a connection already gone ignores it.
  #ask(op, ...args) { if (this.#conn && !this.#peerGone) call(this.#conn[op], ...args).catch(() => {}); }
  setNoDelay(on = true) {
    if (!this.#conn) { this.once('connect', () => this.setNoDelay(on)); return this; }
    this.#ask('setNoDelay', !!on);
    return this;
  }
  setKeepAlive(on = false, delay = 0) {
    if (!this.#conn) { this.once('connect', () => this.setKeepAlive(on, delay)); return this; }
    this.#ask('setKeepAlive', !!on, delay || 7200000);
    return this;
  }
  address() { return this.localAddress ? { address: this.localAddress, family: 'IPv4', port: this.localPort } : {}; }
  // Node's: an unref'd socket does not keep the app alive (its events still come while it lives).
  ref() { refFunction(this.#onEvent, true); return this; }
  unref() { refFunction(this.#onEvent, false); return this; }

  setTimeout(ms, cb) {
    if (this.destroyed) return this;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      if (typeof ms !== 'number') throw argType('msecs', 'of type number', ms);
      throw Object.assign(new RangeError(`The value of "msecs" is out of range. It must be a non-negative finite number. Received ${ms}`), { code: 'ERR_OUT_OF_RANGE' });
    }
    if (cb !== undefined && typeof cb !== 'function') throw argType('callback', 'of type function', cb);
    this.#timeout = ms === Infinity ? 0 : ms;
    this.timeout = this.#timeout;   // Node's: the socket's timeout in ms, read by http's agent
    // Node's: a callback given with 0 is removed instead (setStreamTimeout).
    if (cb) { if (this.#timeout === 0) this.removeListener('timeout', cb); else this.once('timeout', cb); }
    if (this.#timeout === 0) { clearTimeout(this.#timer); this.#timer = null; }
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
}

class Server extends EventEmitter {
  #listener = null;
  #address = null;
  #connections = new Set();
  #closing = false;
  #unref = false;
  listening = false;
  maxConnections = undefined;
  allowHalfOpen = false; pauseOnConnect = false; noDelay = false; keepAlive = false; keepAliveInitialDelay = 0;

  constructor(options, listener) {
    super();
    if (typeof options === 'function') { listener = options; options = {}; }
    else if (options === undefined || options === null) options = {};
    else if (typeof options !== 'object') throw argType('options', 'of type object', options);
    this.allowHalfOpen = Boolean(options.allowHalfOpen);
    this.pauseOnConnect = Boolean(options.pauseOnConnect);
    this.noDelay = Boolean(options.noDelay);
    this.keepAlive = Boolean(options.keepAlive);
    this.keepAliveInitialDelay = ~~(options.keepAliveInitialDelay / 1000);
    if (listener) this.on('connection', listener);
  }

  get _connections() { return this.#connections.size; }

  listen(...args) {
    let port = 0, host, backlog, exclusive;
    const cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    const [a, b, c] = args;
    if (a !== null && typeof a === 'object') {
      if (a.path !== undefined) return this.#noPipe(a.path);
      if (a.port === undefined && a.host === undefined && a.backlog === undefined && !('port' in a)) {
        throw Object.assign(new TypeError(`The argument 'options' must have the property "port" or "path". Received ${JSON.stringify(a)}`), { code: 'ERR_INVALID_ARG_VALUE' });
      }
      ({ port = 0, host, backlog, exclusive } = a);
      if (port !== undefined && port !== null) port = validPort(port);
      else port = 0;
    } else {
      if (a !== undefined && a !== null) {
        if (typeof a === 'string' && Number.isNaN(Number(a))) return this.#noPipe(a);
        port = validPort(a);
      }
      if (typeof b === 'string') host = b; else if (typeof b === 'number') backlog = b;
      if (typeof c === 'number') backlog = c;
    }
    void exclusive;
    if (this.listening || this.#listener) throw Object.assign(new Error('Listen method has been called more than once without closing.'), { code: 'ERR_SERVER_ALREADY_LISTEN' });
    if (cb) this.once('listening', cb);
    host ??= '0.0.0.0';
    if (host === 'localhost' || host === '::' || host === '::1' || host === '') host = host === '::' || host === '' ? '0.0.0.0' : '127.0.0.1';
    let net;
    try { net = currentNetwork('listen'); } catch (e) { queueMicrotask(() => this.emit('error', e)); return this; }
    this.#closing = false;
    // A close() that comes while the listen is under way: the listener goes at once, and
    // 'listening' is never emitted (nor for an earlier listen a later one replaced).
    const opening = call(net.listen, { port, host, backlog }, this.#onConnection).then(async (l) => {
      const address = await l.address();
      if (this.#listener !== opening) { call(l.close).catch(() => {}); return; }
      this.#listener = l;
      this.#address = address;
      this.listening = true;
      if (this.#unref) refFunction(this.#onConnection, false);
      this.emit('listening');
    }, (e) => { if (this.#listener === opening) this.#listener = null; this.emit('error', e); });
    this.#listener = opening;
    return this;
  }

  // No Unix domain sockets here: listening on a path fails as where it cannot be made.
  #noPipe(path) {
    queueMicrotask(() => this.emit('error', Object.assign(new Error(`listen EACCES: permission denied ${path}`), { code: 'EACCES', errno: -13, syscall: 'listen', address: path })));
    return this;
  }

  // The function the service calls with each connection: it keeps this app alive while the
  // server listens, unless unref'd.
  #onConnection = (conn, info) => this.#accept(conn, info);

  async #accept(conn, info) {
    if (this.maxConnections !== undefined && this.#connections.size >= this.maxConnections) {
      call(conn.destroy).catch(() => {});
      this.emit('drop', { localAddress: info.localAddress, localPort: info.localPort, localFamily: 'IPv4',
        remoteAddress: info.remoteAddress, remotePort: info.remotePort, remoteFamily: 'IPv4' });
      return;
    }
    const s = new Socket({ allowHalfOpen: this.allowHalfOpen });
    s.server = this;
    s._server = this;
    this.#connections.add(s);
    s.on('close', () => { this.#connections.delete(s); this.#maybeClosed(); });
    await adopt(s, conn, info, () => {
      if (this.noDelay) s.setNoDelay(true);
      if (this.keepAlive) s.setKeepAlive(true, this.keepAliveInitialDelay * 1000);
      if (this.pauseOnConnect) s.pause();
      try { this.emit('connection', s); } catch (e) { reportError(e); }
    });
  }

  address() { return this.listening ? this.#address : null; }

  // Node's: the server stops accepting at once; 'close' comes once its connections have
  // closed too. A server not listening calls back ERR_SERVER_NOT_RUNNING.
  close(cb) {
    if (typeof cb === 'function') {
      if (!this.#listener) this.once('close', () => cb(Object.assign(new Error('Server is not running.'), { code: 'ERR_SERVER_NOT_RUNNING' })));
      else this.once('close', cb);
    }
    const l = this.#listener;
    this.#listener = null;
    this.#closing = true;
    this.listening = false;
    if (l && typeof l.close === 'function') call(l.close).then(() => this.#maybeClosed(), () => this.#maybeClosed());
    else this.#maybeClosed();
    return this;
  }

  #maybeClosed() {
    if (!this.#closing || this.#connections.size > 0 || this.#closeEmitted) return;
    this.#closeEmitted = true;
    queueMicrotask(() => { this.#closeEmitted = false; this.emit('close'); });
  }
  #closeEmitted = false;

  [Symbol.asyncDispose]() {
    if (!this.#listener) return Promise.resolve();
    return new Promise((resolve, reject) => this.close((e) => (e ? reject(e) : resolve())));
  }

  getConnections(cb) { const n = this.#connections.size; queueMicrotask(() => cb(null, n)); return this; }
  ref() { this.#unref = false; refFunction(this.#onConnection, true); return this; }
  unref() { this.#unref = true; refFunction(this.#onConnection, false); return this; }
}

// net.Socket() and net.Server() without new, as Node's.
const CallableSocket = callableClass(Socket);
const CallableServer = callableClass(Server);
export { CallableSocket as Socket, CallableServer as Server };

export function createServer(options, listener) { return new Server(options, listener); }
export function connect(...args) {
  const { options } = normalizeConnectArgs(args);
  const socket = new Socket(options);
  if (options.timeout) socket.setTimeout(options.timeout);
  return socket.connect(...args);
}
export const createConnection = connect;

// Node's: the default for autoSelectFamily (Happy Eyeballs). Connections here are IPv4 only.
let autoSelectFamily = true, autoSelectFamilyAttemptTimeout = 250;
export const getDefaultAutoSelectFamily = () => autoSelectFamily;
export const setDefaultAutoSelectFamily = (v) => { autoSelectFamily = !!v; };
export const getDefaultAutoSelectFamilyAttemptTimeout = () => autoSelectFamilyAttemptTimeout;
export const setDefaultAutoSelectFamilyAttemptTimeout = (v) => { autoSelectFamilyAttemptTimeout = Math.max(10, v); };

export default { Socket: CallableSocket, Server: CallableServer, Stream: CallableSocket, createServer, connect, createConnection, isIP, isIPv4, isIPv6,
  getDefaultAutoSelectFamily, setDefaultAutoSelectFamily, getDefaultAutoSelectFamilyAttemptTimeout, setDefaultAutoSelectFamilyAttemptTimeout };
