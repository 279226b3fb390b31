// Web Crypto (W3C Web Cryptography API): crypto.getRandomValues, crypto.randomUUID and
// crypto.subtle for digests, HMAC, AES-GCM/CBC/CTR, PBKDF2 and HKDF, with raw and JWK key
// import and export. Every computation is OpenSSL's (src/core/engine/binding-crypto.cc);
// this module checks arguments as the specification orders and shapes the results.
import binding from 'rtjs:binding';
import { DOMException } from './dom-exception.js';
import {
  ASYMMETRIC, isAsymmetric, generateKeyPair, importKeyPair, exportKeyPair, signAsymmetric, verifyAsymmetric,
  cryptAsymmetric, deriveAsymmetric,
} from './crypto-asymmetric.js';
import primordials from './primordials.js';

const {
  ArrayBuffer, ArrayBufferIsView, BigInt, JSONParse, JSONStringify, ObjectDefineProperty,
  ObjectFreeze, Promise, TypeError, Uint8Array,
} = primordials;

const { randomFill, digest: nativeDigest, hmacNew, hashUpdate, hashFinal, pbkdf2, hkdf, cipher } = binding;

// getRandomValues accepts integer typed arrays only, at most 65536 bytes (WebCrypto 10.1.1).
const MAX_RANDOM_BYTES = 65536;
const INTEGER_ARRAYS = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'];
const TypedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;

function typedArrayName(v) {
  return ArrayBufferIsView(v) ? Reflect.apply(TypedArrayTag, v, []) : undefined;
}

export function getRandomValues(array) {
  if (arguments.length < 1) throw new TypeError("Failed to execute 'getRandomValues': 1 argument required");
  const name = typedArrayName(array);
  if (name === undefined || !INTEGER_ARRAYS.includes(name)) {
    throw new DOMException("The provided ArrayBufferView is not an integer array type", 'TypeMismatchError');
  }
  if (array.byteLength > MAX_RANDOM_BYTES) {
    throw new DOMException(`The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`, 'QuotaExceededError');
  }
  randomFill(array);
  return array;
}

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

/** A version 4 UUID (RFC 9562 section 5.4) from 16 random bytes. */
export function randomUUID() {
  const b = new Uint8Array(16);
  randomFill(b);
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // variant 10
  const h = (i) => HEX[b[i]];
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

// ---- algorithm names and arguments --------------------------------------------------

export const DIGESTS = { 'SHA-1': 'SHA1', 'SHA-256': 'SHA256', 'SHA-384': 'SHA384', 'SHA-512': 'SHA512' };
const DIGEST_BITS = { 'SHA-1': 160, 'SHA-256': 256, 'SHA-384': 384, 'SHA-512': 512 };
const DIGEST_BLOCK_BITS = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
const ALGORITHMS = ['HMAC', 'AES-GCM', 'AES-CBC', 'AES-CTR', 'AES-KW', 'PBKDF2', 'HKDF', ...Object.keys(DIGESTS), ...ASYMMETRIC];

export function notSupported(what) { return new DOMException(what, 'NotSupportedError'); }
export function operationError(what) { return new DOMException(what, 'OperationError'); }
export function invalidAccess(what) { return new DOMException(what, 'InvalidAccessError'); }
export function dataError(what) { return new DOMException(what, 'DataError'); }
export function syntaxError(what) { return new DOMException(what, 'SyntaxError'); }

function canonicalName(name) {
  const upper = `${name}`.toUpperCase();
  for (const a of ALGORITHMS) if (a.toUpperCase() === upper) return a;
  throw notSupported(`Unrecognized algorithm name: ${name}`);
}

export function normalize(algorithm) {
  if (typeof algorithm === 'string') return { name: canonicalName(algorithm) };
  if (algorithm === null || typeof algorithm !== 'object') throw new TypeError('An algorithm must be a string or an object with a name');
  if (algorithm.name === undefined) throw new TypeError('The algorithm has no name');
  // WebIDL reads a dictionary's members with [[Get]]: inherited ones count (an object made
  // with Object.create(params) is params), not only the object's own.
  const out = {};
  for (const key in algorithm) out[key] = algorithm[key];
  out.name = canonicalName(algorithm.name);
  return out;
}

export function hashOf(algorithm) {
  if (algorithm.hash === undefined) throw new TypeError(`${algorithm.name} needs a hash`);
  const h = normalize(algorithm.hash).name;
  if (!DIGESTS[h]) throw notSupported(`${h} is not a hash`);
  return h;
}

/**
 * The bytes of a BufferSource, as a view: operations here run to completion within the
 * call, so nothing can change them meanwhile (the copy the specification takes is not
 * observable). Key material, which outlives the call, is copied with bytesOf.
 */
export function viewOf(data, what = 'data') {
  if (ArrayBufferIsView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`The ${what} must be an ArrayBuffer or an ArrayBufferView`);
}

/** A copy of the bytes of a BufferSource (key material, kept after the call). */
export function bytesOf(data, what = 'data') {
  if (ArrayBufferIsView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (data instanceof ArrayBuffer) return new Uint8Array(data).slice();
  throw new TypeError(`The ${what} must be an ArrayBuffer or an ArrayBufferView`);
}

// ---- CryptoKey ------------------------------------------------------------------------

const CONSTRUCT = Symbol('CryptoKey');
export let keyData;

export class CryptoKey {
  #type; #extractable; #algorithm; #usages; #data;
  constructor(key, type, extractable, algorithm, usages, data) {
    if (key !== CONSTRUCT) throw new TypeError('Illegal constructor');
    this.#type = type;
    this.#extractable = extractable;
    this.#algorithm = ObjectFreeze(algorithm);
    this.#usages = ObjectFreeze([...usages]);
    this.#data = data;
  }
  get type() { return this.#type; }
  get extractable() { return this.#extractable; }
  get algorithm() { return this.#algorithm; }
  get usages() { return this.#usages; }
  static { keyData = (k) => { if (!(#data in k)) throw new TypeError('not a CryptoKey'); return k.#data; }; }
}
ObjectDefineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });

/** A CryptoKey holding `data` (bytes for a secret key, an OpenSSL key handle otherwise). */
export function makeKey(type, extractable, algorithm, usages, data) {
  return new CryptoKey(CONSTRUCT, type, extractable, algorithm, usages, data);
}

function isKey(k) { return k instanceof CryptoKey; }

const USAGES = {
  HMAC: ['sign', 'verify'],
  'AES-GCM': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  'AES-CBC': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  'AES-CTR': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  'AES-KW': ['wrapKey', 'unwrapKey'],
  PBKDF2: ['deriveBits', 'deriveKey'],
  HKDF: ['deriveBits', 'deriveKey'],
};

function checkUsages(name, usages) {
  const allowed = USAGES[name];
  if (!allowed) throw notSupported(`${name} keys are not supported`);
  const list = [...usages];
  for (const u of list) if (!allowed.includes(u)) throw syntaxError(`Cannot create a ${name} key with usage '${u}'`);
  return list;
}

function useKey(key, name, usage) {
  if (!isKey(key)) throw new TypeError('The key must be a CryptoKey');
  if (key.algorithm.name !== name) throw invalidAccess(`The key is a ${key.algorithm.name} key, not ${name}`);
  if (!key.usages.includes(usage)) throw invalidAccess(`The key does not allow '${usage}'`);
  return keyData(key);
}

// ---- base64url for JWK ------------------------------------------------------------------

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export function toBase64Url(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += B64URL[(n >> 6) & 63];
    if (i + 2 < bytes.length) out += B64URL[n & 63];
  }
  return out;
}
export function fromBase64Url(s) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) throw dataError('Invalid base64url in the JWK');
  const out = new Uint8Array((s.length * 3) >> 2);
  let bits = 0, value = 0, j = 0;
  for (let i = 0; i < s.length; i++) {
    value = (value << 6) | B64URL.indexOf(s[i]);
    bits += 6;
    if (bits >= 8) { bits -= 8; out[j++] = (value >> bits) & 0xff; }
  }
  return out;
}

// ---- operations ----------------------------------------------------------------------

const USAGES_DERIVE = ['ECDH', 'X25519', 'X448'];
const AES_JWK = { 'AES-GCM': 'GCM', 'AES-CBC': 'CBC', 'AES-CTR': 'CTR', 'AES-KW': 'KW' };
// AES key wrap's initial value (RFC 3394 section 2.2.3.1).
const AES_KW_IV = new Uint8Array(8).fill(0xa6);

function importKeySync(format, keyDataIn, algorithm, extractable, usages) {
  const alg = normalize(algorithm);
  const name = alg.name;
  if (isAsymmetric(name)) return importKeyPair(format, keyDataIn, alg, extractable, usages);
  const list = checkUsages(name, usages);
  let raw;
  if (format === 'raw') {
    raw = bytesOf(keyDataIn, 'key data');
  } else if (format === 'jwk') {
    const jwk = keyDataIn;
    if (jwk === null || typeof jwk !== 'object') throw new TypeError('A JWK must be an object');
    if (jwk.kty !== 'oct') throw dataError(`A ${name} JWK has kty 'oct'`);
    raw = fromBase64Url(jwk.k);
    if (jwk.ext === false && extractable) throw dataError('The JWK is not extractable');
    if (jwk.key_ops !== undefined) for (const u of list) if (!jwk.key_ops.includes(u)) throw dataError(`The JWK's key_ops do not allow '${u}'`);
  } else if (format === 'spki' || format === 'pkcs8') {
    throw notSupported(`${format} import of ${name} keys is not supported`);
  } else {
    throw new TypeError(`Unknown key format '${format}'`);
  }
  if (name === 'HMAC') {
    const hash = hashOf(alg);
    let length = raw.length * 8;
    if (alg.length !== undefined) {
      if (alg.length > length || alg.length <= length - 8 || alg.length === 0) throw dataError('The HMAC length does not match the key');
      length = alg.length;
    }
    if (raw.length === 0) throw dataError('An HMAC key cannot be empty');
    if (format === 'jwk' && keyDataIn.alg !== undefined && keyDataIn.alg !== `HS${hash.slice(4) === '1' ? '1' : hash.slice(4)}`) {
      throw dataError(`The JWK alg '${keyDataIn.alg}' does not match ${hash}`);
    }
    return new CryptoKey(CONSTRUCT, 'secret', !!extractable, { name, hash: { name: hash }, length }, list, raw);
  }
  if (AES_JWK[name]) {
    if (![16, 24, 32].includes(raw.length)) throw dataError('An AES key is 128, 192 or 256 bits');
    if (format === 'jwk' && keyDataIn.alg !== undefined && keyDataIn.alg !== `A${raw.length * 8}${AES_JWK[name]}`) {
      throw dataError(`The JWK alg '${keyDataIn.alg}' does not match ${name}`);
    }
    return new CryptoKey(CONSTRUCT, 'secret', !!extractable, { name, length: raw.length * 8 }, list, raw);
  }
  // PBKDF2 and HKDF: raw only, never extractable.
  if (format !== 'raw') throw notSupported(`${name} keys are imported raw`);
  if (extractable) throw syntaxError(`${name} keys cannot be extractable`);
  return new CryptoKey(CONSTRUCT, 'secret', false, { name }, list, raw);
}

function exportKeySync(format, key) {
  if (!isKey(key)) throw new TypeError('The key must be a CryptoKey');
  if (!key.extractable) throw invalidAccess('The key is not extractable');
  const name = key.algorithm.name;
  if (key.type !== 'secret') return exportKeyPair(format, key);
  const raw = keyData(key);
  if (format === 'raw') return raw.slice().buffer;
  if (format === 'jwk') {
    const jwk = { key_ops: [...key.usages], ext: true, kty: 'oct', k: toBase64Url(raw) };
    if (name === 'HMAC') jwk.alg = `HS${key.algorithm.hash.name.slice(4)}`;
    else if (AES_JWK[name]) jwk.alg = `A${raw.length * 8}${AES_JWK[name]}`;
    return jwk;
  }
  throw notSupported(`${format} export of ${name} keys is not supported`);
}

function generateKeySync(algorithm, extractable, usages) {
  const alg = normalize(algorithm);
  if (isAsymmetric(alg.name)) return generateKeyPair(alg, extractable, usages);
  let bytes;
  if (alg.name === 'HMAC') {
    const hash = hashOf(alg);
    const bits = alg.length ?? DIGEST_BLOCK_BITS[hash];
    if (!(bits > 0)) throw operationError('The HMAC length must be positive');
    bytes = new Uint8Array((bits + 7) >> 3);
  } else if (AES_JWK[alg.name]) {
    if (![128, 192, 256].includes(alg.length)) throw operationError('An AES key is 128, 192 or 256 bits');
    bytes = new Uint8Array(alg.length >> 3);
  } else {
    throw notSupported(`generateKey for ${alg.name} is not supported`);
  }
  const list = checkUsages(alg.name, usages);
  if (list.length === 0) throw syntaxError('A secret key needs at least one usage');
  randomFill(bytes);
  return importKeySync('raw', bytes, alg, extractable, list);
}

function aesParams(alg, key, data, encrypt, usage) {
  const k = useKey(key, alg.name, usage);
  const bits = k.length * 8;
  if (alg.name === 'AES-GCM') {
    const iv = bytesOf(alg.iv, 'iv');
    if (iv.length === 0) throw operationError('The AES-GCM iv cannot be empty');
    const tagLength = alg.tagLength ?? 128;
    if (![32, 64, 96, 104, 112, 120, 128].includes(tagLength)) throw operationError(`Invalid AES-GCM tagLength ${tagLength}`);
    if (!encrypt && data.length < tagLength / 8) throw operationError('The data is shorter than the tag');
    const aad = alg.additionalData === undefined ? new Uint8Array(0) : bytesOf(alg.additionalData, 'additionalData');
    return [`AES-${bits}-GCM`, k, iv, aad, tagLength / 8];
  }
  if (alg.name === 'AES-CBC') {
    const iv = bytesOf(alg.iv, 'iv');
    if (iv.length !== 16) throw operationError('The AES-CBC iv is 16 bytes');
    return [`AES-${bits}-CBC`, k, iv, new Uint8Array(0), 0];
  }
  const counter = bytesOf(alg.counter, 'counter');
  if (counter.length !== 16) throw operationError('The AES-CTR counter is 16 bytes');
  if (!(alg.length >= 1 && alg.length <= 128)) throw operationError('The AES-CTR length is 1 to 128 bits');
  return [`AES-${bits}-CTR`, k, counter, new Uint8Array(0), alg.length];
}

function bigOf(bytes) { let n = 0n; for (const b of bytes) n = (n << 8n) | BigInt(b); return n; }
function bytesOfBig(n) { const out = new Uint8Array(16); for (let i = 15; i >= 0; i--) { out[i] = Number(n & 0xffn); n >>= 8n; } return out; }

// AES-CTR with a counter of `length` bits that wraps within the block (WebCrypto), where
// OpenSSL counts with the whole block: split the message where the counter would carry.
function aesCtr(name, key, counter, data, length) {
  const blocks = BigInt((data.length + 15) >> 4);
  const mod = 1n << BigInt(length);
  const whole = bigOf(counter);
  const low = whole % mod;
  if (low + blocks <= mod) return new Uint8Array(cipher(name, true, key, counter, data, new Uint8Array(0), 0));
  if (blocks > mod) throw operationError('The AES-CTR counter would repeat');
  const firstBytes = Number(mod - low) * 16;
  const a = new Uint8Array(cipher(name, true, key, counter, data.subarray(0, firstBytes), new Uint8Array(0), 0));
  const wrapped = bytesOfBig(whole - low);
  const b = new Uint8Array(cipher(name, true, key, wrapped, data.subarray(firstBytes), new Uint8Array(0), 0));
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function crypt(encrypt, algorithm, key, dataIn, usage = encrypt ? 'encrypt' : 'decrypt') {
  const alg = normalize(algorithm);
  if (!isKey(key)) throw new TypeError('The key must be a CryptoKey');
  if (alg.name === 'RSA-OAEP') return cryptAsymmetric(encrypt, alg, key, dataIn, usage);
  if (!AES_JWK[alg.name] || (alg.name === 'AES-KW' && (usage === 'encrypt' || usage === 'decrypt'))) {
    throw notSupported(`${alg.name} cannot ${encrypt ? 'encrypt' : 'decrypt'}`);
  }
  if (alg.name === 'AES-KW') {
    const k = useKey(key, alg.name, usage);
    const data = viewOf(dataIn);
    if (data.length % 8 !== 0 || data.length < (encrypt ? 16 : 24)) throw operationError('AES-KW wraps a multiple of 8 bytes, at least 16');
    try {
      return cipher(`id-aes${k.length * 8}-wrap`, encrypt, k, AES_KW_IV, data, new Uint8Array(0), 0);
    } catch (err) {
      throw operationError(`The operation failed for an operation-specific reason (${err.message})`);
    }
  }
  const data = viewOf(dataIn);
  const [name, k, iv, aad, extra] = aesParams(alg, key, data, encrypt, usage);
  if (alg.name === 'AES-CTR') return aesCtr(name, k, iv, data, extra).buffer;
  try {
    return cipher(name, encrypt, k, iv, data, aad, extra);
  } catch (err) {
    throw operationError(`The operation failed for an operation-specific reason (${err.message})`);
  }
}

function hmacOf(key, data, usage) {
  const k = useKey(key, 'HMAC', usage);
  const h = hmacNew(DIGESTS[key.algorithm.hash.name], k);
  hashUpdate(h, data);
  return new Uint8Array(hashFinal(h));
}

function deriveBitsSync(algorithm, baseKey, length, usage = 'deriveBits') {
  const alg = normalize(algorithm);
  if (!isKey(baseKey)) throw new TypeError('The key must be a CryptoKey');
  if (isAsymmetric(alg.name)) {
    if (USAGES_DERIVE.includes(alg.name)) return deriveAsymmetric(alg, baseKey, length, usage);
    throw notSupported(`${alg.name} cannot derive bits`);
  }
  const k = useKey(baseKey, alg.name, usage);
  if (length === null || length === undefined) throw operationError(`${alg.name} needs a length`);
  if (length % 8 !== 0) throw operationError('The length must be a multiple of 8');
  if (alg.name === 'PBKDF2') {
    const hash = hashOf(alg);
    if (!(alg.iterations > 0)) throw operationError('PBKDF2 iterations must be positive');
    return pbkdf2(DIGESTS[hash], k, bytesOf(alg.salt, 'salt'), alg.iterations, length / 8);
  }
  if (alg.name === 'HKDF') {
    const hash = hashOf(alg);
    if (length / 8 > 255 * (DIGEST_BITS[hash] / 8)) throw operationError('HKDF cannot derive that many bits');
    return hkdf(DIGESTS[hash], k, bytesOf(alg.salt, 'salt'), bytesOf(alg.info, 'info'), length / 8);
  }
  throw notSupported(`${alg.name} cannot derive bits`);
}

function derivedKeyLength(alg) {
  const a = normalize(alg);
  if (AES_JWK[a.name]) {
    if (![128, 192, 256].includes(a.length)) throw operationError('An AES key is 128, 192 or 256 bits');
    return a.length;
  }
  if (a.name === 'HMAC') return a.length ?? DIGEST_BLOCK_BITS[hashOf(a)];
  throw notSupported(`Cannot derive a ${a.name} key`);
}

// Each method runs its steps at once and settles a promise, as the specification's
// "in parallel" steps observably do; errors become rejections.
function settle(fn) {
  return new Promise((resolve) => resolve(fn()));
}

function need(args, n, what) {
  if (args.length < n) throw new TypeError(`Failed to execute '${what}' on 'SubtleCrypto': ${n} arguments required, but only ${args.length} present`);
}

export class SubtleCrypto {
  constructor(key = undefined) { if (key !== CONSTRUCT) throw new TypeError('Illegal constructor'); }
  digest(algorithm, data) {
    return settle(() => {
      need(arguments, 2, 'digest');
      const name = normalize(algorithm).name;
      if (!DIGESTS[name]) throw notSupported(`${name} is not a digest`);
      return nativeDigest(DIGESTS[name], viewOf(data));
    });
  }
  importKey(format, keyDataIn, algorithm, extractable, usages) {
    return settle(() => { need(arguments, 5, 'importKey'); return importKeySync(format, keyDataIn, algorithm, extractable, usages); });
  }
  exportKey(format, key) {
    return settle(() => { need(arguments, 2, 'exportKey'); return exportKeySync(format, key); });
  }
  generateKey(algorithm, extractable, usages) {
    return settle(() => { need(arguments, 3, 'generateKey'); return generateKeySync(algorithm, extractable, usages); });
  }
  sign(algorithm, key, data) {
    return settle(() => {
      need(arguments, 3, 'sign');
      const alg = normalize(algorithm);
      if (!isKey(key)) throw new TypeError('The key must be a CryptoKey');
      if (isAsymmetric(alg.name)) return signAsymmetric(alg, key, data);
      if (alg.name !== 'HMAC') throw notSupported(`sign with ${alg.name} is not supported`);
      return hmacOf(key, viewOf(data), 'sign').buffer;
    });
  }
  verify(algorithm, key, signature, data) {
    return settle(() => {
      need(arguments, 4, 'verify');
      const alg = normalize(algorithm);
      if (!isKey(key)) throw new TypeError('The key must be a CryptoKey');
      if (isAsymmetric(alg.name)) return verifyAsymmetric(alg, key, signature, data);
      if (alg.name !== 'HMAC') throw notSupported(`verify with ${alg.name} is not supported`);
      const sig = bytesOf(signature, 'signature');
      const mac = hmacOf(key, viewOf(data), 'verify');
      return sig.length === mac.length && binding.timingSafeEqual(sig, mac);
    });
  }
  encrypt(algorithm, key, data) {
    return settle(() => { need(arguments, 3, 'encrypt'); return crypt(true, algorithm, key, data); });
  }
  decrypt(algorithm, key, data) {
    return settle(() => { need(arguments, 3, 'decrypt'); return crypt(false, algorithm, key, data); });
  }
  // wrapKey and unwrapKey (section 14.3.11-12): export then encrypt, decrypt then import;
  // a JWK travels as its JSON text.
  wrapKey(format, key, wrappingKey, wrapAlgorithm) {
    return settle(() => {
      need(arguments, 4, 'wrapKey');
      if (!isKey(wrappingKey)) throw new TypeError('The wrapping key must be a CryptoKey');
      if (!wrappingKey.usages.includes('wrapKey')) throw invalidAccess("The wrapping key does not allow 'wrapKey'");
      const exported = exportKeySync(format, key);
      const bytes = format === 'jwk' ? new TextEncoder().encode(JSONStringify(exported)) : exported;
      return crypt(true, wrapAlgorithm, wrappingKey, bytes, 'wrapKey');
    });
  }
  unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, usages) {
    return settle(() => {
      need(arguments, 7, 'unwrapKey');
      if (!isKey(unwrappingKey)) throw new TypeError('The unwrapping key must be a CryptoKey');
      if (!unwrappingKey.usages.includes('unwrapKey')) throw invalidAccess("The unwrapping key does not allow 'unwrapKey'");
      const bytes = crypt(false, unwrapAlgorithm, unwrappingKey, wrappedKey, 'unwrapKey');
      let material = bytes;
      if (format === 'jwk') {
        try { material = JSONParse(new TextDecoder().decode(bytes)); } catch { throw dataError('The unwrapped key is not a JWK'); }
      }
      return importKeySync(format, material, unwrappedKeyAlgorithm, extractable, usages);
    });
  }
  deriveBits(algorithm, baseKey, length) {
    return settle(() => { need(arguments, 3, 'deriveBits'); return deriveBitsSync(algorithm, baseKey, length); });
  }
  deriveKey(algorithm, baseKey, derivedKeyAlgorithm, extractable, usages) {
    return settle(() => {
      need(arguments, 5, 'deriveKey');
      const bits = deriveBitsSync(algorithm, baseKey, derivedKeyLength(derivedKeyAlgorithm), 'deriveKey');
      return importKeySync('raw', bits, derivedKeyAlgorithm, extractable, usages);
    });
  }
}
ObjectDefineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true });

export class Crypto {
  #subtle = new SubtleCrypto(CONSTRUCT);
  constructor(key = undefined) { if (key !== CONSTRUCT) throw new TypeError('Illegal constructor'); }
  get subtle() { return this.#subtle; }
  getRandomValues(array) { return getRandomValues(array); }
  randomUUID() { return randomUUID(); }
}
ObjectDefineProperty(Crypto.prototype, Symbol.toStringTag, { value: 'Crypto', configurable: true });

export const crypto = new Crypto(CONSTRUCT);
