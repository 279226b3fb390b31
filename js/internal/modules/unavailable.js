// Built-in modules whose service rtjs does not have yet (TLS, for node:https): the module
// exists, and each call fails with a clear ENOSYS error instead of a missing module.
import { codedError } from './errors.js';

/** An object whose named functions all throw ENOSYS naming `module.name` and `why`. */
export function unavailable(module, names, why) {
  const out = {};
  for (const name of names) {
    out[name] = function unavailableCall() {
      const err = codedError(Error, 'ENOSYS', `${module}.${name}() is not available on rtjs yet: ${why}`);
      err.syscall = name;
      err.errno = -38; // ENOSYS (Linux asm-generic/errno.h)
      const callback = arguments[arguments.length - 1];
      if (name !== 'createServer' && typeof callback === 'function') {
        queueMicrotask(() => callback(err));
        return undefined;
      }
      throw err;
    };
  }
  return out;
}
