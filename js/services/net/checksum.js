// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
// data as 16-bit big-endian words, an odd last byte padded with zero.

/** The 32-bit partial sum of bytes[start, end), to be folded; `sum` carries a previous part. */
export function partialSum(bytes, start, end, sum = 0) {
  let i = start;
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
