// Asymmetric crypto checked against Node: the same module runs under Node and under rtjs.
// `produce` makes keys and signs, encrypts and agrees with them; `check` takes what the OTHER
// runtime produced (its private keys included: they are test keys) and imports every key in
// every format, verifies every signature, decrypts every ciphertext, recomputes every shared
// secret and compares exports and deterministic signatures byte for byte. Each failure is a
// line naming the case; both APIs are used (node:crypto and Web Crypto).
import nodeCrypto from 'node:crypto';
import { Buffer } from 'node:buffer';

const subtle = globalThis.crypto.subtle;
const b64 = (b) => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('base64');
const unb64 = (s) => Buffer.from(s, 'base64');
const same = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

const KEYS = {
  rsa: ['rsa', { modulusLength: 2048 }],
  p256: ['ec', { namedCurve: 'P-256' }],
  p384: ['ec', { namedCurve: 'P-384' }],
  p521: ['ec', { namedCurve: 'P-521' }],
  ed25519: ['ed25519', {}],
  ed448: ['ed448', {}],
  x25519: ['x25519', {}],
  x448: ['x448', {}],
};
const PASSPHRASE = 'top secret';

// node:crypto signatures: key, digest, options.
const NODE_SIGN = [
  ['rsa', 'sha256', {}],
  ['rsa', 'RSA-SHA512', {}],
  ['rsa', 'sha384', { padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }],
  ['p256', 'sha256', {}],
  ['p384', 'sha384', { dsaEncoding: 'ieee-p1363' }],
  ['p521', 'sha512', {}],
  ['ed25519', null, {}],
  ['ed448', null, {}],
];
// Web Crypto signatures: key, import algorithm, sign parameters.
const WEB_SIGN = [
  ['rsa', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
  ['rsa', { name: 'RSA-PSS', hash: 'SHA-512' }, { name: 'RSA-PSS', saltLength: 64 }],
  ['p256', { name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
  ['p384', { name: 'ECDSA', namedCurve: 'P-384' }, { name: 'ECDSA', hash: 'SHA-384' }],
  ['p521', { name: 'ECDSA', namedCurve: 'P-521' }, { name: 'ECDSA', hash: 'SHA-512' }],
  ['ed25519', { name: 'Ed25519' }, { name: 'Ed25519' }],
];
// Deterministic schemes: the checker's signature must equal the producer's.
const DETERMINISTIC = (key, params) => key === 'ed25519' || key === 'ed448' || (key === 'rsa' && !params?.padding && params?.name !== 'RSA-PSS');
const AGREE = [['p256', 'ECDH', { name: 'ECDH', namedCurve: 'P-256' }], ['p384', 'ECDH', { name: 'ECDH', namedCurve: 'P-384' }],
  ['p521', 'ECDH', { name: 'ECDH', namedCurve: 'P-521' }], ['x25519', 'X25519', { name: 'X25519' }], ['x448', 'X448', null]];

function exportAll(publicKey, privateKey, type) {
  const out = {
    spki: publicKey.export({ type: 'spki', format: 'pem' }),
    spkiDer: b64(publicKey.export({ type: 'spki', format: 'der' })),
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    pkcs8Der: b64(privateKey.export({ type: 'pkcs8', format: 'der' })),
    encrypted: privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }),
    jwk: privateKey.export({ format: 'jwk' }),
    publicJwk: publicKey.export({ format: 'jwk' }),
  };
  if (type === 'rsa') {
    out.pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' });
    out.pkcs1Public = publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
  }
  if (type === 'ec') out.sec1 = privateKey.export({ type: 'sec1', format: 'pem' });
  return out;
}

export async function produce() {
  const msg = nodeCrypto.randomBytes(300);
  const keys = {};
  const pairs = {};
  for (const [name, [type, options]] of Object.entries(KEYS)) {
    pairs[name] = nodeCrypto.generateKeyPairSync(type, options);
    keys[name] = exportAll(pairs[name].publicKey, pairs[name].privateKey, type);
  }
  // A second key of each agreement kind, made through Web Crypto where it has the algorithm.
  const peers = {};
  for (const [name, , webAlg] of AGREE) {
    if (webAlg) {
      const kp = await subtle.generateKey(webAlg, true, ['deriveBits']);
      peers[name] = { pkcs8: b64(await subtle.exportKey('pkcs8', kp.privateKey)), spki: b64(await subtle.exportKey('spki', kp.publicKey)) };
    } else {
      const kp = nodeCrypto.generateKeyPairSync(name, {});
      peers[name] = { pkcs8: b64(kp.privateKey.export({ type: 'pkcs8', format: 'der' })), spki: b64(kp.publicKey.export({ type: 'spki', format: 'der' })) };
    }
    const peerPub = nodeCrypto.createPublicKey({ key: unb64(peers[name].spki), format: 'der', type: 'spki' });
    peers[name].secret = b64(nodeCrypto.diffieHellman({ privateKey: pairs[name].privateKey, publicKey: peerPub }));
  }
  const nodeSigs = NODE_SIGN.map(([key, digest, options]) =>
    b64(nodeCrypto.sign(digest, msg, { key: pairs[key].privateKey, ...options })));
  const webSigs = [];
  for (const [key, importAlg, params] of WEB_SIGN) {
    const priv = await subtle.importKey('pkcs8', unb64(keys[key].pkcs8Der), importAlg, true, ['sign']);
    webSigs.push(b64(await subtle.sign(params, priv, msg)));
  }
  const rsaPub = pairs.rsa.publicKey;
  const label = Buffer.from('a label');
  const oaepWeb = await subtle.importKey('spki', unb64(keys.rsa.spkiDer), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
  const ciphertexts = {
    oaepSha1: b64(nodeCrypto.publicEncrypt(rsaPub, msg.subarray(0, 100))),
    oaepSha256Label: b64(nodeCrypto.publicEncrypt({ key: rsaPub, oaepHash: 'sha256', oaepLabel: label }, msg.subarray(0, 100))),
    pkcs1: b64(nodeCrypto.publicEncrypt({ key: rsaPub, padding: nodeCrypto.constants.RSA_PKCS1_PADDING }, msg.subarray(0, 100))),
    privateEncrypt: b64(nodeCrypto.privateEncrypt(pairs.rsa.privateKey, msg.subarray(0, 100))),
    web: b64(await subtle.encrypt({ name: 'RSA-OAEP', label }, oaepWeb, msg.subarray(0, 100))),
  };
  const ecdh = nodeCrypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const ecdhPeer = nodeCrypto.createECDH('prime256v1');
  ecdhPeer.generateKeys();
  const ecdhVector = {
    private: ecdh.getPrivateKey('base64'), peerPublic: ecdhPeer.getPublicKey('base64', 'compressed'),
    secret: ecdh.computeSecret(ecdhPeer.getPublicKey()).toString('base64'), public: ecdh.getPublicKey('hex'),
    compressed: ecdh.getPublicKey('hex', 'compressed'),
  };
  return { msg: b64(msg), keys, peers, nodeSigs, webSigs, ciphertexts, ecdh: ecdhVector };
}

export async function check(v) {
  const failures = [];
  let checks = 0;
  const expect = (ok, what) => { checks++; if (!ok) failures.push(what); };
  const attempt = async (what, fn) => {
    try { await fn(); } catch (err) { checks++; failures.push(`${what}: threw ${err?.code ?? err?.name}: ${err?.message}`); }
  };
  const msg = unb64(v.msg);
  for (const [name, [type]] of Object.entries(KEYS)) {
    const k = v.keys[name];
    await attempt(`${name}: import and re-export`, () => {
      const forms = [
        ['spki pem', nodeCrypto.createPublicKey(k.spki)],
        ['spki der', nodeCrypto.createPublicKey({ key: unb64(k.spkiDer), format: 'der', type: 'spki' })],
        ['public jwk', nodeCrypto.createPublicKey({ key: k.publicJwk, format: 'jwk' })],
        ['public of pkcs8', nodeCrypto.createPublicKey(k.pkcs8)],
      ];
      const privs = [
        ['pkcs8 pem', nodeCrypto.createPrivateKey(k.pkcs8)],
        ['pkcs8 der', nodeCrypto.createPrivateKey({ key: unb64(k.pkcs8Der), format: 'der', type: 'pkcs8' })],
        ['encrypted pkcs8', nodeCrypto.createPrivateKey({ key: k.encrypted, passphrase: PASSPHRASE })],
        ['private jwk', nodeCrypto.createPrivateKey({ key: k.jwk, format: 'jwk' })],
      ];
      if (k.pkcs1) {
        privs.push(['pkcs1 pem', nodeCrypto.createPrivateKey(k.pkcs1)]);
        forms.push(['pkcs1 der', nodeCrypto.createPublicKey({ key: unb64(k.pkcs1Public), format: 'der', type: 'pkcs1' })]);
      }
      if (k.sec1) privs.push(['sec1 pem', nodeCrypto.createPrivateKey(k.sec1)]);
      for (const [form, key] of forms) {
        expect(key.asymmetricKeyType === (type === 'ec' || type === 'rsa' ? type : name), `${name} ${form}: asymmetricKeyType ${key.asymmetricKeyType}`);
        expect(key.export({ type: 'spki', format: 'der' }).toString('base64') === k.spkiDer, `${name} ${form}: spki differs`);
        expect(JSON.stringify(key.export({ format: 'jwk' })) === JSON.stringify(k.publicJwk), `${name} ${form}: public JWK differs`);
      }
      for (const [form, key] of privs) {
        expect(key.type === 'private', `${name} ${form}: type ${key.type}`);
        expect(key.export({ type: 'pkcs8', format: 'der' }).toString('base64') === k.pkcs8Der, `${name} ${form}: pkcs8 differs`);
        expect(JSON.stringify(key.export({ format: 'jwk' })) === JSON.stringify(k.jwk), `${name} ${form}: JWK differs`);
        expect(key.equals(privs[0][1]), `${name} ${form}: equals() is false`);
      }
      expect(nodeCrypto.createPrivateKey({ key: k.encrypted, passphrase: PASSPHRASE }).equals(privs[0][1]), `${name}: encrypted pkcs8`);
      let threw = false;
      try { nodeCrypto.createPrivateKey({ key: k.encrypted, passphrase: 'wrong' }); } catch { threw = true; }
      expect(threw, `${name}: a wrong passphrase is refused`);
    });
  }
  for (const [i, [key, digest, options]] of NODE_SIGN.entries()) {
    await attempt(`node sign ${i} (${key} ${digest})`, () => {
      const pub = nodeCrypto.createPublicKey(v.keys[key].spki);
      const sig = unb64(v.nodeSigs[i]);
      expect(nodeCrypto.verify(digest, msg, { key: pub, ...options }, sig), `node sign ${i} (${key} ${digest}): the signature does not verify`);
      const bad = Buffer.from(msg);
      bad[0] ^= 1;
      expect(!nodeCrypto.verify(digest, bad, { key: pub, ...options }, sig), `node sign ${i}: a changed message verifies`);
      const priv = nodeCrypto.createPrivateKey(v.keys[key].pkcs8);
      const mine = digest === null ? nodeCrypto.sign(null, msg, { key: priv, ...options })
        : nodeCrypto.createSign(digest).update(msg.subarray(0, 10)).update(msg.subarray(10)).sign({ key: priv, ...options });
      expect(nodeCrypto.verify(digest, msg, { key: pub, ...options }, mine), `node sign ${i}: my signature does not verify`);
      if (DETERMINISTIC(key, options)) expect(same(mine, sig), `node sign ${i}: deterministic signatures differ`);
      if (digest !== null) expect(nodeCrypto.createVerify(digest).update(msg).verify({ key: v.keys[key].spki, ...options }, sig), `node sign ${i}: Verify object`);
    });
  }
  for (const [i, [key, importAlg, params]] of WEB_SIGN.entries()) {
    await attempt(`web sign ${i} (${importAlg.name})`, async () => {
      const k = v.keys[key];
      const sig = unb64(v.webSigs[i]);
      for (const [format, data] of [['spki', unb64(k.spkiDer)], ['jwk', k.publicJwk]]) {
        const pub = await subtle.importKey(format, data, importAlg, true, ['verify']);
        expect(await subtle.verify(params, pub, sig, msg), `web sign ${i} (${importAlg.name}, ${format}): does not verify`);
        expect(!(await subtle.verify(params, pub, sig, msg.subarray(1))), `web sign ${i}: a changed message verifies`);
        if (format === 'spki') expect(b64(await subtle.exportKey('spki', pub)) === k.spkiDer, `web sign ${i}: spki export differs`);
      }
      const jwk = { ...k.jwk };
      const priv = await subtle.importKey('jwk', jwk, importAlg, true, ['sign']);
      expect(b64(await subtle.exportKey('pkcs8', priv)) === k.pkcs8Der, `web sign ${i}: pkcs8 export of a JWK import differs`);
      const mine = await subtle.sign(params, priv, msg);
      const pub = await subtle.importKey('spki', unb64(k.spkiDer), importAlg, true, ['verify']);
      expect(await subtle.verify(params, pub, mine, msg), `web sign ${i}: my signature does not verify`);
      if (DETERMINISTIC(key, params)) expect(same(new Uint8Array(mine), sig), `web sign ${i}: deterministic signatures differ`);
    });
  }
  await attempt('RSA encryption', async () => {
    const c = v.ciphertexts;
    const priv = nodeCrypto.createPrivateKey(v.keys.rsa.pkcs8);
    const plain = msg.subarray(0, 100);
    expect(same(nodeCrypto.privateDecrypt(priv, unb64(c.oaepSha1)), plain), 'OAEP SHA-1');
    expect(same(nodeCrypto.privateDecrypt({ key: priv, oaepHash: 'sha256', oaepLabel: Buffer.from('a label') }, unb64(c.oaepSha256Label)), plain), 'OAEP SHA-256 with a label');
    // Node 20's bundled OpenSSL lacks implicit rejection, so Node refuses PKCS#1 v1.5
    // decryption (CVE-2023-46809); OpenSSL 3.5 under rtjs has it, and rtjs decrypts.
    if (globalThis.rt !== undefined) {
      expect(same(nodeCrypto.privateDecrypt({ key: priv, padding: nodeCrypto.constants.RSA_PKCS1_PADDING }, unb64(c.pkcs1)), plain), 'PKCS#1 v1.5 encryption');
    }
    expect(same(nodeCrypto.publicDecrypt(v.keys.rsa.spki, unb64(c.privateEncrypt)), plain), 'privateEncrypt/publicDecrypt');
    const webPriv = await subtle.importKey('pkcs8', unb64(v.keys.rsa.pkcs8Der), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
    expect(same(new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP', label: Buffer.from('a label') }, webPriv, unb64(c.web))), plain), 'Web Crypto RSA-OAEP');
    expect(same(new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP', label: Buffer.from('a label') }, webPriv, unb64(c.oaepSha256Label))), plain), 'node OAEP read by Web Crypto');
    let rejected = false;
    await subtle.decrypt({ name: 'RSA-OAEP' }, webPriv, unb64(c.web)).catch((e) => { rejected = e.name === 'OperationError'; });
    expect(rejected, 'RSA-OAEP with the wrong label is an OperationError');
  });
  for (const [name, webName, webAlg] of AGREE) {
    await attempt(`agreement ${name}`, async () => {
      const p = v.peers[name];
      const mine = nodeCrypto.createPrivateKey(v.keys[name].pkcs8);
      const peerPub = nodeCrypto.createPublicKey({ key: unb64(p.spki), format: 'der', type: 'spki' });
      expect(b64(nodeCrypto.diffieHellman({ privateKey: mine, publicKey: peerPub })) === p.secret, `${name}: diffieHellman`);
      const peerPriv = nodeCrypto.createPrivateKey({ key: unb64(p.pkcs8), format: 'der', type: 'pkcs8' });
      const other = nodeCrypto.createPublicKey(v.keys[name].spki);
      expect(b64(nodeCrypto.diffieHellman({ privateKey: peerPriv, publicKey: other })) === p.secret, `${name}: diffieHellman the other way`);
      if (!webAlg) return;
      const wPriv = await subtle.importKey('pkcs8', unb64(p.pkcs8), webAlg, false, ['deriveBits']);
      const wPub = await subtle.importKey('jwk', v.keys[name].publicJwk, webAlg, false, []);
      expect(b64(await subtle.deriveBits({ name: webName, public: wPub }, wPriv, null)) === p.secret, `${name}: Web Crypto deriveBits`);
    });
  }
  await attempt('createECDH', () => {
    const e = v.ecdh;
    const ecdh = nodeCrypto.createECDH('prime256v1');
    ecdh.setPrivateKey(e.private, 'base64');
    expect(ecdh.getPublicKey('hex') === e.public, 'ECDH: the public key of setPrivateKey');
    expect(ecdh.getPublicKey('hex', 'compressed') === e.compressed, 'ECDH: compressed public key');
    expect(ecdh.computeSecret(e.peerPublic, 'base64', 'base64') === e.secret, 'ECDH: computeSecret with a compressed peer key');
    expect(nodeCrypto.ECDH.convertKey(e.compressed, 'prime256v1', 'hex', 'hex', 'uncompressed') === e.public, 'ECDH.convertKey');
  });
  return { checks, failures };
}
