// IPv4 (RFC 791, RFC 1122 3.2.1): header parsing with every check a receiver must make,
// header building, fragmentation on send and reassembly on receive with limits.
import { checksum } from './checksum.js';
import { read16, read32, write16, write32 } from './addr.js';

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;

const VERSION = 4;
export const HEADER_MIN = 20;          // IHL 5 (RFC 791 3.1)
/** Bytes a transport leaves free before its packet (sendIp's `headroom`): our header and Ethernet's (14). */
export const HEADROOM = 14 + HEADER_MIN;
const FLAG_DF = 0x4000, FLAG_MF = 0x2000, OFFSET_MASK = 0x1fff;
export const DEFAULT_TTL = 64;         // RFC 1700's recommendation, as Linux uses
const MAX_DATAGRAM = 65535;

/**
 * Parses and checks an IPv4 header at bytes[0..]. Returns null (with `why` in stats) when the
 * packet must be dropped: wrong version, IHL < 5, total length past the data or shorter than
 * the header, bad header checksum.
 * @returns {{ src, dst, protocol, ttl, id, df, mf, offset, headerLength, totalLength, tos } | string}
 *   the header, or a string naming why the packet is invalid.
 */
export function parseHeader(b) {
  if (b.length < HEADER_MIN) return 'truncated header';
  if (b[0] >>> 4 !== VERSION) return 'not IPv4';
  const headerLength = (b[0] & 0xf) * 4;
  if (headerLength < HEADER_MIN || headerLength > b.length) return 'bad header length';
  const totalLength = read16(b, 2);
  if (totalLength < headerLength || totalLength > b.length) return 'bad total length';
  if (checksum(b, 0, headerLength) !== 0) return 'bad header checksum';
  const frag = read16(b, 6);
  return {
    tos: b[1], totalLength, headerLength, id: read16(b, 4),
    df: (frag & FLAG_DF) !== 0, mf: (frag & FLAG_MF) !== 0, offset: (frag & OFFSET_MASK) * 8,
    ttl: b[8], protocol: b[9], src: read32(b, 12), dst: read32(b, 16),
  };
}

/** Writes a 20-byte header (no options) at b[at..] and its checksum. */
export function writeHeader(b, { src, dst, protocol, ttl = DEFAULT_TTL, id = 0, totalLength, df = false, mf = false, offset = 0, tos = 0 }, at = 0) {
  b[at] = (VERSION << 4) | (HEADER_MIN / 4);
  b[at + 1] = tos;
  write16(b, at + 2, totalLength);
  write16(b, at + 4, id);
  write16(b, at + 6, (df ? FLAG_DF : 0) | (mf ? FLAG_MF : 0) | (offset / 8));
  b[at + 8] = ttl;
  b[at + 9] = protocol;
  b[at + 10] = 0; b[at + 11] = 0;
  write32(b, at + 12, src);
  write32(b, at + 16, dst);
  write16(b, at + 10, checksum(b, at, at + HEADER_MIN));
}

/**
 * Splits a datagram's payload into fragments that fit `mtu` (RFC 791 3.2, "fragmentation"):
 * every fragment but the last carries a multiple of 8 bytes and MF.
 * @returns {Uint8Array[]} whole IP packets
 */
export function fragment(header, payload, mtu) {
  const per = Math.floor((mtu - HEADER_MIN) / 8) * 8;
  const out = [];
  for (let at = 0; at < payload.length; at += per) {
    const n = Math.min(per, payload.length - at);
    const p = new Uint8Array(HEADER_MIN + n);
    writeHeader(p, { ...header, totalLength: HEADER_MIN + n, offset: at, mf: at + n < payload.length });
    p.set(payload.subarray(at, at + n), HEADER_MIN);
    out.push(p);
  }
  return out;
}

/**
 * Reassembly (RFC 791 3.2, RFC 815's hole list in spirit): fragments are kept per (src, dst,
 * protocol, id) until the datagram is whole or its timer ends. Overlapping fragments drop the
 * datagram (they are a known attack and no honest sender makes them); the number of datagrams
 * and bytes held at once is bounded.
 */
export class Reassembler {
  #pending = new Map();
  #bytes = 0;
  #limits;
  #now;
  stats = { reassembled: 0, timedOut: 0, overlaps: 0, overLimit: 0, tooLong: 0 };

  /** @param {{ maxDatagrams?: number, maxBytes?: number, timeoutMs?: number, now?: () => number }} limits */
  constructor({ maxDatagrams = 64, maxBytes = 1 << 20, timeoutMs = 30000, now = () => performance.now() } = {}) {
    this.#limits = { maxDatagrams, maxBytes, timeoutMs };
    this.#now = now;
  }

  /**
   * Adds one fragment. Returns the whole payload when this fragment completes the datagram,
   * otherwise null.
   */
  add(h, data) {
    this.expire();
    const key = `${h.src}:${h.dst}:${h.protocol}:${h.id}`;
    let d = this.#pending.get(key);
    if (!d) {
      if (this.#pending.size >= this.#limits.maxDatagrams) { this.stats.overLimit++; return null; }
      d = { parts: [], total: -1, bytes: 0, deadline: this.#now() + this.#limits.timeoutMs };
      this.#pending.set(key, d);
    }
    const end = h.offset + data.length;
    if (end > MAX_DATAGRAM - HEADER_MIN) { this.stats.tooLong++; this.#drop(key, d); return null; }
    if (!h.mf) {
      if (d.total >= 0 && d.total !== end) { this.stats.overlaps++; this.#drop(key, d); return null; }
      d.total = end;
    }
    for (const p of d.parts) {
      if (h.offset < p.offset + p.data.length && p.offset < end) { this.stats.overlaps++; this.#drop(key, d); return null; }
    }
    if (d.total >= 0 && end > d.total) { this.stats.overlaps++; this.#drop(key, d); return null; }
    if (this.#bytes + data.length > this.#limits.maxBytes) { this.stats.overLimit++; this.#drop(key, d); return null; }
    d.parts.push({ offset: h.offset, data: data.slice() });
    d.bytes += data.length;
    this.#bytes += data.length;
    if (d.total < 0 || d.bytes !== d.total) return null;
    const whole = new Uint8Array(d.total);
    for (const p of d.parts) whole.set(p.data, p.offset);
    this.#drop(key, d);
    this.stats.reassembled++;
    return whole;
  }

  /** Drops datagrams whose reassembly timer ran out. */
  expire() {
    const now = this.#now();
    for (const [key, d] of this.#pending) if (d.deadline <= now) { this.stats.timedOut++; this.#drop(key, d); }
  }

  get pending() { return this.#pending.size; }

  #drop(key, d) {
    this.#bytes -= d.bytes;
    this.#pending.delete(key);
  }
}
