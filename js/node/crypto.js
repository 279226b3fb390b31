// node:crypto (nodejs.org/api/crypto.html): hashes, HMAC, ciphers (internal/crypto-cipher.js),
// random data, PBKDF2, scrypt, HKDF
// and timingSafeEqual on the same OpenSSL binding as Web Crypto, key objects, signatures, RSA
// encryption and ECDH (internal/crypto-keyobject.js), finite-field Diffie-Hellman
// (internal/crypto-dh.js); `webcrypto` is the global
// crypto. Results are Buffers where the app has Buffer, Uint8Arrays otherwise.
import binding from 'rtjs:binding';
import { crypto as webcrypto } from '../internal/crypto.js';
import { codedError } from '../internal/modules/errors.js';
import { argType, asBuffer, callbackLater, toBytes, encodeOutput } from '../internal/crypto-bytes.js';
import { LazyTransform } from '../internal/lazy-transform.js';
import { Cipheriv, Decipheriv, createCipheriv, createDecipheriv, getCiphers, getCipherInfo } from '../internal/crypto-cipher.js';
import {
  constants, KeyObject, createPublicKey, createPrivateKey, createSecretKey, generateKeyPair, generateKeyPairSync,
  generateKey, generateKeySync, Sign, Verify, createSign, createVerify, sign, verify, publicEncrypt, privateDecrypt,
  privateEncrypt, publicDecrypt, diffieHellman, getCurves, ECDH, createECDH,
} from '../internal/crypto-keyobject.js';
import { DiffieHellman, DiffieHellmanGroup, createDiffieHellman, getDiffieHellman } from '../internal/crypto-dh.js';
import primordials from '../internal/primordials.js';

const { ArrayBufferIsView } = primordials;

const { randomFill: nativeRandomFill, hashNew, hashCopy, hmacNew, hashUpdate, hashFinal, pbkdf2: nativePbkdf2,
  scrypt: nativeScrypt, hkdf: nativeHkdf, timingSafeEqual: nativeTimingSafeEqual, digest: nativeDigest } = binding;

// Node's scrypt defaults (N = 16384, r = 8, p = 1) and its memory bound, 32 MiB.
const SCRYPT_DEFAULTS = { N: 16384, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };
// randomInt's range must be below 2^48 (Node: ERR_OUT_OF_RANGE).
const RANDOM_INT_RANGE = 2 ** 48;
const MAX_RANDOM_BYTES = 2 ** 31 - 1;

function outOfRange(name, range, value) {
  return codedError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${value}`);
}

function openHash(fn, algorithm, key, outputLength) {
  try {
    return key === undefined ? fn(`${algorithm}`, outputLength) : fn(`${algorithm}`, key);
  } catch (err) {
    if (/unsupported digest/.test(err.message)) {
      throw key === undefined ? new Error('Digest method not supported')
        : codedError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${algorithm}`);
    }
    if (/output length not supported/.test(err.message)) {
      throw codedError(Error, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid XOF digest length: ${outputLength} (not an extendable-output hash)`);
    }
    throw err;
  }
}

// Hash and Hmac are Transform streams as on Node (write the data, read the digest), built only
// when first used as one (LazyTransform).
class HashBase extends LazyTransform {
  #handle;
  #done = false;
  constructor(handle, options) {
    super(options);
    this.#handle = handle;
  }
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
  /** The native state, for Hash.copy. */
  static handleOf(hash) {
    if (hash.#done) throw codedError(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
    return hash.#handle;
  }
  _transform(chunk, encoding, callback) {
    this.update(chunk, encoding === 'buffer' ? undefined : encoding);
    callback();
  }
  _flush(callback) {
    this.push(this.digest());
    callback();
  }
}

function outputLengthOf(options) {
  const n = options?.outputLength;
  if (n === undefined) return undefined;
  if (typeof n !== 'number') throw argType('options.outputLength', 'of type number', n);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw outOfRange('options.outputLength', '>= 0 && <= 2147483647', n);
  return n;
}

export class Hash extends HashBase {
  constructor(algorithm, options = undefined) {
    // copy() passes the native state of the hash it copies.
    if (algorithm instanceof HashHandle) {
      super(algorithm.handle, options);
      return;
    }
    if (typeof algorithm !== 'string') throw argType('algorithm', 'of type string', algorithm);
    super(openHash(hashNew, algorithm, undefined, outputLengthOf(options)), options);
  }
  /** A new Hash with this one's state: both go on separately (Node's hash.copy([options])). */
  copy(options = undefined) {
    return new Hash(new HashHandle(hashCopy(HashBase.handleOf(this), outputLengthOf(options))), options);
  }
}

class HashHandle {
  constructor(handle) { this.handle = handle; }
}

export class Hmac extends HashBase {
  constructor(algorithm, key, options = undefined) {
    if (typeof algorithm !== 'string') throw argType('hmac', 'of type string', algorithm);
    const bytes = key instanceof KeyObject && key.type === 'secret' ? toBytes(key.export()) : toBytes(key, options?.encoding, 'key');
    super(openHash(hmacNew, algorithm, bytes), options);
  }
}

export function createHash(algorithm, options = undefined) { return new Hash(algorithm, options); }
export function createHmac(algorithm, key, options = undefined) { return new Hmac(algorithm, key, options); }

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

export function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  callbackLater(callback, () => [pbkdf2Sync(password, salt, iterations, keylen, digest)]);
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
  callbackLater(callback, () => [scryptSync(password, salt, keylen, options)]);
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
  callbackLater(callback, () => [hkdfSync(digest, ikm, salt, info, keylen)]);
}

export const subtle = webcrypto.subtle;
export { webcrypto };
export {
  constants, KeyObject, createPublicKey, createPrivateKey, createSecretKey, generateKeyPair, generateKeyPairSync,
  generateKey, generateKeySync, Sign, Verify, createSign, createVerify, sign, verify, publicEncrypt, privateDecrypt,
  privateEncrypt, publicDecrypt, diffieHellman, getCurves, ECDH, createECDH,
  DiffieHellman, DiffieHellmanGroup, createDiffieHellman, getDiffieHellman,
  getDiffieHellman as createDiffieHellmanGroup,
  Cipheriv, Decipheriv, createCipheriv, createDecipheriv, getCiphers, getCipherInfo,
};

export default {
  Hash, Hmac, createHash, createHmac, hash, getHashes, randomBytes, randomFill, randomFillSync, randomInt,
  randomUUID, getRandomValues, timingSafeEqual, pbkdf2, pbkdf2Sync, scrypt, scryptSync, hkdf, hkdfSync,
  subtle, webcrypto, constants, KeyObject, createPublicKey, createPrivateKey, createSecretKey, generateKeyPair,
  generateKeyPairSync, generateKey, generateKeySync, Sign, Verify, createSign, createVerify, sign, verify,
  publicEncrypt, privateDecrypt, privateEncrypt, publicDecrypt, diffieHellman, getCurves, ECDH, createECDH,
  DiffieHellman, DiffieHellmanGroup, createDiffieHellman, getDiffieHellman, createDiffieHellmanGroup: getDiffieHellman,
  Cipheriv, Decipheriv, createCipheriv, createDecipheriv, getCiphers, getCipherInfo,
};
