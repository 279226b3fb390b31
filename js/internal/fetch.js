// fetch, Headers, Request and Response (WHATWG Fetch) for http: and https: URLs, over
// node:http and node:https and so over the network service the app was granted, and for blob:
// URLs (blob-url.js). fetch resolves once the head has arrived; the body is a ReadableStream
// fed as the connection delivers it, and a reader that falls behind pauses the connection (its
// TCP window closes). https: trusts the runtime's CA bundle (and NODE_EXTRA_CA_CERTS, as Node).
import binding from 'rtjs:binding';
import { request as httpRequest } from 'rtjs:node/http.js';
import { resolveObjectURL } from './blob-url.js';
import { Blob, bytesOf } from './blob.js';
import { FormData } from './form-data.js';
import { encodeFormData, decodeFormData } from './multipart.js';
import { performance, markResourceTiming } from './performance.js';

const REDIRECTS_MAX = 20;                                  // Fetch 4.4 "HTTP-redirect fetch"
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const encoder = new TextEncoder();
const fetchFailed = (cause) => Object.assign(new TypeError('fetch failed'), { cause });
// A body cut short, as undici reports it.
const terminated = () => new TypeError('terminated', { cause: Object.assign(new Error('the connection closed before the body ended'), { code: 'UND_ERR_SOCKET' }) });
// Received chunks a body stream holds for its reader before the connection is paused.
const BODY_CHUNKS_AHEAD = 16;

export class Headers {
  #map = new Map();   // lower-case name -> [name, values[]]
  constructor(init) {
    if (init instanceof Headers) for (const [k, v] of init) this.append(k, v);
    else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
    else if (init && typeof init === 'object') for (const k of Object.keys(init)) this.append(k, init[k]);
  }
  append(name, value) {
    const key = checkName(name);
    const entry = this.#map.get(key) ?? [String(name), []];
    entry[1].push(String(value).trim());
    this.#map.set(key, entry);
  }
  set(name, value) { this.#map.set(checkName(name), [String(name), [String(value).trim()]]); }
  get(name) {
    const e = this.#map.get(String(name).toLowerCase());
    return e ? e[1].join(', ') : null;
  }
  getSetCookie() { return [...(this.#map.get('set-cookie')?.[1] ?? [])]; }
  has(name) { return this.#map.has(String(name).toLowerCase()); }
  delete(name) { this.#map.delete(String(name).toLowerCase()); }
  forEach(fn, thisArg) { for (const [k, v] of this) fn.call(thisArg, v, k, this); }
  *entries() { for (const k of [...this.#map.keys()].sort()) yield [k, this.get(k)]; }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }
}

function checkName(name) {
  const s = String(name);
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(s)) throw new TypeError(`Headers: invalid header name ${JSON.stringify(s)}`);
  return s.toLowerCase();
}

// Fetch's "extract a body": the bytes (or a stream of them) and the Content-Type they imply.
// Anything else a BodyInit does not name is a string, as WebIDL converts it.
function extractBody(body) {
  if (body === undefined || body === null) return { bytes: null, stream: null, type: null };
  if (body instanceof ReadableStream) {
    if (body.locked) throw new TypeError('Response body object should not be disturbed or locked');
    return { bytes: null, stream: body, type: null };
  }
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body.slice(0)), stream: null, type: null };
  if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength).slice(), stream: null, type: null };
  if (body instanceof URLSearchParams) return { bytes: encoder.encode(body.toString()), stream: null, type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof Blob) return { bytes: bytesOf(body).slice(), stream: null, type: body.type || null };
  if (body instanceof FormData) {
    const { bytes, type } = encodeFormData(body);
    return { bytes, stream: null, type };
  }
  return { bytes: encoder.encode(`${body}`), stream: null, type: 'text/plain;charset=UTF-8' };
}

/** The body mixin: read once, as text, JSON, bytes, a Blob or form data, or through its stream. */
class Body {
  #bytes; #stream = null; #used = false;
  // bytes: the whole body (or null: none); stream: a ReadableStream of it instead.
  constructor(bytes, stream = null) { this.#bytes = bytes; this.#stream = stream; }
  get bodyUsed() { return this.#used || (this.#stream !== null && this.#stream.locked); }
  get body() {
    if (this.#stream === null && this.#bytes !== null) {
      const bytes = this.#bytes;
      this.#stream = new ReadableStream({ start(c) { if (bytes.length) c.enqueue(bytes.slice()); c.close(); } });
    }
    return this.#stream;
  }
  async #take() {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    if (this.#stream === null) return this.#bytes ?? new Uint8Array(0);
    const reader = this.#stream.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
    if (chunks.length === 1) return chunks[0];
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.length; }
    return bytes;
  }
  async arrayBuffer() { const b = await this.#take(); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); }
  async bytes() { return new Uint8Array(await this.arrayBuffer()); }
  async text() { return new TextDecoder().decode(await this.#take()); }
  async json() { return JSON.parse(await this.text()); }
  async blob() { return new Blob([await this.#take()], { type: this.headers.get('content-type') ?? '' }); }
  /** A multipart/form-data or application/x-www-form-urlencoded body as FormData. */
  async formData() {
    const type = this.headers.get('content-type') ?? '';
    const bytes = await this.#take();
    if (/^multipart\/form-data\s*(;|$)/i.test(type)) return decodeFormData(bytes, type);
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
      throw new TypeError('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".');
    }
    const fd = new FormData();
    // URL Standard "urlencoded parser": UTF-8 without BOM handling, so a leading U+FEFF stays.
    for (const [k, v] of new URLSearchParams(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes))) fd.append(k, v);
    return fd;
  }
}

// What fetch reads of a Request beyond its public members (module-private).
let bytesOfRequest, streamOfRequest, blobOfRequest;

export class Request extends Body {
  url; method; headers; signal; redirect;
  #bytes; #stream; #blob;
  constructor(input, init = {}) {
    const base = input instanceof Request ? input : null;
    // The body given, or the one of the Request this one copies.
    const body = init.body !== undefined && init.body !== null ? extractBody(init.body)
      : { bytes: base ? base.#bytes : null, stream: base ? base.#stream : null, type: null };
    if (body.stream !== null && init.body !== undefined && init.duplex !== 'half') {
      throw new TypeError('RequestInit: duplex option is required when sending a body.');
    }
    super(body.bytes, body.stream);
    this.url = new URL(base ? base.url : String(input)).href;
    this.method = String(init.method ?? base?.method ?? 'GET').toUpperCase();
    this.headers = new Headers(init.headers ?? base?.headers);
    this.signal = init.signal ?? base?.signal ?? null;
    this.redirect = init.redirect ?? base?.redirect ?? 'follow';
    const hasBody = body.bytes !== null || body.stream !== null;
    if (hasBody && (this.method === 'GET' || this.method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.');
    if (body.type !== null && !this.headers.has('content-type')) this.headers.set('content-type', body.type);
    this.#bytes = body.bytes;
    this.#stream = body.stream;
    // A blob: URL is resolved now: revoking it after the Request is made does not matter.
    this.#blob = (base ? base.#blob : undefined) ?? resolveObjectURL(this.url);
  }

  static {
    bytesOfRequest = (req) => req.#bytes;
    streamOfRequest = (req) => req.#stream;
    blobOfRequest = (req) => req.#blob;
  }
  /** A streamed body goes out as it is read, while the response may already come in. */
  get duplex() { return 'half'; }
}

export class Response extends Body {
  status; statusText; headers; url = ''; redirected = false; type = 'basic';
  constructor(body = null, init = {}) {
    const extracted = extractBody(body);
    super(extracted.bytes, extracted.stream);
    this.status = init.status ?? 200;
    if (!Number.isInteger(this.status) || this.status < 200 || this.status > 599) throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
    this.statusText = init.statusText ?? '';
    this.headers = new Headers(init.headers);
    if (extracted.type !== null && !this.headers.has('content-type')) this.headers.set('content-type', extracted.type);
  }
  get ok() { return this.status >= 200 && this.status < 300; }
  static json(data, init = {}) {
    const r = new Response(encoder.encode(JSON.stringify(data)), init);
    if (!r.headers.has('content-type')) r.headers.set('content-type', 'application/json');
    return r;
  }
  static error() { const r = new Response(null, { status: 200 }); r.type = 'error'; r.status = 0; return r; }
}

// Fetch 4.2 "scheme fetch", blob: a GET of a URL in the store answers with the Blob's bytes
// and type; any other method, or a URL not there, is a network error.
function blobFetch(req) {
  if (req.method !== 'GET') return Promise.reject(fetchFailed(new Error(`${req.method} of a blob: URL`)));
  const blob = blobOfRequest(req);
  if (blob === undefined) return Promise.reject(fetchFailed(new Error(`${req.url} names no Blob (revoked, or never made)`)));
  const bytes = bytesOf(blob).slice();
  const headers = new Headers({ 'content-type': blob.type, 'content-length': String(bytes.length) });
  return Promise.resolve({ status: 200, statusText: 'OK', headers, bytes });
}

// One request and its response head. `hop` collects its times for Resource Timing:
// connectStart, secureConnectionStart and connectEnd (timeConnection), requestStart,
// responseStart, status, the body's bytes, and responseEnd (then onEnd()).
function once(req, url, hop) {
  if (url.protocol === 'blob:') return blobFetch(req);
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    if (url.protocol !== 'http:' && !secure) return reject(fetchFailed(Object.assign(new Error(`${url.protocol} is not supported (http:, https: and blob: are)`), { code: 'ERR_INVALID_PROTOCOL' })));
    // node:https (and with it node:tls) loads with the first https: fetch.
    const send = secure ? binding.importSync('rtjs:node/https.js').request : httpRequest;
    const headers = {};
    for (const [k, v] of req.headers) headers[k] = v;
    const body = bytesOfRequest(req);
    // A stream goes out in chunked coding, as read (no Content-Length: its length is unknown).
    if (body) headers['content-length'] = String(body.length);
    let fail = reject;   // before the head: fetch fails; after it: the body stream errors
    hop.connectStart = hop.requestStart = performance.now();
    const r = send({ hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port || (secure ? 443 : 80), path: url.pathname + url.search, method: req.method, headers }, (res) => {
      hop.responseStart = performance.now();
      hop.status = res.statusCode;
      const h = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      let controller = null, paused = false;
      const body = new ReadableStream({
        start(c) { controller = c; },
        // The reader wants more: let the connection deliver again.
        pull() { if (paused) { paused = false; res.socket?.resume?.(); res.resume(); } },
        cancel() { r.destroy(); },
      }, new CountQueuingStrategy({ highWaterMark: BODY_CHUNKS_AHEAD }));
      res.on('data', (d) => {
        hop.bodySize += d.byteLength;
        controller.enqueue(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
        // Chunks pile up unread: stop reading the connection, so its window closes.
        if (controller.desiredSize <= 0 && !paused) { paused = true; res.pause(); res.socket?.pause?.(); }
      });
      res.on('end', () => {
        fail = () => {};
        hop.responseEnd = performance.now();
        hop.onEnd?.();
        try { controller.close(); } catch { /* cancelled */ }
      });
      fail = (e) => { fail = () => {}; try { controller.error(e); } catch { /* already closed */ } };
      res.on('aborted', () => fail(terminated()));
      resolve({ status: res.statusCode, statusText: res.statusMessage, headers: h, body, discard: () => r.destroy() });
    });
    r.once('socket', (socket) => timeConnection(socket, secure, hop));
    r.on('error', (e) => fail(fetchFailed(e)));
    r.on('close', () => fail(terminated()));   // closed before the body ended (after: no-op)
    if (req.signal) {
      if (req.signal.aborted) { r.destroy(); return reject(req.signal.reason); }
      req.signal.addEventListener('abort', () => { r.destroy(); fail(req.signal.reason); }, { once: true });
    }
    const stream = streamOfRequest(req);
    if (stream) upload(stream, r, (e) => { r.destroy(); fail(fetchFailed(e)); });
    else r.end(body ?? undefined);
  });
}

// The connection's phases (Resource Timing 4.3): its TCP connect ends with 'connect', where an
// https: connection's TLS handshake starts (secureConnectionStart) and ends with
// 'secureConnect'; the request goes out when the connection is ready (requestStart). A
// connection already open (a keep-alive agent's) has no phases: they stay at connectStart.
function timeConnection(socket, secure, hop) {
  if (!socket || !(socket.connecting || socket.pending)) { hop.connectEnd = hop.connectStart; return; }
  socket.once('connect', () => {
    if (secure) hop.secureConnectionStart = performance.now();
    else hop.connectEnd = hop.requestStart = performance.now();
  });
  if (secure) socket.once('secureConnect', () => { hop.connectEnd = hop.requestStart = performance.now(); });
}

// A ReadableStream request body written to the request as the reader gets it, waiting for
// the connection to drain when it is full.
async function upload(stream, r, onError) {
  try {
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new TypeError('fetch: a request body stream must give Uint8Array chunks');
      if (!r.write(value)) await new Promise((resolve) => { r.once('drain', resolve); r.once('close', resolve); });
    }
    r.end();
  } catch (err) {
    onError(err);
  }
}

/** fetch(input[, init]): a Response once the head has arrived; its body streams. */
export async function fetch(input, init) {
  let req = new Request(input, init);
  let url = new URL(req.url);
  const fetchStart = performance.now();
  const firstUrl = req.url;
  let redirectStart = 0, redirectEnd = 0;
  for (let hops = 0; ; hops++) {
    const hop = { connectStart: 0, secureConnectionStart: 0, connectEnd: 0, requestStart: 0, responseStart: 0, responseEnd: 0, status: 0, bodySize: 0, onEnd: null };
    const r = await once(req, url, hop);
    if (REDIRECT.has(r.status) && req.redirect !== 'manual' && r.headers.has('location')) {
      if (req.redirect === 'error') throw fetchFailed(new Error(`redirect to ${r.headers.get('location')} with redirect: 'error'`));
      if (hops + 1 > REDIRECTS_MAX) throw fetchFailed(new Error('redirect count exceeded'));
      r.discard?.();
      if (redirectStart === 0) redirectStart = fetchStart;
      redirectEnd = performance.now();
      url = new URL(r.headers.get('location'), url);
      const toGet = r.status === 303 || ((r.status === 301 || r.status === 302) && req.method === 'POST');
      // Fetch 4.4 step 11: a streamed body was sent once and cannot be sent again.
      if (streamOfRequest(req) && !toGet) throw fetchFailed(new Error(`a ${r.status} redirect would send the request's streamed body again`));
      req = new Request(url.href, { method: toGet ? 'GET' : req.method, headers: req.headers, body: toGet ? undefined : bytesOfRequest(req) ?? undefined, signal: req.signal ?? undefined });
      continue;
    }
    if (r.status < 200) r.discard?.();
    const res = new Response(r.status >= 200 ? r.body ?? r.bytes : null, { status: Math.max(200, r.status), statusText: r.statusText, headers: r.headers });
    res.status = r.status;
    res.url = url.href;
    res.redirected = hops > 0;
    // Its Resource Timing entry, under the URL first asked for, once the body has come.
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      hop.onEnd = () => markResourceTiming(firstUrl, { fetchStart, redirectStart, redirectEnd, ...hop });
      if (hop.responseEnd !== 0) hop.onEnd();
    }
    return res;
  }
}
