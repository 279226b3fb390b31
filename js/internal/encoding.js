// TextEncoder and TextDecoder (UTF-8 only, as the Encoding Standard requires of
// TextEncoder): V8 leaves them to the embedder.
const Uint8ArrayCtor = Uint8Array;
const StringFromCharCode = String.fromCharCode;
const RangeErrorCtor = RangeError;
const TypeErrorCtor = TypeError;
const REPLACEMENT = 0xfffd;

export class TextEncoder {
  get encoding() { return 'utf-8'; }

  /** Encodes a string as UTF-8; lone surrogates become U+FFFD. */
  encode(input = '') {
    const s = `${input}`;
    const out = new Uint8ArrayCtor(s.length * 3);
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = s.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
        } else {
          c = REPLACEMENT;
        }
      }
      if (c < 0x80) {
        out[n++] = c;
      } else if (c < 0x800) {
        out[n++] = 0xc0 | (c >> 6);
        out[n++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        out[n++] = 0xe0 | (c >> 12);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      } else {
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      }
    }
    return out.slice(0, n);
  }
}

export class TextDecoder {
  #fatal;
  #pending = []; // bytes of an unfinished sequence, kept across stream: true calls

  constructor(label = 'utf-8', { fatal = false } = {}) {
    const l = `${label}`.toLowerCase();
    if (l !== 'utf-8' && l !== 'utf8') throw new RangeErrorCtor(`TextDecoder: unsupported encoding '${label}' (only utf-8)`);
    this.#fatal = !!fatal;
  }

  get encoding() { return 'utf-8'; }

  /** Decodes UTF-8 bytes (ArrayBuffer or a view); with { stream: true } a sequence cut at the end waits for the next call. */
  decode(input, { stream = false } = {}) {
    let bytes;
    if (input === undefined) bytes = new Uint8ArrayCtor(0);
    else if (input instanceof ArrayBuffer) bytes = new Uint8ArrayCtor(input);
    else if (ArrayBuffer.isView(input)) bytes = new Uint8ArrayCtor(input.buffer, input.byteOffset, input.byteLength);
    else throw new TypeErrorCtor('TextDecoder.decode: input must be an ArrayBuffer or a view of one');
    if (this.#pending.length) {
      const joined = new Uint8ArrayCtor(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
      this.#pending = [];
    }
    let s = '';
    const units = [];
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i];
      let need = 0;
      let c = 0;
      if (b < 0x80) { units.push(b); i++; continue; }
      if (b >= 0xc2 && b <= 0xdf) { need = 1; c = b & 0x1f; }
      else if (b >= 0xe0 && b <= 0xef) { need = 2; c = b & 0x0f; }
      else if (b >= 0xf0 && b <= 0xf4) { need = 3; c = b & 0x07; }
      else { this.#bad(units); i++; continue; }
      if (stream && i + need >= bytes.length && this.#isPrefix(bytes, i, need)) {
        this.#pending = [...bytes.subarray(i)];
        break;
      }
      let j = 1;
      for (; j <= need; j++) {
        const cb = bytes[i + j];
        if (cb === undefined || (cb & 0xc0) !== 0x80) break;
        c = (c << 6) | (cb & 0x3f);
      }
      if (j <= need || (need === 2 && c < 0x800) || (need === 3 && (c < 0x10000 || c > 0x10ffff)) ||
          (c >= 0xd800 && c <= 0xdfff)) {
        this.#bad(units);
        i += Math.max(1, j);
        continue;
      }
      if (c >= 0x10000) {
        c -= 0x10000;
        units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
      } else {
        units.push(c);
      }
      i += need + 1;
      if (units.length > 8192) { s += StringFromCharCode(...units); units.length = 0; }
    }
    return s + StringFromCharCode(...units);
  }

  #isPrefix(bytes, i, need) {
    for (let j = 1; i + j < bytes.length; j++) if ((bytes[i + j] & 0xc0) !== 0x80) return false;
    return bytes.length - i <= need;
  }

  #bad(units) {
    if (this.#fatal) throw new TypeErrorCtor('TextDecoder: invalid UTF-8 data');
    units.push(REPLACEMENT);
  }
}
