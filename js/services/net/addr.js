// Addresses: IPv4 addresses are unsigned 32-bit integers inside the stack and dotted quads at
// its edges; MAC addresses are 6-byte Uint8Arrays inside and 'xx:xx:xx:xx:xx:xx' at the edges.

const QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** '10.0.2.15' -> 0x0a00020f; null when `s` is not a dotted quad. */
export function parseIPv4(s) {
  const m = typeof s === 'string' ? QUAD.exec(s) : null;
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const b = Number(m[i]);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return n;
}

/** 0x0a00020f -> '10.0.2.15'. */
export function formatIPv4(n) {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** A prefix length as a mask: 24 -> 0xffffff00. */
export function prefixMask(bits) {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** The prefix length of a contiguous mask, or -1. */
export function maskBits(mask) {
  for (let bits = 0; bits <= 32; bits++) if (prefixMask(bits) === mask >>> 0) return bits;
  return -1;
}

export const IPV4_ANY = 0;
export const IPV4_BROADCAST = 0xffffffff;
/** 127.0.0.0/8 (RFC 1122 3.2.1.3). */
export const isLoopback = (a) => a >>> 24 === 127;
/** 224.0.0.0/4 (RFC 5771). */
export const isMulticast = (a) => a >>> 28 === 0xe;

export function parseMAC(s) {
  const parts = typeof s === 'string' ? s.split(':') : [];
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) return null;
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

export function formatMAC(b, at = 0) {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[at + i].toString(16).padStart(2, '0');
  return s;
}

export const MAC_BROADCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

export function sameMAC(a, aAt, b, bAt = 0) {
  for (let i = 0; i < 6; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}

/** Reads a big-endian 32-bit unsigned integer. */
export const read32 = (b, at) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
export const read16 = (b, at) => (b[at] << 8) | b[at + 1];
export function write32(b, at, v) {
  b[at] = v >>> 24; b[at + 1] = (v >>> 16) & 0xff; b[at + 2] = (v >>> 8) & 0xff; b[at + 3] = v & 0xff;
}
export function write16(b, at, v) {
  b[at] = (v >>> 8) & 0xff; b[at + 1] = v & 0xff;
}
