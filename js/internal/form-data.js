// FormData (XMLHttpRequest Standard, "Interface FormData") without a form element: an
// ordered list of (name, string | File) entries. A Blob value becomes a File named "blob"
// unless a filename is given.
import { Blob, File } from './blob.js';
import primordials from './primordials.js';

const { ObjectDefineProperty, SymbolIterator, TypeError } = primordials;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const usv = (v) => `${v}`.replace(LONE_SURROGATE, '\ufffd');

function entryValue(value, filename, argc) {
  if (value instanceof Blob) {
    if (!(value instanceof File) || argc > 2) {
      return new File([value], filename === undefined ? (value instanceof File ? value.name : 'blob') : usv(filename),
        { type: value.type, lastModified: value instanceof File ? value.lastModified : undefined });
    }
    return value;
  }
  if (argc > 2) throw new TypeError("Failed to execute on 'FormData': parameter 2 is not of type 'Blob'");
  return usv(value);
}

export class FormData {
  #entries = [];

  constructor(form = undefined) {
    if (form !== undefined) throw new TypeError("Failed to construct 'FormData': there are no form elements here");
  }

  static #check(f) {
    if (f === null || typeof f !== 'object' || !(#entries in f)) throw new TypeError('Illegal invocation: not a FormData');
  }

  append(name, value, filename = undefined) {
    FormData.#check(this);
    if (arguments.length < 2) throw new TypeError("Failed to execute 'append' on 'FormData': 2 arguments required");
    this.#entries.push([usv(name), entryValue(value, filename, arguments.length)]);
  }

  set(name, value, filename = undefined) {
    FormData.#check(this);
    if (arguments.length < 2) throw new TypeError("Failed to execute 'set' on 'FormData': 2 arguments required");
    name = usv(name);
    const entry = [name, entryValue(value, filename, arguments.length)];
    const i = this.#entries.findIndex(([n]) => n === name);
    if (i < 0) {
      this.#entries.push(entry);
    } else {
      this.#entries[i] = entry;
      this.#entries = this.#entries.filter(([n], j) => j <= i || n !== name);
    }
  }

  get(name) {
    FormData.#check(this);
    if (arguments.length < 1) throw new TypeError("Failed to execute 'get' on 'FormData': 1 argument required");
    name = usv(name);
    const found = this.#entries.find(([n]) => n === name);
    return found === undefined ? null : found[1];
  }

  getAll(name) {
    FormData.#check(this);
    name = usv(name);
    return this.#entries.filter(([n]) => n === name).map(([, v]) => v);
  }

  has(name) {
    FormData.#check(this);
    name = usv(name);
    return this.#entries.some(([n]) => n === name);
  }

  delete(name) {
    FormData.#check(this);
    name = usv(name);
    this.#entries = this.#entries.filter(([n]) => n !== name);
  }

  forEach(callback, thisArg = undefined) {
    FormData.#check(this);
    if (typeof callback !== 'function') throw new TypeError('The callback must be a function');
    for (let i = 0; i < this.#entries.length; i++) {
      const [n, v] = this.#entries[i];
      Reflect.apply(callback, thisArg, [v, n, this]);
    }
  }

  *#iterate(kind) {
    for (let i = 0; i < this.#entries.length; i++) {
      const [n, v] = this.#entries[i];
      yield kind === 'keys' ? n : kind === 'values' ? v : [n, v];
    }
  }

  keys() { FormData.#check(this); return this.#iterate('keys'); }
  values() { FormData.#check(this); return this.#iterate('values'); }
  entries() { FormData.#check(this); return this.#iterate('entries'); }
  [SymbolIterator]() { FormData.#check(this); return this.#iterate('entries'); }
}
ObjectDefineProperty(FormData.prototype, Symbol.toStringTag, { value: 'FormData', configurable: true });
