// Functions of Node modules rtjs loads but cannot serve (cluster, http2, inspector, wasi...):
// the module loads, so a package that only may use it loads and runs; a call fails with
// ERR_FEATURE_UNAVAILABLE_ON_PLATFORM saying what and why.
import { codedError } from './modules/errors.js';

/** A function named `module.name` that throws, with `why` as the reason. */
export function unavailable(module, name, why) {
  return {
    [name]() {
      throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', `${module}.${name}() is not supported on rtjs: ${why}`);
    },
  }[name];
}

/** A class whose constructor throws as unavailable() does. */
export function unavailableClass(module, name, why) {
  const fail = unavailable(module, name, why);
  return { [name]: class { constructor() { fail(); } } }[name];
}
