// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed hash
// of short inputs that an observer of its outputs cannot turn into a forgery without the
// key, for values the network stack must make unguessable (SYN cookies, RFC 4987 3.6). On
// BigInts: it runs per SYN under a flood, not per segment.
const MASK = (1n << 64n) - 1n;
const rotl = (x, b) => ((x << b) | (x >> (64n - b))) & MASK;

function rounds(v, n) {
  for (let i = 0; i < n; i++) {
    v[0] = (v[0] + v[1]) & MASK; v[1] = rotl(v[1], 13n); v[1] ^= v[0]; v[0] = rotl(v[0], 32n);
    v[2] = (v[2] + v[3]) & MASK; v[3] = rotl(v[3], 16n); v[3] ^= v[2];
    v[0] = (v[0] + v[3]) & MASK; v[3] = rotl(v[3], 21n); v[3] ^= v[0];
    v[2] = (v[2] + v[1]) & MASK; v[1] = rotl(v[1], 17n); v[1] ^= v[2]; v[2] = rotl(v[2], 32n);
  }
}

/**
 * @param {Uint8Array} key 16 bytes
 * @param {Uint8Array} data
 * @returns {bigint} the 64-bit hash
 */
export function siphash24(key, data) {
  const dv = new DataView(key.buffer, key.byteOffset, 16);
  const k0 = dv.getBigUint64(0, true), k1 = dv.getBigUint64(8, true);
  const v = [k0 ^ 0x736f6d6570736575n, k1 ^ 0x646f72616e646f6dn, k0 ^ 0x6c7967656e657261n, k1 ^ 0x7465646279746573n];
  const whole = data.length & ~7;
  const words = new DataView(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < whole; i += 8) {
    const m = words.getBigUint64(i, true);
    v[3] ^= m; rounds(v, 2); v[0] ^= m;
  }
  let last = BigInt(data.length & 0xff) << 56n;
  for (let i = whole; i < data.length; i++) last |= BigInt(data[i]) << BigInt(8 * (i - whole));
  v[3] ^= last; rounds(v, 2); v[0] ^= last;
  v[2] ^= 0xffn; rounds(v, 4);
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}
