// node:crypto's finite-field Diffie-Hellman objects (nodejs.org/api/crypto.html, "Class:
// DiffieHellman"): createDiffieHellman with a prime (given, or generated to a length) and
// getDiffieHellman with a named RFC 2409 / RFC 3526 group. The arithmetic and the checks are
// OpenSSL's DH (binding-dh.cc); this module keeps the object's prime, generator and keys as
// bytes and gives Node's argument handling and errors.
import binding from 'rtjs:binding';
import { codedError } from './modules/errors.js';
import { toBytes, encodeOutput } from './crypto-bytes.js';
import { invalidArgType } from './node-errors.js';
import primordials from './primordials.js';

const { ArrayBufferIsView, ObjectDefineProperty, Uint8Array, WeakMap } = primordials;

const { dhGroup, dhGeneratePrime, dhCheck, dhGenerateKeys, dhCheckPublic, dhComputeSecret } = binding;

const DH_GENERATOR_2 = 2;   // Node's default generator (OpenSSL's DH_GENERATOR_2)
// DH_check_pub_key's flags (openssl/dh.h).
const DH_CHECK_PUBKEY_TOO_SMALL = 0x01;
const DH_CHECK_PUBKEY_TOO_LARGE = 0x02;
const KEY_TYPES = ['number', 'string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'];

// Buffer.isEncoding's names: a string that is none of them is the generator, not an encoding.
const ENCODINGS = new Set(['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le']);
const stateOf = new WeakMap();   // DiffieHellman -> { prime, generator, publicKey, privateKey }

// OpenSSL's "what: error:0280007E:Diffie-Hellman routines::modulus too small" as Node reports
// it: the library's text, code ERR_OSSL_DH_MODULUS_TOO_SMALL.
function opensslError(err) {
  const m = /(error:[0-9A-F]+:Diffie-Hellman routines::(.*))$/.exec(err.message);
  if (!m) return err;
  return codedError(Error, `ERR_OSSL_DH_${m[2].toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`, m[1]);
}

const badGenerator = () => codedError(Error, 'ERR_OSSL_DH_BAD_GENERATOR', 'error:02800065:Diffie-Hellman routines::bad generator');

function isKeyData(v) { return typeof v === 'string' || ArrayBufferIsView(v) || v instanceof ArrayBuffer; }

function int32(name, value) {
  if (!Number.isInteger(value)) {
    throw codedError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be an integer. Received ${value}`);
  }
  if (value < -(2 ** 31) || value > 2 ** 31 - 1) {
    throw codedError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be >= -2147483648 && <= 2147483647. Received ${value}`);
  }
  return value;
}

// A generator as its big-endian bytes: a number, or bytes (a string in `encoding`).
function generatorBytes(generator, encoding) {
  if (typeof generator === 'number') {
    if (int32('generator', generator) < 2) throw badGenerator();
    const out = [];
    for (let g = generator; g > 0; g = Math.floor(g / 256)) out.unshift(g % 256);
    return new Uint8Array(out);
  }
  if (!isKeyData(generator)) throw invalidArgType('generator', KEY_TYPES, generator);
  const bytes = toBytes(generator, encoding, 'generator').slice();
  // 0 and 1 generate nothing (Node refuses them before OpenSSL sees them).
  let value = 0;
  for (let i = 0; i < bytes.length && value < 2; i++) value = value * 256 + bytes[i];
  if (value < 2) throw badGenerator();
  return bytes;
}

function state(dh) {
  const s = stateOf.get(dh);
  if (s === undefined) throw new TypeError('Illegal invocation: not a DiffieHellman object');
  return s;
}

function init(dh, prime, generator) {
  stateOf.set(dh, { prime, generator, publicKey: null, privateKey: null });
  ObjectDefineProperty(dh, 'verifyError', { value: dhCheck(prime, generator), enumerable: true });
}

/**
 * DiffieHellman(sizeOrKey[, keyEncoding][, generator][, generatorEncoding]): a prime of
 * sizeOrKey bits is generated (OpenSSL, a safe prime) when it is a number.
 * @throws ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_OSSL_DH_BAD_GENERATOR, ERR_OSSL_DH_* from OpenSSL
 */
export function DiffieHellman(sizeOrKey, keyEncoding = undefined, generator = undefined, genEncoding = undefined) {
  if (!new.target) return new DiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding);
  if (typeof sizeOrKey !== 'number' && !isKeyData(sizeOrKey)) throw invalidArgType('sizeOrKey', KEY_TYPES, sizeOrKey);
  // The encoding may be left out: (prime, generator[, generatorEncoding]).
  if (typeof keyEncoding !== 'string' || (!ENCODINGS.has(keyEncoding.toLowerCase()) && keyEncoding !== 'buffer')) {
    genEncoding = generator;
    generator = keyEncoding;
    keyEncoding = undefined;
  }
  if (keyEncoding === 'buffer') keyEncoding = undefined;
  if (genEncoding === 'buffer') genEncoding = undefined;
  const g = generatorBytes(generator ?? DH_GENERATOR_2, genEncoding);
  let prime;
  if (typeof sizeOrKey === 'number') {
    int32('sizeOrKey', sizeOrKey);
    if (g.length > 4) throw badGenerator();
    let gen = 0;
    for (const b of g) gen = gen * 256 + b;
    try {
      prime = new Uint8Array(dhGeneratePrime(sizeOrKey, gen));
    } catch (err) {
      throw opensslError(err);
    }
  } else {
    prime = toBytes(sizeOrKey, keyEncoding, 'sizeOrKey').slice();
  }
  init(this, prime, g);
}

const GROUP_METHODS = {
  /** Generates the key pair (or the public key of a private key already set); the public key. */
  generateKeys(encoding = undefined) {
    const s = state(this);
    let pair;
    try {
      pair = dhGenerateKeys(s.prime, s.generator, s.privateKey ?? undefined);
    } catch (err) {
      throw opensslError(err);
    }
    s.publicKey = new Uint8Array(pair[0]);
    s.privateKey = new Uint8Array(pair[1]);
    return encodeOutput(s.publicKey.slice(), encoding);
  },
  /**
   * The shared secret with the peer's public key, as long as the prime.
   * @throws ERR_CRYPTO_INVALID_KEYLEN (a key outside 2 .. p-2), ERR_CRYPTO_INVALID_KEYTYPE
   */
  computeSecret(otherPublicKey, inputEncoding = undefined, outputEncoding = undefined) {
    const s = state(this);
    const peer = toBytes(otherPublicKey, inputEncoding, 'key');
    if (s.privateKey === null) throw codedError(RangeError, 'ERR_CRYPTO_INVALID_KEYTYPE', 'Invalid key type');
    const flags = dhCheckPublic(s.prime, s.generator, peer);
    if (flags & DH_CHECK_PUBKEY_TOO_SMALL) throw codedError(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Supplied key is too small');
    if (flags & DH_CHECK_PUBKEY_TOO_LARGE) throw codedError(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Supplied key is too large');
    let secret;
    try {
      secret = dhComputeSecret(s.prime, s.generator, s.privateKey, peer);
    } catch (err) {
      throw opensslError(err);
    }
    return encodeOutput(new Uint8Array(secret), outputEncoding);
  },
  getPrime(encoding = undefined) { return encodeOutput(state(this).prime.slice(), encoding); },
  getGenerator(encoding = undefined) { return encodeOutput(state(this).generator.slice(), encoding); },
  getPublicKey(encoding = undefined) {
    const key = state(this).publicKey;
    if (key === null) throw codedError(Error, 'ERR_CRYPTO_INVALID_STATE', 'No public key - did you forget to generate one?');
    return encodeOutput(key.slice(), encoding);
  },
  getPrivateKey(encoding = undefined) {
    const key = state(this).privateKey;
    if (key === null) throw codedError(Error, 'ERR_CRYPTO_INVALID_STATE', 'No private key - did you forget to generate one?');
    return encodeOutput(key.slice(), encoding);
  },
};

for (const name of Object.keys(GROUP_METHODS)) {
  ObjectDefineProperty(DiffieHellman.prototype, name, { value: GROUP_METHODS[name], writable: true, configurable: true });
}
DiffieHellman.prototype.setPublicKey = function setPublicKey(key, encoding = undefined) {
  state(this).publicKey = toBytes(key, encoding, 'key').slice();
  return this;
};
DiffieHellman.prototype.setPrivateKey = function setPrivateKey(key, encoding = undefined) {
  state(this).privateKey = toBytes(key, encoding, 'key').slice();
  return this;
};

/**
 * DiffieHellmanGroup(name): a DiffieHellman on a named group ('modp1', 'modp2', 'modp5',
 * 'modp14' ... 'modp18'), whose keys cannot be set.
 * @throws ERR_CRYPTO_UNKNOWN_DH_GROUP
 */
export function DiffieHellmanGroup(name) {
  if (!new.target) return new DiffieHellmanGroup(name);
  if (typeof name !== 'string') throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'Group name must be a string');
  const group = dhGroup(name);
  if (group === undefined) throw codedError(Error, 'ERR_CRYPTO_UNKNOWN_DH_GROUP', 'Unknown DH group');
  init(this, new Uint8Array(group[0]), new Uint8Array(group[1]));
}
for (const name of Object.keys(GROUP_METHODS)) {
  ObjectDefineProperty(DiffieHellmanGroup.prototype, name, { value: GROUP_METHODS[name], writable: true, configurable: true });
}

export function createDiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding) {
  return new DiffieHellman(sizeOrKey, keyEncoding, generator, genEncoding);
}

export function getDiffieHellman(name) { return new DiffieHellmanGroup(name); }
