// Value formatting for the console and the REPL.
//
// The output follows the rules of Node's util.inspect (same defaults: depth 2,
// breakLength 80, compact 3, maxArrayLength 100), so that what an app prints
// on rtjs looks like what its author knows. Only ECMAScript built-ins are
// used. Every intrinsic is captured when this module is evaluated, so an app
// that replaces Array.prototype.push or Map.prototype.get cannot change or
// break how values are printed.
//
// What V8 knows but JavaScript cannot see (a promise's state, a proxy's
// target) comes from optional native hooks: see setInspectHooks().
import primordials from './primordials.js';

const {
  ArrayBufferPrototypeGetByteLength, ArrayIsArray, ArrayPrototypeIncludes, ArrayPrototypeIndexOf,
  ArrayPrototypeJoin, ArrayPrototypePush, ArrayPrototypeSplice, ArrayPrototypeUnshift,
  BigIntPrototypeValueOf, BooleanPrototypeValueOf, DataViewPrototypeGetByteLength,
  DatePrototypeGetTime, DatePrototypeToISOString, DatePrototypeToString, ErrorPrototype,
  ErrorPrototypeToString, FunctionPrototypeToString, JSONStringify, Map,
  MapIteratorPrototypeNext, MapPrototypeEntries, MapPrototypeGet, MapPrototypeGetSize,
  MapPrototypeSet, MathFloor, MathMax, MathMin, MathRound, MathSqrt, Number, NumberIsNaN,
  NumberParseFloat, NumberParseInt, NumberPrototypeToString, NumberPrototypeValueOf,
  ObjectGetOwnPropertyDescriptor, ObjectGetOwnPropertyNames, ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf, ObjectIs, ObjectIsExtensible, ObjectKeys, ObjectPrototypeHasOwnProperty,
  ObjectPrototypeIsPrototypeOf, ObjectPrototypePropertyIsEnumerable, ObjectPrototypeToString,
  PromisePrototype, RangeErrorPrototype, ReflectApply, ReflectOwnKeys, RegExpPrototypeGetFlags,
  RegExpPrototypeGetGlobal, RegExpPrototypeGetSource, SetIteratorPrototypeNext,
  SetPrototypeGetSize, SetPrototypeHas, SetPrototypeValues,
  String, StringPrototypeCharCodeAt,
  StringPrototypeEndsWith, StringPrototypeIncludes, StringPrototypeIndexOf,
  StringPrototypePadEnd, StringPrototypePadStart, StringPrototypeRepeat, StringPrototypeSlice,
  StringPrototypeStartsWith, StringPrototypeToLowerCase, StringPrototypeToUpperCase,
  StringPrototypeValueOf, SymbolFor, SymbolPrototypeToString, SymbolPrototypeValueOf,
  SymbolToStringTag, TypedArrayPrototypeGetLength, TypedArrayPrototypeGetSymbolToStringTag,
  Uint8Array, WeakMapPrototypeHas, WeakSetPrototypeHas,
} = primordials;

// ---- Intrinsics, captured at module evaluation ----------------------------


const AsyncFunctionPrototype = ObjectGetPrototypeOf(async function() {});
const GeneratorFunctionPrototype = ObjectGetPrototypeOf(function*() {});
const AsyncGeneratorFunctionPrototype = ObjectGetPrototypeOf(async function*() {});

// Names of the global constructors (Object, Array, Date...): `%s` inspects
// objects whose toString comes from one of them instead of calling it.
const builtInObjects = new Set();
{
  const names = ObjectGetOwnPropertyNames(globalThis);
  for (let i = 0; i < names.length; i++) {
    const code = StringPrototypeCharCodeAt(names[i], 0);
    if (code >= 65 && code <= 90) builtInObjects.add(names[i]);
  }
}

// ---- Options and styles -----------------------------------------------------

/** The symbol an object uses to format itself (the same one Node uses). */
export const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');

const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;

// The entries of an array of at least this many entries are grouped in columns.
const kMinGroupEntries = 7;
// Strings shorter than this are never split across lines.
const kMinLineWidth = 16;
// Above this many elements, the extra (non-index) properties of an array or typed
// array are not searched for: listing its keys creates one string per element
// (Node asks V8 natively; 1e6 elements cost 100 ms here).
const kMaxKeyScan = 65536;

// ANSI SGR codes (ECMA-48 8.3.117): [on, off]. util.inspect.colors: apps may add to it and
// to inspect.styles, and inspect() reads both when it colors.
export const inspectColors = {
  __proto__: null,
  reset: [0, 0], bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24],
  blink: [5, 25], inverse: [7, 27], hidden: [8, 28], strikethrough: [9, 29],
  doubleunderline: [21, 24],
  black: [30, 39], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39],
  magenta: [35, 39], cyan: [36, 39], white: [37, 39],
  bgBlack: [40, 49], bgRed: [41, 49], bgGreen: [42, 49], bgYellow: [43, 49], bgBlue: [44, 49],
  bgMagenta: [45, 49], bgCyan: [46, 49], bgWhite: [47, 49],
  framed: [51, 54], overlined: [53, 55],
  gray: [90, 39], redBright: [91, 39], greenBright: [92, 39], yellowBright: [93, 39],
  blueBright: [94, 39], magentaBright: [95, 39], cyanBright: [96, 39], whiteBright: [97, 39],
  bgGray: [100, 49], bgRedBright: [101, 49], bgGreenBright: [102, 49], bgYellowBright: [103, 49],
  bgBlueBright: [104, 49], bgMagentaBright: [105, 49], bgCyanBright: [106, 49],
  bgWhiteBright: [107, 49],
};
// Other names for some of them, as Node has: not listed (not enumerable), same codes.
for (const [alias, name] of [
  ['grey', 'gray'], ['blackBright', 'gray'], ['bgGrey', 'bgGray'], ['bgBlackBright', 'bgGray'],
  ['faint', 'dim'], ['crossedout', 'strikethrough'], ['strikeThrough', 'strikethrough'],
  ['crossedOut', 'strikethrough'], ['conceal', 'hidden'], ['swapColors', 'inverse'],
  ['swapcolors', 'inverse'], ['doubleUnderline', 'doubleunderline'],
]) {
  Object.defineProperty(inspectColors, alias, {
    get() { return this[name]; },
    set(value) { this[name] = value; },
    configurable: true, enumerable: false,
  });
}
// Which color each kind of token gets (Node's default inspect.styles).
export const inspectStyles = {
  __proto__: null,
  special: 'cyan', number: 'yellow', bigint: 'yellow', boolean: 'yellow',
  undefined: 'grey', null: 'bold', string: 'green', symbol: 'green',
  date: 'magenta', regexp: 'red', module: 'underline',
};

// No prototype (here and in every context): a setter an app put on Object.prototype must
// never receive these objects, which hold native functions.
const hooks = { __proto__: null, promiseState: undefined, proxyTarget: undefined };

/**
 * Installs native helpers used by every later inspect() call (options given to
 * inspect() win over them).
 * @param {object} h
 * @param {(p: Promise) => ({state: 'pending'|'fulfilled'|'rejected', value?: any})} [h.promiseState]
 * @param {(v: object) => (object|null|undefined)} [h.proxyTarget] the target of a
 *   proxy, null for a revoked proxy, undefined for anything that is not a proxy.
 */
export function setInspectHooks({ promiseState, proxyTarget } = {}) {
  hooks.promiseState = promiseState;
  hooks.proxyTarget = proxyTarget;
}

function stylizeNoColor(str) {
  return str;
}

function stylizeWithColor(str, styleType) {
  const style = inspectStyles[styleType];
  if (style === undefined) return str;
  const color = inspectColors[style];
  if (color === undefined) return str;
  return `\u001b[${color[0]}m${str}\u001b[${color[1]}m`;
}

/** Length of `str` without its SGR color sequences. */
function visibleLength(str) {
  let length = 0;
  for (let i = 0; i < str.length; i++) {
    if (StringPrototypeCharCodeAt(str, i) === 0x1b && StringPrototypeCharCodeAt(str, i + 1) === 0x5b) {
      let j = i + 2;
      while (j < str.length && StringPrototypeCharCodeAt(str, j) !== 0x6d) j++;
      i = j;
    } else {
      length++;
    }
  }
  return length;
}

/** Replaces each "\n" of `str` by `replacement` (no RegExp: RegExp.prototype can be tampered with). */
function replaceNewlines(str, replacement) {
  let out = '';
  let last = 0;
  let at = StringPrototypeIndexOf(str, '\n');
  while (at !== -1) {
    out += StringPrototypeSlice(str, last, at) + replacement;
    last = at + 1;
    at = StringPrototypeIndexOf(str, '\n', last);
  }
  return out + StringPrototypeSlice(str, last);
}

function makeContext(options) {
  const ctx = {
    __proto__: null,
    depth: 2,
    colors: false,
    breakLength: 80,
    compact: 3,
    maxArrayLength: 100,
    maxStringLength: 10000,
    showHidden: false,
    getters: false,
    customInspect: true,
    promiseState: hooks.promiseState,
    proxyTarget: hooks.proxyTarget,
  };
  const names = ObjectKeys(ctx);
  for (let i = 0; i < names.length; i++) {
    const value = options[names[i]];
    if (value !== undefined) ctx[names[i]] = value;
  }
  if (ctx.depth === null) ctx.depth = Infinity;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  ctx.stylize = ctx.colors ? stylizeWithColor : stylizeNoColor;
  ctx.seen = [];
  ctx.circular = undefined;
  ctx.indentationLvl = 0;
  ctx.currentDepth = 0;
  return ctx;
}

// ---- Entry points -----------------------------------------------------------

/**
 * Formats any value as a readable string, like Node's util.inspect.
 * @param {any} value
 * @param {object} [options]
 * @param {number|null} [options.depth=2] levels of nesting shown (null: all)
 * @param {boolean} [options.colors=false] ANSI colors (Node's default styles)
 * @param {number} [options.breakLength=80] longest line before entries are split
 * @param {number|false} [options.compact=3] inner levels joined on one line (false: none)
 * @param {number|null} [options.maxArrayLength=100] elements shown of arrays, sets, maps
 * @param {number|null} [options.maxStringLength=10000] characters shown of a string
 * @param {boolean} [options.showHidden=false] also show non-enumerable properties, and the
 *   accessors and data a class's prototypes give its instances
 * @param {boolean|string} [options.getters=false] call getters and show their values (true),
 *   only those without a setter ('get'), or only those with one ('set')
 * @param {boolean} [options.customInspect=true] call value[customInspectSymbol]
 * @param {Function} [options.promiseState] see setInspectHooks()
 * @param {Function} [options.proxyTarget] see setInspectHooks()
 * @returns {string} never throws for built-in values; getters are called only as
 *   options.getters says, but a throwing custom inspect function or proxy trap propagates
 *   its error.
 */
export function inspect(value, options = {}) {
  return formatValue(makeContext(options), value, 0);
}

/**
 * Formats console.log's arguments: printf-style substitution (%s %d %i %f %j
 * %o %O %c %%) when the first argument is a string, then the remaining
 * arguments joined by spaces, strings as they are and other values inspected.
 * @param {any[]} args
 * @param {object} [options] inspect() options (e.g. colors)
 * @returns {string}
 */
export function formatArgs(args, options = {}) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (StringPrototypeCharCodeAt(first, i) !== 37) continue; // '%'
      const next = StringPrototypeCharCodeAt(first, ++i);
      if (a + 1 === args.length) {
        if (next === 37) {
          str += StringPrototypeSlice(first, lastPos, i);
          lastPos = i + 1;
        }
        continue;
      }
      if (next === 37) {
        str += StringPrototypeSlice(first, lastPos, i);
        lastPos = i + 1;
        continue;
      }
      const replacement = formatDirective(next, args[a + 1], options);
      if (replacement === undefined) continue; // not a directive: kept as typed
      a++;
      str += StringPrototypeSlice(first, lastPos, i - 1) + replacement;
      lastPos = i + 1;
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += StringPrototypeSlice(first, lastPos);
    }
  }
  for (; a < args.length; a++) {
    const value = args[a];
    str += join + (typeof value === 'string' ? value : inspect(value, options));
    join = ' ';
  }
  return str;
}

/** The text for one %-directive (its character code), or undefined if unknown. */
function formatDirective(code, arg, options) {
  switch (code) {
    case 115: // s
      if (typeof arg === 'number') return formatNumber(stylizeNoColor, arg);
      if (typeof arg === 'bigint') return `${arg}n`;
      if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) return String(arg);
      return inspect(arg, { ...options, depth: 0, colors: false, compact: 3 });
    case 106: // j
      return tryStringify(arg);
    case 100: // d
      if (typeof arg === 'bigint') return `${arg}n`;
      if (typeof arg === 'symbol') return 'NaN';
      return formatNumber(stylizeNoColor, Number(arg));
    case 105: // i
      if (typeof arg === 'bigint') return `${arg}n`;
      if (typeof arg === 'symbol') return 'NaN';
      return formatNumber(stylizeNoColor, NumberParseInt(arg));
    case 102: // f
      if (typeof arg === 'symbol') return 'NaN';
      return formatNumber(stylizeNoColor, NumberParseFloat(arg));
    case 79: // O
      return inspect(arg, options);
    case 111: // o
      return inspect(arg, { ...options, showHidden: true, depth: 4 });
    case 99: // c: CSS, ignored on a terminal
      return '';
    default:
      return undefined;
  }
}

function tryStringify(arg) {
  try {
    return `${JSONStringify(arg)}`;
  } catch (err) {
    if (typeof err?.message === 'string' && StringPrototypeIncludes(err.message, 'circular')) {
      return '[Circular]';
    }
    throw err;
  }
}

/** True if `value`'s toString comes from a global constructor (so %s inspects it). */
function hasBuiltInToString(value) {
  if (typeof value.toString !== 'function') return true;
  if (ObjectPrototypeHasOwnProperty(value, 'toString')) return false;
  let pointer = value;
  do {
    pointer = ObjectGetPrototypeOf(pointer);
  } while (!ObjectPrototypeHasOwnProperty(pointer, 'toString'));
  const descriptor = ObjectGetOwnPropertyDescriptor(pointer, 'constructor');
  return descriptor !== undefined && typeof descriptor.value === 'function' &&
    SetPrototypeHas(builtInObjects, descriptor.value.name);
}

// ---- Primitives -------------------------------------------------------------

function formatNumber(stylize, number) {
  return stylize(ObjectIs(number, -0) ? '-0' : `${number}`, 'number');
}

function formatPrimitive(stylize, value, ctx) {
  switch (typeof value) {
    case 'string': return formatString(stylize, value, ctx);
    case 'number': return formatNumber(stylize, value);
    case 'bigint': return stylize(`${value}n`, 'bigint');
    case 'boolean': return stylize(`${value}`, 'boolean');
    case 'undefined': return stylize('undefined', 'undefined');
    default: return stylize(SymbolPrototypeToString(value), 'symbol');
  }
}

function formatString(stylize, value, ctx) {
  let trailer = '';
  if (value.length > ctx.maxStringLength) {
    const remaining = value.length - ctx.maxStringLength;
    value = StringPrototypeSlice(value, 0, ctx.maxStringLength);
    trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
  }
  // A long string is shown one line per source line, joined with `+`.
  if (ctx.compact !== true && value.length > kMinLineWidth &&
      value.length > ctx.breakLength - ctx.indentationLvl - 4) {
    const glue = ` +\n${StringPrototypeRepeat(' ', ctx.indentationLvl + 2)}`;
    let out = '';
    let start = 0;
    while (start < value.length) {
      const newline = StringPrototypeIndexOf(value, '\n', start);
      const end = newline === -1 ? value.length : newline + 1;
      out += (start === 0 ? '' : glue) + stylize(quoteString(StringPrototypeSlice(value, start, end)), 'string');
      start = end;
    }
    return out + trailer;
  }
  return stylize(quoteString(value), 'string') + trailer;
}

// Escapes of the C0 controls that have a short form; the others use \xNN.
const kShortEscapes = { __proto__: null, 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

/**
 * Quotes a string: single quotes, or double quotes / backticks when that avoids
 * escaping, with control characters, backslashes and lone surrogates escaped.
 */
function quoteString(str) {
  let quote = "'";
  if (StringPrototypeIncludes(str, "'")) {
    if (!StringPrototypeIncludes(str, '"')) {
      quote = '"';
    } else if (!StringPrototypeIncludes(str, '`') && !StringPrototypeIncludes(str, '${')) {
      quote = '`';
    }
  }
  let result = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const code = StringPrototypeCharCodeAt(str, i);
    let escaped;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      escaped = kShortEscapes[code] ?? `\\x${hexByte(code, true)}`;
    } else if (code === 0x5c) {
      escaped = '\\\\';
    } else if (code === 0x27 && quote === "'") {
      escaped = "\\'";
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = StringPrototypeCharCodeAt(str, i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      escaped = `\\u${NumberPrototypeToString(code, 16)}`;
    } else {
      continue;
    }
    result += StringPrototypeSlice(str, last, i) + escaped;
    last = i + 1;
  }
  return quote + result + StringPrototypeSlice(str, last) + quote;
}

function hexByte(byte, upper) {
  const hex = StringPrototypePadStart(NumberPrototypeToString(byte, 16), 2, '0');
  return upper ? StringPrototypeToUpperCase(hex) : hex;
}

// ---- Objects ----------------------------------------------------------------

function formatValue(ctx, value, recurseTimes) {
  if (typeof value !== 'object' && typeof value !== 'function') {
    return formatPrimitive(ctx.stylize, value, ctx);
  }
  if (value === null) return ctx.stylize('null', 'null');
  const context = value;
  if (ctx.proxyTarget !== undefined) {
    const target = ctx.proxyTarget(value);
    if (target === null) return ctx.stylize('<Revoked Proxy>', 'special');
    if (target !== undefined) value = target;
  }
  if (ctx.customInspect) {
    const custom = callCustomInspect(ctx, value, context, recurseTimes);
    if (custom !== undefined) return custom;
  }
  if (ArrayPrototypeIncludes(ctx.seen, value)) {
    if (ctx.circular === undefined) ctx.circular = new Map();
    let index = MapPrototypeGet(ctx.circular, value);
    if (index === undefined) {
      index = MapPrototypeGetSize(ctx.circular) + 1;
      MapPrototypeSet(ctx.circular, value, index);
    }
    return ctx.stylize(`[Circular *${index}]`, 'special');
  }
  return formatRaw(ctx, value, recurseTimes);
}

/** The result of value[customInspectSymbol](), or undefined if there is none to use. */
function callCustomInspect(ctx, value, context, recurseTimes) {
  const custom = value[customInspectSymbol];
  if (typeof custom !== 'function' || custom === inspect) return undefined;
  const ctor = value.constructor;
  if (ctor && ctor.prototype === value) return undefined;
  const depth = ctx.depth - recurseTimes;
  const options = {
    depth, colors: ctx.colors, breakLength: ctx.breakLength, compact: ctx.compact,
    maxArrayLength: ctx.maxArrayLength, maxStringLength: ctx.maxStringLength,
    showHidden: ctx.showHidden, customInspect: ctx.customInspect, stylize: ctx.stylize,
  };
  const ret = ReflectApply(custom, context, [depth, options, inspect]);
  if (ret === context) return undefined;
  if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
  return replaceNewlines(ret, `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
}

/** True if `check(value)` does not throw: the brand checks of built-in getters. */
function hasBrand(check, value) {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

const isMap = (v) => hasBrand(MapPrototypeGetSize, v);
const isSet = (v) => hasBrand(SetPrototypeGetSize, v);
const isWeakMap = (v) => hasBrand((x) => WeakMapPrototypeHas(x, x), v);
const isWeakSet = (v) => hasBrand((x) => WeakSetPrototypeHas(x, x), v);
const isDate = (v) => hasBrand(DatePrototypeGetTime, v);
const isDataView = (v) => hasBrand(DataViewPrototypeGetByteLength, v);
const isArrayBuffer = (v) => hasBrand(ArrayBufferPrototypeGetByteLength, v);
// Looked up when used: SharedArrayBuffer is captured late (primordials.captureLateGlobals).
const isSharedArrayBuffer = (v) => primordials.SharedArrayBufferPrototypeGetByteLength !== undefined &&
  hasBrand(primordials.SharedArrayBufferPrototypeGetByteLength, v);
const isTypedArray = (v) => TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined;
// RegExp.prototype itself passes the `global` getter without throwing but is no RegExp.
const isRegExp = (v) => v !== RegExp.prototype && hasBrand(RegExpPrototypeGetGlobal, v);
const isError = (v) => ObjectPrototypeToString(v) === '[object Error]' ||
  ObjectPrototypeIsPrototypeOf(ErrorPrototype, v);
const isPromise = (v) => ObjectPrototypeIsPrototypeOf(PromisePrototype, v);
const isArguments = (v) => ObjectPrototypeToString(v) === '[object Arguments]';

function isStackOverflow(err) {
  return ObjectPrototypeIsPrototypeOf(RangeErrorPrototype, err) && typeof err.message === 'string' &&
    StringPrototypeIncludes(err.message, 'call stack');
}

/** [type name, primitive value] of a boxed primitive, or undefined. */
function unbox(value) {
  const kinds = [
    ['Number', NumberPrototypeValueOf], ['String', StringPrototypeValueOf],
    ['Boolean', BooleanPrototypeValueOf], ['BigInt', BigIntPrototypeValueOf],
    ['Symbol', SymbolPrototypeValueOf],
  ];
  for (let i = 0; i < kinds.length; i++) {
    try {
      return [kinds[i][0], kinds[i][1](value)];
    } catch {
      // not this kind
    }
  }
  return undefined;
}

function isInstanceof(object, ctor) {
  try {
    return object instanceof ctor;
  } catch {
    return false;
  }
}

/** Own data value of `desc`, ignoring anything inherited by the descriptor object. */
function descriptorValue(desc) {
  return desc !== undefined && ObjectPrototypeHasOwnProperty(desc, 'value') ? desc.value : undefined;
}

/**
 * The name of the nearest constructor on the prototype chain that `obj` is an
 * instance of; null for an object without prototype.
 */
function getConstructorName(obj) {
  let proto = obj;
  let firstProto;
  while (proto !== null) {
    const ctor = descriptorValue(ObjectGetOwnPropertyDescriptor(proto, 'constructor'));
    if (typeof ctor === 'function' && ctor.name !== '' && isInstanceof(obj, ctor)) {
      return String(ctor.name);
    }
    proto = ObjectGetPrototypeOf(proto);
    if (firstProto === undefined) firstProto = proto;
  }
  if (firstProto === null) return null;
  const own = typeof obj === 'function' ? 'Function' : ArrayIsArray(obj) ? 'Array' : 'Object';
  const inner = getConstructorName(firstProto);
  if (inner !== null) return `${own} <${inner}>`;
  const empty = ObjectKeys(firstProto).length === 0;
  return `${own} <[Object: null prototype]${empty ? ' {}' : ''}>`;
}

function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

/** Canonical array index ("0", "17", not "01"), below 2^32 - 1. */
function isArrayIndex(key) {
  if (typeof key !== 'string' || key.length === 0 || key.length > 10) return false;
  for (let i = 0; i < key.length; i++) {
    const c = StringPrototypeCharCodeAt(key, i);
    if (c < 48 || c > 57 || (c === 48 && i === 0 && key.length > 1)) return false;
  }
  return Number(key) < 4294967295;
}

/**
 * Own property keys shown for `value`: enumerable ones unless showHidden,
 * symbols last; without array indices if skipIndices, only symbols if symbolsOnly.
 */
function getKeys(value, showHidden, skipIndices, symbolsOnly = false) {
  let names = [];
  try {
    if (!symbolsOnly) names = showHidden ? ObjectGetOwnPropertyNames(value) : ObjectKeys(value);
  } catch {
    names = ObjectGetOwnPropertyNames(value); // a module namespace with uninitialized bindings
  }
  const keys = [];
  for (let i = 0; i < names.length; i++) {
    if (!skipIndices || !isArrayIndex(names[i])) ArrayPrototypePush(keys, names[i]);
  }
  const symbols = ObjectGetOwnPropertySymbols(value);
  for (let i = 0; i < symbols.length; i++) {
    if (showHidden || ObjectPrototypePropertyIsEnumerable(value, symbols[i])) {
      ArrayPrototypePush(keys, symbols[i]);
    }
  }
  return keys;
}

function formatEmpty() {
  return [];
}

/** Decides how `value` is shown, then formats its entries and joins them. */
function formatRaw(ctx, value, recurseTimes) {
  const constructor = getConstructorName(value);
  let tag = value[SymbolToStringTag];
  // An own enumerable tag is printed as a property already.
  if (typeof tag !== 'string' || (tag !== '' && (ctx.showHidden ?
    ObjectPrototypeHasOwnProperty : ObjectPrototypePropertyIsEnumerable)(value, SymbolToStringTag))) {
    tag = '';
  }
  // With showHidden, what a class's prototypes give the value, shown after its own keys.
  const protoProps = [];
  if (ctx.showHidden && recurseTimes <= ctx.depth) addPrototypeProperties(ctx, value, recurseTimes, protoProps);
  const shape = describe(ctx, value, constructor, tag, recurseTimes, protoProps.length);
  if (typeof shape === 'string') return shape;
  const { keys, braces, formatter, extrasType } = shape;
  let base = shape.base;

  if (recurseTimes > ctx.depth) {
    const name = StringPrototypeSlice(getPrefix(constructor, tag, 'Object'), 0, -1);
    return ctx.stylize(constructor === null ? name : `[${name}]`, 'special');
  }
  recurseTimes += 1;
  ArrayPrototypePush(ctx.seen, value);
  ctx.currentDepth = recurseTimes;
  const indentationLvl = ctx.indentationLvl;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (let i = 0; i < keys.length; i++) {
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, keys[i], extrasType));
    }
    for (let i = 0; i < protoProps.length; i++) ArrayPrototypePush(output, protoProps[i]);
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    ctx.seen.length -= 1;
    ctx.indentationLvl = indentationLvl;
    const name = StringPrototypeSlice(getPrefix(constructor, tag, 'Object'), 0, -1);
    return ctx.stylize(`[${name}: Inspection interrupted prematurely. ${err.message}.]`, 'special');
  }
  if (ctx.circular !== undefined) {
    const index = MapPrototypeGet(ctx.circular, value);
    if (index !== undefined) {
      const reference = ctx.stylize(`<ref *${index}>`, 'special');
      base = base === '' ? reference : `${reference} ${base}`;
    }
  }
  ctx.seen.length -= 1;
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
}

/**
 * How `value` is shown: a finished string for values without entries, or
 * { keys, braces, base, formatter, extrasType } for the general case.
 */
function describe(ctx, value, constructor, tag, recurseTimes, extra) {
  const shape = { keys: undefined, braces: ['{', '}'], base: '', formatter: formatEmpty, extrasType: kObjectType };
  if (ArrayIsArray(value)) {
    const prefix = (constructor !== 'Array' || tag !== '') ?
      getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
    shape.keys = getKeys(value, ctx.showHidden, true, value.length > kMaxKeyScan);
    shape.braces = [`${prefix}[`, ']'];
    if (value.length === 0 && shape.keys.length + extra === 0) return `${prefix}[]`;
    shape.extrasType = kArrayExtrasType;
    shape.formatter = formatArray;
    return shape;
  }
  if (isSet(value) || isMap(value)) {
    const set = isSet(value);
    const size = set ? SetPrototypeGetSize(value) : MapPrototypeGetSize(value);
    const prefix = getPrefix(constructor, tag, set ? 'Set' : 'Map', `(${size})`);
    shape.keys = getKeys(value, ctx.showHidden);
    if (size === 0 && shape.keys.length + extra === 0) return `${prefix}{}`;
    shape.braces = [`${prefix}{`, '}'];
    shape.formatter = set ? formatSet : formatMap;
    return shape;
  }
  if (isTypedArray(value)) {
    const length = TypedArrayPrototypeGetLength(value);
    const fallback = constructor === null ? TypedArrayPrototypeGetSymbolToStringTag(value) : '';
    const prefix = getPrefix(constructor, tag, fallback, `(${length})`);
    shape.keys = getKeys(value, ctx.showHidden, true, length > kMaxKeyScan);
    shape.braces = [`${prefix}[`, ']'];
    if (length === 0 && shape.keys.length + extra === 0) return `${prefix}[]`;
    shape.formatter = formatTypedArray;
    shape.extrasType = kArrayExtrasType;
    return shape;
  }
  if (isArguments(value)) {
    shape.keys = getKeys(value, ctx.showHidden, true);
    shape.braces = ['[Arguments] [', ']'];
    if (value.length === 0 && shape.keys.length + extra === 0) return '[Arguments] []';
    shape.formatter = formatArray;
    shape.extrasType = kArrayExtrasType;
    return shape;
  }
  shape.keys = getKeys(value, ctx.showHidden);
  return describeObject(ctx, value, constructor, tag, recurseTimes, shape, extra);
}

/** describe() for everything that is not array-like or a Map/Set. */
function describeObject(ctx, value, constructor, tag, recurseTimes, shape, extra) {
  const keys = shape.keys;
  const noKeys = keys.length + extra === 0;
  if (typeof value === 'function') {
    shape.base = getFunctionBase(value, constructor, tag);
    return noKeys ? ctx.stylize(shape.base, 'special') : shape;
  }
  if (constructor === 'Object') {
    if (tag !== '') shape.braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
    return noKeys ? `${shape.braces[0]}}` : shape;
  }
  if (isRegExp(value)) {
    const prefix = getPrefix(constructor, tag, 'RegExp');
    const source = `/${RegExpPrototypeGetSource(value)}/${RegExpPrototypeGetFlags(value)}`;
    shape.base = prefix === 'RegExp ' ? source : prefix + source;
    return (noKeys || recurseTimes > ctx.depth) ? ctx.stylize(shape.base, 'regexp') : shape;
  }
  if (isDate(value)) {
    const time = DatePrototypeGetTime(value);
    const text = NumberIsNaN(time) ? DatePrototypeToString(value) : DatePrototypeToISOString(value);
    if (noKeys) return ctx.stylize(text, 'date');
    const prefix = getPrefix(constructor, tag, 'Date');
    shape.base = prefix === 'Date ' ? text : prefix + text;
    return shape;
  }
  if (isError(value)) {
    shape.base = formatError(value, constructor, tag, ctx, keys);
    return keys.length + extra === 0 ? shape.base : shape;
  }
  if (isArrayBuffer(value) || isSharedArrayBuffer(value)) {
    const prefix = getPrefix(constructor, tag, isArrayBuffer(value) ? 'ArrayBuffer' : 'SharedArrayBuffer');
    shape.formatter = formatArrayBuffer;
    shape.braces[0] = `${prefix}{`;
    ArrayPrototypeUnshift(keys, 'byteLength');
    return shape;
  }
  if (isDataView(value)) {
    shape.braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
    ArrayPrototypeUnshift(keys, 'byteLength', 'byteOffset', 'buffer');
    return shape;
  }
  if (isPromise(value)) {
    shape.braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
    shape.formatter = formatPromise;
    return shape;
  }
  if (isWeakSet(value) || isWeakMap(value)) {
    shape.braces[0] = `${getPrefix(constructor, tag, isWeakSet(value) ? 'WeakSet' : 'WeakMap')}{`;
    shape.formatter = formatWeakCollection;
    return shape;
  }
  if (constructor === null && tag === 'Module' && !ObjectIsExtensible(value)) {
    shape.braces[0] = '[Module: null prototype] {';
    shape.formatter = (c, v, r) => formatNamespace(c, v, r, keys);
    shape.keys = [];
    return keys.length + extra === 0 ? '[Module: null prototype] {}' : shape;
  }
  const boxed = unbox(value);
  if (boxed !== undefined) {
    shape.base = getBoxedBase(boxed, value, ctx, keys, constructor, tag);
    return keys.length + extra === 0 ? shape.base : shape;
  }
  if (noKeys) return `${getPrefix(constructor, tag, 'Object')}{}`;
  shape.braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
  return shape;
}

function getFunctionBase(value, constructor, tag) {
  const source = FunctionPrototypeToString(value);
  if (StringPrototypeStartsWith(source, 'class') && StringPrototypeEndsWith(source, '}')) {
    // `class{`, `class A` or `class/*c*/A`, but not a method named e.g. `classify()`.
    const c = StringPrototypeCharCodeAt(source, 5);
    const identifierChar = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127 || c === 40;
    if (!identifierChar) return getClassBase(value, constructor, tag);
  }
  const isAsync = ObjectPrototypeIsPrototypeOf(AsyncFunctionPrototype, value) ||
    ObjectPrototypeIsPrototypeOf(AsyncGeneratorFunctionPrototype, value);
  const isGenerator = ObjectPrototypeIsPrototypeOf(GeneratorFunctionPrototype, value) ||
    ObjectPrototypeIsPrototypeOf(AsyncGeneratorFunctionPrototype, value);
  const type = `${isAsync ? 'Async' : ''}${isGenerator ? 'Generator' : ''}Function`;
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  base += value.name === '' ? ' (anonymous)' : `: ${value.name}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function getClassBase(value, constructor, tag) {
  const name = (ObjectPrototypeHasOwnProperty(value, 'name') && value.name) || '(anonymous)';
  let base = `class ${name}`;
  if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  if (constructor === null) {
    base += ' extends [null prototype]';
  } else {
    const superName = ObjectGetPrototypeOf(value).name;
    if (superName) base += ` extends ${superName}`;
  }
  return `[${base}]`;
}

function getBoxedBase([type, primitive], value, ctx, keys, constructor, tag) {
  if (type === 'String') {
    // The characters of a String object are index properties; they are the value.
    for (let i = keys.length - 1; i >= 0; i--) {
      if (isArrayIndex(keys[i]) && Number(keys[i]) < primitive.length) ArrayPrototypeSplice(keys, i, 1);
    }
  }
  let base = `[${type}`;
  if (type !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  base += `: ${formatPrimitive(stylizeNoColor, primitive, ctx)}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  if (keys.length !== 0 || ctx.stylize === stylizeNoColor) return base;
  return ctx.stylize(base, StringPrototypeToLowerCase(type));
}

/** An error's stack (its message when it has no frames, in brackets). */
function formatError(err, constructor, tag, ctx, keys) {
  const name = err.name != null ? String(err.name) : 'Error';
  let stack = err.stack ? String(err.stack) : ErrorPrototypeToString(err);
  if (!ctx.showHidden) {
    // name, message and stack are shown in the stack already.
    const dup = ['name', 'message', 'stack'];
    for (let i = 0; i < dup.length; i++) {
      const index = ArrayPrototypeIndexOf(keys, dup[i]);
      if (index !== -1 && StringPrototypeIncludes(stack, err[dup[i]])) ArrayPrototypeSplice(keys, index, 1);
    }
  }
  if ('cause' in err && !ArrayPrototypeIncludes(keys, 'cause')) ArrayPrototypePush(keys, 'cause');
  if (ArrayIsArray(err.errors) && !ArrayPrototypeIncludes(keys, 'errors')) ArrayPrototypePush(keys, 'errors');
  stack = improveStack(stack, constructor, name, tag);
  const message = err.message;
  let pos = (typeof message === 'string' && message !== '' && StringPrototypeIndexOf(stack, message)) || -1;
  if (pos !== -1) pos += message.length;
  if (StringPrototypeIndexOf(stack, '\n    at', pos) === -1) stack = `[${stack}]`;
  if (ctx.indentationLvl !== 0) {
    stack = replaceNewlines(stack, `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
  }
  return stack;
}

/** Names the real class in the stack's first line: `class A extends Error` gives "A: msg". */
function improveStack(stack, constructor, name, tag) {
  const len = name.length;
  const looksNormal = StringPrototypeEndsWith(name, 'Error') && StringPrototypeStartsWith(stack, name) &&
    (stack.length === len || stack[len] === ':' || stack[len] === '\n');
  if (constructor === null || !looksNormal) return stack;
  const prototype = StringPrototypeSlice(getPrefix(constructor, tag, 'Error'), 0, -1);
  if (name === prototype) return stack;
  if (StringPrototypeIncludes(prototype, name)) return prototype + StringPrototypeSlice(stack, len);
  return `${prototype} [${name}]${StringPrototypeSlice(stack, len)}`;
}

// ---- Entries ----------------------------------------------------------------

/**
 * With showHidden, what the prototypes of a non-built-in class give an instance: their
 * accessors and data (not methods, not what the instance or a nearer prototype has), up to
 * three prototypes deep, stopping at a built-in one. Getters run on the instance itself.
 */
function addPrototypeProperties(ctx, main, recurseTimes, output) {
  const firstProto = ObjectGetPrototypeOf(main);
  let proto;
  let checkFirst = false;
  // The nearest object on the chain with an own constructor the value is an instance of, as
  // getConstructorName finds it. The value itself (a prototype): start above it. A built-in's
  // prototype right above the value (a plain object, a Map): nothing to add.
  for (let p = main; p !== null; p = ObjectGetPrototypeOf(p)) {
    const ctor = descriptorValue(ObjectGetOwnPropertyDescriptor(p, 'constructor'));
    if (typeof ctor === 'function' && ctor.name !== '' && isInstanceof(main, ctor)) {
      if (p === main) {
        proto = firstProto;
        checkFirst = true;
      } else if (p !== firstProto || !builtInObjects.has(ctor.name)) {
        proto = firstProto;
      }
      break;
    }
  }
  if (proto === undefined) return;
  const shown = [];
  for (let depth = 0; depth < 3 && proto !== null; depth++, proto = ObjectGetPrototypeOf(proto)) {
    if (depth !== 0 || checkFirst) {
      const ctor = descriptorValue(ObjectGetOwnPropertyDescriptor(proto, 'constructor'));
      if (typeof ctor === 'function' && builtInObjects.has(ctor.name)) return;
    }
    const keys = ReflectOwnKeys(proto);
    ArrayPrototypePush(ctx.seen, main);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'constructor' || ObjectPrototypeHasOwnProperty(main, key) || ArrayPrototypeIncludes(shown, key)) continue;
      ArrayPrototypePush(shown, key);
      const desc = ObjectGetOwnPropertyDescriptor(proto, key);
      if (typeof desc.value === 'function') continue;
      const str = formatProperty(ctx, proto, recurseTimes, key, kObjectType, desc, main);
      // Dimmed (SGR 2, normal intensity 22) in colour, as Node marks inherited entries.
      ArrayPrototypePush(output, ctx.colors ? `\u001b[2m${str}\u001b[22m` : str);
    }
    ctx.seen.length -= 1;
  }
}

function formatProperty(ctx, value, recurseTimes, key, type, desc = undefined, receiver = value) {
  desc ??= ObjectGetOwnPropertyDescriptor(value, key) ?? { value: value[key], enumerable: true };
  let str;
  if (ObjectPrototypeHasOwnProperty(desc, 'value')) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = formatGetter(ctx, desc, receiver, recurseTimes);
  } else if (desc.set !== undefined) {
    str = ctx.stylize('[Setter]', 'special');
  } else {
    str = ctx.stylize('undefined', 'undefined');
  }
  if (type === kArrayType) return str;
  return `${formatKey(ctx, key, desc.enumerable)}: ${str}`;
}

// An accessor: [Getter], or with options.getters its value read from `receiver`.
function formatGetter(ctx, desc, receiver, recurseTimes) {
  const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
  const wanted = ctx.getters === true || (ctx.getters === 'get' && desc.set === undefined) ||
    (ctx.getters === 'set' && desc.set !== undefined);
  if (!wanted) return ctx.stylize(`[${label}]`, 'special');
  try {
    const value = ReflectApply(desc.get, receiver, []);
    ctx.indentationLvl += 2;
    let str;
    if (value === null) {
      str = `${ctx.stylize(`[${label}:`, 'special')} ${ctx.stylize('null', 'null')}${ctx.stylize(']', 'special')}`;
    } else if (typeof value === 'object') {
      str = `${ctx.stylize(`[${label}]`, 'special')} ${formatValue(ctx, value, recurseTimes)}`;
    } else {
      str = `${ctx.stylize(`[${label}:`, 'special')} ${formatPrimitive(ctx.stylize, value, ctx)}${ctx.stylize(']', 'special')}`;
    }
    ctx.indentationLvl -= 2;
    return str;
  } catch (err) {
    return `${ctx.stylize(`[${label}:`, 'special')} <Inspection threw (${err.message})>${ctx.stylize(']', 'special')}`;
  }
}

function formatKey(ctx, key, enumerable) {
  if (typeof key === 'symbol') return `[${ctx.stylize(SymbolPrototypeToString(key), 'symbol')}]`;
  if (key === '__proto__') return "['__proto__']";
  if (enumerable === false) return `[${StringPrototypeSlice(quoteString(key), 1, -1)}]`;
  if (isIdentifier(key)) return ctx.stylize(key, 'name');
  return ctx.stylize(quoteString(key), 'string');
}

/** [a-zA-Z_][a-zA-Z_0-9]*: keys printed without quotes. */
function isIdentifier(key) {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = StringPrototypeCharCodeAt(key, i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

function moreItems(remaining) {
  return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
}

/** Elements of an array (or arguments object); runs of holes become `<n empty items>`. */
function formatArray(ctx, value, recurseTimes) {
  const length = value.length;
  const limit = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const output = [];
  let indices; // own index keys in ascending order, read at the first hole
  let cursor = 0;
  let i = 0;
  while (i < length && output.length < limit) {
    if (ObjectPrototypeHasOwnProperty(value, i)) {
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, i, kArrayType));
      i++;
      continue;
    }
    if (indices === undefined) indices = getKeys(value, false, false);
    while (cursor < indices.length && !(isArrayIndex(indices[cursor]) && Number(indices[cursor]) > i)) cursor++;
    const next = cursor < indices.length ? MathMin(Number(indices[cursor]), length) : length;
    const holes = next - i;
    ArrayPrototypePush(output, ctx.stylize(`<${holes} empty item${holes > 1 ? 's' : ''}>`, 'undefined'));
    i = next;
  }
  if (i < length) ArrayPrototypePush(output, moreItems(length - i));
  return output;
}

function formatTypedArray(ctx, value) {
  const length = TypedArrayPrototypeGetLength(value);
  const limit = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const output = [];
  for (let i = 0; i < limit; i++) {
    const element = value[i];
    ArrayPrototypePush(output, typeof element === 'bigint' ?
      ctx.stylize(`${element}n`, 'bigint') : formatNumber(ctx.stylize, element));
  }
  if (length > limit) ArrayPrototypePush(output, moreItems(length - limit));
  return output;
}

function formatSet(ctx, value, recurseTimes) {
  const size = SetPrototypeGetSize(value);
  const limit = MathMin(MathMax(0, ctx.maxArrayLength), size);
  const output = [];
  const iterator = SetPrototypeValues(value);
  ctx.indentationLvl += 2;
  for (let step = SetIteratorPrototypeNext(iterator); !step.done && output.length < limit; step = SetIteratorPrototypeNext(iterator)) {
    ArrayPrototypePush(output, formatValue(ctx, step.value, recurseTimes));
  }
  ctx.indentationLvl -= 2;
  if (size > limit) ArrayPrototypePush(output, moreItems(size - limit));
  return output;
}

function formatMap(ctx, value, recurseTimes) {
  const size = MapPrototypeGetSize(value);
  const limit = MathMin(MathMax(0, ctx.maxArrayLength), size);
  const output = [];
  const iterator = MapPrototypeEntries(value);
  ctx.indentationLvl += 2;
  for (let step = MapIteratorPrototypeNext(iterator); !step.done && output.length < limit; step = MapIteratorPrototypeNext(iterator)) {
    const entry = step.value;
    const k = formatValue(ctx, entry[0], recurseTimes);
    ArrayPrototypePush(output, `${k} => ${formatValue(ctx, entry[1], recurseTimes)}`);
  }
  ctx.indentationLvl -= 2;
  if (size > limit) ArrayPrototypePush(output, moreItems(size - limit));
  return output;
}

function formatArrayBuffer(ctx, value) {
  let bytes;
  try {
    bytes = new Uint8Array(value);
  } catch {
    return [ctx.stylize('(detached)', 'special')];
  }
  const shown = MathMin(MathMax(0, ctx.maxArrayLength), bytes.length);
  let hex = '';
  for (let i = 0; i < shown; i++) hex += (i === 0 ? '' : ' ') + hexByte(bytes[i], false);
  const remaining = bytes.length - shown;
  if (remaining > 0) hex += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`${ctx.stylize('[Uint8Contents]', 'special')}: <${hex}>`];
}

function formatPromise(ctx, value, recurseTimes) {
  const known = ctx.promiseState === undefined ? undefined : ctx.promiseState(value);
  // Not a real promise (an object made from Promise.prototype): nothing to show.
  if (known === undefined) return [ctx.stylize('<unknown>', 'special')];
  const { state, value: result } = known;
  if (state === 'pending') return [ctx.stylize('<pending>', 'special')];
  ctx.indentationLvl += 2;
  const str = formatValue(ctx, result, recurseTimes);
  ctx.indentationLvl -= 2;
  return [state === 'rejected' ? `${ctx.stylize('<rejected>', 'special')} ${str}` : str];
}

function formatWeakCollection(ctx) {
  return [ctx.stylize('<items unknown>', 'special')];
}

/** Module namespace entries; a binding still in its temporal dead zone throws on access. */
function formatNamespace(ctx, value, recurseTimes, keys) {
  const output = [];
  for (let i = 0; i < keys.length; i++) {
    try {
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, keys[i], kObjectType));
    } catch {
      const name = formatKey(ctx, keys[i], true);
      ArrayPrototypePush(output, `${name}: ${ctx.stylize('<uninitialized>', 'special')}`);
    }
  }
  return output;
}

// ---- Layout -----------------------------------------------------------------

/**
 * Lays out the array entries of a long array in aligned columns (numbers
 * right-aligned, everything else left-aligned), about as wide as high.
 */
function groupArrayElements(ctx, output, value) {
  let count = output.length;
  if (ctx.maxArrayLength < output.length) count--; // the "... more items" line stays alone
  const separatorSpace = 2; // ", "
  const lengths = [];
  let totalLength = 0;
  let maxLength = 0;
  for (let i = 0; i < count; i++) {
    const len = ctx.colors ? visibleLength(output[i]) : output[i].length;
    lengths[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  // Group only if three columns fit, and no entry is much longer than the others.
  if (actualMax * 3 + ctx.indentationLvl >= ctx.breakLength ||
      (totalLength / actualMax <= 5 && maxLength > 6)) {
    return output;
  }
  // Characters are about 2.5 times as high as wide: aim for a square block.
  const averageBias = MathSqrt(actualMax - totalLength / output.length);
  const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
  const columns = MathMin(
    MathRound(MathSqrt(2.5 * biasedMax * count) / biasedMax),
    MathFloor((ctx.breakLength - ctx.indentationLvl) / actualMax),
    ctx.compact * 4,
    15,
  );
  if (columns <= 1) return output;
  const widths = [];
  for (let c = 0; c < columns; c++) {
    let width = 0;
    for (let j = c; j < output.length; j += columns) {
      if (lengths[j] > width) width = lengths[j];
    }
    ArrayPrototypePush(widths, width + separatorSpace);
  }
  let padStart = true;
  for (let i = 0; i < output.length; i++) {
    if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
      padStart = false;
      break;
    }
  }
  const rows = [];
  for (let i = 0; i < count; i += columns) {
    const end = MathMin(i + columns, count);
    let row = '';
    for (let j = i; j < end; j++) {
      const last = j === end - 1;
      const cell = last ? output[j] : `${output[j]}, `;
      // Color sequences take no room on screen.
      const width = widths[j - i] + output[j].length - lengths[j] - (last ? separatorSpace : 0);
      if (padStart) {
        row += StringPrototypePadStart(cell, width, ' ');
      } else {
        row += last ? cell : StringPrototypePadEnd(cell, width, ' ');
      }
    }
    ArrayPrototypePush(rows, row);
  }
  if (count < output.length) ArrayPrototypePush(rows, output[count]);
  return rows;
}

/** True if the entries fit on one line of breakLength, starting at column `start`. */
function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += ctx.colors ? visibleLength(output[i]) : output[i].length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === '' || !StringPrototypeIncludes(base, '\n');
}

/**
 * Joins the entries: on one line if the object is among the `compact` innermost
 * levels and the line fits in breakLength, otherwise one entry per line,
 * indented by two spaces.
 */
function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
    const entries = output.length;
    if (extrasType === kArrayExtrasType && entries >= kMinGroupEntries) {
      output = groupArrayElements(ctx, output, value);
    }
    if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(ctx, output, start, base)) {
        const joined = ArrayPrototypeJoin(output, ', ');
        if (!StringPrototypeIncludes(joined, '\n')) {
          return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
        }
      }
    }
  }
  const indentation = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${
    ArrayPrototypeJoin(output, `,${indentation}  `)}${indentation}${braces[1]}`;
}
