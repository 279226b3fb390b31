// node:path/win32 (also path.win32): Windows paths as Node handles them on any platform:
// '\\' and '/' both separate, a root is a drive ("C:", "C:\\"), a UNC share
// ("\\\\server\\share\\") or a lone separator. Behaviour follows nodejs.org/api/path.html;
// rtjs's own paths are POSIX, so this is for programs that compute Windows paths.
import { invalidArgType } from '../../internal/node-errors.js';
import { basenameOf, lastPart, normalizeSegments } from '../../internal/path-parts.js';
import { matchesGlob as globMatches } from '../../internal/glob.js';

export const sep = '\\';
export const delimiter = ';';

const isSep = (c) => c === '\\' || c === '/';
const isDriveLetter = (c) => c !== undefined && /^[A-Za-z]$/.test(c);
const hasDrive = (path) => path.length >= 2 && path[1] === ':' && isDriveLetter(path[0]);

function checkString(value, name) {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
}

function cwd() {
  const p = globalThis.process;
  return p && typeof p.cwd === 'function' ? p.cwd() : '/';
}

// The index of the first separator at or after i (len when none), and of the first
// non-separator.
function skipNonSep(path, i) { while (i < path.length && !isSep(path[i])) i++; return i; }
function skipSep(path, i) { while (i < path.length && isSep(path[i])) i++; return i; }

/**
 * The root of `path`: { device, rootEnd, absolute }. device is "C:" or "\\\\server\\share"
 * (or '' for none); rootEnd where the rest starts; absolute when a separator follows the
 * device (or the path starts with one). `uncRootOnly` is set for "\\\\server\\share" with
 * nothing after it. With deviceNamespace, "\\\\.\\" and "\\\\?\\" are roots of their own.
 */
function root(path, deviceNamespace = false) {
  const len = path.length;
  if (len === 0) return { device: '', rootEnd: 0, absolute: false };
  if (isSep(path[0])) {
    if (len > 1 && isSep(path[1])) {
      const serverEnd = skipNonSep(path, 2);
      // "\\.\" and "\\?\" start Win32 device and namespaced paths, not a UNC server
      // (resolve and normalize keep what follows as it is).
      if (deviceNamespace && serverEnd === 3 && skipSep(path, 3) < len && (path[2] === '.' || path[2] === '?')) {
        return { device: `\\\\${path[2]}`, rootEnd: 4, absolute: true };
      }
      if (serverEnd < len && serverEnd !== 2) {
        const shareStart = skipSep(path, serverEnd);
        if (shareStart < len && shareStart !== serverEnd) {
          const shareEnd = skipNonSep(path, shareStart);
          const device = `\\\\${path.slice(2, serverEnd)}\\${path.slice(shareStart, shareEnd)}`;
          return { device, rootEnd: shareEnd, absolute: true, uncRootOnly: shareEnd === len };
        }
      }
    }
    return { device: '', rootEnd: 1, absolute: true };
  }
  if (hasDrive(path)) {
    if (len > 2 && isSep(path[2])) return { device: path.slice(0, 2), rootEnd: 3, absolute: true };
    return { device: path.slice(0, 2), rootEnd: 2, absolute: false };
  }
  return { device: '', rootEnd: 0, absolute: false };
}

// A path without its root, with either separator, normalised with Windows' separator.
const normalizeTail = (tail, allowAboveRoot) => normalizeSegments(tail, allowAboveRoot, /[\\/]/, '\\');

export function resolve(...args) {
  let device = '';
  let tail = '';
  let absolute = false;
  for (let i = args.length - 1; i >= -1; i--) {
    let path;
    if (i >= 0) {
      path = args[i];
      checkString(path, `paths[${i}]`);
      if (path.length === 0) continue;
    } else if (device.length === 0) {
      path = cwd();
    } else {
      // The current directory of that drive: Windows keeps it in the environment as "=C:".
      const env = globalThis.process && globalThis.process.env;
      path = (env && env[`=${device}`]) || cwd();
      if (path.slice(0, 2).toLowerCase() !== device.toLowerCase() && path[2] === '\\') path = `${device}\\`;
    }
    const r = root(path, true);
    if (r.device.length > 0) {
      if (device.length > 0) {
        if (r.device.toLowerCase() !== device.toLowerCase()) continue; // another drive
      } else {
        device = r.device;
      }
    }
    if (absolute) {
      if (device.length > 0) break;
    } else {
      tail = `${path.slice(r.rootEnd)}\\${tail}`;
      absolute = r.absolute;
      if (absolute && device.length > 0) break;
    }
  }
  tail = normalizeTail(tail, !absolute);
  return absolute ? `${device}\\${tail}` : `${device}${tail}` || '.';
}

export function normalize(path) {
  checkString(path, 'path');
  const len = path.length;
  if (len === 0) return '.';
  if (len === 1) return isSep(path[0]) ? '\\' : path;
  const r = root(path, true);
  // A UNC root alone keeps a separator after the share: "\\\\server\\share\\".
  if (r.uncRootOnly) return `${r.device}\\`;
  let tail = r.rootEnd < len ? normalizeTail(path.slice(r.rootEnd), !r.absolute) : '';
  if (tail.length === 0 && !r.absolute) tail = '.';
  if (tail.length > 0 && isSep(path[len - 1])) tail += '\\';
  // A relative path must not come out as one Windows would read as a drive: "a\\..\\b:c"
  // is ".\\b:c", and a ':' ending a part ("ab:\\x") keeps the path relative the same way.
  if (!r.absolute && r.device === '' && path.includes(':')) {
    if (tail.length >= 2 && isDriveLetter(tail[0]) && tail[1] === ':') return `.\\${tail}`;
    for (let i = path.indexOf(':'); i !== -1; i = path.indexOf(':', i + 1)) {
      if (i === len - 1 || isSep(path[i + 1])) return `.\\${tail}`;
    }
  }
  return r.absolute ? `${r.device}\\${tail}` : `${r.device}${tail}`;
}

export function isAbsolute(path) {
  checkString(path, 'path');
  const len = path.length;
  if (len === 0) return false;
  return isSep(path[0]) || (len > 2 && hasDrive(path) && isSep(path[2]));
}

export function join(...args) {
  let joined;
  let first;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    checkString(arg, 'path');
    if (arg.length > 0) {
      if (joined === undefined) joined = first = arg;
      else joined += `\\${arg}`;
    }
  }
  if (joined === undefined) return '.';
  // Joining must not make a UNC root of what was not one: only a first argument that
  // itself starts with two separators (and names a server) may begin with two.
  let replace = true;
  let slashes = 0;
  if (isSep(first[0])) {
    slashes++;
    if (first.length > 1 && isSep(first[1])) {
      slashes++;
      if (first.length > 2) {
        if (isSep(first[2])) slashes++;
        else replace = false;
      }
    }
  }
  if (replace) {
    while (slashes < joined.length && isSep(joined[slashes])) slashes++;
    if (slashes >= 2) joined = `\\${joined.slice(slashes)}`;
  }
  return normalize(joined);
}

export function relative(from, to) {
  checkString(from, 'from');
  checkString(to, 'to');
  if (from === to) return '';
  const fromOrig = resolve(from);
  const toOrig = resolve(to);
  if (fromOrig === toOrig) return '';
  // Windows paths compare without case.
  const f = fromOrig.toLowerCase();
  const t = toOrig.toLowerCase();
  if (f === t) return '';
  // Lower-casing changed a length ('İ' is two code units in lower case): compare part by
  // part, so that positions in the lower-cased text are never used in the original.
  if (f.length !== fromOrig.length || t.length !== toOrig.length) return relativeByParts(fromOrig, toOrig);
  let fromStart = 0;
  while (fromStart < f.length && f[fromStart] === '\\') fromStart++;
  let fromEnd = f.length;
  while (fromEnd - 1 > fromStart && f[fromEnd - 1] === '\\') fromEnd--;
  const fromLen = fromEnd - fromStart;
  let toStart = 0;
  while (toStart < t.length && t[toStart] === '\\') toStart++;
  let toEnd = t.length;
  while (toEnd - 1 > toStart && t[toEnd - 1] === '\\') toEnd--;
  const toLen = toEnd - toStart;
  const length = Math.min(fromLen, toLen);
  let lastCommonSep = -1;
  let i = 0;
  for (; i < length; i++) {
    const c = f[fromStart + i];
    if (c !== t[toStart + i]) break;
    if (c === '\\') lastCommonSep = i;
  }
  if (i !== length) {
    if (lastCommonSep === -1) return toOrig; // different roots
  } else {
    if (toLen > length) {
      if (t[toStart + i] === '\\') return toOrig.slice(toStart + i + 1); // to is below from
      if (i === 2) return toOrig.slice(toStart + i); // from is a drive root
    }
    if (fromLen > length) {
      if (f[fromStart + i] === '\\') lastCommonSep = i; // from is below to
      else if (i === 2) lastCommonSep = 3; // to is a drive root
    }
    if (lastCommonSep === -1) lastCommonSep = 0;
  }
  let out = '';
  for (i = fromStart + lastCommonSep + 1; i <= fromEnd; ++i) {
    if (i === fromEnd || f[i] === '\\') out += out.length === 0 ? '..' : '\\..';
  }
  toStart += lastCommonSep;
  if (out.length > 0) return `${out}${toOrig.slice(toStart, toEnd)}`;
  if (toOrig[toStart] === '\\') ++toStart;
  return toOrig.slice(toStart, toEnd);
}

function relativeByParts(fromOrig, toOrig) {
  const parts = (p) => {
    const list = p.split('\\');
    if (list.length > 1 && list[list.length - 1] === '') list.pop();
    return list;
  };
  const from = parts(fromOrig);
  const to = parts(toOrig);
  let common = 0;
  while (common < from.length && common < to.length && from[common].toLowerCase() === to[common].toLowerCase()) common++;
  if (common === 0) return toOrig; // different roots
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('\\');
}

export function toNamespacedPath(path) {
  if (typeof path !== 'string' || path.length === 0) return path;
  const resolved = resolve(path);
  if (resolved.length <= 2) return path;
  if (resolved[0] === '\\') {
    if (resolved[1] === '\\') {
      // Already a device or namespaced path: as resolved.
      if (resolved[2] === '?' || resolved[2] === '.') return resolved;
      return `\\\\?\\UNC\\${resolved.slice(2)}`;
    }
  } else if (hasDrive(resolved) && resolved[2] === '\\') {
    return `\\\\?\\${resolved}`;
  }
  return resolved;
}

// Where the root of `path` ends for dirname/parse: after "C:" or "C:\\", after
// "\\\\server\\share\\", after a lone leading separator.
function rootLength(path) {
  const r = root(path);
  if (r.uncRootOnly) return -2; // the whole path is a UNC root
  if (r.device.length > 2) return r.rootEnd + 1; // UNC: its separator belongs to the root
  return r.rootEnd;
}

export function dirname(path) {
  checkString(path, 'path');
  const len = path.length;
  if (len === 0) return '.';
  if (len === 1) return isSep(path[0]) ? path : '.';
  const rootEnd = rootLength(path);
  if (rootEnd === -2) return path;
  let end = -1;
  let matchedSlash = true;
  for (let i = len - 1; i >= rootEnd; --i) {
    if (isSep(path[i])) {
      if (!matchedSlash) { end = i; break; }
    } else {
      matchedSlash = false;
    }
  }
  if (end === -1) {
    if (rootEnd === 0) return '.';
    end = rootEnd;
  }
  return path.slice(0, end);
}

export function basename(path, suffix) {
  if (suffix !== undefined) checkString(suffix, 'suffix');
  checkString(path, 'path');
  return basenameOf(path, suffix, hasDrive(path) ? 2 : 0, isSep);
}

export function extname(path) {
  checkString(path, 'path');
  const { startDot, end } = lastPart(path, hasDrive(path) ? 2 : 0, isSep);
  return startDot === -1 ? '' : path.slice(startDot, end);
}

export function parse(path) {
  checkString(path, 'path');
  const out = { root: '', dir: '', base: '', ext: '', name: '' };
  const len = path.length;
  if (len === 0) return out;
  if (len === 1) {
    if (isSep(path[0])) out.root = out.dir = path;
    else out.base = out.name = path;
    return out;
  }
  let rootEnd = rootLength(path);
  if (rootEnd === -2) rootEnd = len;
  if (hasDrive(path) && (len === 2 || (len === 3 && isSep(path[2])))) {
    out.root = out.dir = path;
    return out;
  }
  if (rootEnd > 0) out.root = path.slice(0, rootEnd);
  const { startPart, startDot, end } = lastPart(path, rootEnd, isSep);
  if (end !== -1) {
    out.base = path.slice(startPart, end);
    if (startDot === -1) {
      out.name = out.base;
    } else {
      out.name = path.slice(startPart, startDot);
      out.ext = path.slice(startDot, end);
    }
  }
  out.dir = startPart > 0 && startPart !== rootEnd ? path.slice(0, startPart - 1) : out.root;
  return out;
}

export function format(pathObject) {
  if (pathObject === null || typeof pathObject !== 'object') throw invalidArgType('pathObject', 'Object', pathObject);
  const dir = pathObject.dir || pathObject.root;
  const ext = pathObject.ext ? (pathObject.ext[0] === '.' ? pathObject.ext : `.${pathObject.ext}`) : '';
  const base = pathObject.base || `${pathObject.name || ''}${ext}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}\\${base}`;
}

/** Whether `path` matches the glob `pattern` (minimatch's syntax, as Node's; `\\` separates too). */
export function matchesGlob(path, pattern) {
  if (typeof path !== 'string') throw invalidArgType('path', 'string', path);
  if (typeof pattern !== 'string') throw invalidArgType('pattern', 'string', pattern);
  return globMatches(path, pattern, true);
}

const win32 = {
  resolve, normalize, isAbsolute, join, relative, toNamespacedPath, dirname, basename, extname,
  format, parse, matchesGlob, sep, delimiter, win32: null, posix: null,
};
win32.win32 = win32;
export default win32;
