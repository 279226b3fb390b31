// node:module: createRequire, builtinModules, isBuiltin, and the CommonJS Module class.
import { Module, createRequire } from '../internal/modules/cjs.js';

/** The built-in module names (without 'node:'), as Node lists them. */
export const builtinModules = [
  '_stream_duplex', '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_writable',
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'console', 'crypto', 'dgram', 'dns',
  'dns/promises', 'events', 'fs', 'fs/promises', 'http', 'https', 'module', 'net', 'os', 'path',
  'path/posix', 'path/win32', 'process', 'punycode', 'querystring', 'readline', 'readline/promises',
  'stream', 'stream/promises', 'stream/web', 'string_decoder', 'timers', 'timers/promises', 'tls', 'tty',
  'url', 'util', 'util/types', 'worker_threads', 'zlib',
].filter((name) => Module.isBuiltin(name));
Module.builtinModules = builtinModules;

export const isBuiltin = Module.isBuiltin;
export { createRequire, Module };
export default Module;
