// node:path, POSIX flavour (rtjs paths are POSIX: the initrd and the hosted Linux file
// system); path.win32 is in path/win32.js. Behaviour follows nodejs.org/api/path.html.
import { codedError } from '../internal/modules/errors.js';
import win32 from './path/win32.js';
import { invalidArgType } from '../internal/node-errors.js';
import { basenameOf, lastPart, normalizeSegments as normalizeParts } from '../internal/path-parts.js';
import { matchesGlob as globMatches } from '../internal/glob.js';

const isSep = (c) => c === '/';

function checkString(value, name) {
  if (typeof value !== 'string') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type string. Received ${value === null ? 'null' : typeof value === 'object' ? 'an instance of Object' : `type ${typeof value} (${String(value)})`}`);
  }
}

const normalizeSegments = (path, allowAboveRoot) => normalizeParts(path, allowAboveRoot, '/', '/');

function cwd() {
  return globalThis.process && typeof globalThis.process.cwd === 'function' ? globalThis.process.cwd() : '/';
}

export function resolve(...args) {
  let resolved = '';
  let absolute = false;
  for (let i = args.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? args[i] : cwd();
    checkString(path, `paths[${i}]`);
    if (path.length === 0) continue;
    resolved = `${path}/${resolved}`;
    absolute = path[0] === '/';
  }
  resolved = normalizeSegments(resolved, !absolute);
  if (absolute) return `/${resolved}`;
  return resolved.length > 0 ? resolved : '.';
}

export function normalize(path) {
  checkString(path, 'path');
  if (path.length === 0) return '.';
  const absolute = path[0] === '/';
  const trailing = path[path.length - 1] === '/';
  let out = normalizeSegments(path, !absolute);
  if (out.length === 0) {
    if (absolute) return '/';
    return trailing ? './' : '.';
  }
  if (trailing) out += '/';
  return absolute ? `/${out}` : out;
}

export function isAbsolute(path) {
  checkString(path, 'path');
  return path.length > 0 && path[0] === '/';
}

export function join(...args) {
  if (args.length === 0) return '.';
  const parts = [];
  for (const arg of args) {
    checkString(arg, 'path');
    if (arg.length > 0) parts.push(arg);
  }
  return parts.length === 0 ? '.' : normalize(parts.join('/'));
}

export function relative(from, to) {
  checkString(from, 'from');
  checkString(to, 'to');
  if (from === to) return '';
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

export function toNamespacedPath(path) { return path; }

export function dirname(path) {
  checkString(path, 'path');
  if (path.length === 0) return '.';
  const absolute = path[0] === '/';
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; --i) {
    if (path[i] === '/') {
      if (!matchedSlash) { end = i; break; }
    } else {
      matchedSlash = false;
    }
  }
  if (end === -1) return absolute ? '/' : '.';
  if (absolute && end === 1) return '//';
  return path.slice(0, end);
}

export function basename(path, suffix) {
  if (suffix !== undefined) checkString(suffix, 'ext');
  checkString(path, 'path');
  return basenameOf(path, suffix, 0, isSep);
}

export function extname(path) {
  checkString(path, 'path');
  const { startDot, end } = lastPart(path, 0, isSep);
  return startDot === -1 ? '' : path.slice(startDot, end);
}

export function format(pathObject) {
  if (pathObject === null || typeof pathObject !== 'object') throw invalidArgType('pathObject', 'Object', pathObject);
  const dir = pathObject.dir || pathObject.root;
  const ext = pathObject.ext ? (pathObject.ext[0] === '.' ? pathObject.ext : `.${pathObject.ext}`) : '';
  const base = pathObject.base || `${pathObject.name || ''}${ext}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}/${base}`;
}

export function parse(path) {
  checkString(path, 'path');
  const out = { root: '', dir: '', base: '', ext: '', name: '' };
  if (path.length === 0) return out;
  const absolute = path[0] === '/';
  if (absolute) out.root = '/';
  const { startPart, startDot, end } = lastPart(path, absolute ? 1 : 0, isSep, 0);
  if (end !== -1) {
    const start = startPart === 0 && absolute ? 1 : startPart;
    out.base = path.slice(start, end);
    if (startDot === -1) {
      out.name = out.base;
    } else {
      out.name = path.slice(start, startDot);
      out.ext = path.slice(startDot, end);
    }
  }
  if (startPart > 0) out.dir = path.slice(0, startPart - 1);
  else if (absolute) out.dir = '/';
  return out;
}

/** Whether `path` matches the glob `pattern` (minimatch's syntax, as Node's). */
export function matchesGlob(path, pattern) {
  if (typeof path !== 'string') throw invalidArgType('path', 'string', path);
  if (typeof pattern !== 'string') throw invalidArgType('pattern', 'string', pattern);
  return globMatches(path, pattern, false);
}

export const sep = '/';
export const delimiter = ':';

const path = {
  resolve, normalize, isAbsolute, join, relative, toNamespacedPath, dirname, basename, extname,
  format, parse, matchesGlob, sep, delimiter, posix: null, win32,
};
path.posix = path;
win32.posix = path;
export const posix = path;
export { win32 };
export default path;
