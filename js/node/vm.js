// node:vm on rtjs: code compiled and run in the app's own realm (runInThisContext, Script,
// compileFunction), which is what packages that load generated code use. New contexts
// (createContext, runInNewContext, runInContext) are not offered: each rtjs app is already a
// realm of its own, and a second realm inside an app would need V8 contexts the runtime does
// not make for apps; those calls fail with ERR_FEATURE_UNAVAILABLE_ON_PLATFORM naming them.
// The filename, line and column options do not change the stack traces' locations.
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType } from '../internal/node-errors.js';

const globalEval = eval;   // called indirectly: global scope, as runInThisContext runs

function checkCode(code) {
  if (typeof code !== 'string') throw invalidArgType('code', 'string', code);
}

function unavailable(name) {
  return () => {
    throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
      `vm.${name}() is not supported on rtjs: an app has one realm, its own (rt.spawn starts code in a new one)`);
  };
}

export class Script {
  #code;
  constructor(code, options = undefined) {
    checkCode(code);
    if (options !== undefined && typeof options !== 'string' && (options === null || typeof options !== 'object')) {
      throw invalidArgType('options', 'object', options);
    }
    // Compiled now, as Node's constructor does, so a syntax error is thrown here.
    new Function(`return () => {\n${code}\n}`);   // eslint-disable-line no-new-func
    this.#code = code;
  }
  runInThisContext() { return globalEval(this.#code); }
  runInContext() { return unavailable('Script.runInContext')(); }
  runInNewContext() { return unavailable('Script.runInNewContext')(); }
}

export function runInThisContext(code, options = undefined) { return new Script(code, options).runInThisContext(); }

/** A function with `params` whose body is `code`, in the app's realm. */
export function compileFunction(code, params = [], options = {}) {
  checkCode(code);
  if (!Array.isArray(params)) throw invalidArgType('params', 'Array', params);
  if (options?.parsingContext !== undefined || options?.contextExtensions?.length) {
    return unavailable('compileFunction with a context')();
  }
  return new Function(...params, code);   // eslint-disable-line no-new-func
}

export const createContext = unavailable('createContext');
export const runInContext = unavailable('runInContext');
export const runInNewContext = unavailable('runInNewContext');
export const measureMemory = unavailable('measureMemory');
/** No object is a vm context here: createContext makes none. */
export function isContext(object) {
  if (object === null || typeof object !== 'object') throw invalidArgType('object', 'object', object);
  return false;
}

export const constants = Object.freeze({
  USE_MAIN_CONTEXT_DEFAULT_LOADER: Symbol('vm_dynamic_import_main_context_default'),
  DONT_CONTEXTIFY: Symbol('vm_context_no_contextify'),
});

export default {
  Script, runInThisContext, compileFunction, createContext, runInContext, runInNewContext,
  measureMemory, isContext, constants,
};
