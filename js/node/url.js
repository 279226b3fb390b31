// node:url: the WHATWG URL and URLSearchParams (the web-platform globals, where the
// runtime has them), fileURLToPath and pathToFileURL, and the legacy parse/format/resolve.
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType } from '../internal/node-errors.js';
import { fileUrlToPath } from '../internal/modules/resolve.js';

export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;

export function fileURLToPath(url) {
  const href = typeof url === 'string' ? url : url && typeof url.href === 'string' ? url.href : undefined;
  if (href === undefined) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "path" argument must be of type string or an instance of URL. Received ${url === null ? 'null' : typeof url}`);
  }
  if (!href.startsWith('file:')) throw codedError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  const rest = href.slice('file:'.length);
  if (rest.startsWith('//') && !rest.startsWith('///') && !rest.startsWith('//localhost/')) {
    throw codedError(TypeError, 'ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on linux');
  }
  return fileUrlToPath(rest.startsWith('//') ? `file:${rest}` : `file://${rest}`);
}

// Percent-encodes what a file URL's path may not hold as it is (Node's pathToFileURL).
export function pathToFileURL(path) {
  let resolved = path.startsWith('/') ? path : `${globalThis.process ? globalThis.process.cwd() : '/'}/${path}`;
  resolved = resolved.replace(/\/\.(\/|$)/g, '/').replace(/\/+/g, '/');
  const encoded = resolved.replace(/%/g, '%25').replace(/\\/g, '%5C').replace(/\n/g, '%0A')
    .replace(/\r/g, '%0D').replace(/\t/g, '%09').replace(/#/g, '%23').replace(/\?/g, '%3F')
    .replace(/ /g, '%20').replace(/"/g, '%22');
  const href = `file://${encodeURI(decodeURI(encoded.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'))).replace(/%25(?=2[35]|3F|5C|0A|0D|09|20|22)/g, '%')}`;
  return URL ? new URL(href) : { href, pathname: href.slice(7), protocol: 'file:', toString() { return href; } };
}

const protocolPattern = /^([a-z0-9.+-]+:)/i;

/** The legacy url.parse(): { protocol, slashes, auth, host, port, hostname, hash, search, query, pathname, path, href }. */
export function parse(input, parseQueryString = false, slashesDenoteHost = false) {
  if (typeof input !== 'string') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "url" argument must be of type string. Received ${typeof input}`);
  }
  const out = { protocol: null, slashes: null, auth: null, host: null, port: null, hostname: null, hash: null, search: null, query: null, pathname: null, path: null, href: '' };
  let rest = input.trim();
  const hashAt = rest.indexOf('#');
  if (hashAt !== -1) { out.hash = rest.slice(hashAt); rest = rest.slice(0, hashAt); }
  const queryAt = rest.indexOf('?');
  if (queryAt !== -1) { out.search = rest.slice(queryAt); out.query = rest.slice(queryAt + 1); rest = rest.slice(0, queryAt); }
  else if (parseQueryString) { out.search = ''; out.query = {}; }
  const proto = protocolPattern.exec(rest);
  if (proto) { out.protocol = proto[1].toLowerCase(); rest = rest.slice(proto[1].length); }
  if (rest.startsWith('//') && (out.protocol || slashesDenoteHost) || (out.protocol && /^(https?|ftp|gopher|file|wss?):$/.test(out.protocol) && rest.startsWith('//'))) {
    out.slashes = true;
    rest = rest.slice(2);
    const end = rest.search(/[/\\]/);
    let host = end === -1 ? rest : rest.slice(0, end);
    rest = end === -1 ? '' : rest.slice(end);
    const at = host.lastIndexOf('@');
    if (at !== -1) { out.auth = decodeURIComponent(host.slice(0, at)); host = host.slice(at + 1); }
    const portMatch = /:(\d*)$/.exec(host);
    if (portMatch) { if (portMatch[1]) out.port = portMatch[1]; host = host.slice(0, portMatch.index); }
    out.hostname = host.toLowerCase();
    out.host = out.port ? `${out.hostname}:${out.port}` : out.hostname;
    if (!rest && out.protocol && /^(https?|ftp|gopher|file|wss?):$/.test(out.protocol)) rest = '/';
  }
  out.pathname = rest || (out.slashes ? '/' : null);
  if (parseQueryString && typeof out.query === 'string') {
    out.query = Object.fromEntries(new (URLSearchParams || Map)(out.query));
  }
  out.path = (out.pathname || '') + (out.search || '') || null;
  out.href = format(out);
  return out;
}

/** The legacy url.format() of a parsed object (or a URL). */
export function format(obj) {
  if (typeof obj === 'string') obj = parse(obj);
  else if (obj === null || typeof obj !== 'object') throw invalidArgType('urlObject', ['object', 'string'], obj);
  if (URL && obj instanceof URL) return obj.href;
  const auth = obj.auth ? `${encodeURIComponent(obj.auth).replace(/%3A/i, ':')}@` : '';
  const protocol = obj.protocol ? (obj.protocol.endsWith(':') ? obj.protocol : `${obj.protocol}:`) : '';
  let host = '';
  if (obj.host) host = auth + obj.host;
  else if (obj.hostname) host = auth + obj.hostname + (obj.port ? `:${obj.port}` : '');
  let pathname = obj.pathname || '';
  let search = obj.search || '';
  if (!search && obj.query && typeof obj.query === 'object') {
    const q = Object.entries(obj.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    if (q) search = `?${q}`;
  }
  if (search && search[0] !== '?') search = `?${search}`;
  let hash = obj.hash || '';
  if (hash && hash[0] !== '#') hash = `#${hash}`;
  const slashes = obj.slashes || /^(https?|ftp|gopher|file|wss?):$/.test(protocol);
  if (slashes || host) {
    host = `//${host}`;
    if (pathname && pathname[0] !== '/') pathname = `/${pathname}`;
  }
  return protocol + host + pathname.replace(/[?#]/g, encodeURIComponent) + search.replace('#', '%23') + hash;
}

/** The legacy url.resolve(from, to). */
export function resolve(from, to) {
  if (URL) {
    try {
      return new URL(to, new URL(from, 'resolve://')).href.replace(/^resolve:\/\//, '');
    } catch {
      return to;
    }
  }
  throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', 'url.resolve() needs the WHATWG URL');
}

export function domainToASCII(domain) { return String(domain).toLowerCase(); }
export function domainToUnicode(domain) { return String(domain); }
export function urlToHttpOptions(url) {
  return { protocol: url.protocol, hostname: url.hostname, hash: url.hash, search: url.search, pathname: url.pathname, path: `${url.pathname || ''}${url.search || ''}`, href: url.href, ...(url.port ? { port: Number(url.port) } : {}) };
}

export default { URL, URLSearchParams, fileURLToPath, pathToFileURL, parse, format, resolve, domainToASCII, domainToUnicode, urlToHttpOptions };
