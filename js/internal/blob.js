// Blob and File (File API): immutable bytes with a MIME type. Parts are copied when the Blob
// is made, so later changes to a part's buffer do not show through.
import { TextDecoder, TextEncoder } from './encoding.js';
import primordials from './primordials.js';

const {
  ArrayBuffer, ArrayBufferIsView, DateNow, MathMax, MathMin, ObjectDefineProperty,
  SymbolIterator, TypeError, Uint8Array,
} = primordials;

const PromiseResolve = Promise.resolve.bind(Promise);
const utf8 = new TextEncoder();

// A type is kept only if it is printable ASCII (File API "blob constructor" step 3), lowercased.
function normalizeType(type) {
  const t = `${type}`;
  return /^[\x20-\x7e]*$/.test(t) ? t.toLowerCase() : '';
}

// Lone surrogates become U+FFFD (USVString), and with endings: 'native' line ends are \n.
function convertString(s, endings) {
  if (endings === 'native') s = s.replace(/\r\n|\r/g, '\n');
  return utf8.encode(s);
}

let bytesOf; // (blob) -> its Uint8Array, for File, FormData and the readers

export class Blob {
  #bytes;
  #type;

  constructor(parts = undefined, options = undefined) {
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw new TypeError("Failed to construct 'Blob': the options must be an object");
    }
    const endings = options?.endings === undefined ? 'transparent' : `${options.endings}`;
    if (endings !== 'transparent' && endings !== 'native') {
      throw new TypeError(`Failed to construct 'Blob': '${endings}' is not a valid value for endings`);
    }
    const chunks = [];
    let total = 0;
    if (parts !== undefined && parts !== null) {
      if (typeof parts !== 'object' || typeof parts[SymbolIterator] !== 'function') {
        throw new TypeError("Failed to construct 'Blob': the parts must be a sequence");
      }
      for (const part of parts) {
        let chunk;
        if (part instanceof Blob) chunk = part.#bytes;
        else if (ArrayBufferIsView(part)) chunk = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
        else if (part instanceof ArrayBuffer) chunk = new Uint8Array(part);
        else chunk = convertString(`${part}`, endings);
        chunks.push(chunk);
        total += chunk.length;
      }
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.length; }
    this.#bytes = bytes;
    this.#type = options?.type === undefined ? '' : normalizeType(options.type);
  }

  static #check(b) {
    if (b === null || typeof b !== 'object' || !(#bytes in b)) throw new TypeError('Illegal invocation: not a Blob');
  }

  static {
    bytesOf = (b) => { Blob.#check(b); return b.#bytes; };
  }

  get size() { Blob.#check(this); return this.#bytes.length; }
  get type() { Blob.#check(this); return this.#type; }

  slice(start = 0, end = undefined, contentType = undefined) {
    Blob.#check(this);
    const size = this.#bytes.length;
    const clamp = (v) => {
      const n = Math.trunc(+v) || 0;
      return n < 0 ? MathMax(size + n, 0) : MathMin(n, size);
    };
    const from = clamp(start);
    const to = end === undefined ? size : clamp(end);
    const out = new Blob([], { type: contentType === undefined ? '' : contentType });
    out.#bytes = this.#bytes.slice(from, MathMax(from, to));
    return out;
  }

  arrayBuffer() {
    Blob.#check(this);
    return PromiseResolve(this.#bytes.slice().buffer);
  }

  bytes() {
    Blob.#check(this);
    return PromiseResolve(this.#bytes.slice());
  }

  text() {
    Blob.#check(this);
    return PromiseResolve(new TextDecoder().decode(this.#bytes));
  }

  stream() {
    Blob.#check(this);
    const bytes = this.#bytes.slice();
    const { ReadableStream } = globalThis;
    return new ReadableStream({
      type: 'bytes',
      start(controller) {
        if (bytes.length) controller.enqueue(bytes);
        controller.close();
      },
    });
  }
}
ObjectDefineProperty(Blob.prototype, Symbol.toStringTag, { value: 'Blob', configurable: true });

export class File extends Blob {
  #name;
  #lastModified;

  constructor(bits, name, options = undefined) {
    if (arguments.length < 2) throw new TypeError("Failed to construct 'File': 2 arguments required");
    super(bits, options);
    this.#name = `${name}`;
    this.#lastModified = options?.lastModified === undefined ? DateNow() : Math.trunc(+options.lastModified) || 0;
  }

  get name() {
    if (!(#name in this)) throw new TypeError('Illegal invocation: not a File');
    return this.#name;
  }

  get lastModified() {
    if (!(#name in this)) throw new TypeError('Illegal invocation: not a File');
    return this.#lastModified;
  }
}
ObjectDefineProperty(File.prototype, Symbol.toStringTag, { value: 'File', configurable: true });

export { bytesOf };
