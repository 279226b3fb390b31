// node:zlib: gzip, deflate and raw deflate (and unzip, which reads either), Brotli and zstd,
// as Node's Transform streams, callback functions and *Sync functions. The engines are the
// runtime closure's zlib, libbrotli and libzstd through the binding's compress* functions,
// which step as zlib's API does (fill an output window, say what input and room is left):
// the stream here chooses chunk sizes, flush kinds and output limits as Node's does.
import binding from 'rtjs:binding';
import { Transform, finished } from './stream.js';
import bufferModule, { Buffer } from './buffer.js';
import { setImmediate } from '../internal/timers.js';
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType, outOfRange } from '../internal/node-errors.js';

const {
  compressOpen, brotliOpen, zstdOpen, compressWrite, compressReset, compressParams, compressClose, compressVersions,
  zlibCrc32,
} = binding;
// The largest Buffer, read when the module loads (as Node's zlib does, so that a program may
// lower it for a test): the default and upper bound of maxOutputLength.
const kMaxLength = bufferModule.kMaxLength;

// zlib.h's constants, node:zlib's modes and limits, brotli/encode.h's and decode.h's, and
// zstd.h's and zstd_errors.h's, as programs read them from zlib.constants.
export const constants = Object.freeze({
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0,
  ZLIB_VERNUM: compressVersions()[0],
  DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7,
  BROTLI_DECODE: 8, BROTLI_ENCODE: 9, ZSTD_COMPRESS: 10, ZSTD_DECOMPRESS: 11,
  Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15,
  Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity, Z_DEFAULT_CHUNK: 16 * 1024,
  Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8,
  Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
  BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2,
  BROTLI_OPERATION_EMIT_METADATA: 3,
  BROTLI_PARAM_MODE: 0, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1, BROTLI_MODE_FONT: 2, BROTLI_DEFAULT_MODE: 0,
  BROTLI_PARAM_QUALITY: 1, BROTLI_MIN_QUALITY: 0, BROTLI_MAX_QUALITY: 11, BROTLI_DEFAULT_QUALITY: 11,
  BROTLI_PARAM_LGWIN: 2, BROTLI_MIN_WINDOW_BITS: 10, BROTLI_MAX_WINDOW_BITS: 24,
  BROTLI_LARGE_MAX_WINDOW_BITS: 30, BROTLI_DEFAULT_WINDOW: 22,
  BROTLI_PARAM_LGBLOCK: 3, BROTLI_MIN_INPUT_BLOCK_BITS: 16, BROTLI_MAX_INPUT_BLOCK_BITS: 24,
  BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4, BROTLI_PARAM_SIZE_HINT: 5, BROTLI_PARAM_LARGE_WINDOW: 6,
  BROTLI_PARAM_NPOSTFIX: 7, BROTLI_PARAM_NDIRECT: 8,
  BROTLI_DECODER_RESULT_ERROR: 0, BROTLI_DECODER_RESULT_SUCCESS: 1, BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2,
  BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0, BROTLI_DECODER_PARAM_LARGE_WINDOW: 1,
  BROTLI_DECODER_NO_ERROR: 0, BROTLI_DECODER_SUCCESS: 1, BROTLI_DECODER_NEEDS_MORE_INPUT: 2,
  BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1, BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3, BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4,
  BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5, BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6,
  BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7, BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8,
  BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10,
  BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11, BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12,
  BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13, BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14,
  BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15, BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16,
  BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19, BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21, BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26,
  BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27, BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30,
  BROTLI_DECODER_ERROR_UNREACHABLE: -31,
  ZSTD_e_continue: 0, ZSTD_e_flush: 1, ZSTD_e_end: 2,
  ZSTD_fast: 1, ZSTD_dfast: 2, ZSTD_greedy: 3, ZSTD_lazy: 4, ZSTD_lazy2: 5, ZSTD_btlazy2: 6, ZSTD_btopt: 7,
  ZSTD_btultra: 8, ZSTD_btultra2: 9,
  ZSTD_c_compressionLevel: 100, ZSTD_c_windowLog: 101, ZSTD_c_hashLog: 102, ZSTD_c_chainLog: 103,
  ZSTD_c_searchLog: 104, ZSTD_c_minMatch: 105, ZSTD_c_targetLength: 106, ZSTD_c_strategy: 107,
  ZSTD_c_enableLongDistanceMatching: 160, ZSTD_c_ldmHashLog: 161, ZSTD_c_ldmMinMatch: 162,
  ZSTD_c_ldmBucketSizeLog: 163, ZSTD_c_ldmHashRateLog: 164,
  ZSTD_c_contentSizeFlag: 200, ZSTD_c_checksumFlag: 201, ZSTD_c_dictIDFlag: 202,
  ZSTD_c_nbWorkers: 400, ZSTD_c_jobSize: 401, ZSTD_c_overlapLog: 402,
  ZSTD_d_windowLogMax: 100, ZSTD_CLEVEL_DEFAULT: 3,
  ZSTD_error_no_error: 0, ZSTD_error_GENERIC: 1, ZSTD_error_prefix_unknown: 10, ZSTD_error_version_unsupported: 12,
  ZSTD_error_frameParameter_unsupported: 14, ZSTD_error_frameParameter_windowTooLarge: 16,
  ZSTD_error_corruption_detected: 20, ZSTD_error_checksum_wrong: 22, ZSTD_error_literals_headerWrong: 24,
  ZSTD_error_dictionary_corrupted: 30, ZSTD_error_dictionary_wrong: 32, ZSTD_error_dictionaryCreation_failed: 34,
  ZSTD_error_parameter_unsupported: 40, ZSTD_error_parameter_combination_unsupported: 41,
  ZSTD_error_parameter_outOfBound: 42, ZSTD_error_tableLog_tooLarge: 44, ZSTD_error_maxSymbolValue_tooLarge: 46,
  ZSTD_error_maxSymbolValue_tooSmall: 48, ZSTD_error_stabilityCondition_notRespected: 50,
  ZSTD_error_stage_wrong: 60, ZSTD_error_init_missing: 62, ZSTD_error_memory_allocation: 64,
  ZSTD_error_workSpace_tooSmall: 66, ZSTD_error_dstSize_tooSmall: 70, ZSTD_error_srcSize_wrong: 72,
  ZSTD_error_dstBuffer_null: 74, ZSTD_error_noForwardProgress_destFull: 80,
  ZSTD_error_noForwardProgress_inputEmpty: 82,
});
const {
  Z_NO_FLUSH, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH, Z_BLOCK,
  Z_DEFAULT_COMPRESSION, Z_DEFAULT_STRATEGY, Z_FIXED,
  DEFLATE, INFLATE, GZIP, GUNZIP, DEFLATERAW, INFLATERAW, UNZIP, BROTLI_DECODE, BROTLI_ENCODE,
  Z_MIN_WINDOWBITS, Z_MAX_WINDOWBITS, Z_DEFAULT_WINDOWBITS, Z_MIN_CHUNK, Z_DEFAULT_CHUNK,
  Z_MIN_MEMLEVEL, Z_MAX_MEMLEVEL, Z_DEFAULT_MEMLEVEL, Z_MIN_LEVEL, Z_MAX_LEVEL,
  BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_FLUSH, BROTLI_OPERATION_FINISH, BROTLI_OPERATION_EMIT_METADATA,
  ZSTD_COMPRESS, ZSTD_DECOMPRESS, ZSTD_e_continue, ZSTD_e_flush, ZSTD_e_end,
} = constants;
// The highest parameter key: Brotli's, encoder's or decoder's (BROTLI_PARAM_NDIRECT); zstd's
// compression (ZSTD_c_overlapLog) and decompression (ZSTD_d_windowLogMax) ones.
const BROTLI_MAX_PARAM = 8;
const ZSTD_MAX_C_PARAM = 402;
const ZSTD_MAX_D_PARAM = 100;

// zlib.h's return codes by name and by number, as Node's zlib.codes.
export const codes = Object.freeze(Object.fromEntries(
  ['Z_OK', 'Z_STREAM_END', 'Z_NEED_DICT', 'Z_ERRNO', 'Z_STREAM_ERROR', 'Z_DATA_ERROR', 'Z_MEM_ERROR',
    'Z_BUF_ERROR', 'Z_VERSION_ERROR'].flatMap((name) => [[name, constants[name]], [constants[name], name]])));

/** The CRC-32 of `data` (a string as UTF-8, or bytes), continuing from `value`. */
export function crc32(data, value = 0) {
  if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
    throw invalidArgType('data', ['Buffer', 'TypedArray', 'DataView', 'string'], data);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    if (typeof value !== 'number') throw invalidArgType('value', 'number', value);
    throw outOfRange('value', '>= 0 && <= 4294967295', value);
  }
  // zlib's crc32 (ISO 3309 / ITU-T V.42), a string as UTF-8.
  return zlibCrc32(typeof data === 'string' ? Buffer.from(data) : data, value);
}

// Node's option check (checkRangesOrGetDefault): undefined or NaN takes the default, another
// type is ERR_INVALID_ARG_TYPE, an infinite or out-of-range number ERR_OUT_OF_RANGE.
function isFiniteOption(value, name) {
  if (value === undefined || Number.isNaN(value)) return false;
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!Number.isFinite(value)) throw outOfRange(name, 'a finite number', value);
  return true;
}

function rangeOption(value, name, lower, upper, def) {
  if (!isFiniteOption(value, name)) return def;
  if (value < lower || value > upper) throw outOfRange(name, `>= ${lower} and <= ${upper}`, value);
  return value;
}

const isAnyArrayBuffer = (v) => v instanceof ArrayBuffer ||
  (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);

const kFlushFlag = Symbol('kFlushFlag');
const kError = Symbol('kError');

// The flush kinds from weakest to strongest (zlib.h), to take the stronger of two: the last
// write of a stream gets at least the stream's finish flush.
const flushStrength = [];
[Z_NO_FLUSH, Z_BLOCK, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH].forEach((f, i) => { flushStrength[f] = i; });
const strongerFlush = (a, b) => (flushStrength[a] > flushStrength[b] ? a : b);
// An empty write carrying a flush kind: how flush(kind) reaches the engine in write order.
const flushBuffers = [];
for (let f = Z_NO_FLUSH; f <= Z_BLOCK; f++) {
  flushBuffers[f] = Buffer.alloc(0);
  flushBuffers[f][kFlushFlag] = f;
}

function bufferTooLarge(limit) {
  return codedError(RangeError, 'ERR_BUFFER_TOO_LARGE', `Cannot create a Buffer larger than ${limit} bytes`);
}

function initFailed() {
  return codedError(Error, 'ERR_ZLIB_INITIALIZATION_FAILED', 'Initialization failed');
}

// The engine's error as Node reports it: the library's reason, the zlib code's name (or
// Brotli's ERR_ name) and its number.
function engineError([message, code, errno]) {
  const err = new Error(message);
  err.errno = errno;
  err.code = code;
  return err;
}

// One engine of a stream. write() does its step now and answers after the current task, as
// Node's does from its thread pool, so that a stream's writes and reads interleave as there.
class Handle {
  constructor(native, owner, state) {
    this.native = native;
    this.owner = owner;
    this.state = state;
    this.buffer = null;
    this.cb = null;
  }

  writeSync(flush, input, inOff, inLen, out, outOff, outLen) {
    const failure = compressWrite(this.native, flush, input, inOff, inLen, out, outOff, outLen, this.state);
    if (failure !== undefined) this.fail(failure);
  }

  write(flush, input, inOff, inLen, out, outOff, outLen) {
    const failure = compressWrite(this.native, flush, input, inOff, inLen, out, outOff, outLen, this.state);
    setImmediate(() => {
      if (failure !== undefined) this.fail(failure);
      else afterWrite(this);
    });
  }

  fail(failure) {
    const self = this.owner;
    const err = engineError(failure);
    self.destroy(err);
    self[kError] = err;
  }

  reset() {
    const failure = compressReset(this.native);
    if (failure !== undefined) this.fail(failure);
  }

  params(level, strategy) {
    const failure = compressParams(this.native, level, strategy);
    if (failure !== undefined) this.fail(failure);
  }

  close() {
    compressClose(this.native);
  }
}

/** What every zlib and Brotli stream shares: a Transform over one engine. */
export function ZlibBase(opts, mode, native, state, { flush, finishFlush, fullFlush }) {
  let chunkSize = Z_DEFAULT_CHUNK;
  let maxOutputLength = kMaxLength;
  const [lowFlush, highFlush] = mode === BROTLI_ENCODE || mode === BROTLI_DECODE ? [BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_EMIT_METADATA]
    : mode === ZSTD_COMPRESS || mode === ZSTD_DECOMPRESS ? [ZSTD_e_continue, ZSTD_e_end] : [Z_NO_FLUSH, Z_BLOCK];
  if (opts) {
    chunkSize = opts.chunkSize;
    if (!isFiniteOption(chunkSize, 'options.chunkSize')) chunkSize = Z_DEFAULT_CHUNK;
    else if (chunkSize < Z_MIN_CHUNK) throw outOfRange('options.chunkSize', `>= ${Z_MIN_CHUNK}`, chunkSize);
    flush = rangeOption(opts.flush, 'options.flush', lowFlush, highFlush, flush);
    finishFlush = rangeOption(opts.finishFlush, 'options.finishFlush', lowFlush, highFlush, finishFlush);
    maxOutputLength = rangeOption(opts.maxOutputLength, 'options.maxOutputLength', 1, kMaxLength, kMaxLength);
    // Bytes in: a string is encoded, an object refused (Writable's ERR_INVALID_ARG_TYPE).
    if (opts.encoding || opts.objectMode || opts.writableObjectMode) {
      opts = { ...opts, encoding: null, objectMode: false, writableObjectMode: false };
    }
  }
  Transform.call(this, { autoDestroy: true, ...opts });
  this[kError] = null;
  this.bytesWritten = 0;
  this._handle = new Handle(native, this, state);
  this._writeState = state;
  this._outBuffer = Buffer.allocUnsafe(chunkSize);
  this._outOffset = 0;
  this._chunkSize = chunkSize;
  this._defaultFlushFlag = flush;
  this._finishFlushFlag = finishFlush;
  this._defaultFullFlushFlag = fullFlush;
  this._info = opts && opts.info;
  this._maxOutputLength = maxOutputLength;
}
Object.setPrototypeOf(ZlibBase.prototype, Transform.prototype);
Object.setPrototypeOf(ZlibBase, Transform);

Object.defineProperty(ZlibBase.prototype, '_closed', {
  configurable: true, enumerable: true, get() { return !this._handle; },
});
// Node's older name for bytesWritten.
Object.defineProperty(ZlibBase.prototype, 'bytesRead', {
  configurable: true, enumerable: true,
  get() { return this.bytesWritten; },
  set(value) { this.bytesWritten = value; },
});

function checkHandle(stream) {
  if (!(stream instanceof ZlibBase)) throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type Zlib');
  if (!stream._handle) throw codedError(Error, 'ERR_ASSERTION', 'zlib binding closed');
  return stream._handle;
}

/** Starts the stream's compression or decompression afresh (deflateReset, inflateReset). */
ZlibBase.prototype.reset = function reset() {
  checkHandle(this).reset();
};

ZlibBase.prototype._flush = function _flush(callback) {
  this._transform(Buffer.alloc(0), '', callback);
};

ZlibBase.prototype._final = function _final(callback) {
  callback();
};

/** Flushes what the engine holds with `kind` (default: a full flush), in write order. */
ZlibBase.prototype.flush = function flush(kind, callback) {
  if (typeof kind === 'function' || (kind === undefined && !callback)) {
    callback = kind;
    kind = this._defaultFullFlushFlag;
  }
  if (this.writableFinished) {
    if (callback) process.nextTick(callback);
  } else if (this.writableEnded) {
    if (callback) this.once('end', callback);
  } else {
    this.write(flushBuffers[kind], '', callback);
  }
};

ZlibBase.prototype.close = function close(callback) {
  if (callback) finished(this, callback);
  this.destroy();
};

ZlibBase.prototype._destroy = function _destroy(err, callback) {
  closeEngine(this);
  callback(err);
};

ZlibBase.prototype._transform = function _transform(chunk, encoding, callback) {
  let flushFlag = this._defaultFlushFlag;
  // An empty write from flush() names its kind.
  if (typeof chunk[kFlushFlag] === 'number') flushFlag = chunk[kFlushFlag];
  // The stream's last bytes are written with (at least) its finish flush.
  if (this.writableEnded && this.writableLength === chunk.byteLength) {
    flushFlag = strongerFlush(flushFlag, this._finishFlushFlag);
  }
  processChunk(this, chunk, flushFlag, callback);
};

/** Node's: with a callback, one chunk through the stream; without, the output returned. */
ZlibBase.prototype._processChunk = function _processChunk(chunk, flushFlag, callback) {
  if (typeof callback === 'function') processChunk(this, chunk, flushFlag, callback);
  else return processChunkSync(this, chunk, flushFlag);
};

function closeEngine(stream) {
  if (!stream._handle) return;
  stream._handle.close();
  stream._handle = null;
}

// All of `chunk` through the engine now; the output as one Buffer (and the stream closed).
function processChunkSync(self, chunk, flushFlag) {
  let availInBefore = chunk.byteLength;
  let availOutBefore = self._chunkSize - self._outOffset;
  let inOff = 0;
  let buffers = null;
  let nread = 0;
  let inputRead = 0;
  const state = self._writeState;
  const handle = self._handle;
  let buffer = self._outBuffer;
  let offset = self._outOffset;
  const chunkSize = self._chunkSize;
  let error;
  // Stays on: destroy() emits the error after this returns; it is thrown here instead.
  self.on('error', (err) => { error = err; });
  for (;;) {
    handle.writeSync(flushFlag, chunk, inOff, availInBefore, buffer, offset, availOutBefore);
    if (error) throw error;
    if (self[kError]) throw self[kError];
    const availOutAfter = state[0];
    const availInAfter = state[1];
    const inDelta = availInBefore - availInAfter;
    inputRead += inDelta;
    const have = availOutBefore - availOutAfter;
    if (have > 0) {
      const out = buffer.slice(offset, offset + have);
      offset += have;
      if (!buffers) buffers = [out];
      else buffers.push(out);
      nread += out.byteLength;
      if (nread > self._maxOutputLength) {
        closeEngine(self);
        throw bufferTooLarge(self._maxOutputLength);
      }
    }
    // The window is full: a fresh one.
    if (availOutAfter === 0 || offset >= chunkSize) {
      availOutBefore = chunkSize;
      offset = 0;
      buffer = Buffer.allocUnsafe(chunkSize);
    }
    // Output room left means the engine took all it would of the input.
    if (availOutAfter !== 0) break;
    inOff += inDelta;
    availInBefore = availInAfter;
  }
  self.bytesWritten = inputRead;
  closeEngine(self);
  if (nread === 0) return Buffer.alloc(0);
  return buffers.length === 1 ? buffers[0] : Buffer.concat(buffers, nread);
}

function processChunk(self, chunk, flushFlag, cb) {
  const handle = self._handle;
  if (!handle) {
    process.nextTick(cb);
    return;
  }
  handle.buffer = chunk;
  handle.cb = cb;
  handle.availOutBefore = self._chunkSize - self._outOffset;
  handle.availInBefore = chunk.byteLength;
  handle.inOff = 0;
  handle.flushFlag = flushFlag;
  handle.write(flushFlag, chunk, 0, handle.availInBefore, self._outBuffer, self._outOffset, handle.availOutBefore);
}

// One step of a stream's write done: pass its output on, and step again while the window
// was filled (after the reader has room again, when push() said it had none).
function afterWrite(handle) {
  const self = handle.owner;
  const state = self._writeState;
  if (self.destroyed) {
    handle.buffer = null;
    handle.cb();
    return;
  }
  const availOutAfter = state[0];
  const availInAfter = state[1];
  const inDelta = handle.availInBefore - availInAfter;
  self.bytesWritten += inDelta;
  const have = handle.availOutBefore - availOutAfter;
  let full = false;
  if (have > 0) {
    const out = self._outBuffer.slice(self._outOffset, self._outOffset + have);
    self._outOffset += have;
    full = !self.push(out);
  }
  if (self.destroyed) {
    handle.cb();
    return;
  }
  if (availOutAfter === 0 || self._outOffset >= self._chunkSize) {
    handle.availOutBefore = self._chunkSize;
    self._outOffset = 0;
    self._outBuffer = Buffer.allocUnsafe(self._chunkSize);
  }
  if (availOutAfter === 0) {
    handle.inOff += inDelta;
    handle.availInBefore = availInAfter;
    const again = () => handle.write(handle.flushFlag, handle.buffer, handle.inOff, handle.availInBefore,
      self._outBuffer, self._outOffset, self._chunkSize);
    if (!full) {
      again();
    } else {
      const read = self._read;
      self._read = (n) => {
        self._read = read;
        again();
        self._read(n);
      };
    }
    return;
  }
  // Input left with output room to spare: the engine's stream has ended (what follows its
  // end is not read, except by gunzip and unzip, which take the next member).
  if (availInAfter > 0) self.push(null);
  handle.buffer = null;
  handle.cb();
}

const zlibDefaults = { flush: Z_NO_FLUSH, finishFlush: Z_FINISH, fullFlush: Z_FULL_FLUSH };

/** A zlib stream of `mode` (DEFLATE .. UNZIP). */
function Zlib(opts, mode) {
  let windowBits = Z_DEFAULT_WINDOWBITS;
  let level = Z_DEFAULT_COMPRESSION;
  let memLevel = Z_DEFAULT_MEMLEVEL;
  let strategy = Z_DEFAULT_STRATEGY;
  let dictionary;
  if (opts) {
    // Decompressing with a header, windowBits 0 or none takes the window from the header.
    if ((opts.windowBits == null || opts.windowBits === 0) && (mode === INFLATE || mode === GUNZIP || mode === UNZIP)) {
      windowBits = 0;
    } else {
      // zlib refuses a window of 8 with a gzip wrapper.
      const min = Z_MIN_WINDOWBITS + (mode === GZIP || mode === GUNZIP ? 1 : 0);
      windowBits = rangeOption(opts.windowBits, 'options.windowBits', min, Z_MAX_WINDOWBITS, Z_DEFAULT_WINDOWBITS);
    }
    level = rangeOption(opts.level, 'options.level', Z_MIN_LEVEL, Z_MAX_LEVEL, Z_DEFAULT_COMPRESSION);
    memLevel = rangeOption(opts.memLevel, 'options.memLevel', Z_MIN_MEMLEVEL, Z_MAX_MEMLEVEL, Z_DEFAULT_MEMLEVEL);
    strategy = rangeOption(opts.strategy, 'options.strategy', Z_DEFAULT_STRATEGY, Z_FIXED, Z_DEFAULT_STRATEGY);
    dictionary = opts.dictionary;
    if (dictionary !== undefined && !ArrayBuffer.isView(dictionary)) {
      if (isAnyArrayBuffer(dictionary)) dictionary = Buffer.from(dictionary);
      else throw invalidArgType('options.dictionary', ['Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'], dictionary);
    }
  }
  // zlib (since 1.2.9) refuses a raw deflate window of 8 and writes 9 for a zlib one; raw
  // streams take 9 both ways, as Node's do.
  const engineBits = (mode === DEFLATERAW || mode === INFLATERAW) && windowBits === 8 ? 9 : windowBits;
  let native;
  try {
    native = compressOpen(mode, engineBits, level, memLevel, strategy, dictionary);
  } catch {
    throw initFailed();
  }
  ZlibBase.call(this, opts, mode, native, new Uint32Array(2), zlibDefaults);
  this._level = level;
  this._strategy = strategy;
}
Object.setPrototypeOf(Zlib.prototype, ZlibBase.prototype);
Object.setPrototypeOf(Zlib, ZlibBase);

/** Changes the compression level and strategy, after flushing what was written so far. */
Zlib.prototype.params = function params(level, strategy, callback) {
  rangeOption(level, 'level', Z_MIN_LEVEL, Z_MAX_LEVEL);
  rangeOption(strategy, 'strategy', Z_DEFAULT_STRATEGY, Z_FIXED);
  if (this._level !== level || this._strategy !== strategy) {
    this.flush(Z_SYNC_FLUSH, () => {
      checkHandle(this).params(level, strategy);
      if (!this.destroyed) {
        this._level = level;
        this._strategy = strategy;
        if (callback) callback();
      }
    });
  } else if (callback) {
    process.nextTick(callback);
  }
};

const brotliDefaults = {
  flush: BROTLI_OPERATION_PROCESS, finishFlush: BROTLI_OPERATION_FINISH, fullFlush: BROTLI_OPERATION_FLUSH,
};
// A parameter not given: the library's default (brotliOpen's and zstdOpen's "unset").
const PARAM_UNSET = 0xffffffff;

// options.params ({ [key]: number or boolean }) as the engine's array of `max` + 1 slots.
function engineParams(opts, max, invalid) {
  const params = new Uint32Array(max + 1).fill(PARAM_UNSET);
  if (opts?.params) {
    for (const key of Object.keys(opts.params)) {
      const index = +key;
      if (Number.isNaN(index) || index < 0 || index > max || params[index] !== PARAM_UNSET) throw invalid(key);
      const value = opts.params[key];
      if (typeof value !== 'number' && typeof value !== 'boolean') {
        throw invalidArgType('options.params[key]', 'number', value);
      }
      params[index] = value;
    }
  }
  return params;
}

/** A Brotli stream: BROTLI_ENCODE or BROTLI_DECODE, with `params` by their numeric keys. */
function Brotli(opts, mode) {
  const params = engineParams(opts, BROTLI_MAX_PARAM,
    (key) => codedError(RangeError, 'ERR_BROTLI_INVALID_PARAM', `${key} is not a valid Brotli parameter`));
  const native = brotliOpen(mode, params);
  if (native === null) throw initFailed();
  ZlibBase.call(this, opts, mode, native, new Uint32Array(2), brotliDefaults);
}
Object.setPrototypeOf(Brotli.prototype, ZlibBase.prototype);
Object.setPrototypeOf(Brotli, ZlibBase);

const zstdDefaults = { flush: ZSTD_e_continue, finishFlush: ZSTD_e_end, fullFlush: ZSTD_e_flush };

/** A zstd stream (classes, as Node's: `new` is required). */
class Zstd extends ZlibBase {
  constructor(opts, mode, maxParam) {
    const params = engineParams(opts, maxParam,
      (key) => codedError(RangeError, 'ERR_ZSTD_INVALID_PARAM', `${key} is not a valid zstd parameter`));
    const pledgedSrcSize = opts?.pledgedSrcSize ?? undefined;
    if (pledgedSrcSize !== undefined && typeof pledgedSrcSize !== 'number') {
      throw invalidArgType('options.pledgedSrcSize', 'number', pledgedSrcSize);
    }
    const dictionary = opts?.dictionary && ArrayBuffer.isView(opts.dictionary) ? opts.dictionary : undefined;
    const native = zstdOpen(mode, params, pledgedSrcSize, dictionary);
    if (Array.isArray(native)) throw codedError(Error, 'ERR_ZLIB_INITIALIZATION_FAILED', native[0]);
    super(opts, mode, native, new Uint32Array(2), zstdDefaults);
  }
}

export class ZstdCompress extends Zstd {
  constructor(opts) { super(opts, ZSTD_COMPRESS, ZSTD_MAX_C_PARAM); }
}

export class ZstdDecompress extends Zstd {
  constructor(opts) { super(opts, ZSTD_DECOMPRESS, ZSTD_MAX_D_PARAM); }
}

const kinds = {
  Deflate: [Zlib, DEFLATE], Inflate: [Zlib, INFLATE], Gzip: [Zlib, GZIP], Gunzip: [Zlib, GUNZIP],
  DeflateRaw: [Zlib, DEFLATERAW], InflateRaw: [Zlib, INFLATERAW], Unzip: [Zlib, UNZIP],
  BrotliCompress: [Brotli, BROTLI_ENCODE], BrotliDecompress: [Brotli, BROTLI_DECODE],
};

// The streams are function constructors, as Node's: zlib.Deflate() works without `new` and
// a subclass may call Deflate.call(this, options).
function streamClass(name) {
  const [Base, mode] = kinds[name];
  // A function expression, not a method: methods cannot be constructors. The property key
  // names it (Class.name === 'Deflate').
  const Class = {
    [name]: function (opts) { // eslint-disable-line func-names
      if (!(this instanceof Class)) return new Class(opts);
      Base.call(this, opts, mode);
    },
  }[name];
  Object.setPrototypeOf(Class.prototype, Base.prototype);
  Object.setPrototypeOf(Class, Base);
  return Class;
}

export const Deflate = streamClass('Deflate');
export const Inflate = streamClass('Inflate');
export const Gzip = streamClass('Gzip');
export const Gunzip = streamClass('Gunzip');
export const DeflateRaw = streamClass('DeflateRaw');
export const InflateRaw = streamClass('InflateRaw');
export const Unzip = streamClass('Unzip');
export const BrotliCompress = streamClass('BrotliCompress');
export const BrotliDecompress = streamClass('BrotliDecompress');

export const createDeflate = (o) => new Deflate(o);
export const createInflate = (o) => new Inflate(o);
export const createGzip = (o) => new Gzip(o);
export const createGunzip = (o) => new Gunzip(o);
export const createDeflateRaw = (o) => new DeflateRaw(o);
export const createInflateRaw = (o) => new InflateRaw(o);
export const createUnzip = (o) => new Unzip(o);
export const createBrotliCompress = (o) => new BrotliCompress(o);
export const createBrotliDecompress = (o) => new BrotliDecompress(o);
export const createZstdCompress = (o) => new ZstdCompress(o);
export const createZstdDecompress = (o) => new ZstdDecompress(o);

function inputBytes(buffer) {
  if (typeof buffer === 'string') return Buffer.from(buffer);
  if (ArrayBuffer.isView(buffer)) return buffer;
  if (isAnyArrayBuffer(buffer)) return Buffer.from(buffer);
  throw invalidArgType('buffer', ['string', 'Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'], buffer);
}

function bufferSync(engine, buffer) {
  const out = processChunkSync(engine, inputBytes(buffer), engine._finishFlushFlag);
  return engine._info ? { buffer: out, engine } : out;
}

// The callback form: the stream's output gathered, within maxOutputLength.
function bufferAsync(engine, buffer, callback) {
  if (typeof callback !== 'function') throw invalidArgType('callback', 'Function', callback);
  buffer = inputBytes(buffer);
  const buffers = [];
  let nread = 0;
  const onEnd = () => {
    const out = nread === 0 ? Buffer.alloc(0) : buffers.length === 1 ? buffers[0] : Buffer.concat(buffers, nread);
    engine.close();
    callback(null, engine._info ? { buffer: out, engine } : out);
  };
  engine.on('data', (chunk) => {
    buffers.push(chunk);
    nread += chunk.length;
    if (nread > engine._maxOutputLength) {
      engine.close();
      engine.removeListener('end', onEnd);
      callback(bufferTooLarge(engine._maxOutputLength));
    }
  });
  engine.on('error', (err) => {
    engine.removeListener('end', onEnd);
    callback(err);
  });
  engine.on('end', onEnd);
  engine.end(buffer);
}

function sync(Class) {
  return (buffer, opts) => bufferSync(new Class(opts), buffer);
}

function async(Class) {
  return (buffer, opts, callback) => {
    if (typeof opts === 'function') {
      callback = opts;
      opts = {};
    }
    return bufferAsync(new Class(opts), buffer, callback);
  };
}

export const deflateSync = sync(Deflate);
export const inflateSync = sync(Inflate);
export const gzipSync = sync(Gzip);
export const gunzipSync = sync(Gunzip);
export const deflateRawSync = sync(DeflateRaw);
export const inflateRawSync = sync(InflateRaw);
export const unzipSync = sync(Unzip);
export const brotliCompressSync = sync(BrotliCompress);
export const brotliDecompressSync = sync(BrotliDecompress);
export const zstdCompressSync = sync(ZstdCompress);
export const zstdDecompressSync = sync(ZstdDecompress);
export const deflate = async(Deflate);
export const inflate = async(Inflate);
export const gzip = async(Gzip);
export const gunzip = async(Gunzip);
export const deflateRaw = async(DeflateRaw);
export const inflateRaw = async(InflateRaw);
export const unzip = async(Unzip);
export const brotliCompress = async(BrotliCompress);
export const brotliDecompress = async(BrotliDecompress);
export const zstdCompress = async(ZstdCompress);
export const zstdDecompress = async(ZstdDecompress);

const zlib = {
  crc32, Deflate, Inflate, Gzip, Gunzip, DeflateRaw, InflateRaw, Unzip, BrotliCompress, BrotliDecompress,
  ZstdCompress, ZstdDecompress,
  createDeflate, createInflate, createGzip, createGunzip, createDeflateRaw, createInflateRaw, createUnzip,
  createBrotliCompress, createBrotliDecompress, createZstdCompress, createZstdDecompress,
  deflateSync, inflateSync, gzipSync, gunzipSync, deflateRawSync, inflateRawSync, unzipSync,
  brotliCompressSync, brotliDecompressSync, zstdCompressSync, zstdDecompressSync,
  deflate, inflate, gzip, gunzip, deflateRaw, inflateRaw, unzip, brotliCompress, brotliDecompress,
  zstdCompress, zstdDecompress,
};
// As Node's module object: constants and codes cannot be replaced, and the zlib constants
// (not Brotli's or zstd's) are also on the module itself, not enumerable (Node's older way to read them).
Object.defineProperties(zlib, {
  constants: { enumerable: true, writable: false, configurable: false, value: constants },
  codes: { enumerable: true, writable: false, configurable: false, value: codes },
});
for (const key of Object.keys(constants)) {
  if (!key.startsWith('BROTLI') && !key.startsWith('ZSTD')) Object.defineProperty(zlib, key, { enumerable: false, writable: false, value: constants[key] });
}
export default zlib;
