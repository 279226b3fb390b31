// node:crypto's asymmetric half (nodejs.org/api/crypto.html): KeyObject and its factories,
// generateKeyPair(Sync), Sign/Verify and sign/verify, the RSA public/private encryptions,
// ECDH and diffieHellman. Keys are OpenSSL key handles (binding-pkey.cc): the material
// leaves OpenSSL only through KeyObject#export.
import binding from 'rtjs:binding';
import { codedError } from './modules/errors.js';
import { argType, asBuffer, callbackLater, toBytes, encodeOutput } from './crypto-bytes.js';
import { CryptoKey, keyData as cryptoKeyData, toBase64Url, fromBase64Url } from './crypto.js';
import primordials from './primordials.js';

const { ArrayBuffer, ArrayBufferIsView, BigInt, ObjectFreeze, Uint8Array } = primordials;

const { keyGenerate, keyDecode, keyEncode, keyFromRaw, keyRaw, keyComponents, keyFromComponents, keyInfo,
  keyPublic, keyEquals, pkeySign, pkeyVerify, pkeyDerive, pkeyCrypt, ecPointConvert } = binding;

// Node's crypto.constants for RSA (the values of openssl/rsa.h).
export const constants = ObjectFreeze({
  RSA_PKCS1_PADDING: 1,
  RSA_NO_PADDING: 3,
  RSA_PKCS1_OAEP_PADDING: 4,
  RSA_X931_PADDING: 5,
  RSA_PKCS1_PSS_PADDING: 6,
  RSA_PSS_SALTLEN_DIGEST: -1,
  RSA_PSS_SALTLEN_MAX_SIGN: -2,
  RSA_PSS_SALTLEN_AUTO: -2,
  POINT_CONVERSION_COMPRESSED: 2,
  POINT_CONVERSION_UNCOMPRESSED: 4,
  POINT_CONVERSION_HYBRID: 6,
});

// JWK curve names (RFC 7518 section 6.2.1.1) and OpenSSL's group names.
const JWK_CURVE = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'secp256k1' };
const GROUP_OF_JWK = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', secp256k1: 'secp256k1' };
// node:crypto's names of the RFC 3526 groups -> OpenSSL's (RFC 2409's modp1 and modp2 have none).
const DH_GROUPS = { modp5: 'modp_1536', modp14: 'modp_2048', modp15: 'modp_3072', modp16: 'modp_4096', modp17: 'modp_6144', modp18: 'modp_8192' };
const OKP_TYPES = { ed25519: 'Ed25519', ed448: 'Ed448', x25519: 'X25519', x448: 'X448' };
const JWK_RSA = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'];

function argValue(name, value, reason = 'is invalid') {
  return codedError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument '${name}' ${reason}. Received ${typeof value === 'string' ? `'${value}'` : typeof value}`);
}
function invalidKey(message) { return codedError(Error, 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', message); }

/** The bytes of a string in `encoding` or of a view/ArrayBuffer (crypto-bytes.js's toBytes). */
export const bytesFrom = toBytes;

function encodeOut(ab, encoding) {
  return encodeOutput(ab instanceof Uint8Array ? ab : new Uint8Array(ab), encoding);
}

// ---- KeyObject ------------------------------------------------------------------------------

const CONSTRUCT = Symbol('KeyObject');
let handleOf;

export class KeyObject {
  #type;
  #data; // secret: a Uint8Array; otherwise an OpenSSL key handle
  constructor(type, data) {
    if (data === undefined || type?.[CONSTRUCT] === undefined) {
      throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
    }
    this.#type = type[CONSTRUCT];
    this.#data = data;
  }
  get type() { return this.#type; }
  get asymmetricKeyType() { return this.#type === 'secret' ? undefined : keyInfo(this.#data).type; }
  get asymmetricKeyDetails() {
    if (this.#type === 'secret') return undefined;
    const info = keyInfo(this.#data);
    if (info.type === 'rsa' || info.type === 'rsa-pss') {
      const e = new Uint8Array(info.publicExponent).reduce((n, b) => (n << 8n) | BigInt(b), 0n);
      return { modulusLength: info.bits, publicExponent: e };
    }
    if (info.type === 'ec') return { namedCurve: info.curve };
    return {};
  }
  get symmetricKeySize() { return this.#type === 'secret' ? this.#data.length : undefined; }
  equals(other) {
    if (!(other instanceof KeyObject)) throw argType('otherKeyObject', 'an instance of KeyObject', other);
    if (other.type !== this.#type) return false;
    const theirs = handleOf(other);
    if (this.#type === 'secret') {
      return theirs.length === this.#data.length && binding.timingSafeEqual(theirs, this.#data);
    }
    return keyEquals(this.#data, theirs);
  }
  export(options = undefined) {
    if (this.#type === 'secret') {
      if (options?.format === 'jwk') return { kty: 'oct', k: toBase64Url(this.#data) };
      return asBuffer(this.#data.slice());
    }
    if (options === null || typeof options !== 'object') throw argType('options', 'of type object', options);
    return exportAsymmetric(this.#data, this.#type, options);
  }
  static from(key) {
    if (!(key instanceof CryptoKey)) throw argType('key', 'an instance of CryptoKey', key);
    const data = cryptoKeyData(key);
    return key.type === 'secret' ? newKeyObject('secret', data.slice()) : newKeyObject(key.type, data);
  }
  get [Symbol.toStringTag]() { return 'KeyObject'; }
  static { handleOf = (k) => k.#data; }
}

export class SecretKeyObject extends KeyObject {}
export class PublicKeyObject extends KeyObject {}
export class PrivateKeyObject extends KeyObject {}

function newKeyObject(type, data) {
  const Ctor = type === 'secret' ? SecretKeyObject : type === 'public' ? PublicKeyObject : PrivateKeyObject;
  return new Ctor({ [CONSTRUCT]: type }, data);
}

function exportAsymmetric(handle, type, options) {
  const format = options.format ?? 'pem';
  const info = keyInfo(handle);
  const isPrivate = type === 'private';
  if (format === 'jwk') return jwkOf(handle, info, isPrivate);
  if (format !== 'pem' && format !== 'der') throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', `The property 'options.format' must be one of: 'pem', 'der', 'jwk'. Received '${format}'`);
  const kind = options.type;
  let structure;
  if (kind === 'spki' && !isPrivate) structure = 'SubjectPublicKeyInfo';
  else if (kind === 'pkcs8' && isPrivate) structure = 'PrivateKeyInfo';
  else if (kind === 'pkcs1' && (info.type === 'rsa')) structure = 'type-specific';
  else if (kind === 'sec1' && isPrivate && info.type === 'ec') structure = 'type-specific';
  else throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', `The property 'options.type' is invalid for a ${type} ${info.type} key. Received '${kind}'`);
  let cipher;
  let passphrase;
  if (options.cipher !== undefined) {
    if (!isPrivate) throw codedError(TypeError, 'ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS', 'A public key cannot be encrypted');
    if (format === 'der' && kind !== 'pkcs8') throw codedError(Error, 'ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS', `The selected key encoding ${kind} does not support encryption.`);
    cipher = `${options.cipher}`;
    if (options.passphrase === undefined) throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The property 'options.passphrase' is required with a cipher");
    passphrase = bytesFrom(options.passphrase, 'utf8', 'options.passphrase');
    if (kind === 'pkcs8') structure = 'EncryptedPrivateKeyInfo';
  }
  const out = keyEncode(handle, format === 'pem' ? 'PEM' : 'DER', structure, isPrivate, cipher, passphrase);
  return format === 'pem' ? out : asBuffer(out);
}

function jwkOf(handle, info, isPrivate) {
  if (info.type === 'rsa') {
    const parts = keyComponents(handle, isPrivate);
    const jwk = { kty: 'RSA' };
    for (const k of JWK_RSA) if (parts[k] !== undefined) jwk[k] = toBase64Url(new Uint8Array(parts[k]));
    return jwk;
  }
  if (info.type === 'ec') {
    const crv = JWK_CURVE[info.curve];
    if (!crv) throw codedError(Error, 'ERR_CRYPTO_JWK_UNSUPPORTED_CURVE', `Unsupported JWK EC curve: ${info.curve}.`);
    const parts = keyComponents(handle, isPrivate);
    const jwk = { kty: 'EC', x: toBase64Url(new Uint8Array(parts.x)), y: toBase64Url(new Uint8Array(parts.y)), crv };
    if (isPrivate) jwk.d = toBase64Url(new Uint8Array(parts.d));
    return jwk;
  }
  if (OKP_TYPES[info.type]) {
    const jwk = { crv: OKP_TYPES[info.type] };
    if (isPrivate) jwk.d = toBase64Url(new Uint8Array(keyRaw(handle, true, false)));
    jwk.x = toBase64Url(new Uint8Array(keyRaw(handle, false, false)));
    jwk.kty = 'OKP';
    return jwk;
  }
  throw codedError(Error, 'ERR_CRYPTO_JWK_UNSUPPORTED_KEY_TYPE', `Unsupported JWK Key Type: ${info.type}`);
}

function handleFromJwk(jwk, wantPrivate) {
  if (jwk === null || typeof jwk !== 'object') throw argType('key.key', 'of type object', jwk);
  const field = (k) => {
    if (typeof jwk[k] !== 'string') throw codedError(TypeError, 'ERR_CRYPTO_INVALID_JWK', 'Invalid JWK data');
    return fromBase64Url(jwk[k]);
  };
  const isPrivate = wantPrivate && jwk.d !== undefined;
  if (wantPrivate && !isPrivate) throw codedError(TypeError, 'ERR_CRYPTO_INVALID_JWK', 'Invalid JWK private key');
  try {
    if (jwk.kty === 'RSA') {
      const parts = { n: field('n'), e: field('e') };
      if (isPrivate) for (const k of JWK_RSA.slice(2)) parts[k] = field(k);
      return keyFromComponents('RSA', '', parts);
    }
    if (jwk.kty === 'EC') {
      const group = GROUP_OF_JWK[jwk.crv];
      if (!group) throw codedError(TypeError, 'ERR_CRYPTO_INVALID_JWK', 'Invalid JWK EC key');
      const parts = { x: field('x'), y: field('y') };
      if (isPrivate) parts.d = field('d');
      return keyFromComponents('EC', group, parts);
    }
    if (jwk.kty === 'OKP') {
      const type = { Ed25519: 'ED25519', Ed448: 'ED448', X25519: 'X25519', X448: 'X448' }[jwk.crv];
      if (!type) throw codedError(TypeError, 'ERR_CRYPTO_INVALID_JWK', 'Invalid JWK OKP key');
      return isPrivate ? keyFromRaw(type, '', field('d'), true) : keyFromRaw(type, '', field('x'), false);
    }
  } catch (err) {
    if (err.code) throw err;
    throw codedError(TypeError, 'ERR_CRYPTO_INVALID_JWK', `Invalid JWK data: ${err.message}`);
  }
  throw codedError(TypeError, 'ERR_CRYPTO_INVALID_JWK', "Invalid JWK: kty must be 'RSA', 'EC' or 'OKP'");
}

const STRUCTURES = { spki: 'SubjectPublicKeyInfo', pkcs8: '', pkcs1: 'type-specific', sec1: 'type-specific' };
const TYPE_OF = { pkcs1: 'RSA', sec1: 'EC' };

function decodeError(err, isPrivate) {
  return codedError(Error, 'ERR_OSSL_UNSUPPORTED', `error:1E08010C:DECODER routines::unsupported (${isPrivate ? 'private' : 'public'} key: ${err.message})`);
}

/**
 * A key handle from what Node accepts as a key: a KeyObject, a CryptoKey, PEM text or
 * bytes, or { key, format, type, passphrase, encoding }. `want` is 'public' (a private key
 * given is reduced to its public half) or 'private'. Returns [handle, type].
 */
function prepareKey(input, want, name = 'key') {
  if (input instanceof KeyObject) return fromKeyObject(input, want);
  if (input instanceof CryptoKey) return fromKeyObject(KeyObject.from(input), want);
  let options = {};
  let data = input;
  if (input !== null && typeof input === 'object' && !ArrayBufferIsView(input) && !(input instanceof ArrayBuffer)) {
    options = input;
    data = input.key;
    if (data instanceof KeyObject || data instanceof CryptoKey) return prepareKey(data, want, name);
  }
  const format = options.format ?? 'pem';
  if (format === 'jwk') {
    const handle = handleFromJwk(data, want === 'private');
    return want === 'private' || !keyInfo(handle).private ? [handle, want] : [keyPublic(handle), 'public'];
  }
  if (typeof data !== 'string' && !ArrayBufferIsView(data) && !(data instanceof ArrayBuffer)) {
    throw argType(name, 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey', data);
  }
  if (format !== 'pem' && format !== 'der') throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', `The property '${name}.format' is invalid. Received '${format}'`);
  const bytes = bytesFrom(data, options.encoding, name);
  const passphrase = options.passphrase === undefined ? undefined : bytesFrom(options.passphrase, 'utf8', 'passphrase');
  const type = options.type;
  if (format === 'der' && STRUCTURES[type] === undefined) throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', `The property '${name}.type' is invalid. Received ${type}`);
  const structure = format === 'pem' ? '' : STRUCTURES[type];
  const input2 = format === 'pem' ? 'PEM' : 'DER';
  const keyType = format === 'pem' ? undefined : TYPE_OF[type];
  if (want === 'private') {
    try { return [keyDecode(bytes, input2, structure, true, passphrase, keyType), 'private']; } catch (err) { throw decodeError(err, true); }
  }
  // A public key, or a private key (for its public half) when no public one is there.
  if (type !== 'pkcs8' && type !== 'sec1') {
    try { return [keyDecode(bytes, input2, type === 'pkcs1' || format === 'pem' ? structure : 'SubjectPublicKeyInfo', false, undefined, keyType), 'public']; } catch { /* try private */ }
  }
  try {
    return [keyPublic(keyDecode(bytes, input2, structure, true, passphrase, keyType)), 'public'];
  } catch (err) {
    throw decodeError(err, false);
  }
}

function fromKeyObject(key, want) {
  if (key.type === 'secret') throw invalidKey(`Invalid key object type secret, expected ${want}.`);
  if (want === 'private' && key.type !== 'private') throw invalidKey(`Invalid key object type ${key.type}, expected private.`);
  if (want === 'public' && key.type === 'private') return [keyPublic(handleOf(key)), 'public'];
  return [handleOf(key), key.type];
}

export function createPublicKey(key) {
  const [handle] = prepareKey(key, 'public');
  return newKeyObject('public', handle);
}

export function createPrivateKey(key) {
  const [handle] = prepareKey(key, 'private');
  return newKeyObject('private', handle);
}

export function createSecretKey(key, encoding = undefined) {
  return newKeyObject('secret', bytesFrom(key, encoding, 'key').slice());
}

// ---- generateKeyPair ----------------------------------------------------------------------------

function encodeGenerated(key, encoding) {
  if (encoding === undefined) return key;
  if (encoding === null || typeof encoding !== 'object') throw argType('options.publicKeyEncoding', 'of type object', encoding);
  return key.export(encoding);
}

export function generateKeyPairSync(type, options = {}) {
  if (typeof type !== 'string') throw argType('type', 'of type string', type);
  const o = options ?? {};
  let handle;
  switch (type) {
    case 'rsa': case 'rsa-pss': {
      if (!Number.isInteger(o.modulusLength) || o.modulusLength < 0) throw argType('options.modulusLength', 'of type number', o.modulusLength);
      const e = o.publicExponent ?? 0x10001;
      const exponent = new Uint8Array(4);
      new DataView(exponent.buffer).setUint32(0, e);
      handle = keyGenerate(type === 'rsa' ? 'RSA' : 'RSA-PSS', { modulusLength: o.modulusLength, publicExponent: exponent });
      break;
    }
    case 'ec': {
      if (typeof o.namedCurve !== 'string') throw argType('options.namedCurve', 'of type string', o.namedCurve);
      try { handle = keyGenerate('EC', { curve: o.namedCurve }); } catch { throw codedError(TypeError, 'ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name'); }
      break;
    }
    case 'ed25519': case 'ed448': case 'x25519': case 'x448':
      handle = keyGenerate(type.toUpperCase(), {});
      break;
    case 'dh': {
      if (typeof o.group !== 'string') throw argType('options.group', 'of type string', o.group);
      const group = DH_GROUPS[o.group];
      if (group === undefined) throw codedError(Error, 'ERR_CRYPTO_UNKNOWN_DH_GROUP', 'Unknown DH group');
      handle = keyGenerate('DH', { group });
      break;
    }
    default:
      throw argValue('type', type, 'must be a supported key type');
  }
  const publicKey = encodeGenerated(newKeyObject('public', keyPublic(handle)), o.publicKeyEncoding);
  const privateKey = encodeGenerated(newKeyObject('private', handle), o.privateKeyEncoding);
  return { publicKey, privateKey };
}

export function generateKeyPair(type, options, callback = undefined) {
  if (typeof options === 'function') { callback = options; options = {}; }
  callbackLater(callback, () => { const { publicKey, privateKey } = generateKeyPairSync(type, options); return [publicKey, privateKey]; });
}

export function generateKeySync(type, options) {
  if (type !== 'hmac' && type !== 'aes') throw argValue('type', type, "must be a supported key type");
  const length = options?.length;
  if (!Number.isInteger(length)) throw argType('options.length', 'of type number', length);
  const bytes = new Uint8Array(length >> 3);
  binding.randomFill(bytes);
  return newKeyObject('secret', bytes);
}

export function generateKey(type, options, callback) {
  callbackLater(callback, () => [generateKeySync(type, options)]);
}

// ---- signatures ------------------------------------------------------------------------------------

function signOptions(input) {
  const o = input !== null && typeof input === 'object' && !(input instanceof KeyObject) && !(input instanceof CryptoKey) &&
    !ArrayBufferIsView(input) ? input : {};
  const options = {};
  if (o.padding !== undefined) options.padding = o.padding;
  if (o.saltLength !== undefined) options.saltLength = o.saltLength;
  if (o.dsaEncoding !== undefined) {
    if (o.dsaEncoding !== 'der' && o.dsaEncoding !== 'ieee-p1363') throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', `The property 'options.dsaEncoding' is invalid. Received '${o.dsaEncoding}'`);
    options.dsaEncoding = o.dsaEncoding;
  }
  return options;
}

function digestFor(algorithm, handle) {
  const type = keyInfo(handle).type;
  if (type === 'ed25519' || type === 'ed448') return '';
  if (algorithm === undefined || algorithm === null) return type === 'rsa' || type === 'rsa-pss' || type === 'ec' ? 'SHA256' : '';
  return `${algorithm}`;
}

function invalidDigest(err, algorithm) {
  if (/unsupported digest/.test(err.message)) return codedError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${algorithm}`);
  return err;
}

function signWith(algorithm, data, key) {
  const [handle] = prepareKey(key, 'private');
  try {
    return pkeySign(handle, digestFor(algorithm, handle), data, signOptions(key));
  } catch (err) { throw invalidDigest(err, algorithm); }
}

function verifyWith(algorithm, data, key, signature) {
  const [handle] = prepareKey(key, 'public');
  try {
    return pkeyVerify(handle, digestFor(algorithm, handle), data, signature, signOptions(key));
  } catch (err) { throw invalidDigest(err, algorithm); }
}

class Accumulator {
  #algorithm;
  #chunks = [];
  #length = 0;
  constructor(algorithm) {
    if (typeof algorithm !== 'string') throw argType('algorithm', 'of type string', algorithm);
    this.#algorithm = algorithm;
  }
  update(data, encoding = undefined) {
    const bytes = bytesFrom(data, encoding).slice();
    this.#chunks.push(bytes);
    this.#length += bytes.length;
    return this;
  }
  write(data, encoding = undefined) { this.update(data, encoding); return true; }
  end(data = undefined, encoding = undefined) { if (data !== undefined) this.update(data, encoding); return this; }
  get algorithm() { return this.#algorithm; }
  data() {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) { out.set(c, at); at += c.length; }
    return out;
  }
}

export class Sign extends Accumulator {
  sign(privateKey, outputEncoding = undefined) {
    return encodeOut(signWith(this.algorithm, this.data(), privateKey), outputEncoding);
  }
}

export class Verify extends Accumulator {
  verify(publicKey, signature, signatureEncoding = undefined) {
    return verifyWith(this.algorithm, this.data(), publicKey, bytesFrom(signature, signatureEncoding, 'signature'));
  }
}

export function createSign(algorithm) { return new Sign(algorithm); }
export function createVerify(algorithm) { return new Verify(algorithm); }

/** crypto.sign(algorithm, data, key[, callback]): algorithm null for Ed25519/Ed448. */
export function sign(algorithm, data, key, callback = undefined) {
  const run = () => asBuffer(signWith(algorithm, bytesFrom(data, undefined, 'data'), key));
  if (callback === undefined) return run();
  callbackLater(callback, () => [run()]);
  return undefined;
}

export function verify(algorithm, data, key, signature, callback = undefined) {
  const run = () => verifyWith(algorithm, bytesFrom(data, undefined, 'data'), key, bytesFrom(signature, undefined, 'signature'));
  if (callback === undefined) return run();
  callbackLater(callback, () => [run()]);
  return undefined;
}

// ---- RSA encryption --------------------------------------------------------------------------------

function rsaCrypt(op, want, defaultPadding, key, buffer) {
  const [handle] = prepareKey(key, want);
  const o = key !== null && typeof key === 'object' && !(key instanceof KeyObject) && !ArrayBufferIsView(key) ? key : {};
  const padding = o.padding ?? defaultPadding;
  const options = { padding };
  if (padding === constants.RSA_PKCS1_OAEP_PADDING) {
    options.oaepHash = o.oaepHash === undefined ? 'SHA1' : `${o.oaepHash}`;
    if (o.oaepLabel !== undefined) options.oaepLabel = bytesFrom(o.oaepLabel, undefined, 'oaepLabel');
  }
  try {
    return asBuffer(pkeyCrypt(handle, op, bytesFrom(buffer, undefined, 'buffer'), options));
  } catch (err) {
    throw codedError(Error, 'ERR_OSSL_RSA_OPERATION', `${op === 'encrypt' || op === 'sign' ? 'encryption' : 'decryption'} failed: ${err.message}`);
  }
}

export function publicEncrypt(key, buffer) { return rsaCrypt('encrypt', 'public', constants.RSA_PKCS1_OAEP_PADDING, key, buffer); }
export function privateDecrypt(key, buffer) { return rsaCrypt('decrypt', 'private', constants.RSA_PKCS1_OAEP_PADDING, key, buffer); }
export function privateEncrypt(key, buffer) { return rsaCrypt('sign', 'private', constants.RSA_PKCS1_PADDING, key, buffer); }
export function publicDecrypt(key, buffer) { return rsaCrypt('recover', 'public', constants.RSA_PKCS1_PADDING, key, buffer); }

// ---- key agreement -------------------------------------------------------------------------------

export function diffieHellman(options) {
  if (options === null || typeof options !== 'object') throw argType('options', 'of type object', options);
  const { privateKey, publicKey } = options;
  if (!(privateKey instanceof KeyObject) || privateKey.type !== 'private') throw invalidKey(`Invalid key object type ${privateKey?.type}, expected private.`);
  if (!(publicKey instanceof KeyObject) || publicKey.type === 'secret') throw invalidKey(`Invalid key object type ${publicKey?.type}, expected public.`);
  if (privateKey.asymmetricKeyType !== publicKey.asymmetricKeyType) throw codedError(Error, 'ERR_CRYPTO_INCOMPATIBLE_KEY', 'Incompatible key types for Diffie-Hellman: ' +
    `${privateKey.asymmetricKeyType} and ${publicKey.asymmetricKeyType}`);
  const [pub] = fromKeyObject(publicKey, 'public');
  return asBuffer(pkeyDerive(handleOf(privateKey), pub));
}

const CURVES = ['Oakley-EC2N-3', 'Oakley-EC2N-4', 'SM2', 'brainpoolP160r1', 'brainpoolP160t1', 'brainpoolP192r1',
  'brainpoolP192t1', 'brainpoolP224r1', 'brainpoolP224t1', 'brainpoolP256r1', 'brainpoolP256t1', 'brainpoolP320r1',
  'brainpoolP320t1', 'brainpoolP384r1', 'brainpoolP384t1', 'brainpoolP512r1', 'brainpoolP512t1', 'prime192v1',
  'prime192v2', 'prime192v3', 'prime239v1', 'prime239v2', 'prime239v3', 'prime256v1', 'secp112r1', 'secp112r2',
  'secp128r1', 'secp128r2', 'secp160k1', 'secp160r1', 'secp160r2', 'secp192k1', 'secp224k1', 'secp224r1',
  'secp256k1', 'secp384r1', 'secp521r1'];
export function getCurves() { return [...CURVES]; }

function pointFormat(format) {
  if (format === undefined || format === 'uncompressed') return false;
  if (format === 'compressed') return true;
  throw codedError(TypeError, 'ERR_CRYPTO_ECDH_INVALID_FORMAT', `Invalid ECDH format: ${format}`);
}

export class ECDH {
  #curve;
  #handle = null;
  constructor(curve) {
    if (typeof curve !== 'string') throw argType('curve', 'of type string', curve);
    try { keyGenerate('EC', { curve }); } catch { throw codedError(TypeError, 'ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name'); }
    this.#curve = curve;
  }
  generateKeys(encoding = undefined, format = undefined) {
    this.#handle = keyGenerate('EC', { curve: this.#curve });
    return this.getPublicKey(encoding, format);
  }
  #key() {
    if (this.#handle === null) throw codedError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Failed to get ECDH key: no key was generated or set');
    return this.#handle;
  }
  getPublicKey(encoding = undefined, format = undefined) { return encodeOut(keyRaw(this.#key(), false, pointFormat(format)), encoding); }
  getPrivateKey(encoding = undefined) { return encodeOut(keyRaw(this.#key(), true, false), encoding); }
  setPrivateKey(key, encoding = undefined) {
    try {
      this.#handle = keyFromRaw('EC', this.#curve, bytesFrom(key, encoding, 'key'), true);
    } catch {
      throw codedError(Error, 'ERR_CRYPTO_INVALID_KEYTYPE', 'Private key is not valid for specified curve.');
    }
  }
  computeSecret(otherPublicKey, inputEncoding = undefined, outputEncoding = undefined) {
    let peer;
    try {
      peer = keyFromRaw('EC', this.#curve, bytesFrom(otherPublicKey, inputEncoding, 'otherPublicKey'), false);
    } catch (err) {
      if (err.code) throw err;
      throw codedError(Error, 'ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY', 'Public key is not valid for specified curve');
    }
    return encodeOut(pkeyDerive(this.#key(), peer), outputEncoding);
  }
  static convertKey(key, curve, inputEncoding = undefined, outputEncoding = undefined, format = undefined) {
    let out;
    try {
      out = ecPointConvert(`${curve}`, bytesFrom(key, inputEncoding, 'key'), pointFormat(format));
    } catch (err) {
      if (err.code) throw err;
      throw codedError(Error, 'ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY', 'Public key is not valid for specified curve');
    }
    return encodeOut(out, outputEncoding);
  }
}

export function createECDH(curve) { return new ECDH(curve); }
