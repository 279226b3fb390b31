// Errors with Node's error codes (nodejs.org/api/errors.html#nodejs-error-codes): the
// message says what, which resource and why; `code` is the stable name to test for.
import primordials from '../primordials.js';

const { ObjectDefineProperty } = primordials;

/** A new `Ctor` (Error, TypeError, ...) with `message` and an enumerable `code`. */
export function codedError(Ctor, code, message) {
  const err = new Ctor(message);
  ObjectDefineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
  return err;
}

/** The AbortError an aborted `signal` makes an operation fail with (Node's ABORT_ERR). */
export function abortError(signal) {
  const err = codedError(Error, 'ABORT_ERR', 'The operation was aborted');
  err.name = 'AbortError';
  if (signal && signal.reason !== undefined) err.cause = signal.reason;
  return err;
}
