// node:assert (nodejs.org/api/assert.html): AssertionError and the assertion functions;
// deep equality is util's (isDeepStrictEqual), loose where Node's is loose.
import { inspect } from '../internal/inspect.js';
import { describeReceived, invalidArgType } from '../internal/node-errors.js';
import { codedError } from '../internal/modules/errors.js';
import { falsyValueMessage } from '../internal/assert-source.js';
import { deepEqual } from './util.js';

const HERE = import.meta.url;

export class AssertionError extends Error {
  constructor(options = {}) {
    const { message, actual, expected, operator } = options;
    super(message !== undefined ? String(message)
      : `${inspect(actual)} ${operator} ${inspect(expected)}`);
    this.name = 'AssertionError';
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    this.generatedMessage = message === undefined;
    if (typeof options.stackStartFn === 'function') {
      Error.captureStackTrace(this, options.stackStartFn);
    } else if (typeof this.stack === 'string') {
      // As Node's: the stack starts at the caller of the assertion, not inside this module.
      // Async frames stay: they are the assertions awaiting this one (rejects(rejects(...))).
      this.stack = this.stack.split('\n')
        .filter((line) => !line.includes(HERE) || /^\s*at async /.test(line)).join('\n');
    }
  }
}

// An AssertionError whose message is the caller's, else `defaultMessage` (then
// generatedMessage is true, as Node marks the messages it wrote).
function assertionError(actual, expected, message, operator, defaultMessage) {
  const err = new AssertionError({ actual, expected, operator, message: message === undefined ? defaultMessage : message });
  err.generatedMessage = message === undefined;
  return err;
}

function fail(actual, expected, message, operator, defaultMessage) {
  if (message instanceof Error) throw message;
  throw assertionError(actual, expected, message, operator, defaultMessage);
}

// `fn` is the function the program called (assert, assert.ok, strict...): the message
// quotes the program's own call to it when its source can be read.
function innerOk(fn, value, message, argCount) {
  if (!value) {
    let generated;
    if (argCount === 0) generated = 'No value argument passed to `assert.ok()`';
    else if (message === undefined || message === null) {
      message = undefined;
      // Without the source, AssertionError's own "<value> == true", as Node's.
      generated = falsyValueMessage(fn);
    }
    fail(value, true, message, '==', generated);
  }
}

export function ok(...args) { innerOk(ok, args[0], args[1], args.length); }

export function equal(actual, expected, message) {
  // eslint-disable-next-line eqeqeq
  if (!(actual == expected || (actual !== actual && expected !== expected))) fail(actual, expected, message, '==');
}
export function notEqual(actual, expected, message) {
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (actual !== actual && expected !== expected)) fail(actual, expected, message, '!=');
}
export function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) {
    fail(actual, expected, message, 'strictEqual', `Expected values to be strictly equal:\n\n${inspect(actual)} !== ${inspect(expected)}\n`);
  }
}
export function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) {
    fail(actual, expected, message, 'notStrictEqual', `Expected "actual" to be strictly unequal to: ${inspect(expected)}`);
  }
}
export function deepStrictEqual(actual, expected, message) {
  if (!deepEqual(actual, expected, true, new Map())) {
    fail(actual, expected, message, 'deepStrictEqual', `Expected values to be strictly deep-equal:\n${inspect(actual)}\n\nshould equal\n\n${inspect(expected)}`);
  }
}
export function notDeepStrictEqual(actual, expected, message) {
  if (deepEqual(actual, expected, true, new Map())) {
    fail(actual, expected, message, 'notDeepStrictEqual', `Expected "actual" not to be strictly deep-equal to: ${inspect(expected)}`);
  }
}
export function deepEqualLoose(actual, expected, message) {
  if (!deepEqual(actual, expected, false, new Map())) {
    fail(actual, expected, message, 'deepEqual', `Expected values to be loosely deep-equal:\n\n${inspect(actual)}\n\nshould loosely deep-equal\n\n${inspect(expected)}`);
  }
}
export function notDeepEqual(actual, expected, message) {
  if (deepEqual(actual, expected, false, new Map())) {
    fail(actual, expected, message, 'notDeepEqual', `"actual" deepEqual "expected"`);
  }
}

// Does `error` satisfy `expected` (a class, a RegExp, a validation function or an object)?
function matches(error, expected, message, fnName) {
  if (expected === undefined) return;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      fail(error, expected, message, fnName, `The error is expected to be an instance of "${expected.name}". Received "${error && error.constructor && error.constructor.name}"`);
    }
    const result = expected.call({}, error);
    if (result === true) return;
    const name = expected.name ? `"${expected.name}" ` : '';
    const caught = error instanceof Error ? `\n\nCaught error:\n\n${error}` : '';
    fail(error, expected, message, fnName, `The ${name}validation function is expected to return "true". Received ${inspect(result)}${caught}`);
  }
  if (expected instanceof RegExp) {
    if (expected.test(String(error))) return;
    fail(error, expected, message, fnName, `The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(String(error))}\n`);
  }
  if (typeof expected === 'object' && expected !== null) {
    for (const key of Object.keys(expected)) {
      const want = expected[key];
      const got = error == null ? undefined : error[key];
      const same = want instanceof RegExp && typeof got === 'string' ? want.test(got) : deepEqual(got, want, true, new Map());
      if (!same) fail(error, expected, message, fnName, `Expected values to be strictly deep-equal:\n+ actual - expected\n\n  ${key}: ${inspect(got)} !== ${inspect(want)}`);
    }
  }
}

const NO_EXCEPTION = Symbol('no exception');

function caught(fn) {
  try { fn(); } catch (err) { return err; }
  return NO_EXCEPTION;
}

export function throws(fn, expected, message) {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  const error = caught(fn);
  if (error === NO_EXCEPTION) fail(undefined, expected, message, 'throws', `Missing expected exception${expected && expected.name ? ` (${expected.name})` : ''}.`);
  matches(error, expected, message, 'throws');
}

// Whether an unwanted error is the kind doesNotThrow/doesNotReject were told to refuse.
function hasMatchingError(actual, expected) {
  if (typeof expected !== 'function') {
    if (expected instanceof RegExp) return expected.test(String(actual));
    throw invalidArgType('expected', ['Function', 'RegExp'], expected);
  }
  if (expected.prototype !== undefined && actual instanceof expected) return true;
  if (Error.isPrototypeOf(expected)) return false;
  return Reflect.apply(expected, {}, [actual]) === true;
}

// As Node: an error of the refused kind (or any, when none is named) is an AssertionError
// quoting it; any other error goes on as it was.
function expectsNoError(kind, operator, actual, expected, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  if (!expected || hasMatchingError(actual, expected)) {
    const details = message ? `: ${message}` : '.';
    throw new AssertionError({ actual, expected, operator,
      message: `Got unwanted ${kind}${details}\nActual message: "${actual && actual.message}"` });
  }
  throw actual;
}

export function doesNotThrow(fn, expected, message) {
  expectsNoError('exception', 'doesNotThrow', caught(fn), expected, message);
}

// The promise's outcome: its rejection, or NO_EXCEPTION. A function that throws instead of
// returning a promise makes the assertion itself reject with that error, as in Node.
async function waitForActual(promiseFn) {
  const isPromise = (v) => v instanceof Promise ||
    (v !== null && typeof v === 'object' && typeof v.then === 'function' && typeof v.catch === 'function');
  let result;
  if (typeof promiseFn === 'function') {
    result = promiseFn();
    if (!isPromise(result)) {
      throw codedError(TypeError, 'ERR_INVALID_RETURN_VALUE',
        `Expected instance of Promise to be returned from the "promiseFn" function but got ${describeReceived(result)}.`);
    }
  } else if (isPromise(promiseFn)) {
    result = promiseFn;
  } else {
    throw invalidArgType('promiseFn', ['Function', 'Promise'], promiseFn);
  }
  try {
    await result;
  } catch (err) {
    return err;
  }
  return NO_EXCEPTION;
}

export async function rejects(promiseFn, expected, message) {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  const error = await waitForActual(promiseFn);
  if (error === NO_EXCEPTION) fail(undefined, expected, message, 'rejects', `Missing expected rejection${expected && expected.name ? ` (${expected.name})` : ''}.`);
  matches(error, expected, message, 'rejects');
}

export async function doesNotReject(promiseFn, expected, message) {
  expectsNoError('rejection', 'doesNotReject', await waitForActual(promiseFn), expected, message);
}

export function match(string, regexp, message) {
  if (typeof string !== 'string' || !regexp.test(string)) {
    fail(string, regexp, message, 'match', `The input did not match the regular expression ${inspect(regexp)}. Input:\n\n${inspect(string)}\n`);
  }
}
export function doesNotMatch(string, regexp, message) {
  if (typeof string !== 'string' || regexp.test(string)) {
    fail(string, regexp, message, 'doesNotMatch', `The input was expected to not match the regular expression ${inspect(regexp)}. Input:\n\n${inspect(string)}\n`);
  }
}
export function ifError(value) {
  if (value === null || value === undefined) return;
  let what;
  if (typeof value === 'object' && typeof value.message === 'string') {
    what = value.message.length === 0 && value.constructor ? value.constructor.name : value.message;
  } else {
    what = inspect(value);
  }
  const err = assertionError(value, null, undefined, 'ifError', `ifError got unwanted exception: ${what}`);
  err.generatedMessage = false;
  // The unwanted error's frames follow the assertion's own, from where the two stacks part:
  // where the error came from is what its reader needs.
  const original = value.stack;
  const start = typeof original === 'string' ? original.indexOf('\n    at') : -1;
  if (start !== -1) {
    const originalFrames = original.slice(start + 1).split('\n');
    let frames = err.stack.split('\n');
    for (const frame of originalFrames) {
      const at = frames.indexOf(frame);
      if (at !== -1) {
        frames = frames.slice(0, at);
        break;
      }
    }
    err.stack = `${frames.join('\n')}\n${originalFrames.join('\n')}`;
  }
  throw err;
}
export function failCall(message) {
  if (message instanceof Error) throw message;
  throw assertionError(undefined, undefined, message, 'fail', 'Failed');
}

function makeAssert(strict) {
  const assert = (...args) => innerOk(assert, args[0], args[1], args.length);
  Object.assign(assert, {
    ok, fail: failCall, AssertionError, throws, doesNotThrow, rejects, doesNotReject, match, doesNotMatch,
    ifError, strictEqual, notStrictEqual, deepStrictEqual, notDeepStrictEqual,
    equal: strict ? strictEqual : equal,
    notEqual: strict ? notStrictEqual : notEqual,
    deepEqual: strict ? deepStrictEqual : deepEqualLoose,
    notDeepEqual: strict ? notDeepStrictEqual : notDeepEqual,
  });
  return assert;
}

export const strict = makeAssert(true);
const assert = makeAssert(false);
assert.strict = strict;
strict.strict = strict;
export { failCall as fail, deepEqualLoose as deepEqual };
export default assert;
