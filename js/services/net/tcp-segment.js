// TCP segments (RFC 9293 3.1): header and option parsing with every length checked, and
// building. Sequence numbers compare modulo 2^32 (RFC 9293 3.4).
import { partialSum, finish, pseudoHeaderSum } from './checksum.js';
import { read16, read32, write16, write32 } from './addr.js';
import { PROTO_TCP } from './ipv4.js';

export const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20;
export const HEADER_MIN = 20;
const HEADER_MAX = 60;
// Option kinds (RFC 9293 3.2, RFC 7323 2.2 and 3.2, RFC 2018 2).
const OPT_END = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WSCALE = 3, OPT_SACK_OK = 4, OPT_SACK = 5, OPT_TIMESTAMP = 8;
export const MAX_WSCALE = 14;           // RFC 7323 2.3
const SACK_BLOCK = 8;                   // RFC 2018 3: left and right edge, 32 bits each
export const SACK_BLOCKS_MAX = 4;       // 2 + 4 * 8 bytes; 3 beside the timestamp option

/** a < b in sequence space. */
export const seqLt = (a, b) => ((a - b) | 0) < 0;
export const seqLe = (a, b) => ((a - b) | 0) <= 0;
export const seqGt = (a, b) => ((a - b) | 0) > 0;
export const seqGe = (a, b) => ((a - b) | 0) >= 0;
export const seqAdd = (a, n) => (a + n) >>> 0;
export const seqSub = (a, b) => (a - b) | 0;

/**
 * Parses a segment and checks its checksum against the pseudo-header, unless the device (or
 * the loopback interface) has already verified it (`checksumValid`).
 * @returns {object|string} the segment, or why it must be dropped
 */
export function parseSegment(src, dst, b, checksumValid = false) {
  if (b.length < HEADER_MIN) return 'truncated header';
  const dataOffset = (b[12] >>> 4) * 4;
  if (dataOffset < HEADER_MIN || dataOffset > b.length) return 'bad data offset';
  if (!checksumValid && finish(partialSum(b, 0, b.length, pseudoHeaderSum(src, dst, PROTO_TCP, b.length))) !== 0) return 'bad checksum';
  const flags = b[13] & 0x3f;
  const seg = {
    srcPort: read16(b, 0), dstPort: read16(b, 2), seq: read32(b, 4), ack: read32(b, 8), flags,
    window: read16(b, 14), data: new Uint8Array(b.buffer, b.byteOffset + dataOffset, b.length - dataOffset), mss: 0, wscale: -1, sackOk: false, ts: null, sack: null,
  };
  const bad = parseOptions(b, dataOffset, seg);
  return bad ?? seg;
}

function parseOptions(b, end, seg) {
  for (let i = HEADER_MIN; i < end;) {
    const kind = b[i];
    if (kind === OPT_END) break;
    if (kind === OPT_NOP) { i++; continue; }
    if (i + 1 >= end) return 'option runs past the header';
    const len = b[i + 1];
    if (len < 2 || i + len > end) return 'option runs past the header';
    if (kind === OPT_MSS && len === 4) seg.mss = read16(b, i + 2);
    else if (kind === OPT_WSCALE && len === 3) seg.wscale = Math.min(b[i + 2], MAX_WSCALE);
    else if (kind === OPT_SACK_OK && len === 2) seg.sackOk = true;
    else if (kind === OPT_TIMESTAMP && len === 10) seg.ts = { val: read32(b, i + 2), ecr: read32(b, i + 6) };
    else if (kind === OPT_SACK && len > 2 && (len - 2) % SACK_BLOCK === 0) {
      seg.sack = [];
      for (let at = i + 2; at < i + len; at += SACK_BLOCK) seg.sack.push([read32(b, at), read32(b, at + 4)]);
    }
    i += len;   // unknown options are skipped by their length (RFC 9293 3.2)
  }
  return null;
}

/** Where the checksum sits in a TCP header (RFC 9293 3.1). */
export const CHECKSUM_OFFSET = 16;

// Bytes of the options buildSegment writes for `s`.
function optionsLength(s) {
  let n = 0;
  if (s.mss) n += 4;
  if (s.wscale !== undefined && s.wscale >= 0) n += 4;
  if (s.ts) n += 12;
  if (s.sackOk) n += 4;
  if (s.sack?.length) n += 4 + SACK_BLOCK * s.sack.length;
  return n;
}

/** Bytes of the segment buildSegment makes of `s`: header, options and payload. */
export function segmentLength(s) {
  return HEADER_MIN + optionsLength(s) + (s.data ? s.data.length : s.dataLength ?? 0);
}

/**
 * Builds a segment, in one buffer with `headroom` free bytes before it (for the IP and link
 * headers, so that no layer below copies it again).
 * @param {{ srcPort, dstPort, seq, ack, flags, window, mss?, wscale?, ts?: {val, ecr}, sackOk?: boolean,
 *   sack?: number[][], data?: Uint8Array, dataLength?: number, writeData?: (b: Uint8Array, at: number) => void }} s
 *   the payload is `data`, or `dataLength` bytes that writeData puts at b[at..]; sackOk: the
 *   SACK-permitted option (a SYN); sack: [left, right] blocks (RFC 2018 3)
 * @param {number} src source address, for the pseudo-header
 * @param {number} dst destination address
 * @param {{ headroom?: number, partial?: boolean, into?: Uint8Array|null }} options partial: leave
 *   only the pseudo-header's sum in the checksum field, for the device to finish (checksum
 *   offload); into: the buffer to build in (headroom plus exactly the segment's bytes)
 * @returns {Uint8Array} the segment, a view starting `headroom` bytes into its buffer
 */
export function buildSegment(s, src, dst, { headroom = 0, partial = false, into = null } = {}) {
  const headerLength = HEADER_MIN + optionsLength(s);
  if (headerLength > HEADER_MAX) throw new RangeError('TCP options longer than 40 bytes');
  const data = s.data;
  const dataLength = data ? data.length : s.dataLength ?? 0;
  const length = headerLength + dataLength;
  let b;
  // Views by the constructor: subarray() goes through the species lookup, several times dearer.
  if (into) {
    if (into.length !== headroom + length) throw new RangeError(`a segment of ${length} bytes after ${headroom} does not fill ${into.length}`);
    b = new Uint8Array(into.buffer, into.byteOffset + headroom, length);
  } else {
    b = new Uint8Array(new ArrayBuffer(headroom + length), headroom, length);
  }
  // Every header byte is written (the memory may hold an older frame); options fill theirs.
  write16(b, 0, s.srcPort); write16(b, 2, s.dstPort);
  write32(b, 4, s.seq); write32(b, 8, s.ack);
  b[12] = (headerLength / 4) << 4;
  b[13] = s.flags;
  write16(b, 14, s.window);
  b[16] = 0; b[17] = 0; b[18] = 0; b[19] = 0;   // checksum (below) and urgent pointer
  let o = HEADER_MIN;
  if (s.mss) { b[o] = OPT_MSS; b[o + 1] = 4; write16(b, o + 2, s.mss); o += 4; }
  if (s.wscale !== undefined && s.wscale >= 0) { b[o] = OPT_NOP; b[o + 1] = OPT_WSCALE; b[o + 2] = 3; b[o + 3] = s.wscale; o += 4; }
  if (s.ts) {   // two NOPs first, for alignment (RFC 7323 appendix A)
    b[o] = OPT_NOP; b[o + 1] = OPT_NOP; b[o + 2] = OPT_TIMESTAMP; b[o + 3] = 10;
    write32(b, o + 4, s.ts.val); write32(b, o + 8, s.ts.ecr);
    o += 12;
  }
  if (s.sackOk) { b[o] = OPT_NOP; b[o + 1] = OPT_NOP; b[o + 2] = OPT_SACK_OK; b[o + 3] = 2; o += 4; }
  if (s.sack?.length) {
    b[o] = OPT_NOP; b[o + 1] = OPT_NOP; b[o + 2] = OPT_SACK; b[o + 3] = 2 + SACK_BLOCK * s.sack.length;
    o += 4;
    for (const [left, right] of s.sack) { write32(b, o, left); write32(b, o + 4, right); o += SACK_BLOCK; }
  }
  if (data) b.set(data, headerLength);
  else if (dataLength) s.writeData(b, headerLength);
  const pseudo = pseudoHeaderSum(src, dst, PROTO_TCP, b.length);
  write16(b, CHECKSUM_OFFSET, partial ? ~finish(pseudo) & 0xffff : finish(partialSum(b, 0, b.length, pseudo)));
  return b;
}
