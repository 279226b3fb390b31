// node:util's MIMEType and MIMEParams: MIME types parsed and serialized as the WHATWG MIME
// Sniffing Standard says (2.2 "Parsing a MIME type", 2.3 "Serializing a MIME type"). A
// string that does not parse is ERR_INVALID_MIME_SYNTAX, as in Node.
import { codedError } from './modules/errors.js';

// HTTP token code points (MIME Sniffing 2.1, from RFC 9110 5.6.2).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// HTTP quoted-string token code points: tab, 0x20-0x7E, 0x80-0xFF.
const QUOTED_TOKEN = /^[\t\u0020-\u007E\u0080-\u00FF]*$/;
const WHITESPACE = /[\t\n\r ]/;   // HTTP whitespace
const LEADING_WS = /^[\t\n\r ]+/;
const TRAILING_WS = /[\t\n\r ]+$/;

function syntaxError(production, input, position) {
  const at = position === undefined ? '' : ` at ${position}`;
  return codedError(TypeError, 'ERR_INVALID_MIME_SYNTAX',
    `The MIME syntax for a ${production} in "${input}" is invalid${at}`);
}

// Reads an HTTP quoted string starting at the '"' at `pos` (Fetch's "collect an HTTP quoted
// string" with extract-value): the value without quotes and escapes, and where it stopped.
function quotedString(input, pos) {
  let value = '';
  pos++;
  for (;;) {
    while (pos < input.length && input[pos] !== '"' && input[pos] !== '\\') value += input[pos++];
    if (pos >= input.length) break;
    const c = input[pos++];
    if (c === '\\') {
      if (pos >= input.length) { value += '\\'; break; }
      value += input[pos++];
    } else break;
  }
  return [value, pos];
}

/** Parses `input` into { type, subtype, params: [[name, value]...] }; throws on bad syntax. */
function parse(input) {
  const s = input.replace(LEADING_WS, '').replace(TRAILING_WS, '');
  let pos = s.indexOf('/');
  const type = pos < 0 ? s : s.slice(0, pos);
  if (type === '' || !TOKEN.test(type)) throw syntaxError('type', input);
  if (pos < 0) throw syntaxError('type', input);
  pos++;
  let end = s.indexOf(';', pos);
  if (end < 0) end = s.length;
  const subtype = s.slice(pos, end).replace(TRAILING_WS, '');
  if (subtype === '' || !TOKEN.test(subtype)) throw syntaxError('subtype', input);
  pos = end;
  const params = new Map();
  while (pos < s.length) {
    pos++;   // the ';'
    while (pos < s.length && WHITESPACE.test(s[pos])) pos++;
    let nameEnd = pos;
    while (nameEnd < s.length && s[nameEnd] !== ';' && s[nameEnd] !== '=') nameEnd++;
    const name = s.slice(pos, nameEnd).toLowerCase();
    pos = nameEnd;
    if (pos < s.length) {
      if (s[pos] === ';') continue;
      pos++;   // the '='
    }
    if (pos >= s.length) break;
    let value;
    if (s[pos] === '"') {
      [value, pos] = quotedString(s, pos);
      while (pos < s.length && s[pos] !== ';') pos++;
    } else {
      let valueEnd = s.indexOf(';', pos);
      if (valueEnd < 0) valueEnd = s.length;
      value = s.slice(pos, valueEnd).replace(TRAILING_WS, '');
      pos = valueEnd;
      if (value === '') continue;
    }
    if (name !== '' && TOKEN.test(name) && QUOTED_TOKEN.test(value) && !params.has(name)) params.set(name, value);
  }
  return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), params };
}

function serializeValue(value) {
  if (value !== '' && TOKEN.test(value)) return value;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

export class MIMEParams {
  #map = new Map();

  static fromMap(map) { const p = new MIMEParams(); p.#map = map; return p; }

  delete(name) { this.#map.delete(`${name}`); }
  get(name) { return this.#map.get(`${name}`) ?? null; }
  has(name) { return this.#map.has(`${name}`); }
  set(name, value) {
    name = `${name}`;
    value = `${value}`;
    if (name === '' || !TOKEN.test(name)) throw syntaxError('parameter name', name);
    if (!QUOTED_TOKEN.test(value)) throw syntaxError('parameter value', value);
    this.#map.set(name, value);
  }
  entries() { return this.#map.entries(); }
  keys() { return this.#map.keys(); }
  values() { return this.#map.values(); }
  [Symbol.iterator]() { return this.#map.entries(); }
  toString() {
    let out = '';
    for (const [name, value] of this.#map) out += `${out ? ';' : ''}${name}=${serializeValue(value)}`;
    return out;
  }
  toJSON() { return this.toString(); }
}

export class MIMEType {
  #type;
  #subtype;
  #params;

  constructor(input) {
    const { type, subtype, params } = parse(`${input}`);
    this.#type = type;
    this.#subtype = subtype;
    this.#params = MIMEParams.fromMap(params);
  }

  get type() { return this.#type; }
  set type(value) {
    value = `${value}`;
    if (value === '' || !TOKEN.test(value)) throw syntaxError('type', value);
    this.#type = value.toLowerCase();
  }
  get subtype() { return this.#subtype; }
  set subtype(value) {
    value = `${value}`;
    if (value === '' || !TOKEN.test(value)) throw syntaxError('subtype', value);
    this.#subtype = value.toLowerCase();
  }
  get essence() { return `${this.#type}/${this.#subtype}`; }
  get params() { return this.#params; }
  toString() {
    const params = this.#params.toString();
    return params ? `${this.essence};${params}` : this.essence;
  }
  toJSON() { return this.toString(); }
}
