// node:zlib: gzip, deflate and raw deflate (and unzip, which reads either) over the same
// zlib binding as CompressionStream, as Node's Transform streams, callback functions and
// *Sync functions. Brotli is not offered (the runtime's closure has no libbrotli binding):
// its functions throw ERR_FEATURE_UNAVAILABLE_ON_PLATFORM.
import binding from 'rtjs:binding';
import { Transform } from './stream.js';
import { Buffer } from './buffer.js';
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType, outOfRange } from '../internal/node-errors.js';

const { zlibNew, zlibPush } = binding;
// RFC 1952 section 2.3.1: a gzip member starts with ID1 0x1f, ID2 0x8b.
const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;

// zlib.h's constants that programs read from zlib.constants.
export const constants = Object.freeze({
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0,
  DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7,
  Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15,
  Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity, Z_DEFAULT_CHUNK: 16 * 1024,
  Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8,
  Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
});

// zlib.h's return codes by name and by number, as Node's zlib.codes.
export const codes = Object.freeze(Object.fromEntries(
  ['Z_OK', 'Z_STREAM_END', 'Z_NEED_DICT', 'Z_ERRNO', 'Z_STREAM_ERROR', 'Z_DATA_ERROR', 'Z_MEM_ERROR',
    'Z_BUF_ERROR', 'Z_VERSION_ERROR'].flatMap((name) => [[name, constants[name]], [constants[name], name]])));

// CRC-32 as zlib's crc32() computes it (ISO 3309 / ITU-T V.42: the reflected polynomial
// 0xEDB88320, initial and final XOR with 0xFFFFFFFF), a table of the 256 byte values.
const CRC32_POLYNOMIAL = 0xedb88320;
const crcTable = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? CRC32_POLYNOMIAL ^ (c >>> 1) : c >>> 1;
  crcTable[n] = c;
}

/** The CRC-32 of `data` (a string as UTF-8, or bytes), continuing from `value`. */
export function crc32(data, value = 0) {
  if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
    throw invalidArgType('data', ['Buffer', 'TypedArray', 'DataView', 'string'], data);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    if (typeof value !== 'number') throw invalidArgType('value', 'number', value);
    throw outOfRange('value', '>= 0 && <= 4294967295', value);
  }
  const bytes = typeof data === 'string' ? Buffer.from(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let c = ~value;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function toBytes(input, name = 'buffer') {
  if (typeof input === 'string') return Buffer.from(input);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw invalidArgType(name, ['string', 'Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'], input);
}

// Node's option checks (lib/zlib.js checkRangesOrGetDefault): a number within the range,
// undefined or NaN for the default, another type ERR_INVALID_ARG_TYPE, out of range (or
// infinite) ERR_OUT_OF_RANGE.
function rangeOption(options, key, min, max, def) {
  const value = options[key];
  const name = `options.${key}`;
  if (value === undefined || Number.isNaN(value)) return def;
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!Number.isFinite(value)) throw outOfRange(name, 'a finite number', value);
  if (value < min || value > max) throw outOfRange(name, max === Infinity ? `>= ${min}` : `>= ${min} and <= ${max}`, value);
  return value;
}

// The zlib.h parameters a stream is made with ({ level, windowBits, memLevel, strategy,
// chunkSize }). Decompressing with a header (not raw), windowBits 0 or none takes the
// window from the header; zlib refuses a window of 8 with a gzip wrapper.
function engineOptions(format, compress, options) {
  if (options === undefined || options === null || typeof options !== 'object') options = {};
  const c = constants;
  rangeOption(options, 'chunkSize', c.Z_MIN_CHUNK, c.Z_MAX_CHUNK, c.Z_DEFAULT_CHUNK);
  let windowBits;
  if (!compress && format !== 'deflate-raw' && (options.windowBits == null || options.windowBits === 0)) {
    windowBits = 0;
  } else {
    const min = c.Z_MIN_WINDOWBITS + (compress && format === 'gzip' ? 1 : 0);
    windowBits = rangeOption(options, 'windowBits', min, c.Z_MAX_WINDOWBITS, c.Z_DEFAULT_WINDOWBITS);
    // zlib (since 1.2.9) refuses a raw deflate window of 8 and writes 9 for a zlib one;
    // raw streams take 9 both ways, as Node's do.
    if (format === 'deflate-raw' && windowBits === 8) windowBits = 9;
  }
  return [
    rangeOption(options, 'level', c.Z_MIN_LEVEL, c.Z_MAX_LEVEL, c.Z_DEFAULT_COMPRESSION),
    windowBits,
    rangeOption(options, 'memLevel', c.Z_MIN_MEMLEVEL, c.Z_MAX_MEMLEVEL, c.Z_DEFAULT_MEMLEVEL),
    rangeOption(options, 'strategy', c.Z_DEFAULT_STRATEGY, c.Z_FIXED, c.Z_DEFAULT_STRATEGY),
  ];
}

// One zlib stream: push(bytes, finish) -> Buffer of the output so far. `unzip` picks gzip
// or deflate from the first two bytes, as zlib's automatic header detection does.
function engine(format, compress, options) {
  const params = engineOptions(format, compress, options);
  // true: Node's reading (gzip members one after another, what follows the end ignored).
  let handle = format === 'unzip' ? null : zlibNew(format, compress, ...params, true);
  let head = new Uint8Array(0);
  return (bytes, finish) => {
    if (handle === null) {
      const joined = new Uint8Array(head.length + bytes.length);
      joined.set(head);
      joined.set(bytes, head.length);
      if (joined.length < 2 && !finish) { head = joined; return Buffer.alloc(0); }
      handle = zlibNew(joined[0] === GZIP_ID1 && joined[1] === GZIP_ID2 ? 'gzip' : 'deflate', false, ...params, true);
      bytes = joined;
    }
    let out;
    try {
      out = zlibPush(handle, bytes, finish);
    } catch (err) {
      throw zlibError(err);
    }
    return Buffer.concat(out.map((ab) => Buffer.from(ab)));
  };
}

function zlibError(err) {
  // zlib's own reason, as Node reports it ("incorrect header check", "invalid window size").
  const text = String(err && err.message || err).replace(/^zlib: /, '');
  if (/ends early/.test(text)) {
    // Input that stops inside the stream: zlib's Z_BUF_ERROR at the end, in Node's words.
    const e = codedError(Error, 'Z_BUF_ERROR', 'unexpected end of file');
    e.errno = constants.Z_BUF_ERROR;
    return e;
  }
  const message = /^the compressed data is corrupt \((.*)\)$/.exec(text)?.[1] ?? text;
  const e = codedError(Error, 'Z_DATA_ERROR', message);
  e.errno = constants.Z_DATA_ERROR;
  return e;
}

// The streams are function constructors, as Node's: zlib.Deflate() works without `new`
// and a subclass may call Deflate.call(this, options). Their engine is module-private.
const engines = new WeakMap();

function pushTo(stream, bytes, finish) {
  const state = engines.get(stream);
  if (state === undefined) throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type Zlib');
  return state.push(bytes, finish);
}

/** What every zlib stream shares: a Transform over one zlib engine of `format`. */
export function ZlibBase(format, compress, options) {
  // Bytes in, bytes out: an objectMode option is not taken (Node's zlib ignores it too),
  // so that writing an object is Writable's ERR_INVALID_ARG_TYPE.
  const streamOptions = options !== null && typeof options === 'object' ? { ...options } : {};
  streamOptions.objectMode = streamOptions.readableObjectMode = streamOptions.writableObjectMode = false;
  Transform.call(this, streamOptions);
  engines.set(this, { format, compress, options, push: engine(format, compress, options) });
  this.bytesWritten = 0;
  // Node's fields that packages look at: the stream is closed once destroyed (then
  // _handle is null, as Node frees its native handle).
  this._closed = false;
  this._handle = Object.freeze({ format });
}
Object.setPrototypeOf(ZlibBase.prototype, Transform.prototype);
Object.setPrototypeOf(ZlibBase, Transform);

ZlibBase.prototype._transform = function _transform(chunk, encoding, callback) {
  try {
    const bytes = toBytes(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk, 'chunk');
    this.bytesWritten += bytes.length;
    const out = pushTo(this, bytes, false);
    if (out.length > 0) this.push(out);
    callback();
  } catch (err) {
    callback(err);
  }
};

ZlibBase.prototype._flush = function _flush(callback) {
  try {
    const out = pushTo(this, new Uint8Array(0), true);
    if (out.length > 0) this.push(out);
    callback();
  } catch (err) {
    callback(err);
  }
};

ZlibBase.prototype._destroy = function _destroy(err, callback) {
  this._closed = true;
  this._handle = null;
  engines.delete(this);
  callback(err);
};

ZlibBase.prototype.close = function close(callback) {
  if (callback) process.nextTick(callback);
  this.destroy();
};

ZlibBase.prototype.flush = function flush(kind, callback) {
  if (typeof kind === 'function') callback = kind;
  if (callback) process.nextTick(callback);
};

/** Starts the stream's compression or decompression afresh (zlib's deflateReset/inflateReset). */
ZlibBase.prototype.reset = function reset() {
  const state = engines.get(this);
  if (state === undefined) throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type Zlib');
  state.push = engine(state.format, state.compress, state.options);
};

const kinds = {
  Gzip: ['gzip', true], Gunzip: ['gzip', false], Deflate: ['deflate', true], Inflate: ['deflate', false],
  DeflateRaw: ['deflate-raw', true], InflateRaw: ['deflate-raw', false], Unzip: ['unzip', false],
};

function streamClass(name) {
  const [format, compress] = kinds[name];
  // A function expression, not a method: methods cannot be constructors. The property
  // key names it (Class.name === 'Deflate').
  const Class = {
    [name]: function (options) { // eslint-disable-line func-names
      if (!(this instanceof Class)) return new Class(options);
      ZlibBase.call(this, format, compress, options);
    },
  }[name];
  Object.setPrototypeOf(Class.prototype, ZlibBase.prototype);
  Object.setPrototypeOf(Class, ZlibBase);
  return Class;
}

export const Gzip = streamClass('Gzip');
export const Gunzip = streamClass('Gunzip');
export const Deflate = streamClass('Deflate');
export const Inflate = streamClass('Inflate');
export const DeflateRaw = streamClass('DeflateRaw');
export const InflateRaw = streamClass('InflateRaw');
export const Unzip = streamClass('Unzip');

export const createGzip = (o) => new Gzip(o);
export const createGunzip = (o) => new Gunzip(o);
export const createDeflate = (o) => new Deflate(o);
export const createInflate = (o) => new Inflate(o);
export const createDeflateRaw = (o) => new DeflateRaw(o);
export const createInflateRaw = (o) => new InflateRaw(o);
export const createUnzip = (o) => new Unzip(o);

function sync(name) {
  const [format, compress] = kinds[name];
  return (input, options) => engine(format, compress, options)(toBytes(input), true);
}

function async(run) {
  return (input, options, callback) => {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (typeof callback !== 'function') throw invalidArgType('callback', 'Function', callback);
    let result, error = null;
    try {
      result = run(input, options);
    } catch (err) {
      error = err;
    }
    process.nextTick(() => (error ? callback(error) : callback(null, result)));
  };
}

export const gzipSync = sync('Gzip');
export const gunzipSync = sync('Gunzip');
export const deflateSync = sync('Deflate');
export const inflateSync = sync('Inflate');
export const deflateRawSync = sync('DeflateRaw');
export const inflateRawSync = sync('InflateRaw');
export const unzipSync = sync('Unzip');
export const gzip = async(gzipSync);
export const gunzip = async(gunzipSync);
export const deflate = async(deflateSync);
export const inflate = async(inflateSync);
export const deflateRaw = async(deflateRawSync);
export const inflateRaw = async(inflateRawSync);
export const unzip = async(unzipSync);

function noBrotli() {
  throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', 'Brotli is not available on rtjs: use gzip or deflate');
}
export const BrotliCompress = noBrotli;
export const BrotliDecompress = noBrotli;
export const createBrotliCompress = noBrotli;
export const createBrotliDecompress = noBrotli;
export const brotliCompressSync = noBrotli;
export const brotliDecompressSync = noBrotli;
export const brotliCompress = noBrotli;
export const brotliDecompress = noBrotli;

const zlib = {
  crc32, ZlibBase, Gzip, Gunzip, Deflate, Inflate, DeflateRaw, InflateRaw, Unzip,
  createGzip, createGunzip, createDeflate, createInflate, createDeflateRaw, createInflateRaw, createUnzip,
  gzipSync, gunzipSync, deflateSync, inflateSync, deflateRawSync, inflateRawSync, unzipSync,
  gzip, gunzip, deflate, inflate, deflateRaw, inflateRaw, unzip,
  BrotliCompress, BrotliDecompress, createBrotliCompress, createBrotliDecompress,
  brotliCompressSync, brotliDecompressSync, brotliCompress, brotliDecompress,
};
// As Node's module object: constants and codes cannot be replaced.
Object.defineProperties(zlib, {
  constants: { enumerable: true, writable: false, configurable: false, value: constants },
  codes: { enumerable: true, writable: false, configurable: false, value: codes },
});
export default zlib;
