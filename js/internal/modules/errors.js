// Errors with Node's error codes (nodejs.org/api/errors.html#nodejs-error-codes): the
// message says what, which resource and why; `code` is the stable name to test for.
import primordials from '../primordials.js';

const { ErrorCaptureStackTrace, ObjectDefineProperty } = primordials;

function codedToString() { return `${this.name} [${this.code}]: ${this.message}`; }

/**
 * A new `Ctor` (Error, TypeError, ...) with `message` and an enumerable `code`. As Node's
 * own errors, it reads "TypeError [ERR_X]: message" in its stack's first line and through
 * toString(): programs and tests match the code there.
 */
export function codedError(Ctor, code, message) {
  const err = new Ctor(message);
  ErrorCaptureStackTrace(err, codedError);   // the stack starts where the error was made
  ObjectDefineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
  // V8 writes the stack's first line from the name when the stack is first read: the name
  // carries the code for that one read, and then the prototype's name shows through again.
  ObjectDefineProperty(err, 'name', { value: `${err.name} [${code}]`, writable: true, configurable: true, enumerable: false });
  err.stack;   // eslint-disable-line no-unused-expressions
  delete err.name;
  ObjectDefineProperty(err, 'toString', { value: codedToString, writable: true, configurable: true, enumerable: false });
  return err;
}

/** The AbortError an aborted `signal` makes an operation fail with (Node's ABORT_ERR). */
export function abortError(signal) {
  const err = codedError(Error, 'ABORT_ERR', 'The operation was aborted');
  err.name = 'AbortError';
  if (signal && signal.reason !== undefined) err.cause = signal.reason;
  return err;
}
