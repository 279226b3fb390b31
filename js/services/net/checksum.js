// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
// data as 16-bit big-endian words, an odd last byte padded with zero.

// Below this many bytes the word-at-a-time path costs more than it saves.
const WIDE_MIN = 64;
// 32-bit words summed as a double before folding: 2^20 * (2^32 - 1) stays below 2^53, where
// doubles are exact integers.
const WIDE_BLOCK = 1 << 20;

// The last buffer summed, as 32-bit words: the device's transmit memory is summed for every
// segment sent, and a view made per sum costs as much as summing a few hundred bytes.
let lastBuffer = null, lastWords = null;
function wordsOf(buffer) {
  // A buffer moved away since (its length now 0) or another buffer gets a new view.
  if (buffer !== lastBuffer || lastWords.length !== buffer.byteLength >>> 2) {
    lastBuffer = buffer;
    lastWords = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  return lastWords;
}

/** The 32-bit partial sum of bytes[start, end), to be folded; `sum` carries a previous part. */
export function partialSum(bytes, start, end, sum = 0) {
  let i = start;
  if (end - start >= WIDE_MIN && ((bytes.byteOffset + i) & 1) === 0) {
    // 32 bits at a time over the 4-aligned middle. A little-endian 32-bit word b0 b1 b2 b3
    // holds the little-endian 16-bit words (b0 | b1 << 8) and (b2 | b3 << 8), and summing
    // whole words then folding the carries gives their sum (RFC 1071 2(C)). The ones'
    // complement sum of byte-swapped words is the byte-swapped sum (RFC 1071 2(B)), so one
    // swap at the end gives the big-endian sum.
    if ((bytes.byteOffset + i) & 2) { sum += (bytes[i] << 8) | bytes[i + 1]; i += 2; }
    const words = (end - i) >>> 2;
    const w32 = wordsOf(bytes.buffer);
    let k = (bytes.byteOffset + i) >>> 2;
    const last = k + words;
    let le = 0;
    while (k < last) {
      // Four words a step: the loop's own compare and increment cost as much as a word's add.
      const stop = Math.min(last, k + WIDE_BLOCK);
      let acc = 0;
      for (; k + 4 <= stop; k += 4) acc += (w32[k] + w32[k + 1]) + (w32[k + 2] + w32[k + 3]);
      for (; k < stop; k++) acc += w32[k];
      const hi = Math.floor(acc / 0x100000000);
      acc = (acc - hi * 0x100000000) + hi;   // 32-bit end-around carry
      le += (acc & 0xffff) + Math.floor(acc / 0x10000);
      le = (le & 0xffff) + (le >>> 16);
    }
    while (le > 0xffff) le = (le & 0xffff) + (le >>> 16);
    sum += ((le & 0xff) << 8) + (le >>> 8);
    i += words * 4;
  }
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  // Fold early so that large buffers never leave the exact integer range.
  return (sum & 0xffff) + Math.floor(sum / 0x10000);
}

/** Folds a partial sum into the 16-bit checksum field value. */
export function finish(sum) {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The checksum of bytes[start, end). A region that carries a correct checksum sums to 0. */
export function checksum(bytes, start, end) {
  return finish(partialSum(bytes, start, end));
}

/**
 * The partial sum of the IPv4 pseudo-header (RFC 9293 3.1, RFC 768) for TCP and UDP.
 * @param {number} src source address as an unsigned 32-bit integer
 * @param {number} dst destination address
 * @param {number} protocol IP protocol number
 * @param {number} length the transport header plus data, in bytes
 */
export function pseudoHeaderSum(src, dst, protocol, length) {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
