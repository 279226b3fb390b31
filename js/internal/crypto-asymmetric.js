// Web Crypto's asymmetric algorithms (W3C Web Cryptography API, sections 20-25, and the
// Secure Curves draft): RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP, ECDSA, ECDH, Ed25519, X25519,
// Ed448 and X448. The key material is an OpenSSL key handle (binding-pkey.cc); this module
// checks parameters and usages in the order the specification gives and names the errors.
import binding from 'rtjs:binding';
import {
  makeKey, keyData, hashOf, DIGESTS, notSupported, operationError, invalidAccess, dataError,
  syntaxError, bytesOf, viewOf, toBase64Url, fromBase64Url,
} from './crypto.js';
import primordials from './primordials.js';

const {
  ArrayBuffer, ArrayBufferIsView, ArrayIsArray, MathCeil, TypeError, Uint8Array,
} = primordials;

const { keyGenerate, keyDecode, keyEncode, keyFromRaw, keyRaw, keyComponents, keyFromComponents, keyInfo,
  keyPublic, pkeySign, pkeyVerify, pkeyDerive, pkeyCrypt } = binding;

// OpenSSL's RSA padding modes (openssl/rsa.h).
const RSA_PKCS1_PADDING = 1;
const RSA_PKCS1_OAEP_PADDING = 4;
const RSA_PKCS1_PSS_PADDING = 6;

const RSA = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP'];
const EC = ['ECDSA', 'ECDH'];
const OKP = { Ed25519: 'ED25519', X25519: 'X25519', Ed448: 'ED448', X448: 'X448' };
export const ASYMMETRIC = [...RSA, ...EC, ...Object.keys(OKP)];

// Which usages each half may have (sections 20.8, 21.8, 22.8, 23.7, 24.7 and Secure Curves).
const SIGN = { public: ['verify'], private: ['sign'] };
const CRYPT = { public: ['encrypt', 'wrapKey'], private: ['decrypt', 'unwrapKey'] };
const DERIVE = { public: [], private: ['deriveKey', 'deriveBits'] };
const USAGES = {
  'RSASSA-PKCS1-v1_5': SIGN, 'RSA-PSS': SIGN, 'RSA-OAEP': CRYPT, ECDSA: SIGN, ECDH: DERIVE,
  Ed25519: SIGN, Ed448: SIGN, X25519: DERIVE, X448: DERIVE,
};

// Web Crypto's curve names and OpenSSL's (RFC 5480 section 2.1.1.1).
const CURVES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
const CURVE_OF_GROUP = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
// JWK alg values (RFC 7518 sections 3.1 and 4.1).
const JWK_ALG = {
  'RSASSA-PKCS1-v1_5': { 'SHA-1': 'RS1', 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' },
  'RSA-PSS': { 'SHA-1': 'PS1', 'SHA-256': 'PS256', 'SHA-384': 'PS384', 'SHA-512': 'PS512' },
  'RSA-OAEP': { 'SHA-1': 'RSA-OAEP', 'SHA-256': 'RSA-OAEP-256', 'SHA-384': 'RSA-OAEP-384', 'SHA-512': 'RSA-OAEP-512' },
};
const ECDSA_JWK_ALG = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

function checkUsages(name, usages, half) {
  const list = [...usages];
  const allowed = half ? USAGES[name][half] : [...USAGES[name].public, ...USAGES[name].private];
  for (const u of list) if (!allowed.includes(u)) throw syntaxError(`Cannot create a ${name} ${half ?? ''} key with usage '${u}'`);
  return list;
}

function namedCurve(alg) {
  if (typeof alg.namedCurve !== 'string') throw new TypeError(`${alg.name} needs a namedCurve`);
  if (!CURVES[alg.namedCurve]) throw notSupported(`Unsupported curve ${alg.namedCurve}`);
  return alg.namedCurve;
}

/** The algorithm record of a key held by `handle`, checked against what the caller named. */
function describe(alg, handle) {
  const info = keyInfo(handle);
  const name = alg.name;
  if (RSA.includes(name)) {
    if (info.type !== 'rsa') throw dataError(`The key is not an RSA key (${info.type})`);
    return { name, modulusLength: info.bits, publicExponent: new Uint8Array(info.publicExponent), hash: { name: hashOf(alg) } };
  }
  if (EC.includes(name)) {
    const curve = namedCurve(alg);
    if (info.type !== 'ec') throw dataError(`The key is not an EC key (${info.type})`);
    if (CURVE_OF_GROUP[info.curve] !== curve) throw dataError(`The key is on ${CURVE_OF_GROUP[info.curve] ?? info.curve}, not ${curve}`);
    return { name, namedCurve: curve };
  }
  if (info.type !== OKP[name].toLowerCase()) throw dataError(`The key is not an ${name} key (${info.type})`);
  return { name };
}

function newKey(alg, handle, type, extractable, usages) {
  return makeKey(type, extractable, describe(alg, handle), usages, handle);
}

export function generateKeyPair(alg, extractable, usages) {
  const name = alg.name;
  // The algorithm is normalised (its hash, its curve) before the usages are looked at.
  if (RSA.includes(name)) hashOf(alg);
  if (EC.includes(name)) namedCurve(alg);
  const list = checkUsages(name, usages);
  let handle;
  if (RSA.includes(name)) {
    const exponent = bytesOf(alg.publicExponent, 'publicExponent');
    if (!(alg.modulusLength >= 512 && alg.modulusLength <= 16384) || alg.modulusLength % 8 !== 0) {
      throw operationError(`Unsupported RSA modulusLength ${alg.modulusLength}`);
    }
    // OpenSSL takes any odd exponent; the usual ones are 3 and 65537.
    const e = exponent.reduce((n, b) => n * 256 + b, 0);
    if (e !== 3 && e !== 65537) throw operationError('The RSA publicExponent must be 3 or 65537');
    handle = keyGenerate('RSA', { modulusLength: alg.modulusLength, publicExponent: exponent });
  } else if (EC.includes(name)) {
    handle = keyGenerate('EC', { curve: CURVES[namedCurve(alg)] });
  } else {
    handle = keyGenerate(OKP[name], {});
  }
  const privateUsages = list.filter((u) => USAGES[name].private.includes(u));
  if (privateUsages.length === 0) throw syntaxError('The private key needs at least one usage');
  const publicKey = newKey(alg, keyPublic(handle), 'public', true, list.filter((u) => USAGES[name].public.includes(u)));
  const privateKey = newKey(alg, handle, 'private', !!extractable, privateUsages);
  return { publicKey, privateKey };
}

function checkJwk(jwk, alg, extractable, list) {
  const name = alg.name;
  const expectedUse = USAGES[name] === DERIVE || USAGES[name] === CRYPT ? 'enc' : 'sig';
  if (jwk.use !== undefined && list.length && jwk.use !== expectedUse) throw dataError(`The JWK's use is '${jwk.use}', not '${expectedUse}'`);
  if (jwk.key_ops !== undefined) {
    if (!ArrayIsArray(jwk.key_ops)) throw dataError('The JWK key_ops must be an array');
    for (const u of list) if (!jwk.key_ops.includes(u)) throw dataError(`The JWK's key_ops do not allow '${u}'`);
  }
  if (jwk.ext === false && extractable) throw dataError('The JWK is not extractable');
  if (RSA.includes(name)) {
    if (jwk.kty !== 'RSA') throw dataError(`An ${name} JWK has kty 'RSA'`);
    const want = JWK_ALG[name][hashOf(alg)];
    if (jwk.alg !== undefined && jwk.alg !== want) throw dataError(`The JWK alg '${jwk.alg}' does not match ${name} with ${hashOf(alg)}`);
  } else if (EC.includes(name)) {
    if (jwk.kty !== 'EC') throw dataError(`An ${name} JWK has kty 'EC'`);
    if (jwk.crv !== namedCurve(alg)) throw dataError(`The JWK's curve ${jwk.crv} is not ${alg.namedCurve}`);
    if (name === 'ECDSA' && jwk.alg !== undefined && jwk.alg !== ECDSA_JWK_ALG[jwk.crv]) throw dataError(`The JWK alg '${jwk.alg}' does not match ${jwk.crv}`);
  } else {
    if (jwk.kty !== 'OKP') throw dataError(`An ${name} JWK has kty 'OKP'`);
    if (jwk.crv !== name) throw dataError(`The JWK's curve ${jwk.crv} is not ${name}`);
    if (name.startsWith('Ed') && jwk.alg !== undefined && jwk.alg !== 'EdDSA' && jwk.alg !== name) throw dataError(`The JWK alg '${jwk.alg}' is not EdDSA`);
  }
}

const JWK_RSA_PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

function jwkHandle(jwk, alg) {
  const name = alg.name;
  const field = (k) => fromBase64Url(jwk[k]);
  if (RSA.includes(name)) {
    const parts = { n: field('n'), e: field('e') };
    if (jwk.d !== undefined) {
      for (const k of JWK_RSA_PRIVATE) {
        if (jwk[k] === undefined) throw dataError(`The RSA private JWK has no '${k}' (multi-prime and CRT-less keys are not supported)`);
        parts[k] = field(k);
      }
    }
    if (jwk.oth !== undefined) throw notSupported('Multi-prime RSA keys are not supported');
    return [keyFromComponents('RSA', '', parts), jwk.d !== undefined];
  }
  if (EC.includes(name)) {
    const size = { 'P-256': 32, 'P-384': 48, 'P-521': 66 }[alg.namedCurve];
    const parts = { x: field('x'), y: field('y') };
    if (parts.x.length !== size || parts.y.length !== size) throw dataError(`The JWK's coordinates are not ${size} bytes`);
    if (jwk.d !== undefined) {
      parts.d = field('d');
      if (parts.d.length !== size) throw dataError(`The JWK's d is not ${size} bytes`);
    }
    return [keyFromComponents('EC', CURVES[alg.namedCurve], parts), jwk.d !== undefined];
  }
  if (jwk.x === undefined) throw dataError('The OKP JWK has no x');
  if (jwk.d !== undefined) {
    const handle = keyFromRaw(OKP[name], '', field('d'), true);
    const given = field('x');
    const actual = new Uint8Array(keyRaw(handle, false, false));
    if (given.length !== actual.length || !given.every((b, i) => b === actual[i])) throw dataError("The JWK's x does not belong to its d");
    return [handle, true];
  }
  return [keyFromRaw(OKP[name], '', field('x'), false), false];
}

function decode(fn) {
  try { return fn(); } catch (err) {
    if (err?.name === 'DOMException' || err instanceof TypeError) throw err;
    throw dataError(err.message);
  }
}

export function importKeyPair(format, data, alg, extractable, usages) {
  const name = alg.name;
  if (RSA.includes(name)) hashOf(alg);
  if (EC.includes(name)) namedCurve(alg);
  let handle;
  let isPrivate;
  if (format === 'spki') {
    handle = decode(() => keyDecode(viewOf(data, 'key data'), 'DER', 'SubjectPublicKeyInfo', false, undefined));
    isPrivate = false;
  } else if (format === 'pkcs8') {
    handle = decode(() => keyDecode(viewOf(data, 'key data'), 'DER', 'PrivateKeyInfo', true, undefined));
    isPrivate = true;
  } else if (format === 'raw') {
    if (RSA.includes(name)) throw notSupported(`${name} keys cannot be imported raw`);
    const bytes = viewOf(data, 'key data');
    handle = decode(() => keyFromRaw(EC.includes(name) ? 'EC' : OKP[name], CURVES[alg.namedCurve] ?? '', bytes, false));
    isPrivate = false;
  } else if (format === 'jwk') {
    if (data === null || typeof data !== 'object' || ArrayBufferIsView(data) || data instanceof ArrayBuffer) throw new TypeError('A JWK must be an object');
    const list = [...usages];
    checkJwk(data, alg, extractable, list);
    [handle, isPrivate] = decode(() => jwkHandle(data, alg));
  } else {
    throw new TypeError(`Unknown key format '${format}'`);
  }
  const list = checkUsages(name, usages, isPrivate ? 'private' : 'public');
  if (isPrivate && list.length === 0) throw syntaxError('A private key needs at least one usage');
  return newKey(alg, handle, isPrivate ? 'private' : 'public', !!extractable, list);
}

export function exportKeyPair(format, key) {
  const handle = keyData(key);
  const name = key.algorithm.name;
  const isPrivate = key.type === 'private';
  if (format === 'spki') {
    if (isPrivate) throw invalidAccess('Only a public key exports as spki');
    return keyEncode(handle, 'DER', 'SubjectPublicKeyInfo', false);
  }
  if (format === 'pkcs8') {
    if (!isPrivate) throw invalidAccess('Only a private key exports as pkcs8');
    return keyEncode(handle, 'DER', 'PrivateKeyInfo', true);
  }
  if (format === 'raw') {
    if (isPrivate || RSA.includes(name)) throw invalidAccess(`A ${key.type} ${name} key does not export raw`);
    return keyRaw(handle, false, false);
  }
  if (format === 'jwk') {
    const jwk = { key_ops: [...key.usages], ext: key.extractable };
    if (RSA.includes(name)) {
      jwk.kty = 'RSA';
      const parts = keyComponents(handle, isPrivate);
      for (const k of ['n', 'e', ...(isPrivate ? JWK_RSA_PRIVATE : [])]) jwk[k] = toBase64Url(new Uint8Array(parts[k]));
      jwk.alg = JWK_ALG[name][key.algorithm.hash.name];
    } else if (EC.includes(name)) {
      jwk.kty = 'EC';
      jwk.crv = key.algorithm.namedCurve;
      const parts = keyComponents(handle, isPrivate);
      for (const k of ['x', 'y', ...(isPrivate ? ['d'] : [])]) jwk[k] = toBase64Url(new Uint8Array(parts[k]));
    } else {
      jwk.kty = 'OKP';
      jwk.crv = name;
      jwk.x = toBase64Url(new Uint8Array(keyRaw(handle, false, false)));
      if (isPrivate) jwk.d = toBase64Url(new Uint8Array(keyRaw(handle, true, false)));
    }
    return jwk;
  }
  throw new TypeError(`Unknown key format '${format}'`);
}

function useKey(key, name, usage) {
  if (key?.algorithm?.name !== name) throw invalidAccess(`The key is a ${key?.algorithm?.name} key, not ${name}`);
  if (!key.usages.includes(usage)) throw invalidAccess(`The key does not allow '${usage}'`);
  return keyData(key);
}

function signOptions(alg, key) {
  const name = alg.name;
  if (name === 'RSASSA-PKCS1-v1_5') return [DIGESTS[key.algorithm.hash.name], { padding: RSA_PKCS1_PADDING }];
  if (name === 'RSA-PSS') {
    if (typeof alg.saltLength !== 'number') throw new TypeError('RSA-PSS needs a saltLength');
    return [DIGESTS[key.algorithm.hash.name], { padding: RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength >>> 0 }];
  }
  if (name === 'ECDSA') return [DIGESTS[hashOf(alg)], { dsaEncoding: 'ieee-p1363' }];
  return ['', {}];
}

export function signAsymmetric(alg, key, data) {
  if (!USAGES[alg.name] || USAGES[alg.name] !== SIGN) throw notSupported(`${alg.name} cannot sign`);
  const handle = useKey(key, alg.name, 'sign');
  const [digest, options] = signOptions(alg, key);
  try {
    return pkeySign(handle, digest, viewOf(data), options);
  } catch (err) {
    throw operationError(err.message);
  }
}

export function verifyAsymmetric(alg, key, signature, data) {
  if (!USAGES[alg.name] || USAGES[alg.name] !== SIGN) throw notSupported(`${alg.name} cannot verify`);
  const handle = useKey(key, alg.name, 'verify');
  const [digest, options] = signOptions(alg, key);
  return pkeyVerify(handle, digest, viewOf(data), bytesOf(signature, 'signature'), options);
}

function oaepOptions(alg, key) {
  const options = { padding: RSA_PKCS1_OAEP_PADDING, oaepHash: DIGESTS[key.algorithm.hash.name] };
  if (alg.label !== undefined) options.oaepLabel = bytesOf(alg.label, 'label');
  return options;
}

export function cryptAsymmetric(encrypt, alg, key, data, usage) {
  const handle = useKey(key, 'RSA-OAEP', usage);
  if (key.type !== (encrypt ? 'public' : 'private')) throw invalidAccess(`RSA-OAEP ${encrypt ? 'encrypts with a public' : 'decrypts with a private'} key`);
  try {
    return pkeyCrypt(handle, encrypt ? 'encrypt' : 'decrypt', viewOf(data), oaepOptions(alg, key));
  } catch (err) {
    throw operationError(err.message);
  }
}

/** ECDH, X25519 and X448 deriveBits (sections 23.7 and Secure Curves 6.3): length in bits or null. */
export function deriveAsymmetric(alg, key, length, usage) {
  const handle = useKey(key, alg.name, usage);
  const peer = alg.public;
  if (peer === undefined) throw new TypeError(`${alg.name} needs a public key`);
  let peerHandle;
  try { peerHandle = keyData(peer); } catch { throw new TypeError('The public member must be a CryptoKey'); }
  if (peer.type !== 'public') throw invalidAccess('The public member must be a public key');
  if (peer.algorithm.name !== alg.name) throw invalidAccess(`The public key is a ${peer.algorithm.name} key, not ${alg.name}`);
  if (alg.name === 'ECDH' && peer.algorithm.namedCurve !== key.algorithm.namedCurve) throw invalidAccess('The keys are on different curves');
  let secret;
  try {
    secret = new Uint8Array(pkeyDerive(handle, peerHandle));
  } catch (err) {
    throw operationError(err.message);
  }
  // RFC 7748 section 6.1: an all-zero shared secret means a small-order public key.
  if (alg.name !== 'ECDH' && secret.every((b) => b === 0)) throw operationError('The shared secret is all zeros');
  if (length === null || length === undefined) return secret.buffer;
  if (length > secret.length * 8) throw operationError(`${alg.name} gives at most ${secret.length * 8} bits`);
  const out = secret.slice(0, MathCeil(length / 8));
  if (length % 8) out[out.length - 1] &= 0xff << (8 - (length % 8));
  return out.buffer;
}

export function isAsymmetric(name) { return ASYMMETRIC.includes(name); }
