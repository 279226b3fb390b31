// The legacy url API (nodejs.org/api/url.html, "Legacy URL API"): Url objects from
// url.parse(), url.format() of them, url.resolve() and url.resolveObject(). It is not the
// WHATWG parser: it keeps what it was given where it can (RFC 1808/2396 era rules), and
// Node's answers, quirks included, are what programs written against it expect. What it
// does reject, as Node 20 does: a malformed percent-escape in the credentials (URIError)
// and a host that IDNA turns into one holding a character no host may hold (ERR_INVALID_URL).
import binding from 'rtjs:binding';
import { codedError } from './modules/errors.js';
import { invalidArgType } from './node-errors.js';
import { parse as qsParse, stringify as qsStringify } from '../node/querystring.js';

const { domainToASCII: icuToASCII } = binding;

// Schemes whose URLs always have "//" and a path, and the one that never has a host.
const SLASHED = new Set(['http', 'https', 'ftp', 'gopher', 'file', 'ws', 'wss']
  .flatMap((s) => [s, `${s}:`]));
const HOSTLESS = new Set(['javascript', 'javascript:']);

const PROTOCOL = /^[a-z0-9.+-]+:/i;
// A path and query with nothing else to take apart ("/a/b?c"): kept as given.
const SIMPLE_PATH = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
// "//user@host" is a host even without a scheme or slashesDenoteHost.
const AUTH_HOST = /^\/\/[^@/]+@[^@/]+/;
const PORT = /:[0-9]*$/;
const HOSTNAME_MAX = 255; // RFC 1034 3.1: a domain name is at most 255 octets
// The URL Standard's forbidden host code points (3.2): a host IDNA mapped to one of these
// would be read differently by a WHATWG parser, so the input is refused.
const FORBIDDEN_HOST = /[\0\t\n\r #%/:<>?@[\\\]^|]/;
const FORBIDDEN_IPV6_HOST = /[\0\t\n\r #%/<>?@\\^|]/;

// Characters a host ends at (RFC 2396 2.4.3 "delims" and "unwise", and ";" "%" "'").
// Tabs and line breaks are dropped from the credentials and the host instead, as the URL
// Standard drops them from the whole input (4.4, "remove all ASCII tab or newline").
const NOT_HOST = new Set(' "%\';<>\\^`{|}');
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const HOST_END = new Set('#/?');
// Characters escaped wherever they appear after the host (RFC 2396 2.4.3), the quote too
// since it opens attribute-injection attacks when a URL is put into HTML.
const AUTO_ESCAPE = /[\t\n\r "'<>\\^`{|}]/g;
const escapeChar = (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

// Leading and trailing characters url.parse() ignores: C0 controls, space, NBSP, BOM.
const isTrimmed = (c) => c <= 0x20 || c === 0xa0 || c === 0xfeff;

/** A legacy URL object: every field null until parse() or the caller sets it. */
export function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

// Trims the input and turns the backslashes before its query or fragment into slashes, as
// browsers read "http:\\host\path". Also says whether it holds "#", or "@" before those.
function prepare(url) {
  let start = 0;
  let end = url.length;
  while (start < end && isTrimmed(url.charCodeAt(start))) start++;
  while (end > start && isTrimmed(url.charCodeAt(end - 1))) end--;
  let rest = url.slice(start, end);
  const split = rest.search(/[?#]/);
  const head = split === -1 ? rest : rest.slice(0, split);
  if (head.includes('\\')) rest = head.replace(/\\/g, '/') + rest.slice(head.length);
  return { rest, hasHash: rest.includes('#'), hasAt: head.includes('@') };
}

Url.prototype.parse = function parse(url, parseQueryString, slashesDenoteHost) {
  if (typeof url !== 'string') throw invalidArgType('url', 'string', url);
  let { rest, hasHash, hasAt } = prepare(url);
  if (!slashesDenoteHost && !hasHash && !hasAt) {
    const simple = SIMPLE_PATH.exec(rest);
    if (simple) {
      this.path = rest;
      this.href = rest;
      this.pathname = simple[1];
      if (simple[2]) {
        this.search = simple[2];
        this.query = parseQueryString ? qsParse(simple[2].slice(1)) : simple[2].slice(1);
      } else if (parseQueryString) {
        this.search = null;
        this.query = { __proto__: null };
      }
      return this;
    }
  }
  const protoMatch = PROTOCOL.exec(rest);
  const proto = protoMatch ? protoMatch[0] : undefined;
  const lowerProto = proto && proto.toLowerCase();
  if (proto) {
    this.protocol = lowerProto;
    rest = rest.slice(proto.length);
  }
  let slashes = false;
  if (slashesDenoteHost || proto || AUTH_HOST.test(rest)) {
    slashes = rest.startsWith('//');
    if (slashes && !(proto && HOSTLESS.has(lowerProto))) {
      rest = rest.slice(2);
      this.slashes = true;
    }
  }
  if (!HOSTLESS.has(lowerProto) && (slashes || (proto && !SLASHED.has(proto)))) {
    rest = parseAuthority(this, rest, url);
  }
  if (!HOSTLESS.has(lowerProto)) rest = rest.replace(AUTO_ESCAPE, escapeChar);
  parseTail(this, rest, parseQueryString);
  if (SLASHED.has(lowerProto) && this.hostname && !this.pathname) this.pathname = '/';
  if (this.pathname || this.search) this.path = (this.pathname || '') + (this.search || '');
  this.href = this.format();
  return this;
};

// Takes "auth@host:port" off the front of `rest` and returns what follows it.
function parseAuthority(self, rest, url) {
  let atSign = -1;
  let nonHost = -1;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (HOST_END.has(c)) {
      if (nonHost === -1) nonHost = i;
      break;
    }
    if (NOT_HOST.has(c)) {
      if (nonHost === -1) nonHost = i;
    } else if (c === '@') {
      // The last "@" before the host's end separates the credentials: what came before
      // it may hold anything.
      atSign = i;
      nonHost = -1;
    }
  }
  const hostStart = atSign + 1;
  if (atSign !== -1) self.auth = decodeURIComponent(rest.slice(0, atSign).replace(TAB_OR_NEWLINE, ''));
  const hostEnd = nonHost === -1 ? rest.length : nonHost;
  self.host = rest.slice(hostStart, hostEnd).replace(TAB_OR_NEWLINE, '');
  rest = rest.slice(hostEnd);
  self.parseHost();
  if (typeof self.hostname !== 'string') self.hostname = '';
  const ipv6 = self.hostname.startsWith('[') && self.hostname.endsWith(']');
  if (!ipv6) rest = trimHostname(self, rest, url);
  self.hostname = self.hostname.length > HOSTNAME_MAX ? '' : self.hostname.toLowerCase();
  if (self.hostname !== '') {
    if (ipv6) {
      if (FORBIDDEN_IPV6_HOST.test(self.hostname)) throw invalidUrl(url);
    } else {
      self.hostname = hostToASCII(self.hostname);
      if (self.hostname === '' || FORBIDDEN_HOST.test(self.hostname)) throw invalidUrl(url);
    }
  }
  self.host = self.hostname + (self.port ? `:${self.port}` : '');
  if (ipv6) {
    self.hostname = self.hostname.slice(1, -1);
    if (rest[0] !== '/') rest = `/${rest}`;
  }
  return rest;
}

// The hostname ends at a character that cannot be in one ("/", "\\", "#", "?", and a ":"
// not followed by a port): the rest of it goes back to the front of the path.
const HOSTNAME_END = /[/\\#?:]/;

function trimHostname(self, rest, url) {
  const end = self.hostname.search(HOSTNAME_END);
  if (end === -1) return rest;
  if (self.hostname[end] === ':' && globalThis.process) {
    // A port that is not a number: Node 20 reads it as the path, with this warning.
    globalThis.process.emitWarning(`The URL ${url} is invalid. Future versions of Node.js will throw an error.`, 'DeprecationWarning', 'DEP0170');
  }
  const tail = self.hostname.slice(end);
  self.hostname = self.hostname.slice(0, end);
  return `/${tail}${rest}`;
}

// Splits what follows the host into pathname, search (query) and hash.
function parseTail(self, rest, parseQueryString) {
  const hashAt = rest.indexOf('#');
  if (hashAt !== -1) self.hash = rest.slice(hashAt);
  const beforeHash = hashAt === -1 ? rest : rest.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt !== -1) {
    self.search = beforeHash.slice(queryAt);
    self.query = self.search.slice(1);
    if (parseQueryString) self.query = qsParse(self.query);
  } else if (parseQueryString) {
    self.search = null;
    self.query = { __proto__: null };
  }
  const pathname = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  if (pathname) self.pathname = pathname;
}

/** Splits this.host into hostname and port (digits after the last colon). */
Url.prototype.parseHost = function parseHost() {
  let host = this.host;
  const port = PORT.exec(host);
  if (port) {
    if (port[0] !== ':') this.port = port[0].slice(1);
    host = host.slice(0, host.length - port[0].length);
  }
  if (host) this.hostname = host;
};

function invalidUrl(input) {
  const err = codedError(TypeError, 'ERR_INVALID_URL', 'Invalid URL');
  err.input = input;
  return err;
}

// IDNA ToASCII (UTS #46, not strict, as Node's legacy parser asks): ASCII hosts without
// "xn--" labels need no mapping; '' when IDNA refuses the host.
function hostToASCII(hostname) {
  if (/^[\0-\x7f]*$/.test(hostname) && !/(^|\.)xn--/.test(hostname)) return hostname;
  return icuToASCII(hostname, false) || '';
}

// The credentials as format() writes them: percent-encoded but for the characters
// encodeURIComponent keeps and ":" between the user and the password.
function encodeAuth(auth) {
  return encodeURIComponent(auth).replace(/%3A/g, ':');
}

Url.prototype.format = function format() {
  let auth = this.auth || '';
  if (auth) auth = `${encodeAuth(auth)}@`;
  let protocol = this.protocol || '';
  let pathname = this.pathname || '';
  let hash = this.hash || '';
  let host = '';
  if (this.host) {
    host = auth + this.host;
  } else if (this.hostname) {
    const bracket = this.hostname.includes(':') && !(this.hostname.startsWith('[') && this.hostname.endsWith(']'));
    host = auth + (bracket ? `[${this.hostname}]` : this.hostname) + (this.port ? `:${this.port}` : '');
  }
  const query = this.query !== null && typeof this.query === 'object' ? qsStringify(this.query) : '';
  let search = this.search || (query && `?${query}`) || '';
  if (protocol && !protocol.endsWith(':')) protocol += ':';
  pathname = pathname.replace(/[?#]/g, encodeURIComponent);
  if (this.slashes || SLASHED.has(protocol)) {
    if (this.slashes || host) {
      if (pathname && pathname[0] !== '/') pathname = `/${pathname}`;
      host = `//${host}`;
    } else if (protocol === 'file:') {
      host = '//';
    }
  }
  search = search.replace(/#/g, '%23');
  if (hash && hash[0] !== '#') hash = `#${hash}`;
  if (search && search[0] !== '?') search = `?${search}`;
  return protocol + host + pathname + search + hash;
};

Url.prototype.resolve = function resolve(relative) {
  return this.resolveObject(parse(relative, false, true)).format();
};

// The path of a resolved Url: pathname and search together, as http.request wants it.
function setPath(url) {
  if (url.pathname !== null || url.search !== null) url.path = (url.pathname || '') + (url.search || '');
}

Url.prototype.resolveObject = function resolveObject(relative) {
  if (typeof relative === 'string') relative = parse(relative, false, true);
  const result = new Url();
  Object.assign(result, this);
  // The fragment always comes from the relative reference, even when it has none.
  result.hash = relative.hash;
  if (relative.href === '') {
    result.href = result.format();
    return result;
  }
  // "//host/path" keeps only the scheme of the base (RFC 3986 5.2.2, authority defined).
  if (relative.slashes && !relative.protocol) {
    for (const key of Object.keys(relative)) if (key !== 'protocol') result[key] = relative[key];
    if (SLASHED.has(result.protocol) && result.hostname && !result.pathname) result.path = result.pathname = '/';
    result.href = result.format();
    return result;
  }
  if (relative.protocol && relative.protocol !== result.protocol) {
    return resolveOtherScheme(result, relative);
  }
  return resolvePath(result, relative);
};

// A reference with a scheme of its own: a scheme without "//" takes the reference as it is;
// a slashed one takes its host from the reference's first path segment when it has none.
function resolveOtherScheme(result, relative) {
  if (!SLASHED.has(relative.protocol)) {
    Object.assign(result, relative);
    result.href = result.format();
    return result;
  }
  result.protocol = relative.protocol;
  if (!relative.host && !/^file:?$/.test(relative.protocol) && !HOSTLESS.has(relative.protocol)) {
    const segments = (relative.pathname || '').split('/');
    while (segments.length && !(relative.host = segments.shift()));
    if (!relative.host) relative.host = '';
    if (!relative.hostname) relative.hostname = '';
    if (segments[0] !== '') segments.unshift('');
    if (segments.length < 2) segments.unshift('');
    result.pathname = segments.join('/');
  } else {
    result.pathname = relative.pathname;
  }
  result.search = relative.search;
  result.query = relative.query;
  result.host = relative.host || '';
  result.auth = relative.auth;
  result.hostname = relative.hostname || relative.host;
  result.port = relative.port;
  if (result.pathname || result.search) result.path = (result.pathname || '') + (result.search || '');
  result.slashes = result.slashes || relative.slashes;
  result.href = result.format();
  return result;
}

// Schemes without "//" (mailto:, urn:...) keep their "host" as the first path segment
// while dot segments are removed, so that "../" may climb to it.
function hostIntoPath(url, segments) {
  url.hostname = null;
  url.port = null;
  if (url.host) {
    if (segments[0] === '') segments[0] = url.host;
    else segments.unshift(url.host);
  }
  url.host = null;
}

function hostOutOfPath(result, segments, isAbsolute) {
  result.hostname = result.host = isAbsolute ? '' : segments.length ? segments.shift() : '';
  // "local@domain" in a scheme without "//" puts credentials into the host segment.
  const at = result.host && result.host.indexOf('@') > 0 ? result.host.split('@') : null;
  if (at) {
    result.auth = at.shift();
    result.host = result.hostname = at.shift();
  }
}

// RFC 3986 5.2.4 dot-segment removal on the split path, in place; returns how many ".."
// segments climbed above the first segment.
function removeDots(segments) {
  let up = 0;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i];
    if (segment === '.') {
      segments.splice(i, 1);
    } else if (segment === '..') {
      segments.splice(i, 1);
      up++;
    } else if (up) {
      segments.splice(i, 1);
      up--;
    }
  }
  return up;
}

// The same scheme (or none): merge the paths (RFC 3986 5.2.2-5.2.3, as Node's legacy code).
function resolvePath(result, relative) {
  const sourceAbsolute = Boolean(result.pathname && result.pathname[0] === '/');
  const relativeAbsolute = Boolean(relative.host || (relative.pathname && relative.pathname[0] === '/'));
  let mustEndAbs = relativeAbsolute || sourceAbsolute || Boolean(result.host && relative.pathname);
  const removeAllDots = mustEndAbs;
  let segments = (result.pathname && result.pathname.split('/')) || [];
  const relSegments = (relative.pathname && relative.pathname.split('/')) || [];
  const hostInPath = result.protocol && !SLASHED.has(result.protocol);
  if (hostInPath) {
    hostIntoPath(result, segments);
    if (relative.protocol) {
      // "mailto:x" against "mailto:user@host" is a whole new address: no credentials kept.
      hostIntoPath(relative, relSegments);
      result.auth = null;
    }
    mustEndAbs = mustEndAbs && (relSegments[0] === '' || segments[0] === '');
  }
  if (relativeAbsolute) {
    // Another host drops the base's credentials.
    if (relative.host || relative.host === '') {
      if (result.host !== relative.host) result.auth = null;
      result.host = relative.host;
      result.port = relative.port;
    }
    if (relative.hostname || relative.hostname === '') {
      if (result.hostname !== relative.hostname) result.auth = null;
      result.hostname = relative.hostname;
    }
    result.search = relative.search;
    result.query = relative.query;
    segments = relSegments;
  } else if (relSegments.length) {
    segments.pop();
    segments = segments.concat(relSegments);
    result.search = relative.search;
    result.query = relative.query;
  } else if (relative.search !== null && relative.search !== undefined) {
    // Only a query ("?x"): the base's path with the new query.
    if (hostInPath) hostOutOfPath(result, segments, false);
    result.search = relative.search;
    result.query = relative.query;
    setPath(result);
    result.href = result.format();
    return result;
  }
  if (!segments.length) {
    result.pathname = null;
    result.path = result.search ? `/${result.search}` : null;
    result.href = result.format();
    return result;
  }
  // A path ending in "." or ".." (with a host) or "/" ends in "/" after resolution.
  const last = segments.at(-1);
  const trailingSlash = ((result.host || relative.host || segments.length > 1) && (last === '.' || last === '..')) ||
    last === '';
  let up = removeDots(segments);
  if (!mustEndAbs && !removeAllDots) for (; up > 0; up--) segments.unshift('..');
  if (mustEndAbs && segments[0] !== '' && (!segments[0] || segments[0][0] !== '/')) segments.unshift('');
  if (trailingSlash && !segments.join('/').endsWith('/')) segments.push('');
  const isAbsolute = segments[0] === '' || Boolean(segments[0] && segments[0][0] === '/');
  if (hostInPath) hostOutOfPath(result, segments, isAbsolute);
  mustEndAbs = mustEndAbs || (result.host && segments.length);
  if (mustEndAbs && !isAbsolute) segments.unshift('');
  if (segments.length > 0) {
    result.pathname = segments.join('/');
  } else {
    result.pathname = null;
    result.path = null;
  }
  setPath(result);
  result.auth = relative.auth || result.auth;
  result.slashes = result.slashes || relative.slashes;
  result.href = result.format();
  return result;
}

/** url.parse(): a Url, or the argument itself when it is one already. */
export function parse(url, parseQueryString, slashesDenoteHost) {
  if (url instanceof Url) return url;
  const parsed = new Url();
  parsed.parse(url, parseQueryString, slashesDenoteHost);
  return parsed;
}

/** url.resolve(): the href of `to` resolved against `from`, legacy rules. */
export function resolve(from, to) {
  return parse(from, false, true).resolve(to);
}

/** url.resolveObject(): the resolved Url (or `to` itself when `from` is empty). */
export function resolveObject(from, to) {
  if (!from) return to;
  return parse(from, false, true).resolveObject(to);
}
