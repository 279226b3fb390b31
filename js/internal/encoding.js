// TextEncoder and TextDecoder (Encoding Standard): V8 leaves them to the embedder. The
// encoder is UTF-8 only, as the standard requires; the decoder reads UTF-8 here and the
// standard's other encodings (UTF-16, the single-byte ones, the CJK ones) through ICU's
// converters in the binding. Labels resolve by the standard's table.
import binding from 'rtjs:binding';
import primordials from './primordials.js';

const {
  ArrayBuffer, ArrayBufferIsView, ObjectDefineProperty, RangeError, StringFromCharCode,
  SymbolToStringTag, TypeError, Uint8Array,
} = primordials;

const REPLACEMENT = 0xfffd;
const { utf8Encode, utf8EncodeInto } = binding;

export class TextEncoder {
  get encoding() { return 'utf-8'; }

  /** Encodes a string as UTF-8; lone surrogates become U+FFFD. */
  encode(input = '') {
    return utf8Encode(`${input}`);
  }

  /**
   * Encodes as much of `source` as fits into `destination` (a Uint8Array), never half a
   * character: { read: UTF-16 code units consumed, written: bytes written }.
   */
  encodeInto(source, destination) {
    if (arguments.length < 2) throw new TypeError(`Failed to execute 'encodeInto' on 'TextEncoder': 2 arguments required, but only ${arguments.length} present.`);
    if (!(destination instanceof Uint8Array)) throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
    const [read, written] = utf8EncodeInto(`${source}`, destination);
    return { read, written };
  }
}
ObjectDefineProperty(TextEncoder.prototype, SymbolToStringTag, { value: 'TextEncoder', configurable: true });

// decode's input as bytes (WebIDL AllowSharedBufferSource): a detached buffer reads as empty,
// and bytes in shared memory are copied first, so another agent cannot change them mid-decode.
function inputBytes(input) {
  if (input === undefined) return new Uint8Array(0);
  let buffer, offset, length;
  // SharedArrayBuffer is captured late (primordials.captureLateGlobals).
  const SharedArrayBufferCtor = primordials.SharedArrayBuffer;
  if (input instanceof ArrayBuffer || (SharedArrayBufferCtor !== undefined && input instanceof SharedArrayBufferCtor)) {
    [buffer, offset, length] = [input, 0, input.byteLength];
  } else if (ArrayBufferIsView(input)) {
    [buffer, offset, length] = [input.buffer, input.byteOffset, input.byteLength];
  } else {
    throw new TypeError('TextDecoder.decode: input must be an ArrayBuffer, a SharedArrayBuffer or a view of one');
  }
  if (length === 0) return new Uint8Array(0);
  const bytes = new Uint8Array(buffer, offset, length);
  return SharedArrayBufferCtor !== undefined && buffer instanceof SharedArrayBufferCtor ? bytes.slice() : bytes;
}

// The Encoding Standard's encodings: name -> [ICU converter, labels besides the name].
const ENCODINGS = {
  'utf-8': [null, ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf8', 'x-unicode20utf8']],
  ibm866: ['ibm-866', ['866', 'cp866', 'csibm866']],
  'iso-8859-2': ['iso-8859-2', ['csisolatin2', 'iso-ir-101', 'l2', 'latin2']],
  'iso-8859-3': ['iso-8859-3', ['csisolatin3', 'iso-ir-109', 'l3', 'latin3']],
  'iso-8859-4': ['iso-8859-4', ['csisolatin4', 'iso-ir-110', 'l4', 'latin4']],
  'iso-8859-5': ['iso-8859-5', ['csisolatincyrillic', 'cyrillic', 'iso-ir-144']],
  'iso-8859-6': ['iso-8859-6', ['arabic', 'asmo-708', 'csiso88596e', 'csiso88596i', 'csisolatinarabic', 'ecma-114', 'iso-8859-6-e', 'iso-8859-6-i', 'iso-ir-127']],
  'iso-8859-7': ['iso-8859-7', ['csisolatingreek', 'ecma-118', 'elot_928', 'greek', 'greek8', 'iso-ir-126', 'sun_eu_greek']],
  'iso-8859-8': ['iso-8859-8', ['csiso88598e', 'csisolatinhebrew', 'hebrew', 'iso-8859-8-e', 'iso-ir-138', 'visual']],
  'iso-8859-8-i': ['iso-8859-8', ['csiso88598i', 'logical']],
  'iso-8859-10': ['iso-8859-10', ['csisolatin6', 'iso-ir-157', 'l6', 'latin6']],
  'iso-8859-13': ['iso-8859-13', []],
  'iso-8859-14': ['iso-8859-14', []],
  'iso-8859-15': ['iso-8859-15', ['csisolatin9', 'l9']],
  'iso-8859-16': ['iso-8859-16', []],
  'koi8-r': ['KOI8-R', ['cskoi8r', 'koi', 'koi8', 'koi8_r']],
  'koi8-u': ['KOI8-U', ['koi8-ru']],
  macintosh: ['macintosh', ['csmacintosh', 'mac', 'x-mac-roman']],
  'windows-874': ['windows-874', ['dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911', 'tis-620']],
  'windows-1250': ['windows-1250', ['cp1250', 'x-cp1250']],
  'windows-1251': ['windows-1251', ['cp1251', 'x-cp1251']],
  'windows-1252': ['windows-1252', ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1',
    'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'x-cp1252']],
  'windows-1253': ['windows-1253', ['cp1253', 'x-cp1253']],
  'windows-1254': ['windows-1254', ['cp1254', 'csisolatin5', 'iso-8859-9', 'iso-ir-148', 'iso8859-9', 'iso88599', 'iso_8859-9',
    'iso_8859-9:1989', 'l5', 'latin5', 'x-cp1254']],
  'windows-1255': ['windows-1255', ['cp1255', 'x-cp1255']],
  'windows-1256': ['windows-1256', ['cp1256', 'x-cp1256']],
  'windows-1257': ['windows-1257', ['cp1257', 'x-cp1257']],
  'windows-1258': ['windows-1258', ['cp1258', 'x-cp1258']],
  'x-mac-cyrillic': ['x-mac-cyrillic', ['x-mac-ukrainian']],
  gbk: ['gb18030', ['chinese', 'csgb2312', 'csiso58gb231280', 'gb2312', 'gb_2312', 'gb_2312-80', 'iso-ir-58', 'x-gbk']],
  gb18030: ['gb18030', []],
  big5: ['Big5-HKSCS', ['big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5']],
  'euc-jp': ['EUC-JP', ['cseucpkdfmtjapanese', 'x-euc-jp']],
  'iso-2022-jp': ['ISO-2022-JP', ['csiso2022jp']],
  shift_jis: ['windows-31j', ['csshiftjis', 'ms932', 'ms_kanji', 'shift-jis', 'sjis', 'windows-31j', 'x-sjis']],
  'euc-kr': ['windows-949', ['cseuckr', 'csksc56011987', 'iso-ir-149', 'korean', 'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601', 'windows-949']],
  'utf-16be': ['UTF-16BE', ['unicodefffe']],
  'utf-16le': ['UTF-16LE', ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16']],
};
const LABELS = new Map();
for (const name of Object.keys(ENCODINGS)) {
  LABELS.set(name, name);
  for (const label of ENCODINGS[name][1]) LABELS.set(label, name);
}
// The iso-8859-N labels without the dashes the table above leaves out.
for (const n of [2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16]) {
  for (const label of [`iso8859-${n}`, `iso8859${n}`, `iso_8859-${n}`]) if (!LABELS.has(label)) LABELS.set(label, `iso-8859-${n}`);
}
// And the dated ISO registrations the standard lists (iso_8859-2:1987 ...).
for (const [n, year] of [[2, 1987], [3, 1988], [4, 1988], [5, 1988], [6, 1987], [7, 1987], [8, 1988]]) {
  LABELS.set(`iso_8859-${n}:${year}`, `iso-8859-${n}`);
}
// Encoding Standard "get an encoding": ASCII whitespace around the label is ignored.
function encodingForLabel(label) {
  return LABELS.get(`${label}`.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase());
}

export class TextDecoder {
  #fatal;
  #ignoreBOM;
  #encoding;
  #icu = null; // the ICU converter of a non-UTF-8 encoding
  #bomSeen = false; // the start of the stream has been looked at for a BOM
  #pending = []; // bytes of an unfinished sequence, kept across stream: true calls

  constructor(label = 'utf-8', options = undefined) {
    const encoding = encodingForLabel(label);
    if (encoding === undefined) throw new RangeError(`The "${label}" encoding is not supported`);
    this.#encoding = encoding;
    this.#fatal = !!options?.fatal;
    this.#ignoreBOM = !!options?.ignoreBOM;
    if (encoding !== 'utf-8') this.#icu = binding.decoderNew(ENCODINGS[encoding][0], this.#fatal);
  }

  get encoding() { return this.#encoding; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }

  /** Decodes bytes (ArrayBuffer or a view); with { stream: true } a sequence cut at the end waits for the next call. */
  decode(input = undefined, options = undefined) {
    const stream = !!options?.stream;
    let text = this.#decodeRaw(input, stream);
    // The BOM of UTF-8 and UTF-16 is not text, unless ignoreBOM keeps it.
    if (!this.#bomSeen && text.length > 0) {
      this.#bomSeen = true;
      if (!this.#ignoreBOM && text.charCodeAt(0) === 0xfeff &&
          (this.#encoding === 'utf-8' || this.#encoding === 'utf-16le' || this.#encoding === 'utf-16be')) {
        text = text.slice(1);
      }
    }
    if (!stream) this.#bomSeen = false;
    return text;
  }

  #decodeRaw(input, stream) {
    if (this.#icu !== null) {
      return binding.decode(this.#icu, inputBytes(input), !stream);
    }
    return this.#decodeUtf8(input, stream);
  }

  #decodeUtf8(input, stream) {
    let bytes = inputBytes(input);
    if (this.#pending.length) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
      this.#pending = [];
    }
    let s = '';
    const units = [];
    // The Encoding Standard's UTF-8 decoder (9.1.1): each byte is checked against the range
    // its position allows (after E0 only A0-BF, after ED 80-9F, after F0 90-BF, after F4
    // 80-8F), so an overlong form, a surrogate or a value past U+10FFFF is refused at the
    // first byte that makes it one; that byte is then read again as a new start.
    let needed = 0;
    let seen = 0;
    let c = 0;
    let lower = 0x80;
    let upper = 0xbf;
    let lead = 0; // where the sequence being read began
    for (let i = 0; i < bytes.length; i++) {
      // Flushed in pieces: a spread of more units than this would overflow the stack.
      if (units.length > 8192) { s += StringFromCharCode(...units); units.length = 0; }
      const b = bytes[i];
      if (needed === 0) {
        lead = i;
        if (b < 0x80) units.push(b);
        else if (b >= 0xc2 && b <= 0xdf) { needed = 1; c = b & 0x1f; }
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2;
          c = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3;
          c = b & 0x07;
        } else this.#bad(units);
        continue;
      }
      if (b < lower || b > upper) {
        needed = seen = c = 0;
        lower = 0x80;
        upper = 0xbf;
        this.#bad(units);
        i--; // this byte starts afresh
        continue;
      }
      lower = 0x80;
      upper = 0xbf;
      c = (c << 6) | (b & 0x3f);
      if (++seen < needed) continue;
      if (c >= 0x10000) {
        c -= 0x10000;
        units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
      } else {
        units.push(c);
      }
      needed = seen = c = 0;
    }
    if (needed !== 0) {
      // A sequence cut short: kept for the next call while streaming, else one U+FFFD.
      if (stream) this.#pending = [...bytes.subarray(lead)];
      else this.#bad(units);
    }
    return s + StringFromCharCode(...units);
  }

  #bad(units) {
    if (this.#fatal) throw new TypeError('TextDecoder: invalid UTF-8 data');
    units.push(REPLACEMENT);
  }
}
