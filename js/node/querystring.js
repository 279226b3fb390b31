// node:querystring (nodejs.org/api/querystring.html): parse and stringify of
// application/x-www-form-urlencoded text, with Node's escaping rules.
import { Buffer } from './buffer.js';

// What escape() keeps as it is: RFC 3986 2.3's unreserved characters and the marks
// encodeURIComponent keeps (! ' ( ) *).
const UNESCAPED = /[A-Za-z0-9\-._~!'()*]/;
const hexByte = (b) => `%${b < 16 ? '0' : ''}${b.toString(16).toUpperCase()}`;

function uriError() {
  const err = new URIError('URI malformed');
  err.code = 'ERR_INVALID_URI';
  return err;
}

// Percent-encoded UTF-8, as Node's: a surrogate takes the next code unit as its pair
// whatever it is (Node does not check it), and one with none after it is ERR_INVALID_URI.
function qsEscape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = String(str);
    else str += '';
  }
  let out = '';
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      out += UNESCAPED.test(str[i]) ? str[i] : hexByte(c);
    } else if (c < 0x800) {
      out += hexByte(0xc0 | (c >> 6)) + hexByte(0x80 | (c & 0x3f));
    } else if (c < 0xd800 || c >= 0xe000) {
      out += hexByte(0xe0 | (c >> 12)) + hexByte(0x80 | ((c >> 6) & 0x3f)) + hexByte(0x80 | (c & 0x3f));
    } else {
      if (++i >= str.length) throw uriError();
      c = 0x10000 + (((c & 0x3ff) << 10) | (str.charCodeAt(i) & 0x3ff));
      out += hexByte(0xf0 | (c >> 18)) + hexByte(0x80 | ((c >> 12) & 0x3f)) +
        hexByte(0x80 | ((c >> 6) & 0x3f)) + hexByte(0x80 | (c & 0x3f));
    }
  }
  return out;
}

const hexValue = (c) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/**
 * Node's unescapeBuffer: the bytes of `s` with each %XX escape as its byte, every other
 * character as its low byte (Node truncates them so), a '%' not followed by two hex digits
 * kept, and '+' a space when `decodeSpaces`.
 */
export function unescapeBuffer(s, decodeSpaces = false) {
  s = String(s);
  const out = Buffer.alloc(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b && decodeSpaces) { out[n++] = 0x20; continue; }
    if (c === 0x25 && i + 2 < s.length) {
      const hi = hexValue(s.charCodeAt(i + 1)), lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) { out[n++] = hi * 16 + lo; i += 2; continue; }
    }
    out[n++] = c & 0xff;
  }
  return n === s.length ? out : out.subarray(0, n);
}

// What decodeURIComponent refuses (a malformed escape, a lone byte that is no UTF-8) Node
// decodes byte by byte and reads as UTF-8, a U+FFFD for each byte that cannot go on.
function qsUnescape(str) {
  try {
    return decodeURIComponent(str);
  } catch {
    return unescapeBuffer(str).toString();
  }
}

function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return `${v}`;
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

export function stringify(obj, sep = '&', eq = '=', options) {
  const encode = (options && typeof options.encodeURIComponent === 'function') ? options.encodeURIComponent : qsEscape;
  if (obj === null || typeof obj !== 'object') return '';
  const out = [];
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const ks = `${encode(stringifyPrimitive(key))}${eq}`;
    if (Array.isArray(value)) {
      for (const item of value) out.push(ks + encode(stringifyPrimitive(item)));
    } else {
      out.push(ks + encode(stringifyPrimitive(value)));
    }
  }
  return out.join(sep || '&');
}

export function parse(qs, sep = '&', eq = '=', options) {
  const obj = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  const maxKeys = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
  const decode = options && typeof options.decodeURIComponent === 'function' ? options.decodeURIComponent : qsUnescape;
  const custom = decode !== qsUnescape;
  let parts = qs.split(sep || '&');
  if (maxKeys > 0 && parts.length > maxKeys) parts = parts.slice(0, maxKeys);
  for (const part of parts) {
    if (part.length === 0) continue;
    const at = part.indexOf(eq || '=');
    const rawKey = at >= 0 ? part.slice(0, at) : part;
    const rawValue = at >= 0 ? part.slice(at + (eq || '=').length) : '';
    const key = decodeText(rawKey, decode, custom);
    const value = decodeText(rawValue, decode, custom);
    if (!(key in obj)) obj[key] = value;
    else if (Array.isArray(obj[key])) obj[key].push(value);
    else obj[key] = [obj[key], value];
  }
  return obj;
}

// As Node's parse: the default decoder runs only on text with a valid %XX escape in it
// (other text, '%zz' or a lone '%' among it, stays as it is); a custom one on all text.
const ESCAPED = /%[0-9a-fA-F]{2}/;
function decodeText(text, decode, custom) {
  const plus = text.replace(/\+/g, ' ');
  if (!custom && !ESCAPED.test(plus)) return plus;
  try { return decode(plus); } catch { return qsUnescape(plus); }
}

export const escape = qsEscape;
export const unescape = qsUnescape;
export const encode = stringify;
export const decode = parse;
export default { stringify, parse, escape, unescape, unescapeBuffer, encode, decode };
