// Symmetric crypto checked against Node: the same module runs under Node and under rtjs.
// `produce` encrypts random messages with every mode below (in random-sized pieces, with AAD
// and tags where the mode has them), streams hashes and HMACs, derives keys with PBKDF2,
// scrypt and HKDF (sync and async) and records the errors bad input gets; `check` takes what
// the OTHER runtime produced, decrypts and re-encrypts it byte for byte, recomputes every
// digest and key both ways, and compares the errors' class, code and message with its own.
import nodeCrypto from 'node:crypto';
import { Buffer } from 'node:buffer';

const b64 = (b) => Buffer.from(b).toString('base64');
const unb64 = (s) => Buffer.from(s, 'base64');

// name, key bytes, iv bytes, tag bytes (AEAD), AAD
const CIPHERS = [
  ['aes-128-cbc', 16, 16], ['aes-192-cbc', 24, 16], ['aes-256-cbc', 32, 16],
  ['aes-128-ctr', 16, 16], ['aes-256-ctr', 32, 16], ['aes-128-ecb', 16, 0], ['aes-256-ofb', 32, 16],
  ['aes-256-cfb', 32, 16], ['aes-128-cfb8', 16, 16], ['chacha20', 32, 16],
  ['aes-128-gcm', 16, 12, 16, true], ['aes-256-gcm', 32, 12, 16, false], ['aes-256-gcm', 32, 16, 12, true],
  ['aes-192-gcm', 24, 8, 8, true], ['chacha20-poly1305', 32, 12, 16, true], ['chacha20-poly1305', 32, 12, 8, false],
  ['aes-128-ccm', 16, 12, 16, true], ['aes-256-ccm', 32, 7, 8, false], ['aes-128-ocb', 16, 12, 16, true],
];
const LENGTHS = [0, 1, 15, 16, 17, 100, 4099];

function random(n) { return nodeCrypto.randomBytes(n); }
function pieces(total) {
  const cuts = [];
  let left = total;
  while (left > 0) { const n = Math.min(left, 1 + nodeCrypto.randomInt(64)); cuts.push(n); left -= n; }
  return cuts;
}
const isCcm = (name) => name.includes('ccm');

function encrypt(c, key, iv, plain, aad, cuts, autoPadding = true) {
  const [name, , , tagLen] = c;
  const cipher = nodeCrypto.createCipheriv(name, key, iv.length ? iv : null, tagLen ? { authTagLength: tagLen } : undefined);
  if (!autoPadding) cipher.setAutoPadding(false);
  if (aad) cipher.setAAD(aad, { plaintextLength: plain.length });
  const out = [];
  // CCM takes the whole message in one update.
  if (isCcm(name)) out.push(cipher.update(plain));
  else { let at = 0; for (const n of cuts) { out.push(cipher.update(plain.subarray(at, at + n))); at += n; } }
  out.push(cipher.final());
  return { data: Buffer.concat(out), tag: tagLen ? cipher.getAuthTag() : undefined };
}

function decrypt(c, key, iv, data, aad, tag, cuts) {
  const [name, , , tagLen] = c;
  const d = nodeCrypto.createDecipheriv(name, key, iv.length ? iv : null, tagLen ? { authTagLength: tagLen } : undefined);
  if (tag) d.setAuthTag(tag);
  if (aad) d.setAAD(aad, { plaintextLength: data.length });
  const out = [];
  if (isCcm(name)) out.push(d.update(data));
  else {
    // The plaintext's pieces, then whatever padding added.
    let at = 0;
    for (const n of cuts) { out.push(d.update(data.subarray(at, at + n))); at += n; }
    out.push(d.update(data.subarray(at)));
  }
  out.push(d.final());
  return Buffer.concat(out);
}

function errorOf(fn) {
  try { fn(); } catch (e) { return `${e.constructor.name} ${e.code} ${e.message}`; }
  return 'no error';
}
const K16 = Buffer.alloc(16, 1);
const IV16 = Buffer.alloc(16, 2);
const IV12 = Buffer.alloc(12, 3);
// Bad input, each the same error on both runtimes.
const ERRORS = {
  keyLength: () => nodeCrypto.createCipheriv('aes-128-cbc', Buffer.alloc(15), IV16),
  ivLength: () => nodeCrypto.createCipheriv('aes-128-cbc', K16, Buffer.alloc(5)),
  ecbWithIv: () => nodeCrypto.createCipheriv('aes-128-ecb', K16, IV16),
  cbcWithoutIv: () => nodeCrypto.createCipheriv('aes-128-cbc', K16, null),
  gcmEmptyIv: () => nodeCrypto.createCipheriv('aes-128-gcm', K16, Buffer.alloc(0)),
  unknown: () => nodeCrypto.createCipheriv('aes-128-nope', K16, IV16),
  badDecrypt: () => { const d = nodeCrypto.createDecipheriv('aes-128-cbc', K16, IV16); d.update(Buffer.alloc(16)); d.final(); },
  finalBlock: () => { const d = nodeCrypto.createDecipheriv('aes-128-cbc', K16, IV16); d.update(Buffer.alloc(15)); d.final(); },
  noPadding: () => { const c = nodeCrypto.createCipheriv('aes-128-cbc', K16, IV16); c.setAutoPadding(false); c.update(Buffer.alloc(15)); c.final(); },
  badTag: () => { const d = nodeCrypto.createDecipheriv('aes-128-gcm', K16, IV12); d.setAuthTag(Buffer.alloc(16)); d.update(Buffer.alloc(15)); d.final(); },
  noTag: () => { const d = nodeCrypto.createDecipheriv('aes-128-gcm', K16, IV12); d.update(Buffer.alloc(15)); d.final(); },
  tagLength: () => nodeCrypto.createDecipheriv('aes-128-gcm', K16, IV12).setAuthTag(Buffer.alloc(3)),
  optionTagLength: () => nodeCrypto.createCipheriv('aes-128-gcm', K16, IV12, { authTagLength: 7 }),
  ccmNeedsTagLength: () => nodeCrypto.createCipheriv('aes-128-ccm', K16, IV12),
  tagTooEarly: () => nodeCrypto.createCipheriv('aes-128-gcm', K16, IV12).getAuthTag(),
  tagTwice: () => { const d = nodeCrypto.createDecipheriv('aes-128-gcm', K16, IV12); d.setAuthTag(Buffer.alloc(16)); d.setAuthTag(Buffer.alloc(16)); },
  finalTwice: () => { const c = nodeCrypto.createCipheriv('aes-128-gcm', K16, IV12); c.final(); c.final(); },
  updateAfterFinal: () => { const c = nodeCrypto.createCipheriv('aes-128-cbc', K16, IV16); c.final(); c.update('x'); },
  hashTwice: () => { const h = nodeCrypto.createHash('sha256'); h.digest(); h.digest(); },
  copyAfterDigest: () => { const h = nodeCrypto.createHash('sha256'); h.digest(); h.copy(); },
  unknownHash: () => nodeCrypto.createHash('sha257'),
};

function derive(v) {
  const pw = unb64(v.password);
  const salt = unb64(v.salt);
  return {
    pbkdf2: b64(nodeCrypto.pbkdf2Sync(pw, salt, v.iterations, v.length, 'sha256')),
    pbkdf2Sha512: b64(nodeCrypto.pbkdf2Sync(pw, salt, 3, 64, 'sha512')),
    scrypt: b64(nodeCrypto.scryptSync(pw, salt, v.length, { N: 1024, r: 8, p: 1 })),
    hkdf: b64(Buffer.from(nodeCrypto.hkdfSync('sha384', pw, salt, unb64(v.info), v.length))),
  };
}
function deriveAsync(v) {
  const pw = unb64(v.password);
  const salt = unb64(v.salt);
  const p = (f) => new Promise((res, rej) => f((err, out) => (err ? rej(err) : res(b64(Buffer.from(out))))));
  return Promise.all([
    p((cb) => nodeCrypto.pbkdf2(pw, salt, v.iterations, v.length, 'sha256', cb)),
    p((cb) => nodeCrypto.pbkdf2(pw, salt, 3, 64, 'sha512', cb)),
    p((cb) => nodeCrypto.scrypt(pw, salt, v.length, { N: 1024, r: 8, p: 1 }, cb)),
    p((cb) => nodeCrypto.hkdf('sha384', pw, salt, unb64(v.info), v.length, cb)),
  ]).then(([pbkdf2, pbkdf2Sha512, scrypt, hkdf]) => ({ pbkdf2, pbkdf2Sha512, scrypt, hkdf }));
}

// The digests of data written to the hash as a stream, through update, and through a copy.
async function digests(data, cuts) {
  const viaStream = await new Promise((resolve, reject) => {
    const h = nodeCrypto.createHash('sha256');
    h.on('error', reject);
    h.on('readable', () => { const d = h.read(); if (d) resolve(d.toString('hex')); });
    let at = 0;
    for (const n of cuts) { h.write(data.subarray(at, at + n)); at += n; }
    h.end();
  });
  const hmacStream = await new Promise((resolve) => {
    const h = nodeCrypto.createHmac('sha512', 'a key');
    h.setEncoding('base64');
    let out = '';
    h.on('data', (s) => { out += s; });
    h.on('end', () => resolve(out));
    h.end(data);
  });
  const h = nodeCrypto.createHash('sha384');
  h.update(data.subarray(0, data.length >> 1));
  const half = h.copy();
  h.update(data.subarray(data.length >> 1));
  return {
    viaStream,
    hmacStream,
    whole: h.digest('base64'),
    half: half.digest('hex'),
    shake: nodeCrypto.createHash('shake256', { outputLength: 100 }).update(data).digest('base64'),
    sha3: nodeCrypto.createHash('sha3-256').update(data.toString('latin1'), 'latin1').digest('hex'),
  };
}

// getCipherInfo's answers, lengths asked for included, must be the same on both.
const INFO = [['aes-128-gcm'], ['AES-256-CBC'], ['chacha20-poly1305'], ['aes-128-ctr'], ['aes-128-ccm'], ['chacha20'],
  ['aes-128-ocb'], ['aes-256-ecb'], ['no-such-cipher'], [419], ['aes-128-gcm', { ivLength: 8 }], ['aes-128-ccm', { ivLength: 14 }],
  ['aes-128-cbc', { keyLength: 10 }], ['aes-128-cbc', { ivLength: 16, keyLength: 16 }]];
const cipherInfos = () => INFO.map(([n, o]) => JSON.stringify(nodeCrypto.getCipherInfo(n, o)) ?? 'undefined');

export async function produce() {
  const ciphers = [];
  for (const c of CIPHERS) {
    for (const len of LENGTHS) {
      if (isCcm(c[0]) && len === 0) continue;
      const key = random(c[1]);
      const iv = random(c[2]);
      const plain = random(len);
      const aad = c[4] ? random(1 + nodeCrypto.randomInt(40)) : undefined;
      const cuts = pieces(len);
      const { data, tag } = encrypt(c, key, iv, plain, aad, cuts);
      ciphers.push({ c, key: b64(key), iv: b64(iv), plain: b64(plain), aad: aad && b64(aad), cuts, data: b64(data), tag: tag && b64(tag) });
    }
  }
  // Strings through update and final in pieces must join into the whole: UTF-8 characters
  // and base64 groups cut at piece boundaries.
  const text = 'grüße, 世界, 🙂 '.repeat(20);
  const tc = nodeCrypto.createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 8));
  let base64 = '';
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += 7) base64 += tc.update(chars.slice(i, i + 7).join(''), 'utf8', 'base64');
  base64 += tc.final('base64');
  const data = random(5000);
  const cuts = pieces(5000);
  const v = { password: b64(random(20)), salt: b64(random(16)), info: b64(random(10)), iterations: 1000 + nodeCrypto.randomInt(1000), length: 1 + nodeCrypto.randomInt(80) };
  const errors = {};
  for (const [name, fn] of Object.entries(ERRORS)) errors[name] = errorOf(fn);
  return {
    ciphers, text, base64, data: b64(data), cuts, digests: await digests(data, cuts), kdf: { ...v, ...derive(v) }, errors,
    uuid: nodeCrypto.randomUUID(),
    infos: cipherInfos(),
    ciphersListed: ['aes-128-gcm', 'aes-256-cbc', 'chacha20-poly1305', 'aes-128-ccm', 'aes-256-ctr'].filter((n) => nodeCrypto.getCiphers().includes(n)),
  };
}

export async function check(v) {
  let checks = 0;
  const failures = [];
  const expect = (ok, what) => { checks++; if (!ok) failures.push(what); };
  const attempt = async (what, fn) => { try { await fn(); } catch (e) { checks++; failures.push(`${what}: threw ${e.message}`); } };
  for (const x of v.ciphers) {
    const what = `${x.c[0]} (${x.c.slice(1).join('/')}) of ${unb64(x.plain).length} bytes`;
    await attempt(what, () => {
      const key = unb64(x.key), iv = unb64(x.iv), aad = x.aad && unb64(x.aad);
      const plain = decrypt(x.c, key, iv, unb64(x.data), aad, x.tag && unb64(x.tag), x.cuts);
      expect(plain.equals(unb64(x.plain)), `${what}: decrypts`);
      const again = encrypt(x.c, key, iv, unb64(x.plain), aad, [...x.cuts].reverse());
      expect(b64(again.data) === x.data && (!x.tag || b64(again.tag) === x.tag), `${what}: encrypts the same`);
      if (x.tag) {
        const bad = unb64(x.tag);
        bad[0] ^= 1;
        expect(errorOf(() => decrypt(x.c, key, iv, unb64(x.data), aad, bad, x.cuts)) === 'Error undefined Unsupported state or unable to authenticate data',
          `${what}: a changed tag is refused`);
      }
    });
  }
  await attempt('strings in pieces', () => {
    const d = nodeCrypto.createDecipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 8));
    let text = '';
    for (let i = 0; i < v.base64.length; i += 12) text += d.update(v.base64.slice(i, i + 12), 'base64', 'utf8');
    text += d.final('utf8');
    expect(text === v.text, 'base64 in, UTF-8 out, in pieces');
    const c = nodeCrypto.createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 8));
    let base64 = '';
    const chars = Array.from(v.text);
    for (let i = 0; i < chars.length; i += 5) base64 += c.update(chars.slice(i, i + 5).join(''), 'utf8', 'base64');
    expect(base64 + c.final('base64') === v.base64, 'UTF-8 in, base64 out, in pieces');
  });
  await attempt('a cipher as a stream', async () => {
    const x = v.ciphers.find((c) => c.c[0] === 'aes-256-cbc' && unb64(c.plain).length === 4099);
    const d = nodeCrypto.createDecipheriv('aes-256-cbc', unb64(x.key), unb64(x.iv));
    const chunks = [];
    const done = new Promise((resolve, reject) => { d.on('data', (c) => chunks.push(c)); d.on('end', resolve); d.on('error', reject); });
    const data = unb64(x.data);
    d.write(data.subarray(0, 1000));
    d.end(data.subarray(1000));
    await done;
    expect(Buffer.concat(chunks).equals(unb64(x.plain)), 'Decipheriv written and read as a stream');
  });
  await attempt('digests', async () => {
    const mine = await digests(unb64(v.data), v.cuts);
    for (const [k, val] of Object.entries(v.digests)) expect(mine[k] === val, `digest ${k}: ${mine[k]} vs ${val}`);
  });
  await attempt('key derivation', async () => {
    const sync = derive(v.kdf);
    const later = await deriveAsync(v.kdf);
    for (const k of Object.keys(sync)) {
      expect(sync[k] === v.kdf[k], `${k} (sync)`);
      expect(later[k] === v.kdf[k], `${k} (callback)`);
    }
  });
  for (const [name, fn] of Object.entries(ERRORS)) {
    const mine = errorOf(fn);
    expect(mine === v.errors[name], `error ${name}: "${mine}", the other gives "${v.errors[name]}"`);
  }
  const infos = cipherInfos();
  INFO.forEach(([n, o], i) => expect(infos[i] === v.infos[i], `getCipherInfo(${n}, ${JSON.stringify(o)}): ${infos[i]}, the other gives ${v.infos[i]}`));
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  expect(uuid.test(v.uuid) && uuid.test(nodeCrypto.randomUUID()) && nodeCrypto.randomUUID() !== nodeCrypto.randomUUID(), 'randomUUID is a random version 4 UUID');
  for (const n of v.ciphersListed) expect(nodeCrypto.getCiphers().includes(n), `getCiphers lists ${n}`);
  return { checks, failures };
}
