// The app module loader: what the native module system (src/core/engine/modules.cc) asks
// when an app imports. resolve() is Node's ESM resolution; load() gives each module's
// source: an ES module's own text, or a small generated module that bridges a CommonJS
// or JSON file into the module graph:
//   CommonJS: default = module.exports, plus the names cjs-module-lexer finds (as Node);
//   JSON: default = the parsed value (only with `with { type: 'json' }`, as Node).
import binding from 'rtjs:binding';
import { codedError } from './errors.js';
import { compileCommonJs, looksLikeModule } from './cjs.js';
import { builtinModule, fileFormat, resolveImport, resolveRequire } from './resolve.js';
import primordials from '../primordials.js';

const { JSONParse, JSONStringify } = primordials;

const { readFile } = binding;
const jsonValues = new Map();
// The app's main module's name: null until it is loaded, '' when the app has none. Read at
// the first load, not while this module evaluates: it is evaluated into the startup snapshot,
// where the app is the snapshot maker.
let mainName;
let lexer; // cjs-module-lexer, loaded with the first CommonJS import

function checkImportType(name, type) {
  if (type !== '' && type !== 'json') {
    throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED', `Import assertion type "${type}" is unsupported`);
  }
  const json = !name.startsWith('rtjs:') && fileFormat(name) === 'json';
  if (json && type !== 'json') {
    throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_MISSING', `Module "file://${name}" needs an import attribute of type "json"`);
  }
  if (!json && type === 'json') {
    throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_FAILED', `Module "${name.startsWith('rtjs:') ? name : `file://${name}`}" is not of type "json"`);
  }
}

export function resolve(specifier, referrer, type) {
  const name = resolveImport(specifier, referrer);
  checkImportType(name, type);
  return name;
}

// The names an import of a CommonJS file gets besides default, following its re-exports.
function commonJsNames(file, source, seen = new Set()) {
  seen.add(file);
  let found;
  try {
    lexer ??= binding.importSync('rtjs:vendor/cjs-module-lexer.js').default;
    found = lexer.parse(source);
  } catch {
    return [];
  }
  const names = new Set(found.exports);
  for (const spec of found.reexports) {
    let target;
    try {
      target = resolveRequire(spec, file);
    } catch {
      continue;
    }
    if (target.startsWith('rtjs:')) {
      for (const key of Object.keys(binding.importSync(target).default || {})) names.add(key);
    } else if (!seen.has(target) && fileFormat(target) !== 'json') {
      const text = readFile(target);
      if (text !== undefined) for (const key of commonJsNames(target, text, seen)) names.add(key);
    }
  }
  names.delete('default');
  return [...names];
}

function commonJsBridge(file, source, isMain) {
  let text = "import { exportsForImport } from 'rtjs:internal/modules/cjs.js';\n" +
    `const exports = exportsForImport(${JSONStringify(file)}, ${isMain});\nexport default exports;\n`;
  // Nothing imports the app's main file: only the files other modules import are lexed.
  const names = isMain ? [] : commonJsNames(file, source);
  for (let i = 0; i < names.length; i++) {
    text += `const e${i} = exports == null ? undefined : exports[${JSONStringify(names[i])}];\n` +
      `export { e${i} as ${JSONStringify(names[i])} };\n`;
  }
  return text;
}

/** The parsed value of a JSON module (the generated module's default export). */
export function jsonForImport(file) { return jsonValues.get(file); }

export function load(name) {
  if (mainName === undefined) mainName = binding.mainPath ? null : '';
  const isMain = mainName === null;
  if (isMain) mainName = name;
  const source = readFile(name);
  if (source === undefined) throw codedError(Error, 'ERR_MODULE_NOT_FOUND', `Cannot find module '${name}'`);
  const format = fileFormat(name);
  if (format === 'json') {
    try {
      jsonValues.set(name, JSONParse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source));
    } catch (err) {
      throw new SyntaxError(`${name}: ${err.message}`);
    }
    return {
      source: `import { jsonForImport } from 'rtjs:internal/modules/loader.js';\nexport default jsonForImport(${JSONStringify(name)});\n`,
      trusted: true,
    };
  }
  if (format === 'module' || (format === 'ambiguous' && looksLikeModule(name, source))) {
    return { source, trusted: false };
  }
  if (format === 'addon') {
    throw codedError(Error, 'ERR_DLOPEN_FAILED', `${name}: native addons cannot run on rtjs (only JavaScript and WebAssembly)`);
  }
  if (format === 'unknown') {
    throw codedError(TypeError, 'ERR_UNKNOWN_FILE_EXTENSION', `Unknown file extension for ${name}`);
  }
  compileCommonJs(name, source, false); // a syntax error is reported against the file itself
  return { source: commonJsBridge(name, source, isMain), trusted: true };
}

export { builtinModule };
