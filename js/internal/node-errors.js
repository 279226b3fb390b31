// The errors Node's own modules throw for bad arguments, with Node's codes and message
// wording (nodejs.org/api/errors.html), since programs and tests match on both: which
// argument, what it must be, and what was received.
import { codedError } from './modules/errors.js';
import { inspect } from './inspect.js';

// Names written as types ("of type string") rather than classes ("an instance of Buffer").
const TYPE_NAMES = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];
const CLASS_NAME = /^([A-Z][a-z0-9]*)+$/;
// inspect() output past this length is cut in "Received type ... (...)".
const RECEIVED_MAX = 28;
const RECEIVED_KEEP = 25;
// ERR_INVALID_ARG_VALUE shows at most this much of the value.
const VALUE_MAX = 128;

function list(words, joiner) {
  if (words.length > 2) return `${words.slice(0, -1).join(', ')}, ${joiner} ${words[words.length - 1]}`;
  return words.join(` ${joiner} `);
}

/** What "Received ..." says of `value`. */
export function describeReceived(value) {
  if (value == null) return `${value}`;
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'object') {
    if (value.constructor && value.constructor.name) return `an instance of ${value.constructor.name}`;
    return inspect(value, { depth: -1 });
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > RECEIVED_MAX) shown = `${shown.slice(0, RECEIVED_KEEP)}...`;
  return `type ${typeof value} (${shown})`;
}

function subject(name) {
  if (name.endsWith(' argument')) return name;
  return `"${name}" ${name.includes('.') ? 'property' : 'argument'}`;
}

/** ERR_INVALID_ARG_TYPE: `name` must be one of `expected` (type and class names). */
export function invalidArgType(name, expected, actual) {
  const wanted = Array.isArray(expected) ? expected : [expected];
  const types = [], classes = [], other = [];
  for (const w of wanted) {
    if (TYPE_NAMES.includes(w)) types.push(w.toLowerCase());
    else if (CLASS_NAME.test(w)) classes.push(w);
    else other.push(w);
  }
  if (classes.length > 0 && types.includes('object')) {
    types.splice(types.indexOf('object'), 1);
    classes.push('Object');
  }
  const parts = [];
  if (types.length > 0) parts.push(types.length > 1 ? `one of type ${list(types, 'or')}` : `of type ${types[0]}`);
  if (classes.length > 0) parts.push(`an instance of ${list(classes, 'or')}`);
  if (other.length > 0) {
    parts.push(other.length > 1 ? `one of ${list(other, 'or')}`
      : `${other[0].toLowerCase() !== other[0] ? 'an ' : ''}${other[0]}`);
  }
  return codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `The ${subject(name)} must be ${parts.join(' or ')}. Received ${describeReceived(actual)}`);
}

// 4294967296 -> 4_294_967_296, as Node writes large numbers in range errors.
function separated(digits) {
  let out = '';
  let i = digits.length;
  const start = digits[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) out = `_${digits.slice(i - 3, i)}${out}`;
  return `${digits.slice(0, i)}${out}`;
}

/** ERR_OUT_OF_RANGE: `name` must be `range` (words, e.g. ">= 0 and <= 7"). */
export function outOfRange(name, range, value, rawName = false) {
  let received;
  if (Number.isInteger(value) && Math.abs(value) > 2 ** 32) received = separated(String(value));
  else if (typeof value === 'bigint') {
    received = String(value);
    if (value > 2n ** 32n || value < -(2n ** 32n)) received = separated(received);
    received += 'n';
  } else received = inspect(value);
  const what = rawName ? name : `"${name}"`;
  return codedError(RangeError, 'ERR_OUT_OF_RANGE', `The value of ${what} is out of range. It must be ${range}. Received ${received}`);
}

/** ERR_INVALID_ARG_VALUE: `name` was given `value`, which `reason` (default "is invalid"). */
export function invalidArgValue(name, value, reason = 'is invalid') {
  let shown = inspect(value);
  if (shown.length > VALUE_MAX) shown = `${shown.slice(0, VALUE_MAX)}...`;
  const kind = name.includes('.') ? 'property' : 'argument';
  return codedError(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${kind} '${name}' ${reason}. Received ${shown}`);
}

/** ERR_UNKNOWN_ENCODING. */
export function unknownEncoding(encoding) {
  return codedError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
}

/** ERR_BUFFER_OUT_OF_BOUNDS: an access past a buffer's end. */
export function bufferOutOfBounds(name) {
  return codedError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS',
    name ? `"${name}" is outside of buffer bounds` : 'Attempt to access memory outside buffer bounds');
}

/**
 * Node's SystemError (ERR_SYSTEM_ERROR) for a failed libuv-level call: `syscall` returned
 * `code` (an errno name; `errno` its number, negative as libuv's), `why` its description.
 */
export function systemError(syscall, code, errno, why) {
  const err = codedError(Error, 'ERR_SYSTEM_ERROR', `A system error occurred: ${syscall} returned ${code} (${why})`);
  err.name = 'SystemError';
  err.info = { errno, code, message: why, syscall };
  err.errno = errno;
  err.syscall = syscall;
  return err;
}
