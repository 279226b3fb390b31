// node:dgram (nodejs.org/api/dgram.html) over rtjs's network service: a UDP socket of the
// service, driven through the functions the app was granted; received datagrams are moved
// into this app. IPv4 ('udp4') only.
import { EventEmitter } from './events.js';
import { asBuffer } from '../internal/crypto-bytes.js';
import { currentNetwork } from '../services/net/client.js';
import { reportError } from '../internal/report-error.js';

const encoder = new TextEncoder();
const call = (fn, ...args) => Promise.resolve().then(() => fn(...args));
const toBytes = (data) => {
  if (typeof data === 'string') return encoder.encode(data);
  if (Array.isArray(data)) return concat(data.map(toBytes));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  throw Object.assign(new TypeError('The "msg" argument must be of type string or an instance of Buffer, TypedArray, or DataView'), { code: 'ERR_INVALID_ARG_TYPE' });
};
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
const notRunning = () => Object.assign(new Error('Not running'), { code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' });

export class Socket extends EventEmitter {
  #sock = null;        // a promise of the service's socket functions
  #address = null;
  #broadcast = false;
  #closed = false;
  type;

  constructor(type, listener) {
    super();
    const options = typeof type === 'object' ? type : { type };
    if (options.type !== 'udp4') {
      throw Object.assign(new TypeError(`Bad socket type specified. Valid types are: udp4 (got ${options.type})`), { code: 'ERR_SOCKET_BAD_TYPE' });
    }
    this.type = options.type;
    if (listener) this.on('message', listener);
  }

  bind(...args) {
    let port = 0, address = '0.0.0.0';
    const cb = args.find((a) => typeof a === 'function');
    if (args[0] !== null && typeof args[0] === 'object') ({ port = 0, address = '0.0.0.0' } = args[0]);
    else {
      if (typeof args[0] === 'number') port = args[0];
      if (typeof args[1] === 'string') address = args[1];
    }
    if (cb) this.once('listening', cb);
    this.#open(port, address);
    return this;
  }

  #open(port, address) {
    if (this.#sock) return this.#sock;
    let net;
    try { net = currentNetwork('bind'); } catch (e) { queueMicrotask(() => this.emit('error', e)); return (this.#sock = Promise.reject(e)); }
    this.#sock = call(net.udpBind, { port, host: address === 'localhost' ? '127.0.0.1' : address, broadcast: this.#broadcast },
      (data, rinfo) => {
        // A listener's exception is the program's uncaught one, not an answer to the service.
        try { this.emit('message', asBuffer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)), rinfo); } catch (e) { reportError(e); }
      });
    this.#sock.then(async (s) => {
      this.#address = await s.address();
      if (this.#closed) return call(s.close);
      this.emit('listening');
    }, (e) => this.emit('error', e));
    this.#sock.catch(() => {});
    return this.#sock;
  }

  send(msg, ...args) {
    if (this.#closed) throw notRunning();
    let offset, length, port, address, cb = args.find((a) => typeof a === 'function');
    const rest = args.filter((a) => typeof a !== 'function');
    if (rest.length >= 3 && typeof rest[0] === 'number' && typeof rest[1] === 'number') [offset, length, port, address] = rest;
    else [port, address] = rest;
    let bytes = toBytes(msg);
    if (offset !== undefined) bytes = bytes.subarray(offset, offset + length);
    const host = address === undefined || address === 'localhost' ? '127.0.0.1' : address;
    this.#open(0, '0.0.0.0')
      .then((s) => call(s.send, globalThis.rt.transfer(bytes.slice()), port, host))
      .then(() => cb?.(null, bytes.length), (e) => { if (cb) cb(e); else this.emit('error', e); });
  }

  setBroadcast(on) {
    this.#broadcast = !!on;
    this.#sock?.then((s) => call(s.setBroadcast, !!on)).catch(() => {});
  }

  address() {
    if (!this.#address) throw Object.assign(new Error('getsockname EBADF'), { code: 'EBADF', syscall: 'getsockname' });
    return this.#address;
  }

  close(cb) {
    if (this.#closed) throw notRunning();
    this.#closed = true;
    if (cb) this.once('close', cb);
    const done = () => queueMicrotask(() => this.emit('close'));
    if (!this.#sock) { done(); return this; }
    this.#sock.then((s) => call(s.close)).then(done, done);
    return this;
  }

  ref() { return this; }
  unref() { return this; }
}

export function createSocket(type, listener) { return new Socket(type, listener); }
export default { Socket, createSocket };
