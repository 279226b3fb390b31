// Errors with Node's error codes (nodejs.org/api/errors.html#nodejs-error-codes): the
// message says what, which resource and why; `code` is the stable name to test for.
import primordials from '../primordials.js';

const {
  Error: ErrorCtor, ErrorCaptureStackTrace, ObjectDefineProperty, ObjectGetOwnPropertyDescriptor,
  ObjectIsExtensible, StringPrototypeIndexOf, StringPrototypeSlice,
} = primordials;

function codedToString() { return `${this.name} [${this.code}]: ${this.message}`; }

// Whether the program left Error.stackTraceLimit assignable (it may freeze it).
function stackTraceLimitWritable() {
  const desc = ObjectGetOwnPropertyDescriptor(ErrorCtor, 'stackTraceLimit');
  if (desc === undefined) return ObjectIsExtensible(ErrorCtor);
  return 'writable' in desc ? desc.writable : desc.set !== undefined;
}

// `new Ctor(message)` with no frames captured: the stack is taken once, below. Redefining
// the 'stack' V8 gave the error reads it first, and so formats it: with frames, that cost
// more than the rest of making the error.
function bareError(Ctor, message) {
  if (!stackTraceLimitWritable()) return new Ctor(message);
  const limit = ErrorCtor.stackTraceLimit;
  ErrorCtor.stackTraceLimit = 0;
  try {
    return new Ctor(message);
  } finally {
    ErrorCtor.stackTraceLimit = limit;
  }
}

/**
 * A new `Ctor` (Error, TypeError, ...) with `message` and an enumerable `code`. As Node's
 * own errors, it reads "TypeError [ERR_X]: message" in its stack's first line and through
 * toString(): programs and tests match the code there.
 */
export function codedError(Ctor, code, message) {
  const err = bareError(Ctor, message);
  ObjectDefineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
  ObjectDefineProperty(err, 'toString', { value: codedToString, writable: true, configurable: true, enumerable: false });
  // The frames are taken now (cheap); the text only when the stack is first read, as V8
  // does: formatting it for every error made a program that throws and catches many
  // (argument checks in a loop) several times slower. The frames' holder is not an Error,
  // so its text starts with one line of its own, replaced by the error's.
  // An Error.prepareStackTrace of the program's that returns something other than text (the
  // call sites, say) has that returned as it is.
  const frames = {};
  ErrorCaptureStackTrace(frames, codedError);
  let stack;
  ObjectDefineProperty(err, 'stack', {
    get() {
      if (stack === undefined) {
        const text = frames.stack;
        if (typeof text !== 'string') return (stack = text);
        const nl = StringPrototypeIndexOf(text, '\n');
        stack = `${err.name} [${err.code}]: ${err.message}${nl < 0 ? '' : StringPrototypeSlice(text, nl)}`;
      }
      return stack;
    },
    set(value) { stack = value; },
    configurable: true, enumerable: false,
  });
  return err;
}

/** The AbortError an aborted `signal` makes an operation fail with (Node's ABORT_ERR). */
export function abortError(signal) {
  // Not one of Node's coded errors: its stack and text read "AbortError: ...", as Node's.
  const err = new Error('The operation was aborted');
  ObjectDefineProperty(err, 'code', { value: 'ABORT_ERR', writable: true, configurable: true, enumerable: true });
  err.name = 'AbortError';
  if (signal && signal.reason !== undefined) err.cause = signal.reason;
  return err;
}
