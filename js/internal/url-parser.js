// The WHATWG URL Standard's basic URL parser and serializer ("URL parsing", "URL
// serializing"), state override included for the setters. A URL record is a plain object:
//   { scheme, username, password, host, port, path, query, fragment }
// host: null or the serialized host; path: an array of segments, or a string for an opaque
// path; query and fragment: null or a string. Parsing failure returns null.
// Domain-to-ASCII (UTS #46) is ICU's, through the binding.
import binding from 'rtjs:binding';
import { TextDecoder, TextEncoder } from './encoding.js';
import primordials from './primordials.js';

const { ArrayPrototypeJoin, NumberParseInt } = primordials;

const { domainToASCII: icuToASCII } = binding;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export const SPECIAL_PORTS = { 'ftp:': 21, 'file:': null, 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };
const SPECIAL = { ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };
export function isSpecialScheme(s) { return Object.prototype.hasOwnProperty.call(SPECIAL, s); }
function defaultPort(s) { return isSpecialScheme(s) ? SPECIAL[s] : null; }

// ---- percent-encoding sets (URL Standard 1.3) ----------------------------------------
const isC0 = (c) => c < 0x20 || c > 0x7e;
const isFragment = (c) => isC0(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
const isQuery = (c) => isC0(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
const isSpecialQuery = (c) => isQuery(c) || c === 0x27;
const isPath = (c) => isQuery(c) || c === 0x3f || c === 0x5e || c === 0x60 || c === 0x7b || c === 0x7d;
const isUserinfo = (c) => isPath(c) || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40 ||
  (c >= 0x5b && c <= 0x5e) || c === 0x7c;
const isComponent = (c) => isUserinfo(c) || (c >= 0x24 && c <= 0x26) || c === 0x2b || c === 0x2c;
export const isFormUrlencoded = (c) => isComponent(c) || c === 0x21 || (c >= 0x27 && c <= 0x29) || c === 0x7e;
export const encodeSets = { isC0, isFragment, isQuery, isSpecialQuery, isPath, isUserinfo, isComponent, isFormUrlencoded };

const HEX_UPPER = '0123456789ABCDEF';
function pctByte(b) { return '%' + HEX_UPPER[b >> 4] + HEX_UPPER[b & 15]; }

/** UTF-8 percent-encodes the code point string `s` with the set `inSet`. */
export function percentEncode(s, inSet, spaceAsPlus = false) {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (spaceAsPlus && c === 0x20) { out += '+'; continue; }
    if (c < 0x80) { out += inSet(c) ? pctByte(c) : ch; continue; }
    const bytes = utf8.encode(c >= 0xd800 && c <= 0xdfff ? '\ufffd' : ch);
    for (let i = 0; i < bytes.length; i++) out += pctByte(bytes[i]);
  }
  return out;
}

function hexVal(c) {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Percent-decodes the bytes of a string (UTF-8 encoded first) into bytes. */
export function percentDecodeBytes(bytes) {
  const out = new Uint8Array(bytes.length);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length && hexVal(bytes[i + 1]) >= 0 && hexVal(bytes[i + 2]) >= 0) {
      out[j++] = hexVal(bytes[i + 1]) * 16 + hexVal(bytes[i + 2]);
      i += 2;
    } else {
      out[j++] = b;
    }
  }
  return out.subarray(0, j);
}

export function percentDecodeString(s) { return utf8Decoder.decode(percentDecodeBytes(utf8.encode(s))); }

// ---- hosts -----------------------------------------------------------------------------

const isForbiddenHost = (c) => c === 0x00 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x20 || c === 0x23 ||
  c === 0x2f || c === 0x3a || c === 0x3c || c === 0x3e || c === 0x3f || c === 0x40 || c === 0x5b || c === 0x5c ||
  c === 0x5d || c === 0x5e || c === 0x7c;
const isForbiddenDomain = (c) => isForbiddenHost(c) || isC0(c) || c === 0x25 || c === 0x7f;

function parseIPv4Number(s) {
  if (s === '') return NaN;
  let radix = 10;
  if (s.length >= 2 && (s.startsWith('0x') || s.startsWith('0X'))) { s = s.slice(2); radix = 16; }
  else if (s.length >= 2 && s[0] === '0') { s = s.slice(1); radix = 8; }
  if (s === '') return 0;
  const re = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (!re.test(s)) return NaN;
  // Big numbers: parse as BigInt-safe by Number (values past 2^32 fail below anyway).
  return NumberParseInt(s, radix);
}

function endsInANumber(input) {
  const parts = input.split('.');
  if (parts[parts.length - 1] === '') {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  if (last !== '' && /^[0-9]+$/.test(last)) return true;
  return !Number.isNaN(parseIPv4Number(last));
}

function parseIPv4(input) {
  const parts = input.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4) return null;
  const numbers = [];
  for (const p of parts) {
    const n = parseIPv4Number(p);
    if (Number.isNaN(n)) return null;
    numbers.push(n);
  }
  for (let i = 0; i < numbers.length - 1; i++) if (numbers[i] > 255) return null;
  if (numbers[numbers.length - 1] >= 256 ** (5 - numbers.length)) return null;
  let ipv4 = numbers[numbers.length - 1];
  for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i] * 256 ** (3 - i);
  return ipv4;
}

function serializeIPv4(n) {
  const out = [];
  for (let i = 0; i < 4; i++) { out.unshift(`${n % 256}`); n = Math.floor(n / 256); }
  return ArrayPrototypeJoin(out, '.');
}

function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let p = 0;
  const c = (i) => (i < input.length ? input.charCodeAt(i) : -1);
  const isHex = (x) => hexVal(x) >= 0;
  const isDigit = (x) => x >= 0x30 && x <= 0x39;
  if (c(p) === 0x3a) {
    if (c(p + 1) !== 0x3a) return null;
    p += 2;
    compress = ++pieceIndex;
  }
  while (c(p) !== -1) {
    if (pieceIndex === 8) return null;
    if (c(p) === 0x3a) {
      if (compress !== null) return null;
      p++;
      compress = ++pieceIndex;
      continue;
    }
    let value = 0, length = 0;
    while (length < 4 && isHex(c(p))) { value = value * 16 + hexVal(c(p)); p++; length++; }
    if (c(p) === 0x2e) {
      if (length === 0) return null;
      p -= length;
      if (pieceIndex > 6) return null;
      let numbersSeen = 0;
      while (c(p) !== -1) {
        let ipv4Piece = null;
        if (numbersSeen > 0) {
          if (c(p) === 0x2e && numbersSeen < 4) p++;
          else return null;
        }
        if (!isDigit(c(p))) return null;
        while (isDigit(c(p))) {
          const number = c(p) - 0x30;
          if (ipv4Piece === null) ipv4Piece = number;
          else if (ipv4Piece === 0) return null;
          else ipv4Piece = ipv4Piece * 10 + number;
          if (ipv4Piece > 255) return null;
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return null;
      break;
    } else if (c(p) === 0x3a) {
      p++;
      if (c(p) === -1) return null;
    } else if (c(p) !== -1) {
      return null;
    }
    address[pieceIndex++] = value;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return null;
  }
  return address;
}

function serializeIPv6(address) {
  // The first longest run of two or more zero pieces is compressed.
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (address[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  let out = '';
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && address[i] === 0) continue;
    ignore0 = false;
    if (best === i) {
      out += i === 0 ? '::' : ':';
      ignore0 = true;
      continue;
    }
    out += address[i].toString(16);
    if (i !== 7) out += ':';
  }
  return `[${out}]`;
}

function domainToASCII(domain, beStrict) {
  // ASCII labels that need no mapping beyond lowercasing skip ICU (the common case).
  if (/^[\x21-\x7e]*$/.test(domain) && !/(^|\.)xn--/i.test(domain)) {
    const lower = domain.toLowerCase();
    if (lower === '' ) return null;
    return lower;
  }
  const result = icuToASCII(domain, !!beStrict);
  return result === null || result === '' ? null : result;
}

function parseOpaqueHost(input) {
  for (const ch of input) {
    const c = ch.codePointAt(0);
    if (c !== 0x25 && isForbiddenHost(c)) return null;
  }
  return percentEncode(input, isC0);
}

/** Host parser: the serialized host, or null on failure. */
export function parseHost(input, isOpaque) {
  if (input.startsWith('[')) {
    if (!input.endsWith(']')) return null;
    const a = parseIPv6(input.slice(1, -1));
    return a === null ? null : serializeIPv6(a);
  }
  if (isOpaque) return parseOpaqueHost(input);
  const domain = utf8Decoder.decode(percentDecodeBytes(utf8.encode(input)));
  const ascii = domainToASCII(domain, false);
  if (ascii === null) return null;
  for (let i = 0; i < ascii.length; i++) if (isForbiddenDomain(ascii.charCodeAt(i))) return null;
  if (endsInANumber(ascii)) {
    const n = parseIPv4(ascii);
    return n === null ? null : serializeIPv4(n);
  }
  return ascii;
}

// ---- the state machine -------------------------------------------------------------------

const S = {
  SCHEME_START: 1, SCHEME: 2, NO_SCHEME: 3, SPECIAL_RELATIVE_OR_AUTHORITY: 4, PATH_OR_AUTHORITY: 5,
  RELATIVE: 6, RELATIVE_SLASH: 7, SPECIAL_AUTHORITY_SLASHES: 8, SPECIAL_AUTHORITY_IGNORE_SLASHES: 9,
  AUTHORITY: 10, HOST: 11, HOSTNAME: 12, PORT: 13, FILE: 14, FILE_SLASH: 15, FILE_HOST: 16,
  PATH_START: 17, PATH: 18, OPAQUE_PATH: 19, QUERY: 20, FRAGMENT: 21,
};
export const STATES = S;

const isAlpha = (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigitC = (c) => c >= 0x30 && c <= 0x39;
const isWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s.charCodeAt(0)) && (s[1] === ':' || s[1] === '|');
const isNormalizedWindowsDriveLetter = (s) => isWindowsDriveLetter(s) && s[1] === ':';
function startsWithWindowsDriveLetter(cps, p) {
  if (cps.length - p < 2) return false;
  if (!isWindowsDriveLetter(cps[p] + cps[p + 1])) return false;
  if (cps.length - p === 2) return true;
  const t = cps[p + 2];
  return t === '/' || t === '\\' || t === '?' || t === '#';
}
const isSingleDot = (s) => s === '.' || s.toLowerCase() === '%2e';
const isDoubleDot = (s) => {
  const l = s.toLowerCase();
  return l === '..' || l === '.%2e' || l === '%2e.' || l === '%2e%2e';
};

function shortenPath(url) {
  const path = url.path;
  if (url.scheme === 'file' && path.length === 1 && isNormalizedWindowsDriveLetter(path[0])) return;
  path.pop();
}

// A reference with no authority of its own keeps the base's.
function copyAuthority(url, base) {
  url.username = base.username;
  url.password = base.password;
  url.host = base.host;
  url.port = base.port;
}

// The relative and file states on a reference that names no host: it starts from the base's
// path and query, then '?' begins a new query, '#' a fragment, and anything else a path
// read against the base's (the caller shortens it and reads the code point again). The next
// state, or 0 at the end of the input (the URL is the base's).
function continueBase(url, base, c) {
  url.path = [...base.path];
  url.query = base.query;
  if (c === 0x3f) {
    url.query = '';
    return S.QUERY;
  }
  if (c === 0x23) {
    url.fragment = '';
    return S.FRAGMENT;
  }
  if (c === -1) return 0;
  url.query = null;
  return S.PATH;
}

export function newRecord() {
  return { scheme: '', username: '', password: '', host: null, port: null, path: [], query: null, fragment: null };
}

export function hasOpaquePath(url) { return typeof url.path === 'string'; }
function includesCredentials(url) { return url.username !== '' || url.password !== ''; }
function cannotHaveCredentialsOrPort(url) { return url.host === null || url.host === '' || url.scheme === 'file'; }
export { includesCredentials, cannotHaveCredentialsOrPort };

/**
 * Basic URL parser. Returns the record, or null on failure. With `url` and `stateOverride`
 * it modifies `url` in place (the setters) and returns it, or null/'unchanged' per spec.
 */
export function basicParse(input, base = null, url = null, stateOverride = 0) {
  if (url === null) {
    url = newRecord();
    input = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  }
  input = input.replace(/[\t\n\r]/g, '');
  let state = stateOverride || S.SCHEME_START;
  let buffer = '';
  let atSignSeen = false, insideBrackets = false, passwordTokenSeen = false;
  const cps = [...input];
  const len = cps.length;
  const special = () => isSpecialScheme(url.scheme);

  for (let p = 0; ; p++) {
    const ch = cps[p]; // undefined: EOF
    const c = ch === undefined ? -1 : ch.codePointAt(0);
    switch (state) {
      case S.SCHEME_START:
        if (c !== -1 && isAlpha(c)) {
          buffer += ch.toLowerCase();
          state = S.SCHEME;
        } else if (!stateOverride) {
          state = S.NO_SCHEME;
          p--;
        } else {
          return null;
        }
        break;

      case S.SCHEME:
        if (c !== -1 && (isAlpha(c) || isDigitC(c) || c === 0x2b || c === 0x2d || c === 0x2e)) {
          buffer += ch.toLowerCase();
        } else if (c === 0x3a) {
          if (stateOverride) {
            if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return url;
            if ((includesCredentials(url) || url.port !== null) && buffer === 'file') return url;
            if (url.scheme === 'file' && url.host === '') return url;
          }
          url.scheme = buffer;
          if (stateOverride) {
            if (url.port === defaultPort(url.scheme)) url.port = null;
            return url;
          }
          buffer = '';
          if (url.scheme === 'file') {
            state = S.FILE;
          } else if (special() && base !== null && base.scheme === url.scheme) {
            state = S.SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (special()) {
            state = S.SPECIAL_AUTHORITY_SLASHES;
          } else if (cps[p + 1] === '/') {
            state = S.PATH_OR_AUTHORITY;
            p++;
          } else {
            url.path = '';
            state = S.OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          buffer = '';
          state = S.NO_SCHEME;
          p = -1;
        } else {
          return null;
        }
        break;

      case S.NO_SCHEME:
        if (base === null || (hasOpaquePath(base) && c !== 0x23)) return null;
        if (hasOpaquePath(base) && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = '';
          state = S.FRAGMENT;
        } else if (base.scheme !== 'file') {
          state = S.RELATIVE;
          p--;
        } else {
          state = S.FILE;
          p--;
        }
        break;

      case S.SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2f && cps[p + 1] === '/') {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          p++;
        } else {
          state = S.RELATIVE;
          p--;
        }
        break;

      case S.PATH_OR_AUTHORITY:
        if (c === 0x2f) state = S.AUTHORITY;
        else { state = S.PATH; p--; }
        break;

      case S.RELATIVE:
        url.scheme = base.scheme;
        if (c === 0x2f) {
          state = S.RELATIVE_SLASH;
        } else if (special() && c === 0x5c) {
          state = S.RELATIVE_SLASH;
        } else {
          copyAuthority(url, base);
          const next = continueBase(url, base, c);
          if (next === S.PATH) {
            shortenPath(url);
            p--;
          }
          state = next || state;
        }
        break;

      case S.RELATIVE_SLASH:
        if (special() && (c === 0x2f || c === 0x5c)) {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2f) {
          state = S.AUTHORITY;
        } else {
          copyAuthority(url, base);
          state = S.PATH;
          p--;
        }
        break;

      case S.SPECIAL_AUTHORITY_SLASHES:
        // "//" is passed over; anything else is read again by the next state, which skips
        // every slash and backslash.
        state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
        if (c === 0x2f && cps[p + 1] === '/') p++;
        else p--;
        break;

      case S.SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2f && c !== 0x5c) {
          state = S.AUTHORITY;
          p--;
        }
        break;

      case S.AUTHORITY:
        if (c === 0x40) {
          if (atSignSeen) buffer = '%40' + buffer;
          atSignSeen = true;
          for (const b of buffer) {
            if (b === ':' && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const enc = percentEncode(b, isUserinfo);
            if (passwordTokenSeen) url.password += enc;
            else url.username += enc;
          }
          buffer = '';
        } else if (c === -1 || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)) {
          if (atSignSeen && buffer === '') return null;
          p -= [...buffer].length + 1;
          buffer = '';
          state = S.HOST;
        } else {
          buffer += ch;
        }
        break;

      case S.HOST:
      case S.HOSTNAME:
        if (stateOverride && url.scheme === 'file') {
          p--;
          state = S.FILE_HOST;
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === '') return null;
          if (stateOverride === S.HOSTNAME) return null;
          const host = parseHost(buffer, !special());
          if (host === null) return null;
          url.host = host;
          buffer = '';
          state = S.PORT;
        } else if (c === -1 || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)) {
          p--;
          if (special() && buffer === '') return null;
          if (stateOverride && buffer === '' && (includesCredentials(url) || url.port !== null)) return null;
          const host = parseHost(buffer, !special());
          if (host === null) return null;
          url.host = host;
          buffer = '';
          state = S.PATH_START;
          if (stateOverride) return url;
        } else {
          if (c === 0x5b) insideBrackets = true;
          if (c === 0x5d) insideBrackets = false;
          buffer += ch;
        }
        break;

      case S.PORT:
        if (c !== -1 && isDigitC(c)) {
          buffer += ch;
        } else if (c === -1 || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c) || stateOverride) {
          if (buffer !== '') {
            const port = NumberParseInt(buffer, 10);
            if (port > 65535) return null;
            url.port = port === defaultPort(url.scheme) ? null : port;
            buffer = '';
            if (stateOverride) return url;
          }
          if (stateOverride) return null;
          state = S.PATH_START;
          p--;
        } else {
          return null;
        }
        break;

      case S.FILE:
        url.scheme = 'file';
        url.host = '';
        if (c === 0x2f || c === 0x5c) {
          state = S.FILE_SLASH;
        } else if (base !== null && base.scheme === 'file') {
          url.host = base.host;
          const next = continueBase(url, base, c);
          if (next === S.PATH) {
            if (!startsWithWindowsDriveLetter(cps, p)) shortenPath(url);
            else url.path = [];
            p--;
          }
          state = next || state;
        } else {
          state = S.PATH;
          p--;
        }
        break;

      case S.FILE_SLASH:
        if (c === 0x2f || c === 0x5c) {
          state = S.FILE_HOST;
        } else {
          if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            if (!startsWithWindowsDriveLetter(cps, p) && base.path.length > 0 && isNormalizedWindowsDriveLetter(base.path[0])) {
              url.path.push(base.path[0]);
            }
          }
          state = S.PATH;
          p--;
        }
        break;

      case S.FILE_HOST:
        if (c === -1 || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          p--;
          if (!stateOverride && isWindowsDriveLetter(buffer)) {
            state = S.PATH;
          } else if (buffer === '') {
            url.host = '';
            if (stateOverride) return url;
            state = S.PATH_START;
          } else {
            let host = parseHost(buffer, !special());
            if (host === null) return null;
            if (host === 'localhost') host = '';
            url.host = host;
            if (stateOverride) return url;
            buffer = '';
            state = S.PATH_START;
          }
        } else {
          buffer += ch;
        }
        break;

      case S.PATH_START:
        if (special()) {
          state = S.PATH;
          if (c !== 0x2f && c !== 0x5c) p--;
        } else if (!stateOverride && c === 0x3f) {
          url.query = '';
          state = S.QUERY;
        } else if (!stateOverride && c === 0x23) {
          url.fragment = '';
          state = S.FRAGMENT;
        } else if (c !== -1) {
          state = S.PATH;
          if (c !== 0x2f) p--;
        } else if (stateOverride && url.host === null) {
          url.path.push('');
        }
        break;

      case S.PATH:
        if (c === -1 || c === 0x2f || (special() && c === 0x5c) || (!stateOverride && (c === 0x3f || c === 0x23))) {
          if (isDoubleDot(buffer)) {
            shortenPath(url);
            if (c !== 0x2f && !(special() && c === 0x5c)) url.path.push('');
          } else if (isSingleDot(buffer) && c !== 0x2f && !(special() && c === 0x5c)) {
            url.path.push('');
          } else if (!isSingleDot(buffer)) {
            if (url.scheme === 'file' && url.path.length === 0 && isWindowsDriveLetter(buffer)) {
              buffer = buffer[0] + ':';
            }
            url.path.push(buffer);
          }
          buffer = '';
          if (c === 0x3f) {
            url.query = '';
            state = S.QUERY;
          }
          if (c === 0x23) {
            url.fragment = '';
            state = S.FRAGMENT;
          }
        } else {
          buffer += percentEncode(ch, isPath);
        }
        break;

      case S.OPAQUE_PATH:
        if (c === 0x3f) {
          url.query = '';
          state = S.QUERY;
        } else if (c === 0x23) {
          url.fragment = '';
          state = S.FRAGMENT;
        } else if (c === 0x20) {
          const next = cps[p + 1];
          url.path += next === '?' || next === '#' ? '%20' : ' ';
        } else if (c !== -1) {
          url.path += percentEncode(ch, isC0);
        }
        break;

      case S.QUERY:
        if ((!stateOverride && c === 0x23) || c === -1) {
          url.query += percentEncode(buffer, special() ? isSpecialQuery : isQuery);
          buffer = '';
          if (c === 0x23) {
            url.fragment = '';
            state = S.FRAGMENT;
          }
        } else if (c !== -1) {
          buffer += ch;
        }
        break;

      case S.FRAGMENT:
        if (c !== -1) url.fragment += percentEncode(ch, isFragment);
        break;
    }
    if (p >= len) break;
  }
  return url;
}

export function serializePath(url) {
  if (hasOpaquePath(url)) return url.path;
  let out = '';
  for (const segment of url.path) out += '/' + segment;
  return out;
}

export function serializeURL(url, excludeFragment = false) {
  let out = url.scheme + ':';
  if (url.host !== null) {
    out += '//';
    if (includesCredentials(url)) {
      out += url.username;
      if (url.password !== '') out += ':' + url.password;
      out += '@';
    }
    out += url.host;
    if (url.port !== null) out += ':' + url.port;
  } else if (!hasOpaquePath(url) && url.path.length > 1 && url.path[0] === '') {
    out += '/.';
  }
  out += serializePath(url);
  if (url.query !== null) out += '?' + url.query;
  if (!excludeFragment && url.fragment !== null) out += '#' + url.fragment;
  return out;
}

export function serializeOrigin(url) {
  if (url.scheme === 'blob') {
    const inner = basicParse(serializePath(url));
    if (inner !== null && (inner.scheme === 'http' || inner.scheme === 'https')) return serializeOrigin(inner);
    return 'null';
  }
  if (url.scheme === 'ftp' || url.scheme === 'http' || url.scheme === 'https' || url.scheme === 'ws' || url.scheme === 'wss') {
    return url.scheme + '://' + url.host + (url.port !== null ? ':' + url.port : '');
  }
  return 'null';
}

