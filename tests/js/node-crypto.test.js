// node:crypto on the OpenSSL binding: known answers (FIPS 180-2, RFC 2202/6070/7914), Node's
// error codes, and the same object as Web Crypto behind webcrypto.
import { test, assertEqual, assertThrows } from './harness.js';
import crypto, { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, randomInt, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';

const hex = (u) => Array.from(new Uint8Array(u.buffer ?? u, u.byteOffset ?? 0, u.byteLength), (b) => b.toString(16).padStart(2, '0')).join('');

test('createHash: streaming updates, encodings, and "Digest already called"', () => {
  assertEqual(createHash('sha256').update('ab').update(new Uint8Array([99])).digest('hex'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assertEqual(createHash('sha1').update('616263', 'hex').digest('base64'), 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
  assertEqual(createHash('md5').update('').digest('hex'), 'd41d8cd98f00b204e9800998ecf8427e');
  const h = createHash('sha512');
  h.digest();
  assertThrows(() => h.digest(), /Digest already called/);
  assertThrows(() => createHash('no-such-hash'), /Digest method not supported/);
});

test('createHmac: RFC 2202 test case 2; an unknown digest is ERR_CRYPTO_INVALID_DIGEST', () => {
  assertEqual(createHmac('sha1', 'Jefe').update('what do ya want for nothing?').digest('hex'),
    'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  const e = assertThrows(() => createHmac('sha999', 'k'), /TypeError/);
  assertEqual(e.code, 'ERR_CRYPTO_INVALID_DIGEST');
});

test('randomBytes, randomInt (range and errors), timingSafeEqual', () => {
  assertEqual(randomBytes(16).length, 16);
  for (let i = 0; i < 200; i++) {
    const n = randomInt(-3, 4);
    if (!(n >= -3 && n < 4 && Number.isInteger(n))) throw new Error(`randomInt out of range: ${n}`);
  }
  assertEqual(assertThrows(() => randomInt(2, 2), /RangeError/).code, 'ERR_OUT_OF_RANGE');
  assertEqual(assertThrows(() => randomBytes(-1), /RangeError/).code, 'ERR_OUT_OF_RANGE');
  assertEqual(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assertEqual(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  assertEqual(assertThrows(() => timingSafeEqual(new Uint8Array(1), new Uint8Array(2)), /RangeError/).code,
    'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH');
});

test('pbkdf2 (RFC 6070) and scrypt (RFC 7914 section 12), sync and with callbacks', async () => {
  assertEqual(hex(pbkdf2Sync('password', 'salt', 2, 20, 'sha1')), 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957');
  assertEqual(hex(scryptSync('password', 'NaCl', 16, { N: 1024, r: 8, p: 16 })), 'fdbabe1c9d3472007856e7190d01e9fe');
  const viaCallback = await new Promise((resolve, reject) => pbkdf2('password', 'salt', 1, 20, 'sha1', (e, k) => (e ? reject(e) : resolve(k))));
  assertEqual(hex(viaCallback), '0c60c80f961f0e71f3a9b524af6012062fe037a6');
  const err = await new Promise((resolve) => scrypt('p', 's', 16, { N: 3 }, (e) => resolve(e)));
  assertEqual(err.code, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS');
});

test('webcrypto is the global crypto; require("crypto") is the same module', () => {
  assertEqual(crypto.webcrypto, globalThis.crypto);
  const require = createRequire(import.meta.url);
  assertEqual(require('crypto').createHash, createHash);
  assertEqual(require('node:crypto').randomInt, randomInt);
});

test('key objects: bad input gives Node\'s error codes and nothing else breaks', async () => {
  const crypto = await import('node:crypto');
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  assertEqual([publicKey.type, privateKey.type, publicKey.asymmetricKeyType], ['public', 'private', 'ec']);
  assertEqual(publicKey.asymmetricKeyDetails, { namedCurve: 'prime256v1' });
  assertEqual(publicKey instanceof crypto.KeyObject, true);
  assertThrows(() => new crypto.KeyObject('public', {}), /Illegal constructor/);
  assertThrows(() => crypto.createPrivateKey('garbage'), /DECODER/);
  assertThrows(() => crypto.createPrivateKey(publicKey), /expected private/);
  assertThrows(() => crypto.generateKeyPairSync('foo', {}), /must be a supported key type/);
  assertThrows(() => crypto.generateKeyPairSync('ec', { namedCurve: 'nope' }), /Invalid EC curve name/);
  assertThrows(() => crypto.createECDH('nope'), /Invalid EC curve name/);
  assertThrows(() => crypto.createECDH('prime256v1').computeSecret(new Uint8Array(65)), /no key was generated|not valid/);
  const e = crypto.createECDH('prime256v1');
  e.generateKeys();
  assertThrows(() => e.computeSecret(new Uint8Array(65)), /Public key is not valid for specified curve/);
  assertThrows(() => crypto.createSign('nope').update('x').sign(privateKey), /Invalid digest/);
  assertThrows(() => publicKey.export({ type: 'pkcs8', format: 'pem' }), /options.type/);
  assertThrows(() => crypto.publicEncrypt(publicKey, new Uint8Array(4)), /encryption failed/);
  const sig = crypto.sign('sha256', new Uint8Array([1, 2, 3]), privateKey);
  assertEqual(crypto.verify('sha256', new Uint8Array([1, 2, 3]), publicKey, sig), true);
  assertEqual(crypto.verify('sha256', new Uint8Array([1, 2, 4]), publicKey, sig), false);
  assertEqual(crypto.createPublicKey(privateKey).equals(publicKey), true);
  const secret = crypto.createSecretKey(new Uint8Array([1, 2, 3]));
  assertEqual([secret.type, secret.symmetricKeySize, secret.export().length], ['secret', 3, 3]);
  const { publicKey: x } = crypto.generateKeyPairSync('x25519');
  assertThrows(() => crypto.diffieHellman({ privateKey, publicKey: x }), /Incompatible key types/);
});

test('Diffie-Hellman: two parties on modp14 and on a prime of their own agree; a bad peer key is refused', () => {
  const alice = crypto.getDiffieHellman('modp14');
  const bob = crypto.createDiffieHellman(alice.getPrime(), alice.getGenerator());
  alice.generateKeys();
  bob.generateKeys();
  const secret = alice.computeSecret(bob.getPublicKey());
  assertEqual([secret.length, secret.equals(bob.computeSecret(alice.getPublicKey())), alice.verifyError], [256, true, 0]);
  // RFC 3526 section 3: the 2048-bit MODP prime begins FFFFFFFF FFFFFFFF C90FDAA2.
  assertEqual(alice.getPrime('hex').slice(0, 24), 'ffffffffffffffffc90fdaa2');
  const own = crypto.createDiffieHellman(512);
  const peer = crypto.createDiffieHellman(own.getPrime('hex'), 'hex', own.getGenerator());
  const [ownPublic, peerPublic] = [own.generateKeys(), peer.generateKeys()];
  assertEqual(own.computeSecret(peerPublic, null, 'hex'), peer.computeSecret(ownPublic, null, 'hex'));
  assertThrows(() => alice.computeSecret(Buffer.from([1])), /^RangeError: Supplied key is too small$/);
  assertThrows(() => crypto.getDiffieHellman('modp3'), /^Error: Unknown DH group$/);
});
