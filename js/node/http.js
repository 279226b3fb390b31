// node:http (nodejs.org/api/http.html), HTTP/1.1 (RFC 9112) over node:net: a server with
// keep-alive, pipelined requests answered in order, chunked bodies both ways, limits on the
// header size, and timeouts; and a client (request, get) for http: URLs.
import { EventEmitter } from './events.js';
import { Readable, Stream } from './stream.js';
import { queueTick } from '../internal/ticks.js';
import { asBuffer } from '../internal/crypto-bytes.js';
import { Socket, createServer as createNetServer, connect as netConnect } from './net.js';
import { kNetServer, checkAgentProtocol } from '../internal/http-transport.js';
import { kWriteOwned } from '../internal/net-socket-brand.js';
import { callableClass } from '../internal/callable-class.js';

export const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'CONNECT', 'TRACE'];
export const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
  206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 409: 'Conflict', 411: 'Length Required',
  413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 429: 'Too Many Requests',
  431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
};
export const maxHeaderSize = 16384;   // Node's default (--max-http-header-size)

const encoder = new TextEncoder();
const CRLF = '\r\n';
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// A body's bytes: UTF-8 (the default) by the runtime's encoder, other encodings by Buffer's.
const toBytes = (chunk, encoding) => {
  if (typeof chunk !== 'string') return new Uint8Array(chunk.buffer ?? chunk, chunk.byteOffset ?? 0, chunk.byteLength);
  if (encoding === undefined || encoding === null || encoding === 'utf8' || encoding === 'utf-8' || !globalThis.Buffer) return encoder.encode(chunk);
  return globalThis.Buffer.from(chunk, encoding);
};

// Text up to this long that is all ASCII stays a string until it is written into the
// message's buffer (its length is its byte count in every encoding a body names here): a
// loop over a short string costs less than the native encoder's call and the array it makes.
const INLINE_TEXT_MAX = 1024;
const asciiCompatible = (encoding) => encoding === undefined || encoding === null || encoding === 'utf8' ||
  encoding === 'utf-8' || encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii';
function isAscii(text) {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
/** A body chunk as bytes, or as a string when it is short ASCII text (see INLINE_TEXT_MAX). */
function bodyOf(chunk, encoding) {
  if (typeof chunk === 'string' && chunk.length <= INLINE_TEXT_MAX && asciiCompatible(encoding) && isAscii(chunk)) return chunk;
  return toBytes(chunk, encoding);
}

/**
 * One new buffer of `head` and `tail` (latin1: a header value's characters are its bytes, as
 * Node writes them) around `body` (bytes, or bodyOf's ASCII text): what a message sends in
 * one socket write.
 */
function framed(head, body, tail = '') {
  const h = head.length, b = body ? body.length : 0;
  const out = new Uint8Array(h + b + tail.length);
  putLatin1(out, head, 0);
  if (typeof body === 'string') putLatin1(out, body, h);
  else if (b) out.set(body, h);
  if (tail) putLatin1(out, tail, h + b);
  return out;
}
function putLatin1(out, text, at) {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
}

// The Date header of the current second, made once a second (as Node caches it).
let dateSecond = -1, dateText = '';
function httpDate() {
  const now = Date.now(), second = Math.floor(now / 1000);
  if (second !== dateSecond) { dateSecond = second; dateText = new Date(now).toUTCString(); }
  return dateText;
}
const concat = (a, b) => { const out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; };
const latin1 = (bytes) => { let s = ''; for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192)); return s; };
const httpError = (code, message) => Object.assign(new Error(message), { code });
// A malformed message from the peer: Node's parser errors say 'Parse Error: <reason>'.
const parseError = (code, reason) => Object.assign(new Error(`Parse Error: ${reason}`), { code, reason });

// Node's checks of a header (validateHeaderName, validateHeaderValue): a name is a token, a
// value's characters are TAB, visible ASCII, SP or obs-text (RFC 9110 5.5).
const HEADER_VALUE_BAD = /[^\t\x20-\x7e\x80-\xff]/;
export const isHttpToken = (s) => typeof s === 'string' && TOKEN.test(s);
export const hasInvalidHeaderChar = (s) => HEADER_VALUE_BAD.test(s);
export function validateHeaderName(name) {
  if (!isHttpToken(name)) throw Object.assign(new TypeError(`Header name must be a valid HTTP token ["${name}"]`), { code: 'ERR_INVALID_HTTP_TOKEN' });
}
export function validateHeaderValue(name, value) {
  if (value === undefined) throw Object.assign(new TypeError(`Invalid value "${value}" for header "${name}"`), { code: 'ERR_HTTP_INVALID_HEADER_VALUE' });
  const values = Array.isArray(value) ? value : [value];
  if (values.some((v) => HEADER_VALUE_BAD.test(String(v)))) throw Object.assign(new TypeError(`Invalid character in header content ["${name}"]`), { code: 'ERR_INVALID_CHAR' });
}
function checkHeader(name, value) {
  validateHeaderName(name);
  validateHeaderValue(name, value);
}

// Node's checks of a body chunk.
function checkChunk(chunk) {
  if (chunk === null) throw Object.assign(new TypeError('May not write null values to stream'), { code: 'ERR_STREAM_NULL_VALUES' });
  if (typeof chunk !== 'string' && !ArrayBuffer.isView(chunk)) {
    throw Object.assign(new TypeError(`The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ${chunk === undefined ? 'undefined' : typeof chunk === 'object' ? 'an instance of ' + (chunk.constructor?.name ?? 'Object') : `type ${typeof chunk} (${String(chunk)})`}`), { code: 'ERR_INVALID_ARG_TYPE' });
  }
}

// A write after end(): Node's ERR_STREAM_WRITE_AFTER_END, to the callback and as 'error'.
function writeAfterEnd(msg, cb) {
  const err = Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
  queueMicrotask(() => { cb?.(err); if (!msg.destroyed) msg.emit('error', err); });
  return false;
}

function indexOfHeaderEnd(buf) {
  for (let i = 3; i < buf.length; i++) if (buf[i] === 10 && buf[i - 1] === 13 && buf[i - 2] === 10 && buf[i - 3] === 13) return i + 1;
  return -1;
}

/**
 * Parses the header lines of `text` from `at` (each ending in CRLF but the last) into
 * { headers, rawHeaders } or throws.
 */
function parseHeaders(text, at) {
  const headers = Object.create(null), rawHeaders = [];
  while (at < text.length) {
    let eol = text.indexOf(CRLF, at);
    if (eol < 0) eol = text.length;
    const colon = text.indexOf(':', at);
    const name = colon > at && colon < eol ? text.slice(at, colon) : '';
    if (!TOKEN.test(name)) throw parseError('HPE_INVALID_HEADER_TOKEN', `Invalid header line: ${JSON.stringify(text.slice(at, Math.min(eol, at + 80)))}`);
    const value = text.slice(colon + 1, eol).trim();
    at = eol + 2;
    rawHeaders.push(name, value);
    const key = name.toLowerCase();
    if (key === 'set-cookie') (headers[key] ??= []).push(value);
    else if (key in headers) headers[key] += (key === 'cookie' ? '; ' : ', ') + value;
    else headers[key] = value;
  }
  return { headers, rawHeaders };
}

/**
 * Reads HTTP/1.1 messages from a byte stream: the head, then a body by Content-Length or
 * chunked coding (RFC 9112 6, 7.1). Calls onHead(head) and onBody(chunk) / onEnd().
 */
class MessageParser {
  #buf = new Uint8Array(0);
  #state = 'head'; #remaining = 0; #chunked = false;
  #kind; #handlers; #noBody = () => false; #handlerThrew = false;
  constructor(kind, handlers, noBody) {
    this.#kind = kind;
    // A handler runs the program's listeners ('request', 'response', 'data', 'end'): what they
    // throw is the program's own exception, to stay uncaught as in Node, not a malformed
    // message from the peer; handlerThrew tells push()'s caller which it was.
    const guard = (fn) => (x) => { try { return fn(x); } catch (e) { this.#handlerThrew = true; throw e; } };
    this.#handlers = { onHead: guard(handlers.onHead), onBody: guard(handlers.onBody), onEnd: guard(handlers.onEnd) };
    if (noBody) this.#noBody = noBody;
  }
  get handlerThrew() { return this.#handlerThrew; }

  push(chunk) {
    // A plain view: a Buffer's subarray and slice make Buffers through its species
    // constructor, many times dearer than a Uint8Array's.
    if (chunk.constructor !== Uint8Array) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#buf = this.#buf.length ? concat(this.#buf, chunk) : chunk;
    for (;;) {
      if (this.#state === 'head') {
        const end = indexOfHeaderEnd(this.#buf);
        if (end < 0) {
          if (this.#buf.length > maxHeaderSize) throw parseError('HPE_HEADER_OVERFLOW', 'Header overflow');
          return;
        }
        if (end > maxHeaderSize) throw parseError('HPE_HEADER_OVERFLOW', 'Header overflow');
        const text = latin1(this.#buf.subarray(0, end - 4));
        this.#buf = this.#buf.subarray(end);
        let at = 0;
        while (text.startsWith(CRLF, at)) at += 2;   // RFC 9112 2.2: empty lines before a request
        let eol = text.indexOf(CRLF, at);
        if (eol < 0) eol = text.length;
        const head = this.#startLine(text.slice(at, eol));
        const { headers, rawHeaders } = parseHeaders(text, eol + 2);
        head.headers = headers;
        head.rawHeaders = rawHeaders;
        const te = head.headers['transfer-encoding'], cl = head.headers['content-length'];
        this.#chunked = te !== undefined && /(^|,)\s*chunked\s*$/i.test(te);
        if (te !== undefined && cl !== undefined) throw parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Content-Length with Transfer-Encoding');
        if (!this.#chunked && cl !== undefined && !/^\d+$/.test(cl)) throw parseError('HPE_INVALID_CONTENT_LENGTH', 'Invalid Content-Length');
        this.#remaining = this.#chunked ? 0 : cl !== undefined ? Number(cl) : this.#kind === 'response' && !this.#noBody(head) ? Infinity : 0;
        if (this.#noBody(head)) { this.#chunked = false; this.#remaining = 0; }
        // An interim (1xx) response the client has told of: the real one follows.
        if (this.#handlers.onHead(head) === 'skip') { this.#state = 'head'; continue; }
        this.#state = this.#chunked ? 'size' : 'body';
        continue;
      }
      if (this.#state === 'body') {
        if (this.#remaining === 0) { this.#finish(); continue; }
        if (this.#buf.length === 0) return;
        const n = Math.min(this.#remaining, this.#buf.length);
        const part = this.#buf.slice(0, n);
        this.#buf = this.#buf.subarray(n);
        this.#remaining -= n;
        this.#handlers.onBody(part);
        if (this.#remaining === 0) this.#finish();
        continue;
      }
      if (this.#state === 'size' || this.#state === 'trailer') {
        const nl = this.#buf.indexOf(10);
        if (nl < 0) { if (this.#buf.length > 1024) throw parseError('HPE_INVALID_CHUNK_SIZE', 'Invalid chunk size line'); return; }
        const line = latin1(this.#buf.subarray(0, nl)).replace(/\r$/, '');
        this.#buf = this.#buf.subarray(nl + 1);
        if (this.#state === 'trailer') { if (line === '') this.#finish(); continue; }
        const size = parseInt(line.split(';')[0], 16);
        if (!/^[0-9a-fA-F]+/.test(line) || !Number.isSafeInteger(size)) throw parseError('HPE_INVALID_CHUNK_SIZE', 'Invalid chunk size');
        if (size === 0) { this.#state = 'trailer'; continue; }
        this.#remaining = size;
        this.#state = 'chunk';
        continue;
      }
      if (this.#state === 'chunk') {
        if (this.#remaining > 0) {
          if (this.#buf.length === 0) return;
          const n = Math.min(this.#remaining, this.#buf.length);
          this.#handlers.onBody(this.#buf.slice(0, n));
          this.#buf = this.#buf.subarray(n);
          this.#remaining -= n;
          continue;
        }
        if (this.#buf.length < 2) return;
        if (this.#buf[0] !== 13 || this.#buf[1] !== 10) throw parseError('HPE_STRICT', 'Missing CRLF after chunk');
        this.#buf = this.#buf.subarray(2);
        this.#state = 'size';
        continue;
      }
      return;   // 'done' for a response read to the end of the connection
    }
  }

  /** The connection ended: a body delimited by the close is complete. */
  end() {
    if (this.#state === 'body' && this.#remaining === Infinity) this.#finish();
  }

  #finish() {
    this.#state = 'head';
    this.#remaining = 0;
    this.#handlers.onEnd();
  }

  #startLine(line) {
    if (this.#kind === 'request') {
      const m = /^([A-Z]+) (\S+) HTTP\/(1\.[01])$/.exec(line);
      if (!m) throw parseError('HPE_INVALID_METHOD', `Invalid request line: ${JSON.stringify(line.slice(0, 80))}`);
      return { method: m[1], url: m[2], httpVersion: m[3] };
    }
    const m = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/.exec(line);
    if (!m) throw parseError('HPE_INVALID_CONSTANT', `Invalid status line: ${JSON.stringify(line.slice(0, 80))}`);
    return { httpVersion: m[1], statusCode: Number(m[2]), statusMessage: m[3] ?? '' };
  }
}

// What the parser hands a message it reads.
const pushBody = (msg, chunk) => {
  if (msg.destroyed) return;
  // The connection waits while the message's reader is behind (Node's readStop), until its
  // next read.
  if (!msg.push(asBuffer(chunk)) && !msg.socket.isPaused?.()) { msg.socket.pause(); msg[kPausedSocket] = true; }
};
const endBody = (msg) => {
  msg.complete = true;
  if (!msg.destroyed) msg.push(null);
};
const kPausedSocket = Symbol('pausedSocket');

/** A request (server side) or a response (client side): a Readable of its body, as Node's. */
export class IncomingMessage extends Readable {
  headers = {}; rawHeaders = []; trailers = {}; rawTrailers = [];
  httpVersion; httpVersionMajor = 1; httpVersionMinor = 1;
  method = null; url = ''; statusCode = null; statusMessage = null; socket; upgrade = false;
  complete = false; aborted = false;
  _consuming = false; _dumped = false;
  constructor(socket, head) {
    super({ highWaterMark: socket?.readableHighWaterMark });
    this.socket = socket;
    if (head) {
      Object.assign(this, head);
      this.httpVersionMinor = Number(String(head.httpVersion).split('.')[1]);
    }
  }
  get connection() { return this.socket; }   // Node's older name for it, still read
  get client() { return this.socket; }
  get headersDistinct() {
    const o = Object.create(null);
    for (let i = 0; i + 1 < this.rawHeaders.length; i += 2) (o[this.rawHeaders[i].toLowerCase()] ??= []).push(this.rawHeaders[i + 1]);
    return o;
  }
  setTimeout(ms, cb) {
    if (cb) this.on('timeout', cb);
    this.socket.setTimeout(ms);
    return this;
  }
  _read() {
    this._consuming = true;
    if (this[kPausedSocket]) { this[kPausedSocket] = false; this.socket?.resume(); }
  }
  // Node's: destroyed before its end, the message was aborted, and its connection goes too.
  _destroy(err, cb) {
    if (!this.readableEnded || !this.complete) { this.aborted = true; this.emit('aborted'); }
    if (this.socket && !this.socket.destroyed && this.aborted) this.socket.destroy(err);
    queueMicrotask(() => cb(this.listenerCount('error') > 0 ? err : undefined));
  }
  // A body nobody reads is read and dropped, so that the connection can go on.
  _dump() {
    if (this._dumped) return;
    this._dumped = true;
    this.removeAllListeners('data');
    this.resume();
  }
}

// What ServerResponse and ClientRequest ask of the message they extend (module-private).
// putHeader: one this module adds (Date, Connection), valid by construction: set unchecked,
// as Node writes its own into the head.
let putHeader, sendHead, flushHead, writeBody, finishBody, flushOutbox, whenFlushed, headComposed;
const kHeadFixed = Symbol('headFixed');

/** What both ServerResponse and ClientRequest share: headers, then a body, chunked if unsized. */
export class OutgoingMessage extends Stream {
  #headers = new Map();   // lower-case name -> [name, value]
  #sent = false;          // the head is composed (it goes with the first body bytes)
  finished = false; writableEnded = false; writableFinished = false;
  destroyed = false; sendDate = false; strictContentLength = false;
  #chunked = false; #hasBody = true;
  // The head waits to go out with the first body bytes (or the end): one write, one segment,
  // where two would leave the body to Nagle's algorithm and the peer's delayed ACK.
  #pendingHead = null;
  #outbox = [];           // bytes written before the message has its connection
  socket = null;
  get connection() { return this.socket; }   // Node's older name for it, still read
  get writable() { return !this.writableEnded && !this.destroyed; }
  // Sent once composed, or (a response) once writeHead() has fixed the status and headers.
  get headersSent() { return this.#sent || this[kHeadFixed] === true; }
  get writableLength() { return this.socket ? this.socket.writableLength : this.#outbox.reduce((n, b) => n + b.length, 0); }
  get writableHighWaterMark() { return this.socket ? this.socket.writableHighWaterMark : 16384; }
  get writableCorked() { return this.socket ? this.socket.writableCorked : 0; }
  get writableObjectMode() { return false; }
  get writableNeedDrain() { return this.#drainAwaited; }
  cork() { this.socket?.cork(); }
  uncork() { this.socket?.uncork(); }
  setHeader(name, value) {
    if (this.headersSent) throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
    checkHeader(name, value);
    this.#headers.set(name.toLowerCase(), [name, value]);
    return this;
  }
  appendHeader(name, value) {
    if (this.headersSent) throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot append headers after they are sent to the client');
    checkHeader(name, value);
    const key = name.toLowerCase(), had = this.#headers.get(key);
    if (!had) this.#headers.set(key, [name, value]);
    else this.#headers.set(key, [had[0], [].concat(had[1], value)]);
    return this;
  }
  setHeaders(headers) {
    if (this.headersSent) throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
    const entries = headers instanceof Map || (globalThis.Headers && headers instanceof globalThis.Headers) ? headers.entries() : null;
    if (!entries) throw httpError('ERR_INVALID_ARG_TYPE', 'The "headers" argument must be an instance of Headers or Map');
    for (const [k, v] of entries) this.setHeader(k, v);
    return this;
  }
  getHeader(name) {
    if (typeof name !== 'string') throw httpError('ERR_INVALID_ARG_TYPE', `The "name" argument must be of type string. Received ${typeof name}`);
    return this.#headers.get(name.toLowerCase())?.[1];
  }
  getHeaders() { const o = Object.create(null); for (const [k, [, v]] of this.#headers) o[k] = v; return o; }
  getHeaderNames() { return [...this.#headers.keys()]; }
  getRawHeaderNames() { return [...this.#headers.values()].map(([n]) => n); }
  hasHeader(name) {
    if (typeof name !== 'string') throw httpError('ERR_INVALID_ARG_TYPE', `The "name" argument must be of type string. Received ${typeof name}`);
    return this.#headers.has(name.toLowerCase());
  }
  removeHeader(name) {
    if (typeof name !== 'string') throw httpError('ERR_INVALID_ARG_TYPE', `The "name" argument must be of type string. Received ${typeof name}`);
    if (this.headersSent) throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot remove headers after they are sent to the client');
    this.#headers.delete(name.toLowerCase());
  }

  #sendHead(startLine, { hasBody = true, knownLength = null } = {}) {
    this.#hasBody = hasBody;
    const headers = this.#headers;
    let te = headers.get('transfer-encoding');
    if (hasBody && te === undefined && !headers.has('content-length')) {
      if (knownLength !== null) headers.set('content-length', ['Content-Length', knownLength]);
      else headers.set('transfer-encoding', (te = ['Transfer-Encoding', 'chunked']));
    }
    this.#chunked = hasBody && te !== undefined && (te[1] === 'chunked' || /chunked/i.test(String(te[1])));
    let head = startLine + CRLF;
    for (const [name, value] of headers.values()) {
      if (!Array.isArray(value)) head += `${name}: ${value}${CRLF}`;
      else for (const v of value) head += `${name}: ${v}${CRLF}`;
    }
    this.#sent = true;
    this.#pendingHead = head + CRLF;
  }

  /**
   * Writes the held head, if any, with `before`, `bytes` and `after` following it (one socket
   * write; `before` and `after` are latin1 text: a chunk's size line and its CRLF).
   */
  #flushHead(bytes = null, before = '', after = '') {
    const head = this.#pendingHead;
    if (head === null && !before && !after) {
      if (!bytes) return true;
      return typeof bytes === 'string' ? this.#write(framed('', bytes), true) : this.#write(bytes, false);
    }
    this.#pendingHead = null;
    return this.#write(framed(head === null ? before : head + before, bytes, after), true);
  }

  // A socket write (`owned`: bytes made here, sent without a copy); when the socket says it is
  // full, this message's 'drain' follows the socket's, as Node's (a writer waiting on
  // res.once('drain') goes on).
  #write(bytes, owned) {
    const socket = this.socket;
    if (!socket) { this.#outbox.push(bytes); return false; }
    const ok = owned && socket[kWriteOwned] ? socket[kWriteOwned](bytes) : socket.write(bytes);
    if (!ok && !this.#drainAwaited) {
      this.#drainAwaited = true;
      this.socket.once('drain', () => { this.#drainAwaited = false; this.emit('drain'); });
    }
    return ok;
  }
  #drainAwaited = false;

  #writeBody(chunk, encoding) {
    if (!this.#hasBody) return true;
    const bytes = bodyOf(chunk, encoding);
    if (bytes.length === 0) return true;
    if (!this.#chunked) return this.#flushHead(bytes);
    return this.#flushHead(bytes, `${bytes.length.toString(16)}${CRLF}`, CRLF);
  }

  #finishBody() { if (this.#chunked) this.#flushHead(null, `0${CRLF}${CRLF}`); else this.#flushHead(); }

  static {
    putHeader = (msg, key, name, value) => msg.#headers.set(key, [name, value]);
    headComposed = (msg) => msg.#sent;
    sendHead = (msg, startLine, options) => msg.#sendHead(startLine, options);
    flushHead = (msg) => msg.#flushHead();
    writeBody = (msg, chunk, encoding) => msg.#writeBody(chunk, encoding);
    finishBody = (msg) => msg.#finishBody();
    flushOutbox = (msg) => {
      const out = msg.#outbox;
      msg.#outbox = [];
      for (const bytes of out) msg.#write(bytes, true);
      if (out.length && !msg.#drainAwaited) msg.emit('drain');
      const waiting = msg.#onFlushed;
      msg.#onFlushed = null;
      if (waiting) queueMicrotask(waiting);
    };
    whenFlushed = (msg, fn) => {
      if (msg.socket) queueMicrotask(fn);
      else msg.#onFlushed = fn;
    };
  }
  #onFlushed = null;
}

// The server's word for "this response has ended", and its close of one the connection's
// close cut short (module-private).
let whenEnded, closeResponse;

export class ServerResponse extends OutgoingMessage {
  statusCode = 200; statusMessage; req; sendDate = true;
  #keepAlive; #onEnded = null;
  static { whenEnded = (res, fn) => { res.#onEnded = fn; }; }
  constructor(req, keepAlive) {
    super();
    this.req = req;
    this.socket = req.socket ?? null;
    this.#keepAlive = keepAlive ?? (req.httpVersionMajor === 1 && req.httpVersionMinor === 1);
  }
  /** Drops the connection, the response unsent (the client sees it end: 'socket hang up'). */
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.socket?.destroy(err);
    return this;
  }

  writeHead(statusCode, statusMessage, headers) {
    if (this.headersSent) throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot write headers after they are sent to the client');
    if (typeof statusMessage !== 'string') { headers = statusMessage; statusMessage = undefined; }
    statusCode |= 0;
    if (statusCode < 100 || statusCode > 999) throw Object.assign(new RangeError(`Invalid status code: ${arguments[0]}`), { code: 'ERR_HTTP_INVALID_STATUS_CODE' });
    if (statusMessage !== undefined && /[\r\n]/.test(statusMessage)) throw Object.assign(new TypeError('Invalid character in statusMessage'), { code: 'ERR_INVALID_CHAR' });
    this.statusCode = statusCode;
    if (statusMessage) this.statusMessage = statusMessage;
    if (Array.isArray(headers)) {
      if (headers.length && Array.isArray(headers[0])) for (const [k, v] of headers) this.appendHeader(k, v);
      else {
        if (headers.length % 2 !== 0) throw Object.assign(new TypeError(`The argument 'headers' is invalid. Received ${headers}`), { code: 'ERR_INVALID_ARG_VALUE' });
        for (let i = 0; i + 1 < headers.length; i += 2) this.appendHeader(headers[i], headers[i + 1]);
      }
    } else if (headers) for (const k of Object.keys(headers)) if (headers[k] !== undefined) this.setHeader(k, headers[k]);
    // Fixed now (headersSent, setHeader refused) as Node's; composed with the first body
    // bytes, which may still give its Content-Length.
    this[kHeadFixed] = true;
    return this;
  }

  // Sends the head now, ahead of any body (chunked then, as its length is not known yet).
  flushHeaders() {
    this.#head(null);
    flushHead(this);
  }

  assignSocket(socket) {
    if (socket._httpMessage) throw httpError('ERR_HTTP_SOCKET_ASSIGNED', 'ServerResponse has an already assigned socket');
    socket._httpMessage = this;
    this.socket = socket;
    this.emit('socket', socket);
    flushOutbox(this);
  }
  detachSocket(socket) {
    if (socket._httpMessage === this) socket._httpMessage = null;
    this.socket = null;
  }

  // An interim response (RFC 9110 15.2): 100 Continue, 102 Processing.
  writeContinue(cb) { this.#interim('HTTP/1.1 100 Continue\r\n\r\n', cb); }
  writeProcessing(cb) { this.#interim('HTTP/1.1 102 Processing\r\n\r\n', cb); }
  #interim(text, cb) {
    this.socket?.write(text, 'latin1');
    if (cb) queueMicrotask(cb);
  }

  #head(knownLength) {
    if (headComposed(this)) return;
    if (this.sendDate && !this.hasHeader('date')) putHeader(this, 'date', 'Date', httpDate());
    if (!this.hasHeader('connection')) putHeader(this, 'connection', 'Connection', this.#keepAlive ? 'keep-alive' : 'close');
    else if (/close/i.test(String(this.getHeader('connection')))) this.#keepAlive = false;
    const noBody = this.req.method === 'HEAD' || this.statusCode === 204 || this.statusCode === 304 || (this.statusCode >= 100 && this.statusCode < 200);
    sendHead(this, `HTTP/1.1 ${this.statusCode} ${this.statusMessage ?? STATUS_CODES[this.statusCode] ?? 'unknown'}`,
      { hasBody: !noBody, knownLength });
  }

  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (this.writableEnded) return writeAfterEnd(this, cb);
    checkChunk(chunk);
    this.#head(null);
    const ok = writeBody(this, chunk, encoding);
    if (cb) queueMicrotask(cb);
    return ok;
  }

  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (this.writableEnded) { if (cb) queueMicrotask(cb); return this; }
    if (chunk !== undefined && chunk !== null) checkChunk(chunk);
    const body = chunk === undefined || chunk === null ? null : bodyOf(chunk, encoding);
    if (!headComposed(this)) this.#head(body ? body.length : 0);
    if (body) writeBody(this, body);
    finishBody(this);
    this.writableEnded = this.finished = true;
    queueMicrotask(() => { this.writableFinished = true; this.emit('prefinish'); this.emit('finish'); cb?.(); this.#emitClose(); });
    this.#onEnded?.(this.#keepAlive);
    return this;
  }
  #closed = false;
  #emitClose() { if (!this.#closed) { this.#closed = true; this.emit('close'); } }
  static { closeResponse = (res) => { if (!res.writableFinished) { res.destroyed = true; res.#emitClose(); } }; }
}

class Server extends EventEmitter {
  #net;
  headersTimeout = 60000; requestTimeout = 300000; keepAliveTimeout = 5000; timeout = 0;
  noDelay = true;   // Node's default (http.createServer's noDelay option): no Nagle on responses
  maxHeadersCount = 2000;
  constructor(options, listener) {
    super();
    if (typeof options === 'function') listener = options;
    else if (options?.noDelay === false) this.noDelay = false;
    if (listener) this.on('request', listener);
    const makeServer = (typeof options === 'object' && options?.[kNetServer]) || createNetServer;
    this.#net = makeServer((socket) => this.#connection(socket));
    this.#net.on('listening', () => this.emit('listening'));
    this.#net.on('error', (e) => this.emit('error', e));
    this.#net.on('close', () => this.emit('close'));
  }

  listen(...args) {
    const cb = args.find((a) => typeof a === 'function');
    if (cb) this.once('listening', cb);
    this.#net.listen(...args.filter((a) => typeof a !== 'function'));
    return this;
  }
  /**
   * As Node 19+'s: idle keep-alive connections are ended at once (an idle client would
   * otherwise hold the server, and the app, for its keep-alive timeout); 'close' comes when
   * the rest have finished.
   */
  close(cb) {
    // Ended rather than destroyed: a response just ended may still be on its way to the
    // network service, and an app that exits on the socket's 'close' must not cut it off.
    for (const conn of this.#sockets.values()) if (conn.idle) conn.shut();
    this.#net.close(typeof cb === 'function' ? (...args) => cb.apply(this, args) : undefined);
    return this;
  }
  address() { return this.#net.address(); }
  ref() { this.#net.ref(); return this; }
  unref() { this.#net.unref(); return this; }
  getConnections(cb) { return this.#net.getConnections(cb); }
  get listening() { return this.#net.listening; }
  setTimeout(ms, cb) { this.timeout = ms; if (cb) this.on('timeout', cb); return this; }
  closeAllConnections() { for (const s of this.#sockets.keys()) s.destroy(); }
  closeIdleConnections() { for (const [s, conn] of this.#sockets) if (conn.idle) s.destroy(); }
  #sockets = new Map();   // socket -> { idle }: idle while no request is waiting or answered on it

  // One connection: requests are parsed as they come; responses go out in request order
  // (pipelining, RFC 9112 9.3.2), each after the previous one ended.
  #connection(socket) {
    const conn = { idle: true, shut: () => { closing = true; socket.end(); } };
    this.#sockets.set(socket, conn);
    if (this.noDelay) socket.setNoDelay(true);
    socket.on('close', () => this.#sockets.delete(socket));
    this.emit('connection', socket);
    const queue = [];     // [req, res] waiting for their turn
    let current = null, closing = false;
    const waitIdle = () => socket.setTimeout(this.keepAliveTimeout);
    waitIdle();
    // Node's: a timeout is told to the request, its response and the server; unheard, it
    // closes the connection, as does an idle connection's.
    socket.on('timeout', () => {
      if (!current || conn.idle) return socket.destroy();
      const [req, res] = current;
      const heard = [req.emit('timeout'), res.emit('timeout'), this.emit('timeout', socket)].some(Boolean);
      if (!heard) socket.destroy();
    });
    // The connection closed: requests not yet read to their end were aborted, and responses
    // not finished are closed.
    socket.on('close', () => {
      for (const [req, res] of current ? [current, ...queue] : queue) {
        if (!req.complete && !req.destroyed) req.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        closeResponse(res);
      }
    });
    const next = () => {
      if (current || closing || queue.length === 0) return;
      const entry = queue.shift();
      const [req, res, keepAlive] = entry;
      current = entry;
      conn.idle = false;
      whenEnded(res, (stillKeepAlive) => {
        current = null;
        // A body nobody read is read and dropped, so that the next request can be.
        if (!req._consuming && !req._readableState.resumeScheduled) req._dump();
        if (!stillKeepAlive || !keepAlive) { closing = true; socket.end(); return; }
        conn.idle = queue.length === 0;
        if (conn.idle) waitIdle();
        next();
      });
      if (/^100-continue$/i.test(req.headers.expect ?? '') && req.httpVersion === '1.1') {
        if (this.listenerCount('checkContinue')) return this.emit('checkContinue', req, res);
        socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      }
      this.emit('request', req, res);
    };
    let req = null;
    const parser = new MessageParser('request', {
      onHead: (head) => {
        socket.setTimeout(this.timeout || 0);
        req = new IncomingMessage(socket, head);
        const connection = String(req.headers.connection ?? '').toLowerCase();
        const keepAlive = req.httpVersion === '1.1' ? !connection.includes('close') : connection.includes('keep-alive');
        queue.push([req, new ServerResponse(req, keepAlive), keepAlive]);
        next();
      },
      onBody: (chunk) => pushBody(req, chunk),
      onEnd: () => endBody(req),
    });
    socket.on('data', (d) => {
      if (closing) return;
      try { parser.push(d); } catch (e) {
        if (parser.handlerThrew) throw e;
        closing = true;
        if (this.listenerCount('clientError')) return this.emit('clientError', e, socket);
        const status = e.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
        socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
      }
    });
    socket.on('end', () => { parser.end(); if (!current && queue.length === 0) socket.end(); });
    socket.on('error', () => {});
  }
}

export function createServer(options, listener) { return new Server(options, listener); }
// http.Server() without new, as Node's.
const CallableServer = callableClass(Server);
export { CallableServer as Server };

/**
 * A client request (http.request): write the body, end(), then 'response'. Its connection
 * comes from its agent (Node's protocol: agent.addRequest(req, options) answers with
 * req.onSocket(socket), at once or once one is free), or from options.createConnection.
 */
export class ClientRequest extends OutgoingMessage {
  method; path; host; port; protocol;
  agent = undefined;
  reusedSocket = false;   // the connection served an earlier request of a keep-alive agent
  shouldKeepAlive = false;
  res = null; aborted = false; destroyed = false;
  #ended = false;
  #listeners = [];        // [event, fn] this request put on its socket
  #timeout;
  constructor(options, cb) {
    super();
    if (typeof options === 'string' || options instanceof (globalThis.URL ?? class {})) options = urlOptions(options);
    else options = { ...options };
    const { method = 'GET', path = '/', headers, timeout } = options;
    if (typeof method !== 'string') throw httpError('ERR_INVALID_ARG_TYPE', `The "options.method" property must be of type string. Received ${typeof method}`);
    if (!TOKEN.test(method)) throw httpError('ERR_INVALID_HTTP_TOKEN', `Method must be a valid HTTP token ["${method}"]`);
    if (/[\u0000-\u0020]/.test(path)) throw Object.assign(new TypeError('Request path contains unescaped characters'), { code: 'ERR_UNESCAPED_CHARACTERS' });
    this.method = method.toUpperCase();
    this.path = path;
    this.protocol = options.protocol ?? 'http:';
    this.host = options.hostname ?? options.host ?? 'localhost';
    // createConnection: Node's option for the transport; else the agent's (node:https's is a
    // TLS connection); agent: false a connection of its own, from an agent nobody shares.
    let agent = options.agent;
    if (agent === false) agent = new Agent();
    else if ((agent === undefined || agent === null) && typeof options.createConnection !== 'function') agent = globalAgent;
    if (agent) this.agent = agent;
    const defaultPort = options.defaultPort ?? agent?.defaultPort ?? 80;
    this.port = Number(options.port ?? defaultPort);
    this.#timeout = timeout;
    if (cb) this.once('response', cb);
    if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
    else if (headers) for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    if (!this.hasHeader('host') && options.setHost !== false) {
      this.setHeader('Host', this.port === defaultPort ? this.host : `${this.host}:${this.port}`);
    }
    if (options.auth && !this.hasHeader('authorization')) this.setHeader('Authorization', `Basic ${globalThis.Buffer.from(options.auth).toString('base64')}`);
    this.shouldKeepAlive = agent?.keepAlive === true && !/close/i.test(String(this.getHeader('connection') ?? ''));
    if (!this.hasHeader('connection')) this.setHeader('Connection', this.shouldKeepAlive ? 'keep-alive' : 'close');
    const connection = { ...options, host: this.host, port: this.port };
    delete connection.signal;
    if (options.signal) {
      const onAbort = () => this.destroy(Object.assign(new Error('The operation was aborted'), { code: 'ABORT_ERR', name: 'AbortError' }));
      if (options.signal.aborted) queueMicrotask(onAbort);
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
    if (agent) agent.addRequest(this, connection);
    else {
      let done = false;
      const oncreate = (err, socket) => {
        if (done) return;
        done = true;
        if (err) queueMicrotask(() => this.emit('error', err));
        else this.onSocket(socket);
      };
      const socket = options.createConnection(connection, oncreate);
      if (socket) oncreate(null, socket);
    }
  }

  // Node's: the request has its connection (new, or from the agent's pool or queue); its
  // 'socket' event is told from the next tick on, so the code that made the request hears it.
  onSocket(socket, err) {
    queueTick(() => this.#attach(socket, err), []);
  }

  #attach(socket, err) {
    if (err || this.destroyed) {
      if (socket && !err && this.agent) { socket.emit('free'); }
      else socket?.destroy?.();
      if (err) this.#fail(err);
      else this.emit('close');
      return;
    }
    this.socket = socket;
    socket._httpMessage = this;
    let res = null, peerEnded = false;
    const agent = this.agent;
    // A connection still open once the response has been read serves the agent's next
    // request (its 'free'); a body the server delimited by closing leaves nothing to reuse.
    const reusable = () => agent && this.shouldKeepAlive && this.#ended && !peerEnded && keepsConnection(res) && !socket.destroyed;
    const parser = new MessageParser('response', {
      onHead: (head) => {
        if (head.statusCode < 200 && head.statusCode !== 101) {
          if (head.statusCode === 100) this.emit('continue');
          this.emit('information', { statusCode: head.statusCode, statusMessage: head.statusMessage, httpVersion: head.httpVersion,
            httpVersionMajor: 1, httpVersionMinor: Number(head.httpVersion.split('.')[1]), headers: head.headers, rawHeaders: head.rawHeaders });
          return 'skip';
        }
        res = this.res = new IncomingMessage(socket, head);
        res.req = this;
        res.once('end', () => {
          queueTick(() => {
            if (reusable()) this.#giveBack();
            else if (socket.writable && !socket.destroyed) { if (typeof socket.destroySoon === 'function') socket.destroySoon(); else socket.end(); }
          }, []);
        });
        if (!this.emit('response', res)) res._dump();
      },
      onBody: (chunk) => pushBody(res, chunk),
      onEnd: () => endBody(res),
    }, (head) => this.method === 'HEAD' || head.statusCode === 204 || head.statusCode === 304 || head.statusCode < 200);
    this.#listen('data', (d) => {
      try { parser.push(d); } catch (e) {
        if (parser.handlerThrew) throw e;
        e.rawPacket = d;
        socket.destroy();
        this.#fail(e);
      }
    });
    // The server's end: a body delimited by it is complete; before any response it is Node's
    // 'socket hang up' (told now, while the agent still counts the connection), and the
    // connection closes.
    this.#listen('end', () => {
      peerEnded = true;
      parser.end();
      if (!res && !this.#failed && !this.destroyed) this.#fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      if (!res || res.complete) socket.destroy();
    });
    this.#listen('error', (e) => { this.#fail(e); });
    this.#listen('close', () => {
      if (res) {
        // Closed before the response was read to its end: Node's 'aborted' on the response.
        if (!res.complete) res.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        else if (res.readable && !res.readableEnded) res.push(null);
      } else if (!this.#failed && !this.destroyed) {
        // Closed before any response, and not by this request: Node's 'socket hang up' (a kept
        // connection the server closed as it was reused ends so; req.reusedSocket says so).
        this.#fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      }
      this.#close();
    });
    this.#listen('timeout', () => this.emit('timeout'));
    if (this.#timeout) socket.setTimeout(this.#timeout);
    this.emit('socket', socket);
    flushOutbox(this);
  }
  #failed = false;
  #closedEmitted = false;
  #close() {
    if (this.#closedEmitted) return;
    this.#closedEmitted = true;
    this.destroyed = true;
    this.emit('close');
  }
  #fail(e) {
    if (this.#failed) return;
    this.#failed = true;
    this.emit('error', e);
  }

  #listen(event, fn) {
    this.#listeners.push([event, fn]);
    return this.socket.on(event, fn);
  }

  // The response has ended and the connection stays open: it leaves this request for its
  // agent (Node's 'free' on the socket), and the request closes.
  #giveBack() {
    const socket = this.socket;
    for (const [event, fn] of this.#listeners) socket.removeListener(event, fn);
    this.#listeners = [];
    if (this.#timeout) socket.setTimeout(0);
    // The response lets go of the connection, which its destroy() must no longer close.
    if (this.res) this.res.socket = null;
    this.#close();
    socket.emit('free');
  }

  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (this.#ended) return writeAfterEnd(this, cb);
    checkChunk(chunk);
    if (!this.headersSent) sendHead(this, `${this.method} ${this.path} HTTP/1.1`, { hasBody: true, knownLength: null });
    const ok = writeBody(this, chunk, encoding);
    if (cb) queueMicrotask(cb);
    return ok;
  }
  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (this.#ended) { if (cb) queueMicrotask(cb); return this; }
    if (chunk !== undefined && chunk !== null) checkChunk(chunk);
    this.#ended = true;
    const body = chunk === undefined || chunk === null ? null : bodyOf(chunk, encoding);
    const bodyless = body === null && !this.headersSent && ['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'].includes(this.method);
    if (!this.headersSent) sendHead(this, `${this.method} ${this.path} HTTP/1.1`, { hasBody: !bodyless, knownLength: body ? body.length : 0 });
    if (body) writeBody(this, body);
    if (!bodyless) finishBody(this);
    else flushHead(this);
    this.writableEnded = this.finished = true;
    whenFlushed(this, () => { this.writableFinished = true; this.emit('finish'); cb?.(); });
    return this;
  }
  flushHeaders() {
    if (!this.headersSent) sendHead(this, `${this.method} ${this.path} HTTP/1.1`, { hasBody: true, knownLength: null });
    flushHead(this);
  }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    queueMicrotask(() => this.emit('abort'));
    this.destroy();
  }
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.res) this.res._dump();
    if (this.socket) this.socket.destroy(err);
    else if (err) queueMicrotask(() => this.#fail(err));
    if (!this.socket) queueMicrotask(() => this.#close());
    return this;
  }
  setTimeout(ms, cb) {
    if (cb) this.once('timeout', cb);
    this.#timeout = ms;
    if (this.socket) this.socket.setTimeout(ms);
    return this;
  }
  setNoDelay(on) { if (this.socket) this.socket.setNoDelay(on); else this.once('socket', (s) => s.setNoDelay(on)); }
  setSocketKeepAlive(on, delay) { if (this.socket) this.socket.setKeepAlive(on, delay); else this.once('socket', (s) => s.setKeepAlive(on, delay)); }
}

function urlOptions(u) {
  const url = typeof u === 'string' ? new URL(u) : u;
  if (url.protocol !== 'http:') throw Object.assign(new TypeError(`Protocol "${url.protocol}" not supported. Expected "http:"`), { code: 'ERR_INVALID_PROTOCOL' });
  const o = { protocol: url.protocol, hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), path: `${url.pathname}${url.search}` };
  if (url.port !== '') o.port = Number(url.port);
  if (url.username || url.password) o.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return o;
}

export function request(url, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  let o;
  if (typeof url === 'string' || (globalThis.URL && url instanceof globalThis.URL)) o = { ...urlOptions(url), ...options };
  else { cb = typeof options === 'function' ? options : cb; o = { ...url, ...(typeof options === 'object' ? options : null) }; }
  if (o.protocol !== undefined && o.protocol !== 'http:' && !o.agent && !o.defaultPort) {
    throw Object.assign(new TypeError(`Protocol "${o.protocol}" not supported. Expected "http:"`), { code: 'ERR_INVALID_PROTOCOL' });
  }
  checkAgentProtocol(o?.agent, 'http:');
  return new ClientRequest(o, cb);
}

export function get(url, options, cb) {
  const r = request(url, options, cb);
  r.end();
  return r;
}

/** A response after which the connection may serve another request (RFC 9112 9.3). */
function keepsConnection(res) {
  const connection = String(res.headers.connection ?? '').toLowerCase();
  return res.httpVersion === '1.1' ? !connection.includes('close') : connection.includes('keep-alive');
}

/**
 * http.Agent, as Node's (its methods are the protocol packages override): addRequest gives a
 * request a free connection, a new one from createSocket/createConnection while fewer than
 * maxSockets (per getName() key) and maxTotalSockets are open, or queues it in `requests`
 * until one is free or closed. A connection whose response ended says 'free': it serves the
 * next queued request, or with keepAlive waits in freeSockets (at most maxFreeSockets per
 * key, idle ones unref'd, closed after `timeout` ms), or is closed. A plain function, so that
 * `Agent.call(this, options)` subclasses work.
 */
export function Agent(options) {
  if (!(this instanceof Agent)) return new Agent(options);
  EventEmitter.call(this);
  this.defaultPort = 80;
  this.protocol = 'http:';
  this.options = { __proto__: null, ...options };
  if (this.options.noDelay === undefined) this.options.noDelay = true;
  this.options.path = null;
  this.requests = Object.create(null);      // key -> requests waiting for a connection
  this.sockets = Object.create(null);       // key -> connections serving a request
  this.freeSockets = Object.create(null);   // key -> idle connections
  this.keepAliveMsecs = this.options.keepAliveMsecs || 1000;
  this.keepAlive = this.options.keepAlive || false;
  this.maxSockets = this.options.maxSockets || Agent.defaultMaxSockets;
  this.maxFreeSockets = this.options.maxFreeSockets || 256;
  this.scheduling = this.options.scheduling || 'lifo';
  if (this.scheduling !== 'fifo' && this.scheduling !== 'lifo') {
    throw Object.assign(new TypeError(`The argument 'scheduling' must be one of: 'fifo', 'lifo'. Received '${this.scheduling}'`), { code: 'ERR_INVALID_ARG_VALUE' });
  }
  const total = this.options.maxTotalSockets;
  if (total !== undefined && total !== null) {
    if (typeof total !== 'number') throw httpError('ERR_INVALID_ARG_TYPE', `The "maxTotalSockets" argument must be of type number. Received ${typeof total}`);
    if (!(total > 0)) throw Object.assign(new RangeError(`The value of "maxTotalSockets" is out of range. It must be > 0. Received ${total}`), { code: 'ERR_OUT_OF_RANGE' });
    this.maxTotalSockets = total;
  } else this.maxTotalSockets = Infinity;
  this.totalSocketCount = 0;
  this.on('free', (socket, options) => this[kOnFree](socket, options));
}
Object.setPrototypeOf(Agent.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Agent, EventEmitter);
Agent.defaultMaxSockets = Infinity;
const kOnFree = Symbol('onFree');

/** The key of a connection to options.host:port (Node's: host:port:localAddress[:family]). */
Agent.prototype.getName = function getName(options = {}) {
  let name = options.host || 'localhost';
  name += ':';
  if (options.port) name += options.port;
  name += ':';
  if (options.localAddress) name += options.localAddress;
  if (options.family === 4 || options.family === 6) name += `:${options.family}`;
  if (options.socketPath) name += `:${options.socketPath}`;
  return name;
};

Agent.prototype.createConnection = function createConnection(options, cb) {
  const socket = netConnect(options);
  void cb;
  return socket;
};

Agent.prototype.addRequest = function addRequest(req, options, port, localAddress) {
  if (typeof options === 'string') options = { __proto__: null, host: options, port, localAddress };
  options = { __proto__: null, ...options, ...this.options };
  if (options.socketPath) options.path = options.socketPath;
  normalizeServerName(options, req);
  const name = this.getName(options);
  this.sockets[name] ??= [];
  const freeSockets = this.freeSockets[name];
  let socket;
  if (freeSockets) {
    while (freeSockets.length && freeSockets[0].destroyed) freeSockets.shift();
    socket = this.scheduling === 'fifo' ? freeSockets.shift() : freeSockets.pop();
    if (!freeSockets.length) delete this.freeSockets[name];
  }
  const sockLen = this.sockets[name].length + (freeSockets?.length ?? 0);
  if (socket) {
    this.reuseSocket(socket, req);
    setRequestSocket(this, req, socket);
    this.sockets[name].push(socket);
  } else if (sockLen < this.maxSockets && this.totalSocketCount < this.maxTotalSockets) {
    this.createSocket(req, options, (err, s) => { if (err) req.onSocket(s, err); else setRequestSocket(this, req, s); });
  } else {
    req[kRequestOptions] = options;   // to open a connection for it once another key's closes
    (this.requests[name] ??= []).push(req);
  }
};

Agent.prototype.createSocket = function createSocket(req, options, cb) {
  options = { __proto__: null, ...options, ...this.options };
  if (options.socketPath) options.path = options.socketPath;
  normalizeServerName(options, req);
  const name = this.getName(options);
  options._agentKey = name;
  options.encoding = null;
  let called = false;
  const oncreate = (err, s) => {
    if (called) return;
    called = true;
    if (err) return cb(err);
    (this.sockets[name] ??= []).push(s);
    this.totalSocketCount++;
    installListeners(this, s, options);
    cb(null, s);
  };
  const newSocket = this.createConnection(options, oncreate);
  if (newSocket) oncreate(null, newSocket);
};

Agent.prototype[kOnFree] = function onFree(socket, options) {
  const name = this.getName(options);
  if (!socket.writable) { socket.destroy(); return; }
  const requests = this.requests[name];
  if (requests?.length) {
    const req = requests.shift();
    if (!requests.length) delete this.requests[name];
    setRequestSocket(this, req, socket);
    return;
  }
  // No request waits: the connection is kept if both the request and the agent keep it, and
  // neither the agent's limits nor keepSocketAlive() refuse.
  const req = socket._httpMessage;
  if (!req || !req.shouldKeepAlive || !this.keepAlive) { socket.destroy(); return; }
  const freeSockets = this.freeSockets[name] ?? [];
  const count = freeSockets.length + (this.sockets[name]?.length ?? 0);
  if (this.totalSocketCount > this.maxTotalSockets || count > this.maxSockets ||
    freeSockets.length >= this.maxFreeSockets || !this.keepSocketAlive(socket)) {
    socket.destroy();
    return;
  }
  this.freeSockets[name] = freeSockets;
  socket._httpMessage = null;
  // It leaves the busy list for the free one (totalSocketCount counts both, as Node 20's).
  const busy = this.sockets[name];
  const at = busy ? busy.indexOf(socket) : -1;
  if (at >= 0) busy.splice(at, 1);
  if (busy?.length === 0) delete this.sockets[name];
  socket.once('error', ignoreFreeSocketError);
  freeSockets.push(socket);
};
// An idle connection's error (the server reset it): its close takes it out of the pool.
function ignoreFreeSocketError() {}

// Node's keepSocketAlive(): an idle connection keeps its TCP keep-alive, does not keep the
// app alive, and is closed after the agent's `timeout` idle.
Agent.prototype.keepSocketAlive = function keepSocketAlive(socket) {
  socket.setKeepAlive(true, this.keepAliveMsecs);
  socket.unref();
  const agentTimeout = this.options.timeout || 0;
  if (socket.timeout !== agentTimeout) socket.setTimeout(agentTimeout);
  return true;
};

Agent.prototype.reuseSocket = function reuseSocket(socket, req) {
  socket.removeListener('error', ignoreFreeSocketError);
  req.reusedSocket = true;
  socket.ref();
};

Agent.prototype.removeSocket = function removeSocket(s, options) {
  const name = this.getName(options);
  // A closed connection leaves the free list too.
  let held = false;
  for (const lists of s.writable ? [this.sockets] : [this.sockets, this.freeSockets]) {
    const list = lists[name];
    const at = list ? list.indexOf(s) : -1;
    if (at < 0) continue;
    list.splice(at, 1);
    if (list.length === 0) delete lists[name];
    held = true;
  }
  if (held) this.totalSocketCount--;
  // A request waiting for this key, or else (maxTotalSockets) for a key with no connection
  // open, gets a new connection.
  let req;
  if (this.requests[name]?.length) req = this.requests[name][0];
  else {
    for (const key of Object.keys(this.requests)) {
      if (this.sockets[key]?.length) break;
      req = this.requests[key][0];
      options = req[kRequestOptions];
      break;
    }
  }
  if (req && options) {
    req[kRequestOptions] = undefined;
    this.createSocket(req, options, (err, socket) => {
      if (err) req.onSocket(socket, err);
      else socket.emit('free');
    });
  }
};

/** Closes every connection the agent holds, idle or serving a request. */
Agent.prototype.destroy = function destroy() {
  for (const lists of [this.freeSockets, this.sockets]) {
    for (const key of Object.keys(lists)) for (const socket of [...lists[key]]) socket.destroy();
  }
};

const kRequestOptions = Symbol('requestOptions');

function normalizeServerName(options, req) {
  if (!options.servername && options.servername !== '') {
    const host = options.host ?? req?.getHeader?.('host');
    if (typeof host === 'string') options.servername = host.replace(/:\d+$/, '');
  }
}

function setRequestSocket(agent, req, socket) {
  req.onSocket(socket);
  const agentTimeout = agent.options.timeout || 0;
  if (req.timeout === undefined || req.timeout === agentTimeout) return;
  socket.setTimeout(req.timeout);
}

function installListeners(agent, s, options) {
  const onFree = () => agent.emit('free', s, options);
  const onClose = () => agent.removeSocket(s, options);
  // An idle connection's timeout closes it; a busy one's is its request's business.
  const onTimeout = () => {
    const free = agent.freeSockets;
    if (Object.keys(free).some((key) => free[key].includes(s))) s.destroy();
  };
  // Node's 'agentRemove': the connection leaves the agent (an upgraded one, say).
  const onRemove = () => {
    agent.removeSocket(s, options);
    s.removeListener('close', onClose);
    s.removeListener('free', onFree);
    s.removeListener('timeout', onTimeout);
    s.removeListener('agentRemove', onRemove);
  };
  s.on('free', onFree);
  s.on('close', onClose);
  s.on('timeout', onTimeout);
  s.on('agentRemove', onRemove);
}

// Node 20's global agent: connections kept (idle ones unref'd, so an app whose work is done
// still ends), dropped after 5 s idle.
export const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });
export { Socket };

export default { METHODS, STATUS_CODES, maxHeaderSize, IncomingMessage, ServerResponse, Server: CallableServer, OutgoingMessage, ClientRequest, Agent, globalAgent, createServer, request, get,
  validateHeaderName, validateHeaderValue };
