// Web Crypto on OpenSSL: known-answer vectors from the RFCs and NIST, and the error each
// misuse must give.
import { test, assertEqual, assertThrows } from './harness.js';

const enc = new TextEncoder();
const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s) => new Uint8Array(s.match(/../g).map((h) => parseInt(h, 16)));
const subtle = crypto.subtle;

async function rejects(promise, name) {
  try { await promise; } catch (err) {
    assertEqual(err.name, name, `rejected with ${err.name}: ${err.message}`);
    return err;
  }
  throw new Error(`expected a rejection with ${name}`);
}

test('getRandomValues fills integer arrays, refuses others and more than 65536 bytes', () => {
  const a = crypto.getRandomValues(new Uint8Array(64));
  assertEqual(a.length, 64);
  assertEqual(a.some((x) => x !== 0), true, '64 random bytes are not all zero');
  assertEqual(crypto.getRandomValues(new BigUint64Array(2)).length, 2);
  assertThrows(() => crypto.getRandomValues(new Float64Array(1)), /TypeMismatchError/);
  assertThrows(() => crypto.getRandomValues(new Uint8Array(65537)), /QuotaExceededError/);
  assertThrows(() => crypto.getRandomValues([1, 2]), /TypeMismatchError/);
});

test('randomUUID is a version 4 UUID, different each time', () => {
  const a = crypto.randomUUID();
  assertEqual(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(a), true, a);
  assertEqual(a === crypto.randomUUID(), false);
});

test('digest: SHA-1/256/384/512 of "abc" (FIPS 180-2 examples)', async () => {
  const abc = enc.encode('abc');
  assertEqual(hex(await subtle.digest('SHA-1', abc)), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assertEqual(hex(await subtle.digest({ name: 'sha-256' }, abc)), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assertEqual(hex(await subtle.digest('SHA-384', abc)).slice(0, 32), 'cb00753f45a35e8bb5a03d699ac65007');
  assertEqual(hex(await subtle.digest('SHA-512', abc.buffer)).slice(0, 32), 'ddaf35a193617abacc417349ae204131');
  await rejects(subtle.digest('MD5', abc), 'NotSupportedError');
  await rejects(subtle.digest('SHA-256', 'abc'), 'TypeError');
});

test('HMAC: RFC 4231 test case 2; verify; JWK export as Node', async () => {
  const key = await subtle.importKey('raw', enc.encode('Jefe'), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
  const data = enc.encode('what do ya want for nothing?');
  const sig = await subtle.sign('HMAC', key, data);
  assertEqual(hex(sig), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  assertEqual(await subtle.verify('HMAC', key, sig, data), true);
  assertEqual(await subtle.verify('HMAC', key, new Uint8Array(32), data), false);
  assertEqual(await subtle.exportKey('jwk', key), { key_ops: ['sign', 'verify'], ext: true, kty: 'oct', k: 'SmVmZQ', alg: 'HS256' });
  assertEqual(key.algorithm, { name: 'HMAC', hash: { name: 'SHA-256' }, length: 32 });
  const back = await subtle.importKey('jwk', await subtle.exportKey('jwk', key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  assertEqual(hex(await subtle.sign('HMAC', back, data)), hex(sig));
  await rejects(subtle.exportKey('raw', back), 'InvalidAccessError');
  await rejects(subtle.verify('HMAC', back, sig, data), 'InvalidAccessError');
});

test('AES-GCM: NIST test case 3 (128-bit key), round trip, a changed byte fails', async () => {
  const key = await subtle.importKey('raw', unhex('feffe9928665731c6d6a8f9467308308'), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const iv = unhex('cafebabefacedbaddecaf888');
  const pt = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255');
  const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, pt));
  assertEqual(hex(ct.slice(-16)), '4d5c2af327cd64a62cf35abd2ba6fab4');
  assertEqual(hex(ct.slice(0, 16)), '42831ec2217774244b7221b784d0d49c');
  assertEqual(hex(await subtle.decrypt({ name: 'AES-GCM', iv }, key, ct)), hex(pt));
  ct[3] ^= 1;
  await rejects(subtle.decrypt({ name: 'AES-GCM', iv }, key, ct), 'OperationError');
  const short = await subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 96, additionalData: enc.encode('aad') }, key, pt);
  assertEqual(short.byteLength, pt.length + 12);
  await rejects(subtle.decrypt({ name: 'AES-GCM', iv, tagLength: 96 }, key, short), 'OperationError');
});

test('AES-CBC pads; AES-CTR wraps its counter within `length` bits as WebCrypto says', async () => {
  const zero = new Uint8Array(16);
  const cbc = await subtle.importKey('raw', zero, 'AES-CBC', false, ['encrypt', 'decrypt']);
  const c = await subtle.encrypt({ name: 'AES-CBC', iv: zero }, cbc, new Uint8Array(5));
  assertEqual(c.byteLength, 16);
  assertEqual(hex(await subtle.decrypt({ name: 'AES-CBC', iv: zero }, cbc, c)), '0000000000');
  await rejects(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(8) }, cbc, zero), 'OperationError');
  const ctr = await subtle.importKey('raw', zero, 'AES-CTR', false, ['encrypt']);
  const counter = new Uint8Array(16).fill(0xff);
  // Node 20's output for the same call: the 8-bit counter wraps to ...ff00 after one block.
  assertEqual(hex(await subtle.encrypt({ name: 'AES-CTR', counter, length: 8 }, ctr, new Uint8Array(40))),
    '3f5b8cc9ea855a0afa7347d23e8d664e3bd141ee84a0e6414a26e7a4f281f8a232a9d98f0375f170');
});

test('PBKDF2 (RFC 6070 case 2) and HKDF (RFC 5869 case 1); deriveKey makes a usable key', async () => {
  const pw = await subtle.importKey('raw', enc.encode('password'), 'PBKDF2', false, ['deriveBits', 'deriveKey']);
  assertEqual(hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: enc.encode('salt'), iterations: 2 }, pw, 160)),
    'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957');
  const ikm = await subtle.importKey('raw', new Uint8Array(22).fill(0x0b), 'HKDF', false, ['deriveBits']);
  const okm = await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: unhex('000102030405060708090a0b0c'), info: unhex('f0f1f2f3f4f5f6f7f8f9') }, ikm, 336);
  assertEqual(hex(okm), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  const aes = await subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: enc.encode('s'), iterations: 10 }, pw, { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  assertEqual(aes.algorithm, { name: 'AES-GCM', length: 256 });
  assertEqual((await subtle.exportKey('raw', aes)).byteLength, 32);
  await rejects(subtle.importKey('raw', enc.encode('p'), 'PBKDF2', true, ['deriveBits']), 'SyntaxError');
});

test('generateKey: AES and HMAC keys of the asked size; bad usages are SyntaxError', async () => {
  const k = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  assertEqual((await subtle.exportKey('raw', k)).byteLength, 32);
  const h = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign']);
  assertEqual((await subtle.exportKey('raw', h)).byteLength, 128);
  await rejects(subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['sign']), 'SyntaxError');
  await rejects(subtle.generateKey({ name: 'AES-GCM', length: 100 }, true, ['encrypt']), 'OperationError');
  assertThrows(() => new CryptoKey(), /TypeError/);
});

const b64url = (h) => btoa(String.fromCharCode(...unhex(h))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

test('Ed25519: RFC 8032 test 1 signs to the published signature; public keys import raw', async () => {
  const d = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
  const x = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
  const priv = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: b64url(d), x: b64url(x) }, 'Ed25519', true, ['sign']);
  const sig = await subtle.sign('Ed25519', priv, new Uint8Array(0));
  assertEqual(hex(sig), 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
  const pub = await subtle.importKey('raw', unhex(x), 'Ed25519', true, ['verify']);
  assertEqual(await subtle.verify('Ed25519', pub, sig, new Uint8Array(0)), true);
  assertEqual(await subtle.verify('Ed25519', pub, sig, new Uint8Array(1)), false);
  assertEqual(hex(await subtle.exportKey('raw', pub)), x);
  // A d whose public key is not the x given is refused.
  await rejects(subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: b64url(d), x: b64url(d) }, 'Ed25519', true, ['sign']), 'DataError');
});

test('X25519: RFC 7748 section 6.1 shared secret; an all-zero result is an OperationError', async () => {
  const alice = await subtle.importKey('jwk', { kty: 'OKP', crv: 'X25519', d: b64url('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
    x: b64url('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a') }, 'X25519', false, ['deriveBits']);
  const bob = await subtle.importKey('raw', unhex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'), 'X25519', false, []);
  assertEqual(hex(await subtle.deriveBits({ name: 'X25519', public: bob }, alice, 256)), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
  assertEqual(hex(await subtle.deriveBits({ name: 'X25519', public: bob }, alice, 12)), '4a50');
  await rejects(subtle.deriveBits({ name: 'X25519', public: bob }, alice, 264), 'OperationError');
  const small = await subtle.importKey('raw', new Uint8Array(32), 'X25519', false, []);
  await rejects(subtle.deriveBits({ name: 'X25519', public: small }, alice, 256), 'OperationError');
});

test('asymmetric keys: misuse gives the specification\'s errors; key material is not reachable', async () => {
  const ec = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  assertEqual(ec.publicKey.extractable, true);
  assertEqual(ec.privateKey.usages, ['sign']);
  assertEqual(Object.getOwnPropertyNames(ec.privateKey).length, 0, 'a key has no own properties');
  assertEqual(JSON.stringify(ec.privateKey), '{}');
  await rejects(subtle.exportKey('pkcs8', ec.privateKey), 'InvalidAccessError');
  await rejects(subtle.exportKey('pkcs8', ec.publicKey), 'InvalidAccessError');
  await rejects(subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ec.publicKey, new Uint8Array(1)), 'InvalidAccessError');
  await rejects(subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['encrypt']), 'SyntaxError');
  await rejects(subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']), 'SyntaxError');
  await rejects(subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-192' }, true, ['sign']), 'NotSupportedError');
  const spki = await subtle.exportKey('spki', ec.publicKey);
  await rejects(subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify']), 'DataError');
  await rejects(subtle.importKey('spki', spki, 'Ed25519', true, ['verify']), 'DataError');
  await rejects(subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']), 'SyntaxError');
  await rejects(subtle.importKey('spki', new Uint8Array(spki).slice(0, 40), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']), 'DataError');
  await rejects(subtle.importKey('pkcs8', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']), 'DataError');
  const off = new Uint8Array(await subtle.exportKey('raw', ec.publicKey));
  off[40] ^= 1; // no longer on the curve
  await rejects(subtle.importKey('raw', off, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']), 'DataError');
  await rejects(subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']), 'DataError');
  await rejects(subtle.importKey('jwk', { kty: 'RSA', n: 'AQAB', e: 'AQAB', alg: 'PS256' }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']), 'DataError');
  // A P-256 signature is 64 bytes: any other length is simply false.
  assertEqual(await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, ec.publicKey, new Uint8Array(63), new Uint8Array(1)), false);
  const dh = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, false, ['deriveBits']);
  await rejects(subtle.deriveBits({ name: 'ECDH', public: ec.publicKey }, dh.privateKey, null), 'InvalidAccessError');
  await rejects(subtle.deriveBits({ name: 'ECDH', public: dh.privateKey }, dh.privateKey, null), 'InvalidAccessError');
  const other = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  await rejects(subtle.deriveBits({ name: 'ECDH', public: other.publicKey }, dh.privateKey, null), 'InvalidAccessError');
});

test('RSA: OAEP round trip with a label, PSS and PKCS#1 v1.5 sign, JWK and wrapKey', async () => {
  const e = new Uint8Array([1, 0, 1]);
  const oaep = await subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 1024, publicExponent: e, hash: 'SHA-256' }, true, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
  assertEqual(oaep.publicKey.algorithm.modulusLength, 1024);
  const ct = await subtle.encrypt({ name: 'RSA-OAEP', label: enc.encode('L') }, oaep.publicKey, enc.encode('hello'));
  assertEqual(new TextDecoder().decode(await subtle.decrypt({ name: 'RSA-OAEP', label: enc.encode('L') }, oaep.privateKey, ct)), 'hello');
  await rejects(subtle.decrypt({ name: 'RSA-OAEP' }, oaep.privateKey, ct), 'OperationError');
  await rejects(subtle.encrypt({ name: 'RSA-OAEP' }, oaep.publicKey, new Uint8Array(100)), 'OperationError');
  const jwk = await subtle.exportKey('jwk', oaep.privateKey);
  assertEqual([jwk.kty, jwk.alg, typeof jwk.qi], ['RSA', 'RSA-OAEP-256', 'string']);
  const aes = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt']);
  const wrapped = await subtle.wrapKey('raw', aes, oaep.publicKey, { name: 'RSA-OAEP' });
  const back = await subtle.unwrapKey('raw', wrapped, oaep.privateKey, { name: 'RSA-OAEP' }, 'AES-GCM', true, ['encrypt']);
  assertEqual(hex(await subtle.exportKey('raw', back)), hex(await subtle.exportKey('raw', aes)));
  const pss = await subtle.generateKey({ name: 'RSA-PSS', modulusLength: 1024, publicExponent: e, hash: 'SHA-256' }, false, ['sign', 'verify']);
  const sig = await subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, pss.privateKey, enc.encode('m'));
  assertEqual(await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, pss.publicKey, sig, enc.encode('m')), true);
  assertEqual(await subtle.verify({ name: 'RSA-PSS', saltLength: 20 }, pss.publicKey, sig, enc.encode('m')), false);
  await rejects(subtle.generateKey({ name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([2]), hash: 'SHA-256' }, false, ['sign']), 'OperationError');
});

test('algorithm parameters are read as WebIDL dictionaries: inherited members count', async () => {
  const base = { name: 'HMAC', hash: 'SHA-256' };
  const params = Object.create(base);
  const key = await crypto.subtle.importKey('raw', new Uint8Array(16), params, false, ['sign']);
  assertEqual(key.algorithm.hash.name, 'SHA-256');
});
