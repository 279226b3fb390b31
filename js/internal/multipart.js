// multipart/form-data (RFC 7578) for fetch bodies: FormData written out as the HTML
// Standard's "multipart/form-data encoding algorithm" says, and read back by the Fetch
// Standard's "multipart/form-data parser". Names and filenames escape CR, LF and '"' as %0D,
// %0A and %22 (and are unescaped when read, as Node's undici does); line breaks in names and
// string values become CRLF.
import binding from 'rtjs:binding';
import { File, bytesOf } from './blob.js';
import { FormData } from './form-data.js';
import primordials from './primordials.js';

const { TypeError, Uint8Array } = primordials;

const { randomFill } = binding;

const encoder = new TextEncoder();
const utf8 = new TextDecoder();
const CRLF = encoder.encode('\r\n');
const BOUNDARY_RANDOM_BYTES = 12;
// What a part without a Content-Type holds (Fetch, "multipart/form-data parser").
const DEFAULT_PART_TYPE = 'text/plain';

const escapeName = (s) => s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
const crlf = (s) => s.replace(/\r\n|\r|\n/g, '\r\n');
const parseError = () => new TypeError('Failed to parse body as FormData.');

/**
 * FormData as a multipart/form-data body: { bytes, type } with the boundary in type.
 */
export function encodeFormData(formData) {
  const random = new Uint8Array(BOUNDARY_RANDOM_BYTES);
  randomFill(random);
  let boundary = '----formdata-rtjs-';
  for (const b of random) boundary += (b < 16 ? '0' : '') + b.toString(16);
  const chunks = [];
  for (const [name, value] of formData) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(crlf(name))}"`;
    if (typeof value === 'string') {
      chunks.push(encoder.encode(`${head}\r\n\r\n${crlf(value)}\r\n`));
    } else {
      head += `; filename="${escapeName(value.name)}"\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`;
      chunks.push(encoder.encode(head), bytesOf(value), CRLF);
    }
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  let total = 0;
  for (const c of chunks) total += c.length;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.length; }
  return { bytes, type: `multipart/form-data; boundary=${boundary}` };
}

/** The boundary parameter of a multipart/form-data Content-Type, or null. */
function boundaryOf(contentType) {
  const m = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const b = m ? m[1] ?? m[2] : '';
  return b.length > 0 && b.length <= 70 ? b : null;   // RFC 2046 section 5.1.1: 1 to 70 characters
}

function indexOf(bytes, needle, from) {
  const first = needle[0];
  const last = bytes.length - needle.length;
  for (let i = bytes.indexOf(first, from); i !== -1 && i <= last; i = bytes.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

// A Content-Disposition parameter's value: quoted (with %0A %0D %22 escapes) or a token.
function param(disposition, key) {
  const re = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const m = re.exec(disposition);
  if (!m) return null;
  if (m[2] !== undefined) return m[2];
  return m[1].replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%22/g, '"').replace(/\\(.)/g, '$1');
}

/**
 * A multipart/form-data body as FormData: a part with a filename becomes a File.
 * @throws TypeError 'Failed to parse body as FormData.' (Node's wording) for a body that is
 *   not one, or a Content-Type without a boundary
 */
export function decodeFormData(bytes, contentType) {
  const boundary = boundaryOf(contentType);
  if (boundary === null) throw parseError();
  const delimiter = encoder.encode(`--${boundary}`);
  const next = encoder.encode(`\r\n--${boundary}`);
  const form = new FormData();
  let at = indexOf(bytes, delimiter, 0);
  if (at !== 0 && !(at > 0 && bytes[at - 2] === 13 && bytes[at - 1] === 10)) throw parseError();   // a preamble ends with CRLF
  at += delimiter.length;
  for (;;) {
    // After a delimiter: '--' ends the body, CRLF starts a part.
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return form;
    if (bytes[at] !== 13 || bytes[at + 1] !== 10) throw parseError();
    at += 2;
    const headEnd = indexOf(bytes, encoder.encode('\r\n\r\n'), at);
    // A part with no header fields has its blank line at once.
    const empty = bytes[at] === 13 && bytes[at + 1] === 10;
    if (headEnd === -1 && !empty) throw parseError();
    const fields = empty ? [] : utf8.decode(bytes.subarray(at, headEnd)).split('\r\n');
    at = empty ? at + 2 : headEnd + 4;
    const end = indexOf(bytes, next, at);
    if (end === -1) throw parseError();
    const body = bytes.subarray(at, end);
    at = end + next.length;
    let disposition = null, type = null;
    for (const f of fields) {
      const colon = f.indexOf(':');
      if (colon <= 0) throw parseError();
      const name = f.slice(0, colon).trim().toLowerCase();
      const value = f.slice(colon + 1).trim();
      if (name === 'content-disposition') disposition = value;
      else if (name === 'content-type') type = value;
    }
    if (disposition === null || !/^form-data\s*(;|$)/i.test(disposition)) throw parseError();
    const name = param(disposition, 'name');
    if (name === null) throw parseError();
    const filename = param(disposition, 'filename');
    if (filename === null) form.append(name, utf8.decode(body));
    else form.append(name, new File([body.slice()], filename, { type: type ?? DEFAULT_PART_TYPE }));
  }
}
