// atob and btoa (HTML, "Base64 utility methods"): forgiving base64 over Latin-1 strings.
import { DOMException } from './dom-exception.js';
import primordials from './primordials.js';

const { StringFromCharCode, StringPrototypeCharCodeAt, TypeError } = primordials;


const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DECODE[StringPrototypeCharCodeAt(ALPHABET, i)] = i;

function code(s, i) { return StringPrototypeCharCodeAt(s, i); }

// ASCII whitespace (Infra): TAB, LF, FF, CR, SPACE.
function isAsciiWhitespace(c) { return c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20; }

export function btoa(data) {
  if (arguments.length < 1) throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present");
  const s = `${data}`;
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = code(s, i);
    const b = i + 1 < s.length ? code(s, i + 1) : 0;
    const c = i + 2 < s.length ? code(s, i + 2) : 0;
    if (a > 0xff || b > 0xff || c > 0xff) {
      throw new DOMException('Invalid character: the string contains characters outside of the Latin1 range', 'InvalidCharacterError');
    }
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] +
      (i + 1 < s.length ? ALPHABET[(n >> 6) & 63] : '=') + (i + 2 < s.length ? ALPHABET[n & 63] : '=');
  }
  return out;
}

function invalid() {
  return new DOMException('The string to be decoded is not correctly encoded', 'InvalidCharacterError');
}

export function atob(data) {
  if (arguments.length < 1) throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present");
  const s = `${data}`;
  // Forgiving-base64 decode: drop ASCII whitespace, allow one or two trailing '='.
  const values = [];
  let padding = 0;
  for (let i = 0; i < s.length; i++) {
    const c = code(s, i);
    if (isAsciiWhitespace(c)) continue;
    if (c === 0x3d) { padding++; continue; }
    if (padding > 0 || c > 127 || DECODE[c] < 0) throw invalid();
    values[values.length] = DECODE[c];
  }
  const total = values.length + padding;
  if (padding > 2 || (padding > 0 && total % 4 !== 0)) throw invalid();
  if (values.length % 4 === 1) throw invalid();
  let out = '';
  let i = 0;
  for (; i + 4 <= values.length; i += 4) {
    const n = (values[i] << 18) | (values[i + 1] << 12) | (values[i + 2] << 6) | values[i + 3];
    out += StringFromCharCode(n >> 16, (n >> 8) & 0xff, n & 0xff);
  }
  const rest = values.length - i;
  if (rest === 2) out += StringFromCharCode((values[i] << 2) | (values[i + 1] >> 4));
  else if (rest === 3) {
    const n = (values[i] << 10) | (values[i + 1] << 4) | (values[i + 2] >> 2);
    out += StringFromCharCode(n >> 8, n & 0xff);
  }
  return out;
}
