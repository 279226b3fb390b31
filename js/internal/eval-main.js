// `rtjs -e CODE` and `rtjs -p CODE`: the code runs as a classic script in the global scope
// (as Node's --eval), so its declarations are globals and -p can print its completion value.
// As in Node it is CommonJS: require, module, exports, __filename ('[eval]') and __dirname
// ('.') are globals, require resolving from the working directory.
// An exception propagates: it is reported as any uncaught one, and the status is 1.
import binding from 'rtjs:binding';
import { console } from './console.js';
import { Module, createRequire } from './modules/cjs.js';

const module = new Module('[eval]');
module.filename = `${binding.cwd()}/[eval]`;
module.paths = Module._nodeModulePaths(binding.cwd());
Object.assign(globalThis, {
  module, exports: module.exports, require: createRequire(module.filename), __filename: '[eval]', __dirname: '.',
});

const result = binding.evalScript(binding.evalSource, '[eval]');
if (binding.printEval) console.log(result);
