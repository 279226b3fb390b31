// The byte and string conversions node:crypto's functions share: Node accepts a string in an
// encoding, any view or an ArrayBuffer wherever it takes bytes, and gives back a Buffer (where
// the app has Buffer, a Uint8Array otherwise) or a string in the encoding asked for. And the
// callback form of the functions that have a synchronous one. asBuffer is node:net's, dgram's
// and http's too (received bytes handed to the app).
import { codedError } from './modules/errors.js';
import primordials from './primordials.js';

const { ArrayBufferIsView } = primordials;

const utf8 = new TextEncoder();

export function argType(name, expected, value) {
  return codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `The "${name}" argument must be ${expected}. Received ${value === null ? 'null' : typeof value}`);
}

/**
 * Node's callback form of a synchronous call: `fn` runs now and returns the callback's
 * results as an array; `callback(null, ...results)`, or `callback(error)` for what it threw,
 * follows in a later task.
 */
export function callbackLater(callback, fn) {
  if (typeof callback !== 'function') throw argType('callback', 'of type function', callback);
  let results;
  let error = null;
  try { results = fn(); } catch (err) { error = err; }
  setTimeout(() => (error ? callback(error) : callback(null, ...results)), 0);
}

/** A Buffer over the same bytes (a Uint8Array where the app has no Buffer). */
export function asBuffer(bytes) {
  const u8 = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  const B = globalThis.Buffer;
  return typeof B === 'function' && typeof B.from === 'function' ? B.from(u8.buffer, u8.byteOffset, u8.byteLength) : u8;
}

function hexBytes(s) {
  const n = s.length >> 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number.parseInt(s.substr(i * 2, 2), 16);
    if (Number.isNaN(v)) return out.subarray(0, i);
    out[i] = v;
  }
  return out;
}

function latin1Bytes(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function base64Bytes(s) {
  const clean = s.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
  return latin1Bytes(atob(clean + '='.repeat((4 - (clean.length % 4)) % 4)));
}

/** The bytes of data (string in `encoding`, a view or an ArrayBuffer), without a copy. */
export function toBytes(data, encoding, name = 'data') {
  if (typeof data === 'string') {
    switch (`${encoding ?? 'utf8'}`.toLowerCase()) {
      case 'utf8': case 'utf-8': return utf8.encode(data);
      case 'hex': return hexBytes(data);
      case 'base64': case 'base64url': return base64Bytes(data);
      case 'latin1': case 'binary': case 'ascii': return latin1Bytes(data);
      default: throw codedError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
    }
  }
  if (ArrayBufferIsView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw argType(name, 'of type string or an instance of Buffer, TypedArray, or DataView', data);
}

export function encodeOutput(u8, encoding) {
  if (encoding === undefined || encoding === 'buffer') return asBuffer(u8);
  switch (`${encoding}`.toLowerCase()) {
    case 'hex': {
      let s = '';
      for (let i = 0; i < u8.length; i++) s += (u8[i] < 16 ? '0' : '') + u8[i].toString(16);
      return s;
    }
    case 'base64': case 'base64url': {
      let bin = '';
      for (let i = 0; i < u8.length; i++) bin += String.fromCharCode(u8[i]);
      const b64 = btoa(bin);
      return encoding === 'base64' ? b64 : b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }
    case 'latin1': case 'binary': {
      let s = '';
      for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]);
      return s;
    }
    case 'utf8': case 'utf-8': return new TextDecoder().decode(u8);
    default: throw codedError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
  }
}
