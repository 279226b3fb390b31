// Blob URLs (File API, "blob URL store"): URL.createObjectURL(blob) names a Blob by a blob:
// URL until URL.revokeObjectURL or the app's end; fetch() of the URL reads the Blob. The
// store is the app's own (a URL names nothing in another app: an app reaches another's data
// only through what it was handed), and URLs take Node's form, blob:nodedata:UUID.
import binding from 'rtjs:binding';
import { Blob } from './blob.js';
import primordials from './primordials.js';

const { Map, TypeError } = primordials;
const { randomFill } = binding;
const store = new Map(); // URL without fragment -> Blob
const hex = [];
for (let i = 0; i < 256; i++) hex.push((i < 16 ? '0' : '') + i.toString(16));

// RFC 9562 section 5.4: a version 4 UUID is 122 random bits, version and variant fixed.
function uuid() {
  const b = new Uint8Array(16);
  randomFill(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i++) s += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + hex[b[i]];
  return s;
}

export function createObjectURL(obj) {
  if (!(obj instanceof Blob)) {
    const err = new TypeError(`The "obj" argument must be an instance of Blob. Received ${obj === null ? 'null' : typeof obj}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  const url = `blob:nodedata:${uuid()}`;
  store.set(url, obj);
  return url;
}

/** Forgets `url` (an exact match, fragment included, as the standard says); anything else is ignored. */
export function revokeObjectURL(url) {
  store.delete(`${url}`);
}

/** The Blob a blob: URL names (its fragment ignored), or undefined. */
export function resolveObjectURL(url) {
  const s = `${url}`;
  const hash = s.indexOf('#');
  return store.get(hash < 0 ? s : s.slice(0, hash));
}
