// node:buffer and the `Buffer` global: the npm package `buffer` (Node's Buffer API for
// other runtimes, embedded as rtjs:vendor/buffer.js), with what it lacks of Node 20's:
// the 'base64url' encoding, atob/btoa, isUtf8/isAscii and the constants.
import vendor from 'rtjs:vendor/buffer.js';

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
