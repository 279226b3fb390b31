// CommonJS as Node runs it (nodejs.org/api/modules.html): require, module, exports,
// __filename, __dirname, require.resolve, require.cache, cycles (a module required while
// it loads gives its exports so far), module.createRequire. require() of an ES module is
// ERR_REQUIRE_ESM, as in Node 20 without require(esm).
import binding from 'rtjs:binding';
import { codedError } from './errors.js';
import { builtinModule, dirname, fileFormat, resolveRequire } from './resolve.js';
import primordials from '../primordials.js';

const { JSONParse, ObjectCreate, ObjectKeys, ReflectApply } = primordials;

const { compileFunction, readFile, importSync } = binding;

const wrapperParams = ['exports', 'require', 'module', '__filename', '__dirname'];
// Syntax only an ES module may use: Node 20 then runs an ambiguous .js file as a module.
const esmSyntax = /Cannot use import statement outside a module|Unexpected token 'export'|Cannot use 'import\.meta' outside a module|await is only valid in async functions and the top level bodies of modules/;

const cache = ObjectCreate(null);
const compiled = new Map(); // ambiguous files already compiled as CommonJS while detecting
let mainModule;

/** The runtime module's default export: what require('fs') returns. */
function requireBuiltin(name) {
  return importSync(name).default;
}

function stripHashbang(source) {
  return source.startsWith('#!') ? `//${source.slice(2)}` : source;
}

/** The CommonJS function for `file`, or null when the file is an ES module by its syntax. */
export function compileCommonJs(file, source, ambiguous) {
  if (compiled.has(file)) return compiled.get(file);
  const text = stripHashbang(source);
  if (ambiguous) {
    try {
      compiled.set(file, compileFunction(text, file, wrapperParams));
      return compiled.get(file);
    } catch (err) {
      if (err instanceof SyntaxError && esmSyntax.test(err.message)) return null;
    }
  }
  // Not caught here: a SyntaxError thrown natively keeps its file, line and column.
  const fn = compileFunction(text, file, wrapperParams);
  compiled.set(file, fn);
  return fn;
}

/** Whether an ambiguous .js file is an ES module by its syntax. */
export function looksLikeModule(file, source) {
  return compileCommonJs(file, source, true) === null;
}

function requireEsmError(file, parent) {
  return codedError(Error, 'ERR_REQUIRE_ESM',
    `require() of ES Module ${file}${parent ? ` from ${parent}` : ''} not supported.\n` +
    `Instead change the require of ${file.slice(file.lastIndexOf('/') + 1)}${parent ? ` in ${parent}` : ''} to a dynamic import() which is available in all CommonJS modules.`);
}

export class Module {
  constructor(id = '', parent = undefined) {
    this.id = id;
    this.path = dirname(id);
    this.exports = {};
    this.filename = null;
    this.loaded = false;
    this.children = [];
    this.paths = nodeModulePaths(this.path);
    Object.defineProperty(this, 'parent', { value: parent, writable: true, enumerable: false, configurable: true });
    if (parent && parent.children) parent.children.push(this);
  }

  require(id) {
    if (typeof id !== 'string') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "id" argument must be of type string. Received ${typeof id}`);
    }
    if (id === '') throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'id' must be a non-empty string. Received ''");
    return loadModule(id, this);
  }

  _compile(source, filename) {
    const fn = compileCommonJs(filename, source, false);
    const require = makeRequire(this);
    return ReflectApply(fn, this.exports, [this.exports, require, this, filename, dirname(filename)]);
  }

  static _cache = cache;
  static builtinModules = [];
  static _extensions = ObjectCreate(null);
  static wrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
  static wrap(source) { return Module.wrapper[0] + source + Module.wrapper[1]; }
  static _resolveFilename(request, parent) {
    return resolveRequire(request, parent && parent.filename ? parent.filename : `${binding.cwd()}/[eval]`);
  }
  static _nodeModulePaths(dir) { return nodeModulePaths(dir); }
  static createRequire(filename) { return createRequire(filename); }
  static isBuiltin(name) { return builtinModule(String(name)) !== null; }
}

// Also the loader of files with another extension or none (yargs/yargs): as in Node, only a
// '.js' file is held to its package's "type"; the others are always CommonJS to require.
Module._extensions['.js'] = function loadJs(module, filename) {
  const source = readSource(filename);
  const format = filename.endsWith('.js') ? fileFormat(filename) : 'commonjs';
  if (format === 'module' || (format === 'ambiguous' && looksLikeModule(filename, source))) {
    throw requireEsmError(filename, module.parent && module.parent.filename);
  }
  module._compile(source, filename);
};
Module._extensions['.cjs'] = function loadCjs(module, filename) {
  module._compile(readSource(filename), filename);
};
Module._extensions['.mjs'] = function loadMjs(module, filename) {
  throw requireEsmError(filename, module.parent && module.parent.filename);
};
Module._extensions['.json'] = function loadJson(module, filename) {
  try {
    module.exports = JSONParse(stripBom(readSource(filename)));
  } catch (err) {
    err.message = `${filename}: ${err.message}`;
    throw err;
  }
};
Module._extensions['.node'] = function loadAddon(module, filename) {
  throw codedError(Error, 'ERR_DLOPEN_FAILED', `${filename}: native addons cannot run on rtjs (only JavaScript and WebAssembly)`);
};

function stripBom(text) { return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; }

function readSource(filename) {
  const source = readFile(filename);
  if (source === undefined) throw codedError(Error, 'ENOENT', `ENOENT: no such file or directory, open '${filename}'`);
  return source;
}

function nodeModulePaths(dir) {
  const paths = [];
  for (let d = dir; ; d = dirname(d)) {
    if (!d.endsWith('/node_modules')) paths.push(`${d === '/' ? '' : d}/node_modules`);
    if (d === '/' || d === '') break;
  }
  return paths;
}

function extensionOf(filename) {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot <= 0 ? '' : base.slice(dot);
  return Module._extensions[ext] ? ext : '.js';
}

/** Runs (once) the CommonJS module `filename`; its module object. */
function loadFile(filename, parent, isMain) {
  const cached = cache[filename];
  if (cached) {
    if (parent && parent.children && !parent.children.includes(cached)) parent.children.push(cached);
    return cached;
  }
  const module = new Module(filename, parent);
  module.filename = filename;
  if (isMain) {
    mainModule = module;
    module.id = '.';
  }
  cache[filename] = module;
  let threw = true;
  try {
    Module._extensions[extensionOf(filename)](module, filename);
    threw = false;
  } finally {
    if (threw) delete cache[filename];
  }
  module.loaded = true;
  return module;
}

function loadModule(request, parent) {
  const base = parent && parent.filename ? parent.filename : `${binding.cwd()}/[eval]`;
  const filename = resolveRequire(request, base);
  if (filename.startsWith('rtjs:')) return requireBuiltin(filename);
  return loadFile(filename, parent, false).exports;
}

function makeRequire(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => {
    if (options && options.paths) {
      for (const dir of options.paths) {
        try {
          return resolveRequire(request, `${dir}/[resolve]`);
        } catch (err) {
          if (err.code !== 'MODULE_NOT_FOUND') throw err;
        }
      }
      throw codedError(Error, 'MODULE_NOT_FOUND', `Cannot find module '${request}'`);
    }
    const found = resolveRequire(request, module.filename || `${binding.cwd()}/[eval]`);
    return found.startsWith('rtjs:') ? found.slice('rtjs:node/'.length, -'.js'.length) : found;
  };
  require.resolve.paths = (request) => (builtinModule(request) ? null : nodeModulePaths(module.path));
  require.cache = cache;
  require.main = mainModule;
  require.extensions = Module._extensions;
  return require;
}

/** module.createRequire(filename): a require that resolves from `filename` (path or file: URL). */
export function createRequire(filename) {
  let path = filename;
  if (filename && typeof filename === 'object' && typeof filename.href === 'string') path = filename.href;
  if (typeof path === 'string' && path.startsWith('file://')) path = decodeURIComponent(path.slice(7));
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received ${JSON.stringify(filename)}`);
  }
  const module = new Module(path, undefined);
  module.filename = path;
  return makeRequire(module);
}

/**
 * Runs the CommonJS module `filename` for an `import` of it (or as the app's main file):
 * its module.exports.
 */
export function exportsForImport(filename, isMain) {
  return loadFile(filename, undefined, isMain).exports;
}

export function keysOf(value) { return value !== null && typeof value === 'object' ? ObjectKeys(value) : []; }
