// CompressionStream and DecompressionStream (Compression Standard): gzip, deflate (zlib)
// and deflate-raw, as TransformStreams of bytes over zlib in the binding.
import binding from 'rtjs:binding';
import { TransformStream } from './streams.js';
import primordials from './primordials.js';

const { ArrayBufferIsView, ObjectDefineProperty, TypeError } = primordials;

const { zlibNew, zlibPush } = binding;
const FORMATS = ['gzip', 'deflate', 'deflate-raw'];

function bytes(chunk) {
  if (ArrayBufferIsView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError('The chunk must be an ArrayBuffer or an ArrayBufferView');
}

function zlibTransform(format, compress, what) {
  const f = `${format}`;
  if (!FORMATS.includes(f)) throw new TypeError(`Failed to construct '${what}': unsupported compression format '${f}'`);
  const handle = zlibNew(f, compress);
  const push = (controller, input, finish) => {
    let out;
    try {
      out = zlibPush(handle, input, finish);
    } catch (err) {
      // Compression Standard, "decompress and enqueue": corrupt, truncated or trailing input
      // is a TypeError.
      throw new TypeError(err.message);
    }
    for (let i = 0; i < out.length; i++) controller.enqueue(new Uint8Array(out[i]));
  };
  return new TransformStream({
    transform(chunk, controller) { push(controller, bytes(chunk), false); },
    flush(controller) { push(controller, new Uint8Array(0), true); },
  });
}

export class CompressionStream {
  #transform;
  constructor(format) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'CompressionStream': 1 argument required");
    this.#transform = zlibTransform(format, true, 'CompressionStream');
  }
  get readable() { return this.#transform.readable; }
  get writable() { return this.#transform.writable; }
}

export class DecompressionStream {
  #transform;
  constructor(format) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'DecompressionStream': 1 argument required");
    this.#transform = zlibTransform(format, false, 'DecompressionStream');
  }
  get readable() { return this.#transform.readable; }
  get writable() { return this.#transform.writable; }
}

for (const C of [CompressionStream, DecompressionStream]) {
  ObjectDefineProperty(C.prototype, Symbol.toStringTag, { value: C.name, configurable: true });
}
