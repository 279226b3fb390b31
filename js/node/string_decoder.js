// node:string_decoder (nodejs.org/api/string_decoder.html): decodes a byte stream to text
// without splitting a multi-byte character (or a base64 group) across write() calls.
import { Buffer } from './buffer.js';

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
// with StringDecoder.call(this, encoding). The decoding state is kept per object here.
const states = new WeakMap();

function stateOf(decoder) {
  const state = states.get(decoder);
  if (state === undefined) throw new TypeError('StringDecoder method called on an object that is not a StringDecoder');
  return state;
}

export function StringDecoder(encoding) {
  if (!new.target && (this === undefined || this === globalThis)) return new StringDecoder(encoding);
  this.encoding = normalizeEncoding(encoding);
  states.set(this, {
    pending: new Uint8Array(0),
    text: this.encoding === 'utf8' ? new TextDecoder('utf-8') : undefined,
  });
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
  if (state.text) return state.text.decode(bytes, { stream: true });
  if (this.encoding === 'utf16le') {
    const all = concat(state.pending, bytes);
    let end = all.length - (all.length % 2);
    // A high surrogate waits for its pair.
    if (end >= 2 && (all[end - 1] & 0xfc) === 0xd8) end -= 2;
    state.pending = all.slice(end);
    let out = '';
    for (let i = 0; i < end; i += 2) out += String.fromCharCode(all[i] | (all[i + 1] << 8));
    return out;
  }
  if (this.encoding === 'base64' || this.encoding === 'base64url') {
    const all = concat(state.pending, bytes);
    const keep = all.length % 3;
    state.pending = all.slice(all.length - keep);
    return Buffer.from(all.buffer, all.byteOffset, all.length - keep).toString(this.encoding);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(this.encoding);
};

StringDecoder.prototype.end = function end(buf) {
  const state = stateOf(this);
  let out = buf === undefined ? '' : this.write(buf);
  if (state.text) {
    out += state.text.decode();
  } else if (state.pending.length) {
    // utf16le: a lone high surrogate is returned as it is; an odd last byte is dropped.
    out += Buffer.from(state.pending).toString(this.encoding);
    state.pending = new Uint8Array(0);
  }
  return out;
};

StringDecoder.prototype.text = function text(buf, offset) { return this.write(buf.subarray(offset)); };

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export default { StringDecoder };
