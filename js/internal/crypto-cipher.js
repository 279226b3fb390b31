// node:crypto's symmetric ciphers (nodejs.org/api/crypto.html#class-cipher): createCipheriv
// and createDecipheriv on OpenSSL 3's EVP ciphers through the binding's streaming cipher
// (AES in CBC, CTR, ECB, OFB, CFB, GCM, CCM, OCB and the rest OpenSSL's default provider
// offers, ChaCha20 and ChaCha20-Poly1305). Errors carry Node's codes and texts.
import binding from 'rtjs:binding';
import { codedError } from './modules/errors.js';
import { argType, asBuffer, toBytes, encodeOutput } from './crypto-bytes.js';
import { KeyObject } from './crypto-keyobject.js';
import { LazyTransform } from './lazy-transform.js';

const { cipherNew, cipherUpdate, cipherFinal, cipherSetAAD, cipherSetTag, cipherGetTag, cipherSetPadding, ciphers, cipherInfo } = binding;

function invalidState(operation) {
  return codedError(Error, 'ERR_CRYPTO_INVALID_STATE', operation ? `Invalid state for operation ${operation}` : 'Invalid state');
}

// OpenSSL's failures as Node reports them: "error:1C800064:Provider routines::bad decrypt"
// with `library`, `reason` and code ERR_OSSL_BAD_DECRYPT.
function opensslError(err) {
  const m = /(error:[0-9A-F]+:([^:]*):[^:]*:(.*))$/.exec(err.message);
  if (!m) return err;
  const out = new Error(m[1]);
  out.library = m[2];
  out.reason = m[3];
  out.code = `ERR_OSSL_${m[3].toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  return out;
}

function keyBytes(key, encoding) {
  if (key instanceof KeyObject) {
    if (key.type !== 'secret') {
      throw codedError(TypeError, 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${key.type}, expected secret.`);
    }
    return toBytes(key.export());
  }
  if (typeof key !== 'string' && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer)) {
    throw argType('key', 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey', key);
  }
  return toBytes(key, encoding, 'key');
}

function authTagLengthOf(options) {
  const n = options?.authTagLength;
  if (n === undefined) return -1;
  if (!Number.isInteger(n) || n < 0) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', `The property 'options.authTagLength' is invalid. Received ${n}`);
  }
  return n;
}

// Output strings cut at chunk boundaries must join into the whole: UTF-8 keeps a split
// character back, base64 a partial three-byte group, until the next call or final.
class OutputEncoder {
  #encoding;
  #utf8;
  #held = new Uint8Array(0);
  constructor(encoding) {
    this.#encoding = `${encoding}`.toLowerCase();
    if (this.#encoding === 'utf8' || this.#encoding === 'utf-8') this.#utf8 = new TextDecoder('utf-8');
  }
  get encoding() { return this.#encoding; }
  push(bytes, last) {
    if (this.#utf8) return this.#utf8.decode(bytes, { stream: !last });
    if (this.#encoding !== 'base64' && this.#encoding !== 'base64url') return encodeOutput(bytes, this.#encoding);
    const all = new Uint8Array(this.#held.length + bytes.length);
    all.set(this.#held);
    all.set(bytes, this.#held.length);
    const cut = last ? all.length : all.length - (all.length % 3);
    this.#held = all.slice(cut);
    return encodeOutput(all.subarray(0, cut), this.#encoding);
  }
}

class CipherBase extends LazyTransform {
  #handle;
  #name;
  #encoder;
  #finished = false;
  constructor(name, encrypt, key, iv, options) {
    super(options);
    if (typeof name !== 'string') throw argType('cipher', 'of type string', name);
    const keyData = keyBytes(key, options?.encoding);
    if (iv !== null && typeof iv !== 'string' && !ArrayBuffer.isView(iv) && !(iv instanceof ArrayBuffer)) {
      throw argType('iv', 'of type string or an instance of Buffer, TypedArray, or DataView', iv);
    }
    const tagLength = authTagLengthOf(options);
    try {
      this.#handle = cipherNew(name.toLowerCase(), encrypt, keyData, iv === null ? null : toBytes(iv, undefined, 'iv'), tagLength);
    } catch (err) {
      throw CipherBase.#nodeError(err, name, tagLength);
    }
    this.#name = name;
  }
  static #nodeError(err, name, tagLength) {
    switch (err.message) {
      case 'unknown cipher': return codedError(Error, 'ERR_CRYPTO_UNKNOWN_CIPHER', 'Unknown cipher');
      case 'invalid key length': return codedError(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length');
      case 'invalid iv': return codedError(TypeError, 'ERR_CRYPTO_INVALID_IV', 'Invalid initialization vector');
      case 'tag length required': return codedError(TypeError, 'ERR_CRYPTO_INVALID_AUTH_TAG', `authTagLength required for ${name}`);
      case 'invalid tag length': return codedError(TypeError, 'ERR_CRYPTO_INVALID_AUTH_TAG', `Invalid authentication tag length: ${tagLength}`);
      default: return opensslError(err);
    }
  }
  /** The native handle, for the subclasses' tag calls. */
  static handleOf(cipher) { return cipher.#handle; }
  static finishedOf(cipher) { return cipher.#finished; }

  update(data, inputEncoding = undefined, outputEncoding = undefined) {
    if (this.#finished) throw new Error('Trying to add data in unsupported state');
    if (typeof data !== 'string' && !ArrayBuffer.isView(data) && !(data instanceof ArrayBuffer)) {
      throw argType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data);
    }
    let out;
    try {
      out = new Uint8Array(cipherUpdate(this.#handle, toBytes(data, inputEncoding)));
    } catch (err) {
      throw opensslError(err);
    }
    return this.#output(out, outputEncoding, false);
  }
  final(outputEncoding = undefined) {
    if (this.#finished) throw invalidState();
    this.#finished = true;
    let out;
    try {
      out = new Uint8Array(cipherFinal(this.#handle));
    } catch (err) {
      if (err.message === 'authentication failed') throw new Error('Unsupported state or unable to authenticate data');
      throw opensslError(err);
    }
    return this.#output(out, outputEncoding, true);
  }
  #output(bytes, encoding, last) {
    if (encoding === undefined || encoding === null || encoding === 'buffer') return asBuffer(bytes);
    if (this.#encoder === undefined || this.#encoder.encoding !== `${encoding}`.toLowerCase()) this.#encoder = new OutputEncoder(encoding);
    return this.#encoder.push(bytes, last);
  }
  setAutoPadding(autoPadding = true) {
    if (this.#finished) throw invalidState('setAutoPadding');
    cipherSetPadding(this.#handle, !!autoPadding);
    return this;
  }
  setAAD(buffer, options = undefined) {
    if (this.#finished) throw invalidState('setAAD');
    const length = options?.plaintextLength;
    try {
      cipherSetAAD(this.#handle, toBytes(buffer, options?.encoding, 'buffer'), Number.isInteger(length) ? length : -1);
    } catch (err) {
      if (err.message === 'invalid state') throw invalidState('setAAD');
      if (err.message === 'plaintext length required') {
        throw codedError(Error, 'ERR_CRYPTO_INVALID_STATE', `options.plaintextLength required for CCM mode with AAD`);
      }
      throw opensslError(err);
    }
    return this;
  }
  _transform(chunk, encoding, callback) {
    try {
      this.push(this.update(chunk, encoding === 'buffer' ? undefined : encoding));
    } catch (err) {
      callback(err);
      return;
    }
    callback();
  }
  _flush(callback) {
    try {
      this.push(this.final());
    } catch (err) {
      callback(err);
      return;
    }
    callback();
  }
}

export class Cipheriv extends CipherBase {
  constructor(cipher, key, iv, options = undefined) {
    super(cipher, true, key, iv, options);
  }
  /** The authentication tag of an AEAD encryption, once final() has run. */
  getAuthTag() {
    try {
      return asBuffer(new Uint8Array(cipherGetTag(CipherBase.handleOf(this))));
    } catch {
      throw invalidState('getAuthTag');
    }
  }
}

export class Decipheriv extends CipherBase {
  #tagSet = false;
  constructor(decipher, key, iv, options = undefined) {
    super(decipher, false, key, iv, options);
  }
  /** The tag an AEAD decryption must match; final() fails when it does not. */
  setAuthTag(tag, encoding = undefined) {
    if (this.#tagSet || CipherBase.finishedOf(this)) throw invalidState('setAuthTag');
    const bytes = toBytes(tag, encoding, 'buffer');
    try {
      cipherSetTag(CipherBase.handleOf(this), bytes);
    } catch (err) {
      if (err.message === 'invalid tag length') {
        throw codedError(TypeError, 'ERR_CRYPTO_INVALID_AUTH_TAG', `Invalid authentication tag length: ${bytes.length}`);
      }
      if (err.message === 'invalid state') throw invalidState('setAuthTag');
      throw opensslError(err);
    }
    this.#tagSet = true;
    return this;
  }
}

export function createCipheriv(algorithm, key, iv, options = undefined) { return new Cipheriv(algorithm, key, iv, options); }
export function createDecipheriv(algorithm, key, iv, options = undefined) { return new Decipheriv(algorithm, key, iv, options); }

let cipherNames;
/** The cipher names OpenSSL's providers implement, lower case, sorted, as Node lists them. */
export function getCiphers() {
  cipherNames ??= [...new Set(ciphers().map((n) => n.toLowerCase()))].sort();
  return cipherNames.slice();
}

// The nonce lengths an AEAD mode takes besides its default: GCM any (NIST SP 800-38D 5.2.1.1),
// CCM 7..13 bytes (RFC 3610 2), OCB 1..15 (RFC 7253 4.2).
const IV_RANGE = { gcm: [1, Infinity], ccm: [7, 13], ocb: [1, 15] };

/**
 * What OpenSSL says of a cipher, as Node's getCipherInfo(nameOrNid[, { keyLength, ivLength }]):
 * undefined for an unknown cipher or lengths it cannot take.
 */
export function getCipherInfo(nameOrNid, options = undefined) {
  if (typeof nameOrNid !== 'string' && typeof nameOrNid !== 'number') {
    throw argType('nameOrNid', 'of type string or number', nameOrNid);
  }
  const info = cipherInfo(typeof nameOrNid === 'number' ? nameOrNid : nameOrNid.toLowerCase());
  if (info === undefined) return undefined;
  const { keyLength, ivLength } = options ?? {};
  if (keyLength !== undefined && keyLength !== info.keyLength && !info.variableKey) return undefined;
  if (ivLength !== undefined && ivLength !== info.ivLength) {
    const range = IV_RANGE[info.mode];
    if (!range || ivLength < range[0] || ivLength > range[1]) return undefined;
  }
  const out = { mode: info.mode, name: info.name.toLowerCase(), nid: info.nid };
  if (info.mode !== 'stream') out.blockSize = info.blockSize;
  // A cipher without an IV (ECB) has no ivLength, as on Node.
  if ((ivLength ?? info.ivLength) !== 0) out.ivLength = ivLength ?? info.ivLength;
  out.keyLength = keyLength ?? info.keyLength;
  return out;
}
