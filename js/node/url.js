// node:url (nodejs.org/api/url.html): the WHATWG URL and URLSearchParams, file URLs to
// paths and back (POSIX, or Windows with { windows: true }), domainToASCII/Unicode, and
// the legacy parse/format/resolve API (../internal/url-legacy.js).
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType, invalidArgValue } from '../internal/node-errors.js';
import { URL as WebURL, URLSearchParams as WebURLSearchParams } from '../internal/url.js';
import { parseHost } from '../internal/url-parser.js';
import { toUnicode as punycodeToUnicode } from '../internal/punycode.js';
import { Url, parse, resolve, resolveObject } from '../internal/url-legacy.js';
import { resolve as posixResolve } from './path/posix.js';
import { resolve as win32Resolve } from './path/win32.js';

export const URL = globalThis.URL || WebURL;
export const URLSearchParams = globalThis.URLSearchParams || WebURLSearchParams;
export { Url, parse, resolve, resolveObject };

const isURL = (value) => value instanceof URL || (value !== null && typeof value === 'object' &&
  typeof value.href === 'string' && typeof value.protocol === 'string' && value.auth === undefined &&
  value.path === undefined);

function windowsOption(options) {
  if (options === undefined || options === null) return false;
  if (typeof options !== 'object') throw invalidArgType('options', 'object', options);
  return Boolean(options.windows);
}

/** The path a file: URL names; `{ windows: true }` for a Windows path (drive or UNC). */
export function fileURLToPath(path, options) {
  const windows = windowsOption(options);
  let url = path;
  if (typeof path === 'string') url = new URL(path);
  else if (!isURL(path)) throw invalidArgType('path', ['string', 'URL'], path);
  if (url.protocol !== 'file:') throw codedError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  return windows ? windowsPathOf(url) : posixPathOf(url);
}

function invalidFileUrlPath(why, url) {
  const err = codedError(TypeError, 'ERR_INVALID_FILE_URL_PATH', `File URL path ${why}`);
  err.input = url;
  return err;
}

function posixPathOf(url) {
  if (url.hostname !== '') {
    throw codedError(TypeError, 'ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on linux');
  }
  if (/%2f/i.test(url.pathname)) throw invalidFileUrlPath('must not include encoded / characters', url);
  return decodeURIComponent(url.pathname);
}

// A host names a UNC share (\\host\share\...); otherwise the path starts with a drive.
function windowsPathOf(url) {
  if (/%2f|%5c/i.test(url.pathname)) throw invalidFileUrlPath('must not include encoded \\ or / characters', url);
  const pathname = decodeURIComponent(url.pathname.replace(/\//g, '\\'));
  if (url.hostname !== '') return `\\\\${domainToUnicode(url.hostname)}${pathname}`;
  const letter = pathname.codePointAt(1) | 0x20;
  if (letter < 0x61 || letter > 0x7a || pathname[2] !== ':') {
    throw invalidFileUrlPath('must be absolute', url);
  }
  return pathname.slice(1);
}

// What stays as it is in a file URL's path: the URL Standard's path percent-encode set
// leaves more, but these are the characters that read back the same in every parser.
const PATH_KEEP = /[A-Za-z0-9!$&'()*+,\-./:;=@_]/;
const utf8 = new TextEncoder();

function encodePath(path, windows) {
  let out = '';
  for (const ch of path) {
    if (PATH_KEEP.test(ch) || (windows && ch === '\\')) {
      out += ch === '\\' ? '/' : ch;
    } else {
      for (const byte of utf8.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** The file: URL of a path (resolved against the working directory); `{ windows: true }` for a Windows path. */
export function pathToFileURL(filepath, options) {
  const windows = windowsOption(options);
  if (typeof filepath !== 'string') throw invalidArgType('path', 'string', filepath);
  if (windows && filepath.startsWith('\\\\') && !/^\\\\\?\\[A-Za-z]:/.test(filepath)) return uncToFileURL(filepath);
  if (windows) filepath = filepath.replace(/^\\\\\?\\/, '');
  let resolved = windows ? win32Resolve(filepath) : posixResolve(filepath);
  const last = filepath[filepath.length - 1];
  if ((last === '/' || (windows && last === '\\')) && !/[\\/]$/.test(resolved)) resolved += '/';
  if (windows) resolved = `/${resolved}`;
  return new URL(`file://${encodePath(resolved, windows)}`);
}

// \\server\share\path, or \\?\UNC\server\share\path, as file://server/share/path.
function uncToFileURL(filepath) {
  const prefix = filepath.startsWith('\\\\?\\UNC\\') ? 8 : 2;
  const hostEnd = filepath.indexOf('\\', prefix);
  if (hostEnd === -1) throw invalidArgValue('path', filepath, 'Missing UNC resource path');
  if (hostEnd === prefix) throw invalidArgValue('path', filepath, 'Empty UNC servername');
  const url = new URL('file://');
  url.hostname = domainToASCII(filepath.slice(prefix, hostEnd));
  url.pathname = encodePath(filepath.slice(hostEnd), true);
  return url;
}

function missingDomain() {
  return codedError(TypeError, 'ERR_MISSING_ARGS', 'The "domain" argument must be specified');
}

/** The ASCII (IDNA, UTS #46) form of a domain, '' when it is not a valid one. */
export function domainToASCII(...args) {
  if (args.length < 1) throw missingDomain();
  return parseHost(`${args[0]}`, false) ?? '';
}

/** The Unicode form of a domain ("xn--" labels decoded), '' when it is not a valid one. */
export function domainToUnicode(...args) {
  if (args.length < 1) throw missingDomain();
  const ascii = parseHost(`${args[0]}`, false);
  if (ascii === null) return '';
  try {
    return punycodeToUnicode(ascii);
  } catch {
    return ascii;
  }
}

/** The options http.request() takes, from a URL. */
export function urlToHttpOptions(url) {
  if (url === null || typeof url !== 'object') throw invalidArgType('url', 'object', url);
  const options = {
    protocol: url.protocol,
    hostname: typeof url.hostname === 'string' && url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: `${url.pathname || ''}${url.search || ''}`,
    href: url.href,
  };
  if (url.port !== '') options.port = Number(url.port);
  if (url.username || url.password) options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return options;
}

/**
 * url.format(): a legacy Url object (or any object with its fields, or a string to clean
 * up) as a string; a WHATWG URL with options { auth, fragment, search, unicode }.
 */
export function format(urlObject, options) {
  if (typeof urlObject === 'string') {
    urlObject = parse(urlObject);
  } else if (urlObject === null || typeof urlObject !== 'object') {
    throw invalidArgType('urlObject', ['Object', 'string'], urlObject);
  } else if (urlObject instanceof URL) {
    return formatURL(urlObject, options);
  }
  return Url.prototype.format.call(urlObject);
}

function formatURL(url, options) {
  let auth = true;
  let fragment = true;
  let search = true;
  let unicode = false;
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'Object', options);
    if (options.auth !== undefined) auth = Boolean(options.auth);
    if (options.fragment !== undefined) fragment = Boolean(options.fragment);
    if (options.search !== undefined) search = Boolean(options.search);
    if (options.unicode !== undefined) unicode = Boolean(options.unicode);
  }
  const copy = new URL(url.href);
  if (!auth) {
    copy.username = '';
    copy.password = '';
  }
  if (!fragment) copy.hash = '';
  if (!search) copy.search = '';
  let href = copy.href;
  if (unicode && copy.hostname) {
    const userinfo = copy.username ? `${copy.username}${copy.password ? `:${copy.password}` : ''}@` : '';
    const before = `${copy.protocol}//${userinfo}`;
    if (href.startsWith(before + copy.hostname)) {
      href = before + domainToUnicode(copy.hostname) + href.slice(before.length + copy.hostname.length);
    }
  }
  return href;
}

export default {
  URL, URLSearchParams, Url, parse, format, resolve, resolveObject, fileURLToPath, pathToFileURL,
  domainToASCII, domainToUnicode, urlToHttpOptions,
};
