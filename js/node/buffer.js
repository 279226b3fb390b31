// node:buffer and the `Buffer` global: the npm package `buffer` (Node's Buffer API for
// other runtimes, embedded as rtjs:vendor/buffer.js), with what it lacks of Node 20's:
// the 'base64url' encoding, atob/btoa, isUtf8/isAscii and the constants.
import vendor from 'rtjs:vendor/buffer.js';
import {
  bufferOutOfBounds, invalidArgType, outOfRange, unknownEncoding,
} from '../internal/node-errors.js';

export const { Buffer, SlowBuffer, kMaxLength } = vendor;
export const constants = Object.freeze({ MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: (1 << 29) - 24 });
export let INSPECT_MAX_BYTES = 50;

const isBase64Url = (encoding) => typeof encoding === 'string' && encoding.toLowerCase() === 'base64url';
// base64-js decodes '-' and '_' as Node does, so base64url input is read as base64.
const inputEncoding = (encoding) => (isBase64Url(encoding) ? 'base64' : encoding);

const proto = Buffer.prototype;
const { toString, write, fill, indexOf, lastIndexOf, includes } = proto;
const { from, alloc, byteLength, isEncoding } = Buffer;

proto.toString = function toStringWithBase64Url(encoding, start, end) {
  if (isBase64Url(encoding)) {
    return Reflect.apply(toString, this, ['base64', start, end]).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  return Reflect.apply(toString, this, arguments);
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
for (const [name, original] of [['indexOf', indexOf], ['lastIndexOf', lastIndexOf], ['includes', includes]]) {
  proto[name] = {
    [name](value, byteOffset, encoding) {
      const args = [...arguments];
      for (let i = 1; i < args.length; i++) if (typeof args[i] === 'string') args[i] = inputEncoding(args[i]);
      return Reflect.apply(original, this, args);
    },
  }[name];
}
Buffer.from = function fromWithBase64Url(value, encodingOrOffset, length) {
  return Reflect.apply(from, this, [value, typeof value === 'string' ? inputEncoding(encodingOrOffset) : encodingOrOffset, length].slice(0, Math.max(arguments.length, 1)));
};
Buffer.alloc = function allocWithBase64Url(size, fillValue, encoding) {
  return Reflect.apply(alloc, this, [size, fillValue, inputEncoding(encoding)].slice(0, arguments.length));
};
Buffer.byteLength = function byteLengthWithBase64Url(string, encoding) {
  return Reflect.apply(byteLength, this, [string, inputEncoding(encoding)].slice(0, arguments.length));
};
Buffer.isEncoding = function isEncodingWithBase64Url(encoding) {
  return isBase64Url(encoding) || isEncoding(encoding);
};
Buffer.poolSize = 8192;

// Node's argument checks, codes and messages (npm's buffer throws plain errors): the
// methods are wrapped, then the package's own code does the work.
// Node 20's limit for sizes and offsets (V8 11.3's largest ArrayBuffer, 2^32).
const NODE_MAX_LENGTH = 2 ** 32;

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
      for (const kind of signed ? ['Int'] : ['UInt', 'Uint']) {
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
    for (const kind of signed ? ['BigInt'] : ['BigUInt', 'BigUint']) {
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
}
for (const signed of [false, true]) {
  for (const end of ['LE', 'BE']) {
    for (const kind of signed ? ['Int'] : ['UInt', 'Uint']) {
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
}

function checkSize(size) {
  if (typeof size !== 'number') throw invalidArgType('size', 'number', size);
  if (!(size >= 0 && size <= NODE_MAX_LENGTH)) throw outOfRange('size', `>= 0 && <= ${NODE_MAX_LENGTH}`, size);
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
const checkedFrom = Buffer.from;
Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') {
    if (typeof encodingOrOffset === 'string') checkEncoding(encodingOrOffset);
  } else if (value === null || typeof value !== 'object' ||
             (typeof value.length !== 'number' && !(value instanceof ArrayBuffer) &&
              !(typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer) &&
              typeof value.valueOf !== 'function' && typeof value[Symbol.toPrimitive] !== 'function')) {
    throw invalidArgType('first argument', ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value);
  }
  return Reflect.apply(checkedFrom, this, arguments);
};
const checkedToString = proto.toString;
proto.toString = function toString(encoding, start, end) {
  if (arguments.length === 0) return Reflect.apply(checkedToString, this, []);
  checkEncoding(encoding);
  return Reflect.apply(checkedToString, this, arguments);
};
proto.toLocaleString = proto.toString;
const { equals: vendorEquals, compare: vendorCompare } = proto;
proto.equals = function equals(otherBuffer) {
  if (!isBytes(otherBuffer)) throw invalidArgType('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
  return Reflect.apply(vendorEquals, this, [Buffer.from(otherBuffer.buffer, otherBuffer.byteOffset, otherBuffer.byteLength)]);
};
proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!isBytes(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target);
  const names = ['targetStart', 'targetEnd', 'sourceStart', 'sourceEnd'];
  const values = [targetStart, targetEnd, sourceStart, sourceEnd];
  for (let i = 0; i < 4; i++) {
    const v = values[i];
    if (v === undefined) continue;
    if (typeof v !== 'number') throw invalidArgType(names[i], 'number', v);
    if (!(v >= 0 && v <= NODE_MAX_LENGTH)) throw outOfRange(names[i], `>= 0 && <= ${NODE_MAX_LENGTH}`, v);
  }
  const other = Buffer.from(target.buffer, target.byteOffset, target.byteLength);
  return Reflect.apply(vendorCompare, this, [other, ...values.slice(0, Math.max(0, arguments.length - 1))]);
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

export function isUtf8(input) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(input);
    return true;
  } catch {
    return false;
  }
}
export function isAscii(input) {
  const bytes = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
  return bytes.every((b) => b < 0x80);
}

export const Blob = globalThis.Blob;
export const File = globalThis.File;
export default { Buffer, SlowBuffer, kMaxLength, constants, INSPECT_MAX_BYTES, atob, btoa, isUtf8, isAscii, Blob, File };
