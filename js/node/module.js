// node:module: createRequire, builtinModules, isBuiltin, and the CommonJS Module class.
import { Module, createRequire } from '../internal/modules/cjs.js';

/** The built-in module names (without 'node:'), as Node lists them. */
export const builtinModules = [
  'assert', 'assert/strict', 'buffer', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https',
  'module', 'net', 'os', 'path', 'path/posix', 'process', 'punycode', 'querystring', 'readline', 'stream',
  'stream/promises', 'string_decoder', 'timers', 'timers/promises', 'tls', 'url', 'util', 'util/types',
  'worker_threads',
].filter((name) => Module.isBuiltin(name));
Module.builtinModules = builtinModules;

export const isBuiltin = Module.isBuiltin;
export { createRequire, Module };
export default Module;
