// node:crypto (nodejs.org/api/crypto.html): hashes, HMAC, random data, PBKDF2, scrypt, HKDF
// and timingSafeEqual on the same OpenSSL binding as Web Crypto, key objects, signatures, RSA
// encryption and ECDH (internal/crypto-keyobject.js); `webcrypto` is the global
// crypto. Results are Buffers where the app has Buffer, Uint8Arrays otherwise.
import binding from 'rtjs:binding';
import { crypto as webcrypto } from '../internal/crypto.js';
import { codedError } from '../internal/modules/errors.js';
import {
  constants, KeyObject, createPublicKey, createPrivateKey, createSecretKey, generateKeyPair, generateKeyPairSync,
  generateKey, generateKeySync, Sign, Verify, createSign, createVerify, sign, verify, publicEncrypt, privateDecrypt,
  privateEncrypt, publicDecrypt, diffieHellman, getCurves, ECDH, createECDH,
} from '../internal/crypto-keyobject.js';

const { randomFill: nativeRandomFill, hashNew, hmacNew, hashUpdate, hashFinal, pbkdf2: nativePbkdf2,
  scrypt: nativeScrypt, hkdf: nativeHkdf, timingSafeEqual: nativeTimingSafeEqual, digest: nativeDigest } = binding;
const utf8 = new TextEncoder();
const ArrayBufferIsView = ArrayBuffer.isView;

// Node's scrypt defaults (N = 16384, r = 8, p = 1) and its memory bound, 32 MiB.
const SCRYPT_DEFAULTS = { N: 16384, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };
// randomInt's range must be below 2^48 (Node: ERR_OUT_OF_RANGE).
const RANDOM_INT_RANGE = 2 ** 48;
const MAX_RANDOM_BYTES = 2 ** 31 - 1;

function argType(name, expected, value) {
  return codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `The "${name}" argument must be ${expected}. Received ${value === null ? 'null' : typeof value}`);
}

function outOfRange(name, range, value) {
  return codedError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${value}`);
}

function asBuffer(u8) {
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
function toBytes(data, encoding, name = 'data') {
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

function encodeOutput(u8, encoding) {
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

function openHash(fn, algorithm, key) {
  try {
    return key === undefined ? fn(`${algorithm}`) : fn(`${algorithm}`, key);
  } catch (err) {
    if (/unsupported digest/.test(err.message)) {
      throw key === undefined ? new Error('Digest method not supported')
        : codedError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${algorithm}`);
    }
    throw err;
  }
}

class HashBase {
  #handle;
  #done = false;
  constructor(handle) { this.#handle = handle; }
  update(data, inputEncoding = undefined) {
    if (this.#done) throw codedError(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
    hashUpdate(this.#handle, toBytes(data, inputEncoding));
    return this;
  }
  digest(encoding = undefined) {
    if (this.#done) throw codedError(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
    this.#done = true;
    return encodeOutput(new Uint8Array(hashFinal(this.#handle)), encoding);
  }
}

export class Hash extends HashBase {
  constructor(algorithm) {
    if (typeof algorithm !== 'string') throw argType('algorithm', 'of type string', algorithm);
    super(openHash(hashNew, algorithm));
  }
}

export class Hmac extends HashBase {
  constructor(algorithm, key) {
    if (typeof algorithm !== 'string') throw argType('hmac', 'of type string', algorithm);
    super(openHash(hmacNew, algorithm, toBytes(key, undefined, 'key')));
  }
}

export function createHash(algorithm) { return new Hash(algorithm); }
export function createHmac(algorithm, key) { return new Hmac(algorithm, key); }

/** One-shot hash (Node 20.12's crypto.hash): hex by default. */
export function hash(algorithm, data, outputEncoding = 'hex') {
  let out;
  try {
    out = new Uint8Array(nativeDigest(`${algorithm}`, toBytes(data)));
  } catch (err) {
    if (/unsupported digest/.test(err.message)) throw new Error('Digest method not supported');
    throw err;
  }
  return encodeOutput(out, outputEncoding);
}

export function getHashes() {
  return ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256',
    'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'shake128', 'shake256', 'ripemd160', 'sm3'];
}

function checkSize(size) {
  if (typeof size !== 'number') throw argType('size', 'of type number', size);
  if (!(size >= 0 && size <= MAX_RANDOM_BYTES) || !Number.isInteger(size)) throw outOfRange('size', `>= 0 && <= ${MAX_RANDOM_BYTES}`, size);
}

export function randomBytes(size, callback = undefined) {
  checkSize(size);
  const out = new Uint8Array(size);
  if (size) nativeRandomFill(out);
  if (callback === undefined) return asBuffer(out);
  if (typeof callback !== 'function') throw argType('callback', 'of type function', callback);
  queueMicrotask(() => callback(null, asBuffer(out)));
  return undefined;
}

export function randomFillSync(buf, offset = 0, size = undefined) {
  if (!ArrayBufferIsView(buf) && !(buf instanceof ArrayBuffer)) throw argType('buf', 'an instance of ArrayBuffer or ArrayBufferView', buf);
  const bytes = toBytes(buf);
  const end = size === undefined ? bytes.length : offset + size;
  if (offset < 0 || end > bytes.length || offset > end) throw outOfRange('offset', `>= 0 && <= ${bytes.length}`, offset);
  if (end > offset) nativeRandomFill(bytes.subarray(offset, end));
  return buf;
}

export function randomFill(buf, offset, size, callback) {
  if (typeof offset === 'function') { callback = offset; offset = 0; size = undefined; }
  else if (typeof size === 'function') { callback = size; size = undefined; }
  if (typeof callback !== 'function') throw argType('callback', 'of type function', callback);
  randomFillSync(buf, offset, size);
  queueMicrotask(() => callback(null, buf));
}

export function randomInt(min, max = undefined, callback = undefined) {
  if (typeof max === 'function' || max === undefined) { callback = max; max = min; min = 0; }
  if (!Number.isSafeInteger(min)) throw argType('min', 'a safe integer', min);
  if (!Number.isSafeInteger(max)) throw argType('max', 'a safe integer', max);
  if (max <= min) throw outOfRange('max', `greater than the value of "min" (${min})`, max);
  const range = max - min;
  if (range > RANDOM_INT_RANGE) throw outOfRange('max - min', `<= ${RANDOM_INT_RANGE}`, range);
  // Rejection sampling over 48 random bits: every value in the range equally likely.
  const limit = RANDOM_INT_RANGE - (RANDOM_INT_RANGE % range);
  const six = new Uint8Array(6);
  let x;
  do {
    nativeRandomFill(six);
    x = ((six[0] * 2 ** 40) + (six[1] * 2 ** 32) + (six[2] * 2 ** 24) + (six[3] << 16 >>> 0) + (six[4] << 8) + six[5]);
  } while (x >= limit);
  const n = min + (x % range);
  if (callback === undefined) return n;
  if (typeof callback !== 'function') throw argType('callback', 'of type function', callback);
  queueMicrotask(() => callback(null, n));
  return undefined;
}

export function randomUUID() { return webcrypto.randomUUID(); }
export function getRandomValues(array) { return webcrypto.getRandomValues(array); }

export function timingSafeEqual(a, b) {
  const x = toBytes(a, undefined, 'buf1');
  const y = toBytes(b, undefined, 'buf2');
  if (x.length !== y.length) throw codedError(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length');
  return nativeTimingSafeEqual(x, y);
}

function digestName(digest) {
  if (typeof digest !== 'string') throw argType('digest', 'of type string', digest);
  return digest;
}

export function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  if (!Number.isInteger(iterations) || iterations < 1) throw outOfRange('iterations', '>= 1 && <= 2147483647', iterations);
  if (!Number.isInteger(keylen) || keylen < 0) throw outOfRange('keylen', '>= 0 && <= 2147483647', keylen);
  try {
    return asBuffer(new Uint8Array(nativePbkdf2(digestName(digest), toBytes(password, undefined, 'password'),
      toBytes(salt, undefined, 'salt'), iterations, keylen)));
  } catch (err) {
    if (/unsupported digest/.test(err.message)) throw codedError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${digest}`);
    throw err;
  }
}

function later(callback, fn) {
  if (typeof callback !== 'function') throw argType('callback', 'of type function', callback);
  let result;
  let error = null;
  try { result = fn(); } catch (err) { error = err; }
  setTimeout(() => (error ? callback(error) : callback(null, result)), 0);
}

export function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  later(callback, () => pbkdf2Sync(password, salt, iterations, keylen, digest));
}

export function scryptSync(password, salt, keylen, options = {}) {
  const o = { ...SCRYPT_DEFAULTS };
  if (options) {
    if (options.N !== undefined || options.cost !== undefined) o.N = options.N ?? options.cost;
    if (options.r !== undefined || options.blockSize !== undefined) o.r = options.r ?? options.blockSize;
    if (options.p !== undefined || options.parallelization !== undefined) o.p = options.p ?? options.parallelization;
    if (options.maxmem !== undefined) o.maxmem = options.maxmem;
  }
  if (!Number.isInteger(keylen) || keylen < 0) throw outOfRange('keylen', '>= 0 && <= 2147483647', keylen);
  if (o.N < 2 || (o.N & (o.N - 1)) !== 0) throw codedError(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', 'Invalid scrypt params: N must be a power of 2 greater than 1');
  try {
    return asBuffer(new Uint8Array(nativeScrypt(toBytes(password, undefined, 'password'), toBytes(salt, undefined, 'salt'),
      o.N, o.r, o.p, o.maxmem, keylen)));
  } catch (err) {
    throw codedError(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', `Invalid scrypt params: ${err.message}`);
  }
}

export function scrypt(password, salt, keylen, options, callback = undefined) {
  if (typeof options === 'function') { callback = options; options = {}; }
  later(callback, () => scryptSync(password, salt, keylen, options));
}

export function hkdfSync(digest, ikm, salt, info, keylen) {
  try {
    return new Uint8Array(nativeHkdf(digestName(digest), toBytes(ikm, undefined, 'ikm'), toBytes(salt, undefined, 'salt'),
      toBytes(info, undefined, 'info'), keylen)).buffer;
  } catch (err) {
    if (/unsupported digest/.test(err.message)) throw codedError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${digest}`);
    throw err;
  }
}

export function hkdf(digest, ikm, salt, info, keylen, callback) {
  later(callback, () => hkdfSync(digest, ikm, salt, info, keylen));
}

export const subtle = webcrypto.subtle;
export { webcrypto };
export {
  constants, KeyObject, createPublicKey, createPrivateKey, createSecretKey, generateKeyPair, generateKeyPairSync,
  generateKey, generateKeySync, Sign, Verify, createSign, createVerify, sign, verify, publicEncrypt, privateDecrypt,
  privateEncrypt, publicDecrypt, diffieHellman, getCurves, ECDH, createECDH,
};

export default {
  Hash, Hmac, createHash, createHmac, hash, getHashes, randomBytes, randomFill, randomFillSync, randomInt,
  randomUUID, getRandomValues, timingSafeEqual, pbkdf2, pbkdf2Sync, scrypt, scryptSync, hkdf, hkdfSync,
  subtle, webcrypto, constants, KeyObject, createPublicKey, createPrivateKey, createSecretKey, generateKeyPair,
  generateKeyPairSync, generateKey, generateKeySync, Sign, Verify, createSign, createVerify, sign, verify,
  publicEncrypt, privateDecrypt, privateEncrypt, publicDecrypt, diffieHellman, getCurves, ECDH, createECDH,
};
