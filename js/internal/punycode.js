// Punycode (RFC 3492): the Bootstring encoding of a Unicode label into the letters, digits
// and hyphen a DNS label may hold, as IDNA uses it for "xn--" labels (RFC 5891 4.4).
// Works on code points (a label of astral characters counts each as one).
import { codedError } from './modules/errors.js';

// RFC 3492 5: the parameter values for Punycode.
const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;
const DELIMITER = '-';
const MAX_INT = 0x7fffffff; // RFC 3492 6.4: overflow is checked against a 32-bit signed integer

function overflow() {
  return codedError(RangeError, 'ERR_INVALID_ARG_VALUE', 'Overflow: input needs wider integers to process');
}

// RFC 3492 6.1: bias adaptation after each delta.
function adapt(delta, numPoints, firstTime) {
  let d = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  while (d > ((BASE - TMIN) * TMAX) >> 1) {
    d = Math.floor(d / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * d) / (d + SKEW));
}

// RFC 3492 5: digit values 0..25 are a..z, 26..35 are 0..9.
function encodeDigit(d) { return String.fromCharCode(d < 26 ? 0x61 + d : 0x16 + d); }
function decodeDigit(c) {
  if (c >= 0x30 && c <= 0x39) return c - 0x16;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  return BASE;
}

function threshold(k, bias) {
  if (k <= bias) return TMIN;
  return k >= bias + TMAX ? TMAX : k - bias;
}

/** RFC 3492 6.3: the Punycode of a string of code points (no "xn--" prefix). */
export function encode(input) {
  const points = Array.from(String(input), (ch) => ch.codePointAt(0));
  let output = '';
  for (const c of points) if (c < INITIAL_N) output += String.fromCharCode(c);
  const basic = output.length;
  let handled = basic;
  if (basic > 0) output += DELIMITER;
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < points.length) {
    let m = MAX_INT;
    for (const c of points) if (c >= n && c < m) m = c;
    if (m - n > Math.floor((MAX_INT - delta) / (handled + 1))) throw overflow();
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of points) {
      if (c < n && ++delta > MAX_INT) throw overflow();
      if (c !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        output += encodeDigit(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += encodeDigit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/** RFC 3492 6.2: the code points a Punycode string stands for. Throws on malformed input. */
export function decode(input) {
  input = String(input);
  const output = [];
  const lastDelimiter = input.lastIndexOf(DELIMITER);
  const basicEnd = lastDelimiter < 0 ? 0 : lastDelimiter;
  for (let j = 0; j < basicEnd; j++) {
    if (input.charCodeAt(j) >= INITIAL_N) {
      throw codedError(RangeError, 'ERR_INVALID_ARG_VALUE', 'Illegal input >= 0x80 (not a basic code point)');
    }
    output.push(input.charCodeAt(j));
  }
  let n = INITIAL_N;
  let i = 0;
  let bias = INITIAL_BIAS;
  for (let pos = basicEnd > 0 ? basicEnd + 1 : 0; pos < input.length;) {
    const oldi = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (pos >= input.length) throw codedError(RangeError, 'ERR_INVALID_ARG_VALUE', 'Invalid input');
      const digit = decodeDigit(input.charCodeAt(pos++));
      if (digit >= BASE) throw codedError(RangeError, 'ERR_INVALID_ARG_VALUE', 'Invalid input');
      if (digit > Math.floor((MAX_INT - i) / w)) throw overflow();
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) throw overflow();
      w *= BASE - t;
    }
    const count = output.length + 1;
    bias = adapt(i - oldi, count, oldi === 0);
    if (Math.floor(i / count) > MAX_INT - n) throw overflow();
    n += Math.floor(i / count);
    i %= count;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

// Labels are separated by the dots UTS #46 section 2.3 maps to U+002E.
const SEPARATORS = /[.\u3002\uFF0E\uFF61]/;

function mapLabels(domain, fn) {
  const at = domain.lastIndexOf('@'); // an e-mail address keeps its local part as it is
  const local = at === -1 ? '' : domain.slice(0, at + 1);
  return local + domain.slice(at + 1).split(SEPARATORS).map(fn).join('.');
}

/** Each label holding a non-ASCII character as "xn--" + its Punycode (no UTS #46 mapping). */
export function toASCII(domain) {
  return mapLabels(String(domain), (label) => (/[^\0-\x7f]/.test(label) ? `xn--${encode(label)}` : label));
}

/** Each "xn--" label decoded, case-insensitively as RFC 5891 5.2 compares the prefix. */
export function toUnicode(domain) {
  return mapLabels(String(domain), (label) => (/^xn--/i.test(label) ? decode(label.slice(4).toLowerCase()) : label));
}

export const ucs2 = {
  decode(string) { return Array.from(String(string), (ch) => ch.codePointAt(0)); },
  encode(points) { return String.fromCodePoint(...points); },
};
