// node:string_decoder (nodejs.org/api/string_decoder.html): decodes a byte stream to text
// without splitting a multi-byte character (or a base64 group) across write() calls.
import { Buffer, kStringMaxLength } from './buffer.js';
import { codedError } from '../internal/modules/errors.js';
import { TextDecoder } from '../internal/encoding.js';

const aliases = {
  utf8: 'utf8', 'utf-8': 'utf8', ucs2: 'utf16le', 'ucs-2': 'utf16le', utf16le: 'utf16le', 'utf-16le': 'utf16le',
  latin1: 'latin1', binary: 'latin1', base64: 'base64', base64url: 'base64url', hex: 'hex', ascii: 'ascii',
};

function normalizeEncoding(encoding) {
  const name = aliases[String(encoding ?? 'utf8').toLowerCase()];
  if (name === undefined) {
    const err = new TypeError(`Unknown encoding: ${encoding}`);
    err.code = 'ERR_UNKNOWN_ENCODING';
    throw err;
  }
  return name;
}

// A function constructor, as Node's is: packages (iconv-lite) initialise their own objects
// with StringDecoder.call(this, encoding). The decoding state is kept per object here:
// the bytes of a character (or base64 group) not yet complete, and how many it lacks.
const states = new WeakMap();
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function stateOf(decoder) {
  const state = states.get(decoder);
  if (state === undefined) {
    throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type StringDecoder');
  }
  return state;
}

export function StringDecoder(encoding) {
  if (!new.target && (this === undefined || this === globalThis)) return new StringDecoder(encoding);
  this.encoding = normalizeEncoding(encoding);
  states.set(this, { pending: new Uint8Array(0), need: 0, total: 0 });
}

// UTF-8 as Node's decoder splits it: a character's length is read from its lead byte's
// high bits (110xxxxx two bytes, 1110xxxx three, 11110xxx four), its bytes are decoded
// (Encoding Standard 9.1.1, U+FFFD for what is invalid) once that many have come or a byte
// that cannot continue it arrives.
const isContinuation = (b) => (b & 0xc0) === 0x80;
function utf8Length(lead) {
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  return 0;
}

// Where `bytes` end inside a character, and its length; { start: length } when they do not.
function utf8Tail(bytes) {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    if (isContinuation(bytes[i])) continue;
    const total = utf8Length(bytes[i]);
    return total > n - i ? { start: i, total } : { start: n, total: 0 };
  }
  return { start: n, total: 0 };
}

// The chunks to decode, each on its own: the waiting character (once complete or cut
// short), then the new bytes up to a character they end inside of, which then waits.
function splitUtf8(state, bytes) {
  const chunks = [];
  let from = 0;
  if (state.pending.length) {
    while (from < bytes.length && state.need > 0 && isContinuation(bytes[from])) {
      from++;
      state.need--;
    }
    const pending = concat(state.pending, bytes.subarray(0, from));
    if (state.need > 0 && from === bytes.length) {
      setPending(state, pending, state.total);
      return chunks;
    }
    chunks.push(pending);
  }
  const rest = bytes.subarray(from);
  const { start, total } = utf8Tail(rest);
  setPending(state, rest.slice(start), total);
  chunks.push(rest.subarray(0, start));
  return chunks;
}

// Splits pending + bytes into the chunks to decode now; what is left waits.
function split(state, encoding, bytes) {
  if (encoding === 'utf8') return splitUtf8(state, bytes);
  const all = concat(state.pending, bytes);
  if (encoding === 'utf16le') return [splitUtf16(state, all, bytes.length)];
  // base64: whole groups of three bytes.
  const start = all.length - (all.length % 3);
  setPending(state, all.slice(start), 3);
  return [all.subarray(0, start)];
}

// UTF-16LE as Node's decoder: a character already waiting takes the next bytes first (a
// high surrogate waits for all of its pair); of the new bytes, an odd last byte waits,
// and a high surrogate waits too when it ends them exactly.
function setPending(state, pending, total) {
  state.pending = pending;
  state.total = pending.length ? total : 0;
  state.need = pending.length ? total - pending.length : 0;
}

function splitUtf16(state, all, added) {
  let ready = 0;
  const waiting = all.length - added;
  if (waiting > 0) {
    const total = state.total;
    if (all.length < total) {
      setPending(state, all.slice(), total);
      return all.subarray(0, 0);
    }
    ready = total;
  }
  const rest = all.length - ready;
  let end = all.length - (rest % 2);
  let total = 2;
  if (rest % 2 === 0 && end - ready >= 2 && (all[end - 1] & 0xfc) === 0xd8) {
    end -= 2;
    total = 4;
  }
  setPending(state, all.slice(end), total);
  return all.subarray(0, end);
}

function decode(encoding, bytes) {
  try {
    if (encoding === 'utf8') return utf8.decode(bytes);
    if (encoding === 'utf16le') {
      let out = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      return out;
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(encoding);
  } catch (err) {
    if (err instanceof RangeError && /string length/i.test(err.message)) {
      throw codedError(Error, 'ERR_STRING_TOO_LONG', `Cannot create a string longer than 0x${kStringMaxLength.toString(16)} characters`);
    }
    throw err;
  }
}

StringDecoder.prototype.write = function write(buf) {
  const state = stateOf(this);
  if (typeof buf === 'string') return buf;
  if (!ArrayBuffer.isView(buf)) {
    const err = new TypeError('The "buf" argument must be an instance of Buffer, TypedArray, or DataView.' +
      ` Received ${buf === null ? 'null' : typeof buf === 'object' ? `an instance of ${buf.constructor?.name ?? 'Object'}` : `type ${typeof buf}`}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const encoding = this.encoding;
  if (encoding !== 'utf8' && encoding !== 'utf16le' && encoding !== 'base64' && encoding !== 'base64url') {
    return decode(encoding, bytes); // one byte a character (or two hex digits): nothing waits
  }
  let out = '';
  for (const chunk of split(state, encoding, bytes)) out += decode(encoding, chunk);
  return out;
};

/** The rest: what write() returns, then what waited (as far as it goes) and a fresh state. */
StringDecoder.prototype.end = function end(buf) {
  const state = stateOf(this);
  let out = buf === undefined ? '' : this.write(buf);
  if (state.pending.length) {
    // utf8: one U+FFFD for the cut-short character; utf16le: a lone high surrogate as it
    // is, an odd last byte dropped; base64: the last group padded.
    out += this.encoding === 'utf16le' ? decode('utf16le', state.pending.subarray(0, state.pending.length & ~1))
      : decode(this.encoding, state.pending);
  }
  state.pending = new Uint8Array(0);
  state.need = 0;
  state.total = 0;
  return out;
};

StringDecoder.prototype.text = function text(buf, offset) { return this.write(buf.subarray(offset)); };

// Node's undocumented view of the state, which packages read: the waiting bytes (in a
// 4-byte Buffer), how many more the character needs, and its whole length.
Object.defineProperties(StringDecoder.prototype, {
  lastChar: {
    configurable: true,
    get() {
      const last = Buffer.alloc(4);
      last.set(stateOf(this).pending.subarray(0, 4));
      return last;
    },
  },
  lastNeed: { configurable: true, get() { return stateOf(this).need; } },
  lastTotal: { configurable: true, get() { return stateOf(this).total; } },
});

function concat(a, b) {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export default { StringDecoder };
