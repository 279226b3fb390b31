// node:buffer and the `Buffer` global: the npm package `buffer` (Node's Buffer API for
// other runtimes, embedded as rtjs:vendor/buffer.js), with what it lacks of Node 20's:
// the 'base64url' encoding, atob/btoa, isUtf8/isAscii and the constants.
import vendor from 'rtjs:vendor/buffer.js';
import {
  bufferOutOfBounds, invalidArgType, outOfRange, unknownEncoding,
} from '../internal/node-errors.js';
import { codedError } from '../internal/modules/errors.js';
import { customInspectSymbol, inspect } from '../internal/inspect.js';
import { TextDecoder } from '../internal/encoding.js';

const { Buffer: VendorBuffer, SlowBuffer } = vendor;
// Node 20's limits: V8 11.3's largest ArrayBuffer (2^32 bytes on 64-bit machines) and
// longest string (2^29 - 24 UTF-16 units).
export const kMaxLength = 2 ** 32;
export const kStringMaxLength = (1 << 29) - 24;
export const constants = Object.freeze({ MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength });
export let INSPECT_MAX_BYTES = 50;
const Buffer = VendorBuffer;
export { SlowBuffer };

const isBase64Url = (encoding) => typeof encoding === 'string' && encoding.toLowerCase() === 'base64url';
// base64-js decodes '-' and '_' as Node does, so base64url input is read as base64.
const inputEncoding = (encoding) => (isBase64Url(encoding) ? 'base64' : encoding);

const proto = Buffer.prototype;
const { toString, write, fill } = proto;
const { from, alloc, byteLength, isEncoding } = Buffer;

// UTF-8 as V8 and the Encoding Standard decode it (each byte that cannot continue a
// sequence is a U+FFFD of its own); the package's decoder replaces differently.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const isUtf8Name = (encoding) => encoding === undefined || encoding === 'utf8' ||
  (typeof encoding === 'string' && /^utf-?8$/i.test(encoding));

// toString's range as Node's Buffer.prototype.toString reads it (lib/buffer.js): compared
// before it is truncated, so that a start at or past the length (2^32 or Infinity among them)
// is '' rather than wrapped to a small index.
function utf8Range(buffer, start, end) {
  const length = buffer.length;
  if (start <= 0) start = 0;
  else if (start >= length) return '';
  else start = Math.trunc(start) || 0;
  if (end === undefined || end > length) end = length;
  else end = Math.trunc(end) || 0;
  if (end <= start) return '';
  return utf8Decoder.decode(buffer.subarray(start, end));
}

// utf8Slice's indices as Node's native slice checks them (src/node_buffer.cc, SLICE_START_END
// and ParseArrayIndex): an integer (NaN is 0), absent the default; below 0, or an end past the
// length once raised to the start, is out of range.
function sliceIndex(value, fallback) {
  if (value === undefined) return fallback;
  const n = Math.trunc(Number(value)) || 0;
  if (n < 0) throw codedError(RangeError, 'ERR_OUT_OF_RANGE', 'Index out of range');
  return n;
}

proto.toString = function toStringWithBase64Url(encoding, start, end) {
  if (isBase64Url(encoding)) {
    return Reflect.apply(toString, this, ['base64', start, end]).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  if (isUtf8Name(encoding)) return utf8Range(this, start, end);
  return Reflect.apply(toString, this, arguments);
};
proto.utf8Slice = function utf8Slice(start, end) {
  const length = this.length;
  start = sliceIndex(start, 0);
  end = Math.max(sliceIndex(end, length), start);
  if (end > length) throw codedError(RangeError, 'ERR_OUT_OF_RANGE', 'Index out of range');
  return utf8Decoder.decode(this.subarray(start, end));
};
proto.toLocaleString = proto.toString;
proto.write = function writeWithBase64Url(string, offset, length, encoding) {
  const args = [...arguments];
  for (let i = 1; i < args.length; i++) if (typeof args[i] === 'string') args[i] = inputEncoding(args[i]);
  return Reflect.apply(write, this, args);
};
proto.fill = function fillWithBase64Url(value, offset, end, encoding) {
  const args = [...arguments];
  for (let i = 1; i < args.length; i++) if (typeof args[i] === 'string') args[i] = inputEncoding(args[i]);
  return Reflect.apply(fill, this, args);
};
// buf.indexOf/lastIndexOf/includes as Node's bidirectionalIndexOf and node_buffer.cc:
// the offset coerced and clamped (IndexOfOffset), strings encoded first, UTF-16 needles
// matched only at even offsets, numbers as one byte.
function startOffset(length, offset, needleLength, forward) {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    return forward || needleLength === 0 ? 0 : -1;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  return forward ? -1 : length - 1;
}

function matchesAt(haystack, needle, at) {
  for (let j = 0; j < needle.length; j++) if (haystack[at + j] !== needle[j]) return false;
  return true;
}

function searchBytes(haystack, needle, from, forward, step) {
  const last = haystack.length - needle.length;
  if (forward) {
    for (let i = from; i <= last; i += step) if (matchesAt(haystack, needle, i)) return i;
  } else {
    for (let i = Math.min(from, last - (last % step)); i >= 0; i -= step) if (matchesAt(haystack, needle, i)) return i;
  }
  return -1;
}

const isUtf16 = (encoding) => ['ucs2', 'ucs-2', 'utf16le', 'utf-16le'].includes(encoding);

function bidirectionalIndexOf(buf, value, byteOffset, encoding, forward) {
  if (!ArrayBuffer.isView(buf)) throw invalidArgType('buffer', ['Buffer', 'TypedArray', 'DataView'], buf);
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) {
    byteOffset = 0x7fffffff;
  } else if (byteOffset < -0x80000000) {
    byteOffset = -0x80000000;
  }
  byteOffset = +byteOffset;
  if (Number.isNaN(byteOffset)) byteOffset = forward ? 0 : buf.length;
  byteOffset = Math.trunc(byteOffset);
  if (typeof value === 'number') {
    const at = startOffset(buf.length, byteOffset, 1, forward);
    if (at < 0 || buf.length === 0) return -1;
    return searchBytes(buf, [value & 0xff], at, forward, 1);
  }
  let utf16 = false;
  if (encoding !== undefined) {
    if (!Buffer.isEncoding(encoding)) {
      if (typeof value === 'string') throw unknownEncoding(encoding);
    } else {
      utf16 = isUtf16(String(encoding).toLowerCase());
    }
  }
  let needle;
  if (typeof value === 'string') needle = from(value, encoding === undefined ? 'utf8' : encoding);
  else if (value instanceof Uint8Array) needle = value;
  else throw invalidArgType('value', ['number', 'string', 'Buffer', 'Uint8Array'], value);
  const at = startOffset(buf.length, byteOffset, needle.length, forward);
  if (needle.length === 0) return at;
  if (buf.length === 0 || at <= -1) return -1;
  if ((forward && needle.length + at > buf.length) || needle.length > buf.length) return -1;
  if (utf16) {
    if (buf.length < 2 || needle.length < 2) return -1;
    return searchBytes(buf, needle.subarray(0, needle.length - (needle.length % 2)), at - (at % 2), forward, 2);
  }
  return searchBytes(buf, needle, at, forward, 1);
}
proto.indexOf = function indexOf(value, byteOffset, encoding) {
  return bidirectionalIndexOf(this, value, byteOffset, encoding, true);
};
proto.lastIndexOf = function lastIndexOf(value, byteOffset, encoding) {
  return bidirectionalIndexOf(this, value, byteOffset, encoding, false);
};
proto.includes = function includes(value, byteOffset, encoding) {
  return bidirectionalIndexOf(this, value, byteOffset, encoding, true) !== -1;
};
Buffer.from = function fromWithBase64Url(value, encodingOrOffset, length) {
  return Reflect.apply(from, this, [value, typeof value === 'string' ? inputEncoding(encodingOrOffset) : encodingOrOffset, length].slice(0, Math.max(arguments.length, 1)));
};
Buffer.alloc = function allocWithBase64Url(size, fillValue, encoding) {
  return Reflect.apply(alloc, this, [size, fillValue, inputEncoding(encoding)].slice(0, arguments.length));
};
Buffer.byteLength = function byteLengthWithBase64Url(string, encoding) {
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || isAnyArrayBuffer(string)) return string.byteLength;
    throw invalidArgType('string', ['string', 'Buffer', 'ArrayBuffer'], string);
  }
  return Reflect.apply(byteLength, this, [string, inputEncoding(encoding)].slice(0, arguments.length));
};
Buffer.isEncoding = function isEncodingWithBase64Url(encoding) {
  return isBase64Url(encoding) || isEncoding(encoding);
};
Buffer.poolSize = 8192;

// Node's argument checks, codes and messages (npm's buffer throws plain errors): the
// methods are wrapped, then the package's own code does the work.

function boundsError(value, length, type) {
  if (Math.floor(value) !== value) {
    if (typeof value !== 'number') throw invalidArgType(type || 'offset', 'number', value);
    throw outOfRange(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw bufferOutOfBounds();
  throw outOfRange(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

// `size` bytes at `offset` lie inside buf.
function checkBounds(buf, offset, size) {
  if (typeof offset !== 'number') throw invalidArgType('offset', 'number', offset);
  if (buf[offset] === undefined || buf[offset + size - 1] === undefined) boundsError(offset, buf.length - size);
}

function checkValue(value, min, max, size) {
  if (value > max || value < min) {
    const n = typeof min === 'bigint' ? 'n' : '';
    let range;
    if (size > 4) {
      const bits = size * 8;
      range = min === 0 || min === 0n ? `>= 0${n} and < 2${n} ** ${bits}${n}`
        : `>= -(2${n} ** ${bits - 1}${n}) and < 2${n} ** ${bits - 1}${n}`;
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw outOfRange('value', range, value);
  }
}

function checkByteLength(byteLength) {
  if (byteLength === undefined) throw invalidArgType('byteLength', 'number', byteLength);
  if (!(byteLength >= 1 && byteLength <= 6 && Number.isInteger(byteLength))) boundsError(byteLength, 6, 'byteLength');
}

const limits = (size, signed) => (signed ? [-(2 ** (size * 8 - 1)), 2 ** (size * 8 - 1) - 1] : [0, 2 ** (size * 8) - 1]);

function wrap(name, checked) {
  const original = proto[name];
  if (typeof original !== 'function') return;
  proto[name] = { [name]: checked(original) }[name];
}

for (const [bits, size] of [['8', 1], ['16', 2], ['32', 4]]) {
  for (const signed of [false, true]) {
    const [min, max] = limits(size, signed);
    for (const end of size === 1 ? [''] : ['LE', 'BE']) {
      const kind = signed ? 'Int' : 'UInt';
      wrap(`read${kind}${bits}${end}`, (original) => function (offset = 0) {
        checkBounds(this, offset, size);
        return Reflect.apply(original, this, [offset]);
      });
      wrap(`write${kind}${bits}${end}`, (original) => function (value, offset = 0) {
        value = +value;
        checkValue(value, min, max, size);
        checkBounds(this, offset, size);
        return Reflect.apply(original, this, [value, offset]);
      });
    }
  }
}
// Floats through a DataView, as Node writes them (NaN as the canonical quiet NaN; the
// package's own ieee754 code writes another NaN pattern).
const view = (buf) => new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
for (const [type, size] of [['Float', 4], ['Double', 8]]) {
  const get = DataView.prototype[`get${type === 'Float' ? 'Float32' : 'Float64'}`];
  const set = DataView.prototype[`set${type === 'Float' ? 'Float32' : 'Float64'}`];
  for (const end of ['LE', 'BE']) {
    const little = end === 'LE';
    wrap(`read${type}${end}`, () => function (offset = 0) {
      checkBounds(this, offset, size);
      return Reflect.apply(get, view(this), [offset, little]);
    });
    wrap(`write${type}${end}`, () => function (value, offset = 0) {
      checkBounds(this, offset, size);
      Reflect.apply(set, view(this), [offset, +value, little]);
      return offset + size;
    });
  }
}
for (const signed of [false, true]) {
  const [min, max] = signed ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
  for (const end of ['LE', 'BE']) {
    const kind = signed ? 'BigInt' : 'BigUInt';
    wrap(`read${kind}64${end}`, (original) => function (offset = 0) {
      checkBounds(this, offset, 8);
      return Reflect.apply(original, this, [offset]);
    });
    wrap(`write${kind}64${end}`, (original) => function (value, offset = 0) {
      if (typeof value !== 'bigint') throw invalidArgType('value', 'bigint', value);
      checkValue(value, min, max, 8);
      checkBounds(this, offset, 8);
      return Reflect.apply(original, this, [value, offset]);
    });
  }
}
for (const signed of [false, true]) {
  for (const end of ['LE', 'BE']) {
    const kind = signed ? 'Int' : 'UInt';
    // No default offset here: Node's variable-length readers and writers want a number.
    wrap(`read${kind}${end}`, (original) => function (offset, byteLength) {
      checkByteLength(byteLength);
      checkBounds(this, offset, byteLength);
      return Reflect.apply(original, this, [offset, byteLength]);
    });
    wrap(`write${kind}${end}`, (original) => function (value, offset, byteLength) {
      checkByteLength(byteLength);
      value = +value;
      const [min, max] = limits(byteLength, signed);
      checkValue(value, min, max, byteLength);
      checkBounds(this, offset, byteLength);
      return Reflect.apply(original, this, [value, offset, byteLength]);
    });
  }
}

// Not TypedArray.of, which would construct through the deprecated Buffer().
Buffer.of = function of(...items) {
  const bytes = asBuffer(new Uint8Array(items.length));
  for (let i = 0; i < items.length; i++) bytes[i] = items[i];
  return bytes;
};

// Node's lower-case spellings are the same functions as the UInt ones.
for (const name of Object.getOwnPropertyNames(proto)) {
  if (name.includes('UInt')) proto[name.replace('UInt', 'Uint')] = proto[name];
}

function checkSize(size) {
  if (typeof size !== 'number') throw invalidArgType('size', 'number', size);
  if (!(size >= 0 && size <= kMaxLength)) throw outOfRange('size', `>= 0 && <= ${kMaxLength}`, size);
}

function checkEncoding(encoding) {
  if (encoding !== undefined && encoding !== null && !Buffer.isEncoding(encoding)) throw unknownEncoding(encoding);
}

const isBytes = (value) => value instanceof Uint8Array;
for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
  const original = Buffer[name];
  Buffer[name] = { [name](size, ...rest) {
    checkSize(size);
    if (name === 'alloc' && typeof rest[1] === 'string') checkEncoding(rest[1]);
    return Reflect.apply(original, this, [size, ...rest]);
  } }[name];
}
const stringFrom = Buffer.from;
const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const sabByteLength = typeof SharedArrayBuffer === 'function'
  ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get : undefined;
const hasBrand = (getter, value) => {
  try {
    Reflect.apply(getter, value, []);
    return true;
  } catch {
    return false;
  }
};
// A real ArrayBuffer or SharedArrayBuffer (not an object that only inherits from one).
const isAnyArrayBuffer = (value) => value !== null && typeof value === 'object' &&
  (hasBrand(abByteLength, value) || (sabByteLength !== undefined && hasBrand(sabByteLength, value)));

const asBuffer = (bytes) => Object.setPrototypeOf(bytes, proto);

function fromArrayBuffer(arrayBuffer, byteOffset, length) {
  if (byteOffset === undefined) {
    byteOffset = 0;
  } else {
    byteOffset = +byteOffset;
    if (Number.isNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = arrayBuffer.byteLength - byteOffset;
  if (maxLength < 0) throw bufferOutOfBounds('offset');
  if (length === undefined) {
    length = maxLength;
  } else {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw bufferOutOfBounds('length');
    } else {
      length = 0;
    }
  }
  return asBuffer(new Uint8Array(arrayBuffer, byteOffset, length));
}

// Element by element, as Node copies an array-like (a Uint16Array's values are truncated).
function fromArrayLike(list) {
  const length = list.length > 0 ? Math.min(list.length >>> 0, kMaxLength) : 0;
  const bytes = asBuffer(new Uint8Array(length));
  for (let i = 0; i < length; i++) bytes[i] = list[i];
  return bytes;
}

function fromObject(object) {
  if (object.length !== undefined || isAnyArrayBuffer(object.buffer)) {
    if (typeof object.length !== 'number') return asBuffer(new Uint8Array(0));
    return fromArrayLike(object);
  }
  if (object.type === 'Buffer' && Array.isArray(object.data)) return fromArrayLike(object.data);
  return undefined;
}

// Node 20's Buffer.from: strings by their encoding, ArrayBuffers shared, array-likes and
// { type: 'Buffer', data } copied, objects through valueOf or Symbol.toPrimitive.
Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') {
    if (typeof encodingOrOffset === 'string' && encodingOrOffset.length > 0) checkEncoding(encodingOrOffset);
    return Reflect.apply(stringFrom, this, [value, typeof encodingOrOffset === 'string' && encodingOrOffset.length > 0 ? encodingOrOffset : 'utf8']);
  }
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const valueOf = value.valueOf && value.valueOf();
    if (valueOf != null && valueOf !== value && (typeof valueOf === 'string' || typeof valueOf === 'object')) {
      return from(valueOf, encodingOrOffset, length);
    }
    const bytes = fromObject(value);
    if (bytes) return bytes;
    if (typeof value[Symbol.toPrimitive] === 'function') {
      const primitive = value[Symbol.toPrimitive]('string');
      if (typeof primitive === 'string') return from(primitive, encodingOrOffset);
    }
  }
  throw invalidArgType('first argument', ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value);
};
// How many UTF-16 units at most `bytes` bytes become in `encoding`, as Node bounds them before
// decoding (src/string_bytes.cc, StringBytes::Encode): UTF-8 by its byte count.
function decodedLengthBound(encoding, bytes) {
  switch (typeof encoding === 'string' ? encoding.toLowerCase() : 'utf8') {
    case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return Math.floor(bytes / 2);
    case 'hex': return bytes * 2;
    case 'base64': return Math.ceil(bytes / 3) * 4;
    case 'base64url': return Math.ceil((bytes * 4) / 3);
    default: return bytes;
  }
}

const checkedToString = proto.toString;
proto.toString = function toString(encoding, start, end) {
  if (arguments.length === 0 && this.length <= kStringMaxLength) return Reflect.apply(checkedToString, this, []);
  if (encoding !== undefined && !Buffer.isEncoding(encoding)) throw unknownEncoding(encoding);
  // A string past V8's limit is refused before the bytes are decoded, which for half a
  // gigabyte took seconds only to fail.
  const from = start === undefined || !(start > 0) ? 0 : Math.min(Math.trunc(start), this.length);
  const to = end === undefined || end > this.length ? this.length : Math.trunc(end) || 0;
  if (decodedLengthBound(encoding, Math.max(to - from, 0)) > kStringMaxLength) {
    throw codedError(Error, 'ERR_STRING_TOO_LONG', `Cannot create a string longer than 0x${kStringMaxLength.toString(16)} characters`);
  }
  return Reflect.apply(checkedToString, this, arguments);
};
proto.toLocaleString = proto.toString;
const { equals: vendorEquals } = proto;
proto.equals = function equals(otherBuffer) {
  if (!isBytes(otherBuffer)) throw invalidArgType('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
  return Reflect.apply(vendorEquals, this, [Buffer.from(otherBuffer.buffer, otherBuffer.byteOffset, otherBuffer.byteLength)]);
};
function validateOffset(value, name, min = 0, max = kMaxLength) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

// Node's buf.compare: the four offsets checked, the ranges compared byte by byte, then by
// length.
proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!isBytes(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target);
  if (targetStart === undefined) targetStart = 0;
  else validateOffset(targetStart, 'targetStart');
  if (targetEnd === undefined) targetEnd = target.length;
  else validateOffset(targetEnd, 'targetEnd', 0, target.length);
  if (sourceStart === undefined) sourceStart = 0;
  else validateOffset(sourceStart, 'sourceStart');
  if (sourceEnd === undefined) sourceEnd = this.length;
  else validateOffset(sourceEnd, 'sourceEnd', 0, this.length);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  if (sourceStart > this.length) throw outOfRange('sourceStart', `<= ${this.length}`, sourceStart);
  if (targetStart > target.length) throw outOfRange('targetStart', `<= ${target.length}`, targetStart);
  const sourceLength = sourceEnd - sourceStart;
  const targetLength = targetEnd - targetStart;
  const n = Math.min(sourceLength, targetLength);
  for (let i = 0; i < n; i++) {
    const a = this[sourceStart + i];
    const b = target[targetStart + i];
    if (a !== b) return a < b ? -1 : 1;
  }
  return sourceLength > targetLength ? 1 : sourceLength < targetLength ? -1 : 0;
};
const { compare: staticCompare, concat: vendorConcat } = Buffer;
Buffer.compare = function compare(buf1, buf2) {
  if (!isBytes(buf1)) throw invalidArgType('buf1', ['Buffer', 'Uint8Array'], buf1);
  if (!isBytes(buf2)) throw invalidArgType('buf2', ['Buffer', 'Uint8Array'], buf2);
  return Reflect.apply(staticCompare, this, [buf1, buf2]);
};
Buffer.concat = function concat(list, totalLength) {
  if (!Array.isArray(list)) throw invalidArgType('list', 'Array', list);
  for (let i = 0; i < list.length; i++) {
    if (!isBytes(list[i])) throw invalidArgType(`list[${i}]`, ['Buffer', 'Uint8Array'], list[i]);
  }
  return Reflect.apply(vendorConcat, this, arguments);
};

export function atob(data) {
  if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
  return globalThis.atob ? globalThis.atob(data) : Buffer.from(String(data), 'base64').toString('latin1');
}
export function btoa(data) {
  if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
  return globalThis.btoa ? globalThis.btoa(data) : Buffer.from(String(data), 'latin1').toString('base64');
}

// isUtf8/isAscii take typed arrays and ArrayBuffers (not DataViews), as Node's.
function validationBytes(input) {
  const typed = ArrayBuffer.isView(input) && !(input instanceof DataView);
  if (!typed && !isAnyArrayBuffer(input)) throw invalidArgType('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
  try {
    return typed ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
  } catch {
    // Only a detached buffer cannot be viewed.
    throw codedError(Error, 'ERR_INVALID_STATE', 'Invalid state: Cannot validate on a detached buffer');
  }
}

export function isUtf8(input) {
  input = validationBytes(input);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(input);
    return true;
  } catch {
    return false;
  }
}
export function isAscii(input) {
  return validationBytes(input).every((b) => b < 0x80);
}

// Node's rendering: the first INSPECT_MAX_BYTES bytes in hex, how many more, and the
// buffer's own enumerable non-index properties.
proto[customInspectSymbol] = function inspectBuffer(recurseTimes, ctx) {
  const max = INSPECT_MAX_BYTES;
  const shown = Math.min(max, this.length);
  const remaining = this.length - max;
  let text = Reflect.apply(checkedToString, this, ['hex', 0, shown]).replace(/(.{2})/g, '$1 ').trim();
  if (remaining > 0) text += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  if (ctx) {
    const options = { ...ctx, breakLength: Infinity, compact: true };
    const extras = [];
    for (const key of Object.keys(this)) {
      if (String(key >>> 0) === key) continue;
      const name = /^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key) ? key : inspect(key);
      extras.push(`${name}: ${inspect(this[key], options)}`);
    }
    if (extras.length > 0) text += `${this.length !== 0 ? ', ' : ''}${extras.join(', ')}`;
  }
  return `<${this.constructor.name} ${text}>`;
};

// DEP0005, once, unless the caller is a package (node_modules), as in Node.
let bufferWarned = false;
function warnBufferConstructor() {
  if (bufferWarned) return;
  const frames = (new Error().stack || '').split('\n').slice(1);
  const caller = frames.find((line) => !line.includes('rtjs:'));
  if (caller && caller.includes('/node_modules/')) return;
  bufferWarned = true;
  process.emitWarning('Buffer() is deprecated due to security and usability issues. Please use the ' +
    'Buffer.alloc(), Buffer.allocUnsafe(), or Buffer.from() methods instead.', 'DeprecationWarning', 'DEP0005');
}

// Buffer(arg) and new Buffer(arg): Node's deprecated constructor, over the same prototype
// and static methods as the package's Buffer.
function NodeBuffer(arg, encodingOrOffset, length) {
  warnBufferConstructor();
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') throw invalidArgType('string', 'string', arg);
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}
for (const key of Reflect.ownKeys(VendorBuffer)) {
  if (key !== 'length' && key !== 'name' && key !== 'prototype') {
    Object.defineProperty(NodeBuffer, key, Object.getOwnPropertyDescriptor(VendorBuffer, key));
  }
}
Object.setPrototypeOf(NodeBuffer, Object.getPrototypeOf(VendorBuffer));
Object.defineProperty(NodeBuffer, 'prototype', { value: proto, writable: false });
// What Uint8Array's own methods construct through the species (subarray, slice, map, filter
// called on a Buffer): a Buffer made without the deprecated constructor and its warning, as
// Node's Buffer[Symbol.species] (FastBuffer) is.
function FastBuffer(...args) { return Reflect.construct(Uint8Array, args, NodeBuffer); }
Object.defineProperty(NodeBuffer, Symbol.species, { get() { return FastBuffer; }, configurable: true });
Object.defineProperty(NodeBuffer, 'name', { value: 'Buffer' });
Object.defineProperty(proto, 'constructor', { value: NodeBuffer, writable: true, configurable: true });
export { NodeBuffer as Buffer };

export const Blob = globalThis.Blob;
export const File = globalThis.File;
const exported = { Buffer: NodeBuffer, SlowBuffer, kMaxLength, kStringMaxLength, constants, atob, btoa, isUtf8, isAscii, Blob, File };
Object.defineProperty(exported, 'INSPECT_MAX_BYTES', {
  enumerable: true,
  get() { return INSPECT_MAX_BYTES; },
  set(value) {
    if (typeof value !== 'number') throw invalidArgType('INSPECT_MAX_BYTES', 'number', value);
    if (!(value >= 0)) throw outOfRange('INSPECT_MAX_BYTES', '>= 0', value);
    INSPECT_MAX_BYTES = value;
  },
});
export default exported;
