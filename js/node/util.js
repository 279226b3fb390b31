// node:util (nodejs.org/api/util.html): format and inspect (the console's own), promisify,
// callbackify, inherits, deprecate, types, isDeepStrictEqual, TextEncoder/TextDecoder.
import { customInspectSymbol, formatArgs, inspect as inspectValue, inspectColors, inspectStyles } from '../internal/inspect.js';
import { parseArgs } from '../internal/parse-args.js';
import { MIMEType, MIMEParams } from '../internal/mime.js';
import { systemError, systemErrorMap } from '../internal/errno.js';
import { invalidArgValue, outOfRange } from '../internal/node-errors.js';
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType } from '../internal/node-errors.js';
import types from './util/types.js';

export function inspect(value, options) {
  return inspectValue(value, typeof options === 'object' && options !== null ? options : {});
}
inspect.custom = customInspectSymbol;
inspect.defaultOptions = { depth: 2, colors: false, showHidden: false };
inspect.colors = inspectColors;
inspect.styles = inspectStyles;

export function format(...args) { return formatArgs(args); }
export function formatWithOptions(options, ...args) { return formatArgs(args, options); }

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

export function promisify(original) {
  if (typeof original !== 'function') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "original" argument must be of type function. Received ${typeof original}`);
  }
  if (original[kCustomPromisify]) {
    const fn = original[kCustomPromisify];
    return Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original, this, [...args, (err, ...values) => {
        if (err) reject(err);
        else resolve(values.length > 1 ? values : values[0]);
      }]);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

export function callbackify(original) {
  if (typeof original !== 'function') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "original" argument must be of type function. Received ${typeof original}`);
  }
  function callbackified(...args) {
    const cb = args.pop();
    if (typeof cb !== 'function') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The last argument must be of type function.');
    }
    Reflect.apply(original, this, args).then(
      (value) => queueMicrotask(() => cb(null, value)),
      (reason) => {
        let err = reason;
        if (!reason) {
          err = codedError(Error, 'ERR_FALSY_VALUE_REJECTION', 'Promise was rejected with falsy value');
          err.reason = reason;
        }
        queueMicrotask(() => cb(err));
      });
  }
  Object.defineProperties(callbackified, Object.getOwnPropertyDescriptors(original));
  return callbackified;
}

export function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "ctor" argument must be of type function. Received ' + ctor);
  }
  if (superCtor === undefined || superCtor === null) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "superCtor" argument must be of type function. Received ' + superCtor);
  }
  if (superCtor.prototype === undefined) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "superCtor.prototype" property must be of type object. Received undefined');
  }
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const warned = new Set();
export function deprecate(fn, message, code) {
  if (code !== undefined && typeof code !== 'string') throw invalidArgType('code', 'string', code);
  function deprecated(...args) {
    const key = code || message;
    if (!warned.has(key)) {
      warned.add(key);
      globalThis.process?.emitWarning?.(message, 'DeprecationWarning');
    }
    return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

export function isDeepStrictEqual(a, b) { return deepEqual(a, b, true, new Map()); }

/** Node's deep equality (strict: same prototypes, Object.is for primitives). */
export function deepEqual(a, b, strict, seen) {
  if (strict ? Object.is(a, b) : (a === b || (a !== a && b !== b))) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // eslint-disable-next-line eqeqeq
    return !strict && (typeof a !== 'object' || a === null) && (typeof b !== 'object' || b === null) && a == b;
  }
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tagA = Object.prototype.toString.call(a);
  if (tagA !== Object.prototype.toString.call(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const memo = seen.get(a);
  if (memo !== undefined && memo === b) return true;
  seen.set(a, b);
  if (a instanceof Date) { if (a.getTime() !== b.getTime()) return false; }
  else if (a instanceof RegExp) { if (String(a) !== String(b) || a.lastIndex !== b.lastIndex) return false; }
  else if (a instanceof Error) { if (a.message !== b.message || a.name !== b.name) return false; }
  else if (ArrayBuffer.isView(a)) {
    if (a.byteLength !== b.byteLength) return false;
    const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
    if (!(a instanceof DataView) && a.length === a.byteLength && !(a instanceof Uint8Array)) return keysEqual(a, b, strict, seen, true);
  } else if (types.isBoxedPrimitive(a)) {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  }
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k)) {
        if (typeof k !== 'object' || k === null) return false;
        let found = false;
        for (const [k2, v2] of b) if (deepEqual(k, k2, strict, seen) && deepEqual(v, v2, strict, seen)) { found = true; break; }
        if (!found) return false;
      } else if (!deepEqual(v, b.get(k), strict, seen)) return false;
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    for (const v of a) {
      if (!b.has(v)) {
        if (typeof v !== 'object' || v === null) return false;
        let found = false;
        for (const v2 of b) if (deepEqual(v, v2, strict, seen)) { found = true; break; }
        if (!found) return false;
      }
    }
  }
  return keysEqual(a, b, strict, seen, false);
}

function keysEqual(a, b, strict, seen, skipIndices) {
  const own = (o) => Object.keys(o).filter((k) => !(skipIndices && /^\d+$/.test(k)));
  const ka = own(a);
  const kb = own(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
    if (!deepEqual(a[k], b[k], strict, seen)) return false;
  }
  if (strict) {
    const sa = Object.getOwnPropertySymbols(a).filter((s) => Object.prototype.propertyIsEnumerable.call(a, s));
    const sb = Object.getOwnPropertySymbols(b).filter((s) => Object.prototype.propertyIsEnumerable.call(b, s));
    if (sa.length !== sb.length) return false;
    for (const s of sa) if (!deepEqual(a[s], b[s], strict, seen)) return false;
  }
  return true;
}

export function isArray(v) { return Array.isArray(v); }
export function isBoolean(v) { return typeof v === 'boolean'; }
export function isNull(v) { return v === null; }
export function isNullOrUndefined(v) { return v === null || v === undefined; }
export function isNumber(v) { return typeof v === 'number'; }
export function isString(v) { return typeof v === 'string'; }
export function isSymbol(v) { return typeof v === 'symbol'; }
export function isUndefined(v) { return v === undefined; }
export function isRegExp(v) { return types.isRegExp(v); }
export function isObject(v) { return v !== null && typeof v === 'object'; }
export function isDate(v) { return types.isDate(v); }
export function isError(v) { return types.isNativeError(v) || v instanceof Error; }
export function isFunction(v) { return typeof v === 'function'; }
export function isPrimitive(v) { return v === null || (typeof v !== 'object' && typeof v !== 'function'); }

// Terminal control sequences (ECMA-48 5.4 and 8.3.89): OSC (ESC ] or 0x9D, ended by BEL,
// ST = ESC \ or 0x9C; hyperlinks are OSC 8), CSI (ESC [ or 0x9B, parameter bytes 0x30-0x3F,
// intermediate bytes 0x20-0x2F, a final byte 0x40-0x7E), and the other escape sequences
// (ESC, intermediate bytes, a final byte 0x30-0x7E: charset selection, RIS...).
// eslint-disable-next-line no-control-regex
const VT_CONTROL = /(?:\u001B\]|\u009D)[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)|(?:\u001B\[|\u009B)[\u0030-\u003F]*[\u0020-\u002F]*[\u0040-\u007E]|\u001B[\u0020-\u002F]*[\u0030-\u007E]/g;

export function stripVTControlCharacters(str) {
  if (typeof str !== 'string') throw invalidArgType('str', 'string', str);
  return str.replace(VT_CONTROL, '');
}

export function toUSVString(str) { return String(str).toWellFormed ? String(str).toWellFormed() : String(str); }

export function debuglog(section) {
  const enabled = new RegExp(`^(${String(globalThis.process?.env?.NODE_DEBUG || '').replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*').replace(/,/g, '$|^')})$`, 'i').test(section);
  const log = (...args) => { if (enabled) console.error('%s %d: %s', section.toUpperCase(), globalThis.process?.pid ?? 0, format(...args)); };
  log.enabled = enabled;
  return log;
}
export const debug = debuglog;

export { parseArgs, MIMEType, MIMEParams };

/** The name of a (negative) system error number: 'ENOENT' for -2. */
export function getSystemErrorName(err) {
  if (typeof err !== 'number') throw invalidArgType('err', 'number', err);
  if (err >= 0 || !Number.isSafeInteger(err)) throw outOfRange('err', 'a negative integer', err);
  return systemError(err)?.[0] ?? `Unknown system error ${err}`;
}

/** Every system error number Node knows, with its [name, description]. */
export function getSystemErrorMap() { return systemErrorMap(); }

// Whether text written to `stream` should carry colors: FORCE_COLOR wins, then NO_COLOR and
// NODE_DISABLE_COLORS, then whether the stream is a terminal with more than two colors.
function shouldColorize(stream) {
  const env = globalThis.process?.env ?? {};
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined) return false;
  if (!stream?.isTTY) return false;
  return typeof stream.getColorDepth === 'function' ? stream.getColorDepth() > 2 : true;
}

/**
 * `text` in the SGR styles named by `format` (one of inspect.colors' names or a list of
 * them); unstyled when the stream checked (process.stdout unless given) takes no colors.
 */
export function styleText(format, text, { validateStream = true, stream = globalThis.process?.stdout } = {}) {
  if (typeof text !== 'string') throw invalidArgType('text', 'string', text);
  const formats = Array.isArray(format) ? format : [format];
  let open = '', close = '';
  for (const key of formats) {
    const code = typeof key === 'string' ? inspectColors[key] : undefined;
    if (code === undefined) {
      const names = Object.keys(inspectColors).map((k) => `'${k}'`).join(', ');
      throw invalidArgValue('format', key, `must be one of: ${names}`);
    }
    open += `\u001b[${code[0]}m`;
    close = `\u001b[${code[1]}m${close}`;
  }
  if (validateStream && !shouldColorize(stream)) return text;
  return `${open}${text}${close}`;
}

/** Resolves once `signal` aborts (at once if it has), unless `resource` is collected first. */
export function aborted(signal, resource) {
  if (!(signal instanceof AbortSignal)) throw invalidArgType('signal', 'AbortSignal', signal);
  if (resource === null || (typeof resource !== 'object' && typeof resource !== 'function')) {
    throw invalidArgType('resource', 'object', resource);
  }
  if (signal.aborted) return Promise.resolve();
  const ref = new WeakRef(resource);
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => { if (ref.deref() !== undefined) resolve(); }, { once: true });
  });
}

/** An AbortSignal that may be sent to another app: rtjs's IPC copies signals' state already. */
export function transferableAbortSignal(signal) {
  if (!(signal instanceof AbortSignal)) throw invalidArgType('signal', 'AbortSignal', signal);
  return signal;
}
export function transferableAbortController() { return new AbortController(); }

/**
 * The variables of a dotenv file's text, as Node's parser reads them: KEY=value lines,
 * `export ` prefixes, # comments, single, double (with \n) and backtick quotes, and
 * double-quoted values spanning lines.
 */
export function parseEnv(content) {
  if (typeof content !== 'string') throw invalidArgType('content', 'string', content);
  const out = {};
  const lines = content.replace(/\r\n?/g, '\n');
  const entry = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*("(?:\\.|[^"\\])*"|'[^']*'|`[^`]*`|[^\n#]*)/gm;
  for (const [, key, raw] of lines.matchAll(entry)) {
    let value = raw.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.endsWith(quote) && value.length > 1) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    }
    out[key] = value;
  }
  return out;
}

/** Node's deprecated helpers, kept because packages still call them. */
export function isBuffer(v) { return globalThis.Buffer?.isBuffer(v) ?? false; }
export function _extend(target, source) {
  if (source === null || typeof source !== 'object') return target;
  for (const key of Object.keys(source)) target[key] = source[key];
  return target;
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n) => String(n).padStart(2, '0');
/** console.log with a local "26 Feb 16:19:34 - " timestamp (util.log). */
export function log(...args) {
  const d = new Date();
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  console.log('%s - %s', `${d.getDate()} ${MONTHS[d.getMonth()]} ${time}`, format(...args));
}

export const TextEncoder = globalThis.TextEncoder;
export const TextDecoder = globalThis.TextDecoder;
export { types };

export default {
  inspect, format, formatWithOptions, promisify, callbackify, inherits, deprecate, isDeepStrictEqual,
  types, TextEncoder, TextDecoder, debuglog, debug, stripVTControlCharacters, toUSVString,
  isArray, isBoolean, isNull, isNullOrUndefined, isNumber, isString, isSymbol, isUndefined,
  isRegExp, isObject, isDate, isError, isFunction, isPrimitive, isBuffer, _extend, log,
  parseArgs, MIMEType, MIMEParams, getSystemErrorName, getSystemErrorMap, styleText, aborted,
  transferableAbortSignal, transferableAbortController, parseEnv,
};
