// Node's module resolution (nodejs.org/api/esm.html#resolution-algorithm-specification and
// nodejs.org/api/modules.html#all-together): built-in names, relative and absolute paths,
// node_modules looked up the directory tree, package.json "main", "exports" (subpaths,
// patterns, conditions), "imports" (#name) and "type". App files are read natively
// (hosted from the host's file system, on the kernel from the initrd).
import binding from 'rtjs:binding';
import { codedError } from './errors.js';
import primordials from '../primordials.js';

const { ArrayIsArray, JSONParse, ObjectKeys } = primordials;

const { fileKind, readFile, hasBuiltin } = binding;
const FILE = 1;
const DIRECTORY = 2;
const SafeMap = Map;
const SafeSet = Set;

/** Conditions an `import` matches in "exports"/"imports", and a `require`. */
export const esmConditions = new SafeSet(['rtjs', 'node', 'import', 'default']);
export const cjsConditions = new SafeSet(['rtjs', 'node', 'require', 'default']);

// ---- paths (posix) ----

export function dirname(path) {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

export function normalize(path) {
  const out = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '' && seg !== '.') out.push(seg);
  }
  return `/${out.join('/')}`;
}

export function join(dir, rel) { return normalize(`${dir}/${rel}`); }

function extname(path) {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot);
}

export function isFile(path) { return fileKind(path) === FILE; }
export function isDirectory(path) { return fileKind(path) === DIRECTORY; }

/** file:///a/b%20c -> /a/b c */
export function fileUrlToPath(url) {
  let path = url.slice('file://'.length);
  if (path.startsWith('localhost/')) path = path.slice('localhost'.length);
  if (/%2f/i.test(path)) {
    throw codedError(TypeError, 'ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters');
  }
  return decodeURIComponent(path.replace(/[?#].*$/, ''));
}

// ---- package.json ----

const packageCache = new SafeMap();

/** The parsed package.json at `path`, or null when there is none. Cached. */
export function readPackage(path) {
  if (packageCache.has(path)) return packageCache.get(path);
  const text = readFile(path);
  let pkg = null;
  if (text !== undefined) {
    try {
      pkg = JSONParse(text);
    } catch (err) {
      throw codedError(Error, 'ERR_INVALID_PACKAGE_CONFIG', `Invalid package config ${path}: ${err.message}`);
    }
    if (pkg === null || typeof pkg !== 'object') pkg = {};
  }
  packageCache.set(path, pkg);
  return pkg;
}

/** The nearest package.json above `file`: { dir, pkg } or null. */
export function packageScope(file) {
  let dir = dirname(file);
  for (;;) {
    if (dir.endsWith('/node_modules')) return null;
    const pkg = readPackage(`${dir === '/' ? '' : dir}/package.json`);
    if (pkg) return { dir, pkg };
    if (dir === '/') return null;
    dir = dirname(dir);
  }
}

/**
 * How a file is loaded: 'module', 'commonjs', 'json', or 'ambiguous' (a .js file whose
 * package says no "type": Node tells by its syntax).
 */
export function fileFormat(file) {
  const ext = extname(file);
  if (ext === '.mjs') return 'module';
  if (ext === '.cjs') return 'commonjs';
  if (ext === '.json') return 'json';
  if (ext === '.node') return 'addon';
  const scope = packageScope(file);
  const type = scope && scope.pkg.type;
  if (type === 'module') return ext === '.js' || ext === '' ? 'module' : 'unknown';
  if (type === 'commonjs') return 'commonjs';
  return ext === '.js' || ext === '' ? 'ambiguous' : 'commonjs';
}

// ---- built-ins ----

// Built-ins only the node: scheme names, as in Node: require('test') is an npm package.
const SCHEME_ONLY = new Set(['test']);

/** The runtime module for a built-in name ('fs', 'node:fs', 'fs/promises'), or null. */
export function builtinModule(spec) {
  const name = spec.startsWith('node:') ? spec.slice(5) : spec;
  if (!/^[a-z_0-9]+(\/[a-z_0-9]+)?$/.test(name) || !hasBuiltin(`node/${name}.js`)) return null;
  if (name === spec && SCHEME_ONLY.has(name)) return null;
  return `rtjs:node/${name}.js`;
}

// ---- "exports" and "imports" (PACKAGE_EXPORTS_RESOLVE, PACKAGE_IMPORTS_RESOLVE) ----

function invalidTarget(pkgDir, key, target, base) {
  return codedError(Error, 'ERR_INVALID_PACKAGE_TARGET',
    `Invalid "exports" target ${JSON.stringify(target)} defined for '${key}' in the package config ${pkgDir}/package.json imported from ${base}`);
}

function resolveTarget(pkgDir, key, target, pattern, isImports, conditions, base) {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) {
      if (isImports && !target.startsWith('../') && !target.startsWith('/')) {
        const spec = pattern === undefined ? target : target.replaceAll('*', pattern);
        return { bare: spec };
      }
      throw invalidTarget(pkgDir, key, target, base);
    }
    if (/(^|\/)(\.\.?|node_modules)(\/|$)/.test(target.slice(2))) throw invalidTarget(pkgDir, key, target, base);
    const resolved = pattern === undefined ? target : target.replaceAll('*', pattern);
    return { path: join(pkgDir, resolved) };
  }
  if (ArrayIsArray(target)) {
    let lastError = null;
    for (const item of target) {
      try {
        const r = resolveTarget(pkgDir, key, item, pattern, isImports, conditions, base);
        if (r !== undefined && r !== null) return r;
      } catch (err) {
        if (err.code !== 'ERR_INVALID_PACKAGE_TARGET') throw err;
        lastError = err;
      }
    }
    if (lastError) throw lastError;
    return null;
  }
  if (target !== null && typeof target === 'object') {
    for (const condition of ObjectKeys(target)) {
      if (/^\d+$/.test(condition)) {
        throw codedError(Error, 'ERR_INVALID_PACKAGE_CONFIG',
          `Invalid package config ${pkgDir}/package.json: "exports" cannot contain numeric property keys`);
      }
      if (conditions.has(condition)) {
        const r = resolveTarget(pkgDir, key, target[condition], pattern, isImports, conditions, base);
        if (r !== undefined) return r;
      }
    }
    return undefined;
  }
  return null;
}

// Looks `key` up in an exports/imports map: exact keys first, then the longest "*" pattern.
function resolveMap(pkgDir, key, map, isImports, conditions, base) {
  if (Object.prototype.hasOwnProperty.call(map, key) && !key.includes('*')) {
    return resolveTarget(pkgDir, key, map[key], undefined, isImports, conditions, base);
  }
  let bestKey = '';
  let bestMatch;
  for (const candidate of ObjectKeys(map)) {
    const star = candidate.indexOf('*');
    if (star === -1 || candidate.indexOf('*', star + 1) !== -1) continue;
    const prefix = candidate.slice(0, star);
    const suffix = candidate.slice(star + 1);
    if (key.length >= candidate.length && key.startsWith(prefix) && key.endsWith(suffix) &&
        patternKeyCompare(bestKey, candidate) === 1) {
      bestKey = candidate;
      bestMatch = key.slice(star, key.length - suffix.length);
    }
  }
  if (bestKey) return resolveTarget(pkgDir, bestKey, map[bestKey], bestMatch, isImports, conditions, base);
  return undefined;
}

// Node's PATTERN_KEY_COMPARE: 1 when b sorts before a (b is the more specific pattern).
function patternKeyCompare(a, b) {
  const aStar = a.indexOf('*');
  const bStar = b.indexOf('*');
  const aBase = aStar === -1 ? a.length : aStar + 1;
  const bBase = bStar === -1 ? b.length : bStar + 1;
  if (aBase > bBase) return -1;
  if (bBase > aBase) return 1;
  if (aStar === -1) return 1;
  if (bStar === -1) return -1;
  if (a.length > b.length) return -1;
  if (b.length > a.length) return 1;
  return 0;
}

function isConditionalSugar(exports, pkgDir) {
  if (typeof exports === 'string' || ArrayIsArray(exports)) return true;
  if (exports === null || typeof exports !== 'object') return false;
  const keys = ObjectKeys(exports);
  let dots = 0;
  for (const k of keys) if (k.startsWith('.')) dots++;
  if (dots !== 0 && dots !== keys.length) {
    throw codedError(Error, 'ERR_INVALID_PACKAGE_CONFIG',
      `Invalid package config ${pkgDir}/package.json: "exports" cannot contain some keys starting with '.' and some not`);
  }
  return dots === 0;
}

function notExported(pkgDir, subpath, base) {
  const what = subpath === '.' ? 'No "exports" main defined' : `Package subpath '${subpath}' is not defined by "exports"`;
  return codedError(Error, 'ERR_PACKAGE_PATH_NOT_EXPORTED', `${what} in ${pkgDir}/package.json imported from ${base}`);
}

function packageExportsResolve(pkgDir, subpath, exports, conditions, base) {
  const map = isConditionalSugar(exports, pkgDir) ? { '.': exports } : exports;
  const r = resolveMap(pkgDir, subpath, map, false, conditions, base);
  if (!r || !r.path) throw notExported(pkgDir, subpath, base);
  return r.path;
}

// ---- the algorithms ----

function notFound(kind, spec, base) {
  return codedError(Error, 'ERR_MODULE_NOT_FOUND', `Cannot find ${kind} '${spec}' imported from ${base}`);
}

function parsePackageName(spec, base) {
  let end = spec.indexOf('/');
  if (spec[0] === '@') {
    if (end === -1) throw invalidSpecifier(spec, base);
    end = spec.indexOf('/', end + 1);
  }
  const name = end === -1 ? spec : spec.slice(0, end);
  if (name.startsWith('.') || name.includes('\\') || name.includes('%')) throw invalidSpecifier(spec, base);
  return { name, subpath: `.${end === -1 ? '' : spec.slice(end)}` };
}

function invalidSpecifier(spec, base) {
  return codedError(TypeError, 'ERR_INVALID_MODULE_SPECIFIER', `Invalid module "${spec}" is not a valid package name imported from ${base}`);
}

/** Package "imports" (#name) for the package around `base`. */
function packageImportsResolve(spec, base, conditions, cjs) {
  const scope = packageScope(base);
  if (scope && scope.pkg.imports && typeof scope.pkg.imports === 'object') {
    const r = resolveMap(scope.dir, spec, scope.pkg.imports, true, conditions, base);
    if (r && r.path) return r.path;
    if (r && r.bare) return builtinModule(r.bare) || packageResolve(r.bare, base, conditions, cjs);
  }
  throw codedError(TypeError, 'ERR_PACKAGE_IMPORT_NOT_DEFINED',
    `Package import specifier "${spec}" is not defined${scope ? ` in package ${scope.dir}/package.json` : ''} imported from ${base}`);
}

// CommonJS: X, X.js, X.json, X.node, then X/ as a directory.
function loadAsFileOrDirectory(path) {
  if (isFile(path)) return path;
  for (const ext of ['.js', '.json', '.node']) if (isFile(path + ext)) return path + ext;
  if (!isDirectory(path)) return null;
  const pkg = readPackage(`${path}/package.json`);
  if (pkg && typeof pkg.main === 'string' && pkg.main) {
    const main = join(path, pkg.main);
    const found = loadAsFileOnly(main) || loadIndex(main);
    if (found) return found;
  }
  return loadIndex(path);
}

function loadAsFileOnly(path) {
  if (isFile(path)) return path;
  for (const ext of ['.js', '.json', '.node']) if (isFile(path + ext)) return path + ext;
  return null;
}

function loadIndex(dir) {
  for (const name of ['index.js', 'index.json', 'index.node']) if (isFile(`${dir}/${name}`)) return `${dir}/${name}`;
  return null;
}

// ESM: a package without "exports" uses "main" (with CommonJS's lookups, as Node's legacy
// main resolve), or index.js.
function legacyMainResolve(pkgDir, pkg) {
  if (typeof pkg.main === 'string' && pkg.main) {
    const main = join(pkgDir, pkg.main);
    const found = loadAsFileOnly(main) || loadIndex(main);
    if (found) return found;
  }
  return loadIndex(pkgDir);
}

function packageResolve(spec, base, conditions, cjs) {
  const { name, subpath } = parsePackageName(spec, base);
  // A package may import itself by its own name through its "exports".
  const self = packageScope(base);
  if (self && self.pkg.name === name && self.pkg.exports !== undefined && self.pkg.exports !== null) {
    return packageExportsResolve(self.dir, subpath, self.pkg.exports, conditions, base);
  }
  let dir = dirname(base);
  for (;;) {
    const pkgDir = `${dir === '/' ? '' : dir}/node_modules/${name}`;
    if (isDirectory(pkgDir)) {
      const pkg = readPackage(`${pkgDir}/package.json`) || {};
      if (pkg.exports !== undefined && pkg.exports !== null) {
        return packageExportsResolve(pkgDir, subpath, pkg.exports, conditions, base);
      }
      if (subpath === '.') {
        const main = cjs ? loadAsFileOrDirectory(pkgDir) : legacyMainResolve(pkgDir, pkg);
        if (main) return main;
        throw notFound('package', spec, base);
      }
      const path = join(pkgDir, subpath);
      return cjs ? loadAsFileOrDirectory(path) || path : path;
    }
    if (dir === '/') break;
    dir = dirname(dir);
  }
  throw notFound('package', name, base);
}

/**
 * Resolves an `import` of `spec` from the file `base` (an absolute path): a file path,
 * or 'rtjs:node/<name>.js' for a built-in. Throws Node's errors (ERR_MODULE_NOT_FOUND...).
 */
export function resolveImport(spec, base) {
  if (spec.startsWith('node:')) {
    const builtin = builtinModule(spec);
    if (!builtin) throw codedError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE', `No such built-in module: ${spec}`);
    return builtin;
  }
  let path;
  if (spec.startsWith('file://')) {
    path = fileUrlToPath(spec);
  } else if (spec.startsWith('/') || spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
    path = spec.startsWith('/') ? normalize(spec) : join(dirname(base), spec);
    if (spec.endsWith('/')) path += '/';
  } else if (spec.startsWith('#')) {
    path = packageImportsResolve(spec, base, esmConditions, false);
    if (path.startsWith('rtjs:')) return path;
  } else {
    const builtin = builtinModule(spec);
    if (builtin) return builtin;
    path = packageResolve(spec, base, esmConditions, false);
    if (path.startsWith('rtjs:')) return path;
  }
  const kind = fileKind(path);
  if (kind === DIRECTORY) {
    throw codedError(Error, 'ERR_UNSUPPORTED_DIR_IMPORT', `Directory import '${path}' is not supported resolving ES modules imported from ${base}`);
  }
  if (kind !== FILE) throw notFound('module', path, base);
  return path;
}

/** Resolves a `require` of `spec` from the file `base`, as Node's require.resolve. */
export function resolveRequire(spec, base) {
  const builtin = spec.startsWith('node:') || !/^[./#]/.test(spec) ? builtinModule(spec) : null;
  if (builtin) return builtin;
  if (spec.startsWith('node:')) throw codedError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE', `No such built-in module: ${spec}`);
  let found = null;
  if (spec.startsWith('/') || spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
    const path = spec.startsWith('/') ? normalize(spec) : join(dirname(base), spec);
    found = loadAsFileOrDirectory(path);
  } else if (spec.startsWith('#')) {
    found = packageImportsResolve(spec, base, cjsConditions, true);
    if (found && !found.startsWith('rtjs:')) found = loadAsFileOnly(found);
  } else {
    try {
      found = packageResolve(spec, base, cjsConditions, true);
    } catch (err) {
      if (err.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
    if (found && !found.startsWith('rtjs:') && !isFile(found)) found = null;
  }
  if (!found) {
    throw codedError(Error, 'MODULE_NOT_FOUND', `Cannot find module '${spec}'\nRequire stack:\n- ${base}`);
  }
  return found;
}
