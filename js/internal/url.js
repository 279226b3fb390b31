// URL and URLSearchParams (WHATWG URL Standard, "API"), on url-parser.js.
import {
  basicParse, cannotHaveCredentialsOrPort, hasOpaquePath, isFormUrlencoded,
  percentDecodeBytes, percentEncode, serializeOrigin, serializePath, serializeURL, STATES, encodeSets,
} from './url-parser.js';
import { TextDecoder, TextEncoder } from './encoding.js';
import { createObjectURL, revokeObjectURL } from './blob-url.js';
import { codedError } from './modules/errors.js';
import primordials from './primordials.js';

const { ObjectDefineProperty, SymbolIterator, TypeError } = primordials;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

// Lone surrogates become U+FFFD (WebIDL USVString).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function toUSVString(v) { return `${v}`.replace(LONE_SURROGATE, '\ufffd'); }

// ---- application/x-www-form-urlencoded ----------------------------------------------------

function formParse(input) {
  const out = [];
  for (const sequence of input.split('&')) {
    if (sequence === '') continue;
    const eq = sequence.indexOf('=');
    const name = eq < 0 ? sequence : sequence.slice(0, eq);
    const value = eq < 0 ? '' : sequence.slice(eq + 1);
    const decode = (s) => utf8Decoder.decode(percentDecodeBytes(utf8.encode(s.replace(/\+/g, ' '))));
    out.push([decode(name), decode(value)]);
  }
  return out;
}

function formSerialize(list) {
  let out = '';
  for (let i = 0; i < list.length; i++) {
    if (i) out += '&';
    out += percentEncode(list[i][0], isFormUrlencoded, true) + '=' + percentEncode(list[i][1], isFormUrlencoded, true);
  }
  return out;
}

// ---- URLSearchParams ------------------------------------------------------------------------

let paramsAttach;  // (params, url) links a URL's searchParams to it
let paramsReplace; // (params, queryString) after the URL's query changed

export class URLSearchParams {
  #list = [];
  #url = null;

  constructor(init = undefined) {
    if (init === undefined || init === null) return;
    if (typeof init === 'object' || typeof init === 'function') {
      const iter = init[SymbolIterator];
      if (iter !== undefined && iter !== null) {
        if (typeof iter !== 'function') throw new TypeError('The init value is not iterable');
        for (const pair of init) {
          if (pair === null || (typeof pair !== 'object' && typeof pair !== 'function') || typeof pair[SymbolIterator] !== 'function') {
            throw new TypeError('Each pair must be an iterable [name, value] tuple');
          }
          const items = [...pair];
          if (items.length !== 2) throw new TypeError('Each pair must be an iterable [name, value] tuple');
          this.#list.push([toUSVString(items[0]), toUSVString(items[1])]);
        }
      } else {
        // WebIDL record<USVString, USVString>: keys that become the same USVString (lone
        // surrogates to U+FFFD) are one entry, in the first one's place, with the last value.
        const record = new Map();
        for (const key of Reflect.ownKeys(init)) {
          const desc = Reflect.getOwnPropertyDescriptor(init, key);
          if (desc === undefined || !desc.enumerable) continue;
          if (typeof key === 'symbol') throw new TypeError('Cannot convert a Symbol to a string');
          record.set(toUSVString(key), toUSVString(init[key]));
        }
        for (const entry of record) this.#list.push(entry);
      }
      return;
    }
    let s = toUSVString(init);
    if (s.startsWith('?')) s = s.slice(1);
    this.#list = formParse(s);
  }

  static #check(p) {
    if (p === null || typeof p !== 'object' || !(#list in p)) throw new TypeError('Illegal invocation: not a URLSearchParams');
  }

  static {
    paramsAttach = (params, url) => { params.#url = url; };
    paramsReplace = (params, query) => { params.#list = query === null ? [] : formParse(query); };
  }

  #update() {
    if (this.#url === null) return;
    const s = formSerialize(this.#list);
    setQueryFromParams(this.#url, s === '' ? null : s);
  }

  get size() { URLSearchParams.#check(this); return this.#list.length; }

  append(name, value) {
    URLSearchParams.#check(this);
    if (arguments.length < 2) throw new TypeError("Failed to execute 'append': 2 arguments required");
    this.#list.push([toUSVString(name), toUSVString(value)]);
    this.#update();
  }

  delete(name, value = undefined) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'delete': 1 argument required");
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    this.#list = this.#list.filter(([n, v]) => !(n === name && (value === undefined || v === value)));
    this.#update();
  }

  get(name) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'get': 1 argument required");
    name = toUSVString(name);
    const found = this.#list.find(([n]) => n === name);
    return found === undefined ? null : found[1];
  }

  getAll(name) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'getAll': 1 argument required");
    name = toUSVString(name);
    return this.#list.filter(([n]) => n === name).map(([, v]) => v);
  }

  has(name, value = undefined) {
    URLSearchParams.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'has': 1 argument required");
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    return this.#list.some(([n, v]) => n === name && (value === undefined || v === value));
  }

  set(name, value) {
    URLSearchParams.#check(this);
    if (arguments.length < 2) throw new TypeError("Failed to execute 'set': 2 arguments required");
    name = toUSVString(name);
    value = toUSVString(value);
    const i = this.#list.findIndex(([n]) => n === name);
    if (i < 0) {
      this.#list.push([name, value]);
    } else {
      this.#list[i][1] = value;
      this.#list = this.#list.filter(([n], j) => j <= i || n !== name);
    }
    this.#update();
  }

  sort() {
    URLSearchParams.#check(this);
    // Stable, by code units (Array.prototype.sort is stable; < compares code units).
    this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.#update();
  }

  forEach(callback, thisArg = undefined) {
    URLSearchParams.#check(this);
    if (typeof callback !== 'function') throw new TypeError('The callback must be a function');
    for (let i = 0; i < this.#list.length; i++) {
      const [n, v] = this.#list[i];
      Reflect.apply(callback, thisArg, [v, n, this]);
    }
  }

  *#iterate(kind) {
    for (let i = 0; i < this.#list.length; i++) {
      const [n, v] = this.#list[i];
      yield kind === 'keys' ? n : kind === 'values' ? v : [n, v];
    }
  }

  keys() { URLSearchParams.#check(this); return this.#iterate('keys'); }
  values() { URLSearchParams.#check(this); return this.#iterate('values'); }
  entries() { URLSearchParams.#check(this); return this.#iterate('entries'); }
  [SymbolIterator]() { URLSearchParams.#check(this); return this.#iterate('entries'); }

  toString() { URLSearchParams.#check(this); return formSerialize(this.#list); }
}
ObjectDefineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });

// ---- URL ----------------------------------------------------------------------------------------

let setQueryFromParams;

function parseOrThrow(input, base) {
  let baseRecord = null;
  if (base !== undefined) {
    baseRecord = basicParse(toUSVString(base));
    if (baseRecord === null) throw invalidURL(input, base);
  }
  const url = basicParse(toUSVString(input), baseRecord);
  if (url === null) throw invalidURL(input, base);
  return url;
}

function invalidURL(input, base) {
  const err = new TypeError(`Invalid URL${base !== undefined ? '' : ''}`);
  ObjectDefineProperty(err, 'code', { value: 'ERR_INVALID_URL', writable: true, configurable: true, enumerable: true });
  ObjectDefineProperty(err, 'input', { value: `${input}`, writable: true, configurable: true, enumerable: true });
  if (base !== undefined) {
    ObjectDefineProperty(err, 'base', { value: `${base}`, writable: true, configurable: true, enumerable: true });
  }
  return err;
}

export class URL {
  #url;
  #params;

  constructor(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present");
    this.#url = parseOrThrow(url, base);
    this.#params = new URLSearchParams();
    paramsReplace(this.#params, this.#url.query);
    paramsAttach(this.#params, this);
  }

  static canParse(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'canParse' on 'URL': 1 argument required");
    try { parseOrThrow(url, base); return true; } catch { return false; }
  }

  /** A blob: URL naming `blob` in this app (blob-url.js), until revokeObjectURL. */
  static createObjectURL(blob) {
    if (arguments.length < 1) throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "obj" argument must be specified');
    return createObjectURL(blob);
  }

  static revokeObjectURL(url) {
    if (arguments.length < 1) throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "url" argument must be specified');
    revokeObjectURL(url);
  }

  static parse(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'parse' on 'URL': 1 argument required");
    try { return new URL(url, base); } catch { return null; }
  }

  static #check(u) {
    if (u === null || typeof u !== 'object' || !(#url in u)) throw new TypeError('Illegal invocation: not a URL');
    return u.#url;
  }

  static {
    setQueryFromParams = (u, query) => {
      u.#url.query = query;
      if (query === null) stripTrailingSpacesFromOpaquePath(u.#url);
    };
  }

  get href() { return serializeURL(URL.#check(this)); }
  set href(value) {
    URL.#check(this);
    const url = basicParse(toUSVString(value));
    if (url === null) throw invalidURL(value);
    this.#url = url;
    paramsReplace(this.#params, url.query);
  }

  get origin() { return serializeOrigin(URL.#check(this)); }

  get protocol() { return URL.#check(this).scheme + ':'; }
  set protocol(value) {
    const u = URL.#check(this);
    basicParse(toUSVString(value) + ':', null, u, STATES.SCHEME_START);
  }

  get username() { return URL.#check(this).username; }
  set username(value) {
    const u = URL.#check(this);
    if (cannotHaveCredentialsOrPort(u)) return;
    u.username = percentEncode(toUSVString(value), encodeSets.isUserinfo);
  }

  get password() { return URL.#check(this).password; }
  set password(value) {
    const u = URL.#check(this);
    if (cannotHaveCredentialsOrPort(u)) return;
    u.password = percentEncode(toUSVString(value), encodeSets.isUserinfo);
  }

  get host() {
    const u = URL.#check(this);
    if (u.host === null) return '';
    return u.port === null ? u.host : `${u.host}:${u.port}`;
  }
  set host(value) {
    const u = URL.#check(this);
    if (hasOpaquePath(u)) return;
    this.#setVia(toUSVString(value), STATES.HOST);
  }

  get hostname() { const u = URL.#check(this); return u.host ?? ''; }
  set hostname(value) {
    const u = URL.#check(this);
    if (hasOpaquePath(u)) return;
    this.#setVia(toUSVString(value), STATES.HOSTNAME);
  }

  get port() { const u = URL.#check(this); return u.port === null ? '' : `${u.port}`; }
  set port(value) {
    const u = URL.#check(this);
    if (cannotHaveCredentialsOrPort(u)) return;
    value = toUSVString(value);
    if (value === '') u.port = null;
    else this.#setVia(value, STATES.PORT);
  }

  get pathname() { return serializePath(URL.#check(this)); }
  set pathname(value) {
    const u = URL.#check(this);
    if (hasOpaquePath(u)) return;
    u.path = [];
    basicParse(toUSVString(value), null, u, STATES.PATH_START);
  }

  get search() {
    const u = URL.#check(this);
    return u.query === null || u.query === '' ? '' : '?' + u.query;
  }
  set search(value) {
    const u = URL.#check(this);
    value = toUSVString(value);
    if (value === '') {
      u.query = null;
      paramsReplace(this.#params, null);
      stripTrailingSpacesFromOpaquePath(u);
      return;
    }
    const input = value[0] === '?' ? value.slice(1) : value;
    u.query = '';
    basicParse(input, null, u, STATES.QUERY);
    paramsReplace(this.#params, input);
  }

  get searchParams() { URL.#check(this); return this.#params; }

  get hash() {
    const u = URL.#check(this);
    return u.fragment === null || u.fragment === '' ? '' : '#' + u.fragment;
  }
  set hash(value) {
    const u = URL.#check(this);
    value = toUSVString(value);
    if (value === '') {
      u.fragment = null;
      stripTrailingSpacesFromOpaquePath(u);
      return;
    }
    const input = value[0] === '#' ? value.slice(1) : value;
    u.fragment = '';
    basicParse(input, null, u, STATES.FRAGMENT);
  }

  // As the standard's setters: the parser changes the record in place, and what it set
  // before a failure stays set ("example.com:bad" sets the host and not the port).
  #setVia(value, state) {
    basicParse(value, null, this.#url, state);
  }

  toString() { return this.href; }
  toJSON() { return this.href; }
}
ObjectDefineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
for (const name of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash']) {
  const d = Object.getOwnPropertyDescriptor(URL.prototype, name);
  d.enumerable = true;
  ObjectDefineProperty(URL.prototype, name, d);
}

function stripTrailingSpacesFromOpaquePath(u) {
  if (!hasOpaquePath(u) || u.fragment !== null || u.query !== null) return;
  u.path = u.path.replace(/ +$/, '');
}

