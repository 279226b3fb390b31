// Errors with Node's error codes (nodejs.org/api/errors.html#nodejs-error-codes): the
// message says what, which resource and why; `code` is the stable name to test for.
const ObjectDefineProperty = Object.defineProperty;

/** A new `Ctor` (Error, TypeError, ...) with `message` and an enumerable `code`. */
export function codedError(Ctor, code, message) {
  const err = new Ctor(message);
  ObjectDefineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
  return err;
}
