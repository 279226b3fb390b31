// node:http (nodejs.org/api/http.html), HTTP/1.1 (RFC 9112) over node:net: a server with
// keep-alive, pipelined requests answered in order, chunked bodies both ways, limits on the
// header size, and timeouts; and a client (request, get) for http: URLs.
import { EventEmitter } from './events.js';
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
    if (!TOKEN.test(name)) throw httpError('HPE_INVALID_HEADER_TOKEN', `Invalid header line: ${JSON.stringify(text.slice(at, Math.min(eol, at + 80)))}`);
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
          if (this.#buf.length > maxHeaderSize) throw httpError('HPE_HEADER_OVERFLOW', 'Header overflow');
          return;
        }
        if (end > maxHeaderSize) throw httpError('HPE_HEADER_OVERFLOW', 'Header overflow');
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
        if (te !== undefined && cl !== undefined) throw httpError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Content-Length with Transfer-Encoding');
        if (!this.#chunked && cl !== undefined && !/^\d+$/.test(cl)) throw httpError('HPE_INVALID_CONTENT_LENGTH', 'Invalid Content-Length');
        this.#remaining = this.#chunked ? 0 : cl !== undefined ? Number(cl) : this.#kind === 'response' && !this.#noBody(head) ? Infinity : 0;
        if (this.#noBody(head)) { this.#chunked = false; this.#remaining = 0; }
        this.#handlers.onHead(head);
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
        if (nl < 0) { if (this.#buf.length > 1024) throw httpError('HPE_INVALID_CHUNK_SIZE', 'Invalid chunk size line'); return; }
        const line = latin1(this.#buf.subarray(0, nl)).replace(/\r$/, '');
        this.#buf = this.#buf.subarray(nl + 1);
        if (this.#state === 'trailer') { if (line === '') this.#finish(); continue; }
        const size = parseInt(line.split(';')[0], 16);
        if (!/^[0-9a-fA-F]+/.test(line) || !Number.isSafeInteger(size)) throw httpError('HPE_INVALID_CHUNK_SIZE', 'Invalid chunk size');
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
        if (this.#buf[0] !== 13 || this.#buf[1] !== 10) throw httpError('HPE_STRICT', 'Missing CRLF after chunk');
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
      if (!m) throw httpError('HPE_INVALID_METHOD', `Invalid request line: ${JSON.stringify(line.slice(0, 80))}`);
      return { method: m[1], url: m[2], httpVersion: m[3] };
    }
    const m = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/.exec(line);
    if (!m) throw httpError('HPE_INVALID_CONSTANT', `Invalid status line: ${JSON.stringify(line.slice(0, 80))}`);
    return { httpVersion: m[1], statusCode: Number(m[2]), statusMessage: m[3] ?? '' };
  }
}

// What the parser hands a message it reads (module-private: the methods are #private).
let pushBody, endBody;

/** A request (server side) or a response (client side): 'data' and 'end' events, as Node's. */
export class IncomingMessage extends EventEmitter {
  headers; rawHeaders; httpVersion; method; url; statusCode; statusMessage; socket;
  complete = false; aborted = false;
  #chunks = []; #flowing = false; #ended = false; #endEmitted = false; #encoding = null;
  constructor(socket, head) { super(); this.socket = socket; Object.assign(this, head); }
  get connection() { return this.socket; }   // Node's older name for it, still read
  get httpVersionMajor() { return 1; }
  get httpVersionMinor() { return Number(this.httpVersion.split('.')[1]); }
  setEncoding(enc) { this.#encoding = enc; return this; }
  on(event, fn) {
    super.on(event, fn);
    if (event === 'data' && !this.#flowing) { this.#flowing = true; queueMicrotask(() => this.#flush()); }
    if (event === 'end' && this.#ended && this.#chunks.length === 0) queueMicrotask(() => this.#flush());
    return this;
  }
  resume() { if (!this.#flowing) { this.#flowing = true; queueMicrotask(() => this.#flush()); } return this; }
  pause() { this.#flowing = false; return this; }
  static {
    pushBody = (msg, chunk) => { msg.#chunks.push(chunk); if (msg.#flowing) msg.#flush(); };
    endBody = (msg) => { msg.complete = true; msg.#ended = true; if (msg.#flowing) msg.#flush(); };
  }
  #flush() {
    while (this.#flowing && this.#chunks.length) {
      const c = this.#chunks.shift();
      this.emit('data', this.#encoding ? new TextDecoder().decode(c) : asBuffer(c));
    }
    if (this.#ended && this.#chunks.length === 0 && !this.#endEmitted) {
      this.#endEmitted = true;
      this.emit('end');
    }
  }
  async *[Symbol.asyncIterator]() {
    const queue = [];
    let wake = null, done = false;
    this.on('data', (d) => { queue.push(d); wake?.(); });
    this.on('end', () => { done = true; wake?.(); });
    for (;;) {
      if (queue.length) { yield queue.shift(); continue; }
      if (done) return;
      await new Promise((r) => { wake = r; });
    }
  }
}

// What ServerResponse and ClientRequest ask of the message they extend (module-private).
// putHeader: one this module adds (Date, Connection), valid by construction: set unchecked,
// as Node writes its own into the head.
let putHeader, sendHead, flushHead, writeBody, finishBody;

/** What both ServerResponse and ClientRequest share: headers, then a body, chunked if unsized. */
class OutgoingMessage extends EventEmitter {
  #headers = new Map();   // lower-case name -> [name, value]
  headersSent = false; finished = false; writableEnded = false;
  #chunked = false; #hasBody = true;
  // The head waits to go out with the first body bytes (or the end): one write, one segment,
  // where two would leave the body to Nagle's algorithm and the peer's delayed ACK.
  #pendingHead = null;
  socket;
  get connection() { return this.socket; }   // Node's older name for it, still read
  setHeader(name, value) {
    if (this.headersSent) throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
    if (!TOKEN.test(String(name))) throw httpError('ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token ["${name}"]`);
    if (/[\r\n]/.test(String(value))) throw httpError('ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`);
    this.#headers.set(String(name).toLowerCase(), [String(name), value]);
    return this;
  }
  getHeader(name) { return this.#headers.get(String(name).toLowerCase())?.[1]; }
  getHeaders() { const o = Object.create(null); for (const [k, [, v]] of this.#headers) o[k] = v; return o; }
  getHeaderNames() { return [...this.#headers.keys()]; }
  hasHeader(name) { return this.#headers.has(String(name).toLowerCase()); }
  removeHeader(name) { this.#headers.delete(String(name).toLowerCase()); }

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
    this.headersSent = true;
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
    sendHead = (msg, startLine, options) => msg.#sendHead(startLine, options);
    flushHead = (msg) => msg.#flushHead();
    writeBody = (msg, chunk, encoding) => msg.#writeBody(chunk, encoding);
    finishBody = (msg) => msg.#finishBody();
  }
}

// The server's word for "this response has ended" (module-private).
let whenEnded;

export class ServerResponse extends OutgoingMessage {
  statusCode = 200; statusMessage; req; sendDate = true;
  #keepAlive; #onEnded = null;
  static { whenEnded = (res, fn) => { res.#onEnded = fn; }; }
  constructor(req, keepAlive) { super(); this.req = req; this.socket = req.socket; this.#keepAlive = keepAlive; }
  /** Drops the connection, the response unsent (the client sees it end: 'socket hang up'). */
  destroy(err) { this.socket?.destroy(err); return this; }

  writeHead(statusCode, statusMessage, headers) {
    if (typeof statusMessage === 'object') { headers = statusMessage; statusMessage = undefined; }
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 999) throw Object.assign(new RangeError(`Invalid status code: ${statusCode}`), { code: 'ERR_HTTP_INVALID_STATUS_CODE' });
    this.statusCode = statusCode;
    if (statusMessage) this.statusMessage = statusMessage;
    if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
    else if (headers) for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    return this;
  }

  #head(knownLength) {
    if (this.headersSent) return;
    if (this.sendDate && !this.hasHeader('date')) putHeader(this, 'date', 'Date', httpDate());
    if (!this.hasHeader('connection')) putHeader(this, 'connection', 'Connection', this.#keepAlive ? 'keep-alive' : 'close');
    else if (/close/i.test(String(this.getHeader('connection')))) this.#keepAlive = false;
    const noBody = this.req.method === 'HEAD' || this.statusCode === 204 || this.statusCode === 304 || (this.statusCode >= 100 && this.statusCode < 200);
    sendHead(this, `HTTP/1.1 ${this.statusCode} ${this.statusMessage ?? STATUS_CODES[this.statusCode] ?? 'unknown'}`,
      { hasBody: !noBody, knownLength });
  }

  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (this.writableEnded) throw httpError('ERR_STREAM_WRITE_AFTER_END', 'write after end');
    this.#head(null);
    const ok = writeBody(this, chunk, encoding);
    if (cb) queueMicrotask(cb);
    return ok;
  }

  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (this.writableEnded) return this;
    const body = chunk === undefined || chunk === null ? null : bodyOf(chunk, encoding);
    if (!this.headersSent) this.#head(body ? body.length : 0);
    if (body) writeBody(this, body);
    finishBody(this);
    this.writableEnded = this.finished = true;
    queueMicrotask(() => { this.emit('finish'); cb?.(); this.emit('close'); });
    this.#onEnded?.(this.#keepAlive);
    return this;
  }
}

export class Server extends EventEmitter {
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
    socket.on('timeout', () => { if (!current || conn.idle) socket.destroy(); });
    const next = () => {
      if (current || closing || queue.length === 0) return;
      const [req, res, keepAlive] = queue.shift();
      current = res;
      conn.idle = false;
      whenEnded(res, (stillKeepAlive) => {
        current = null;
        if (!stillKeepAlive || !keepAlive) { closing = true; socket.end(); return; }
        conn.idle = queue.length === 0;
        if (conn.idle) waitIdle();
        next();
      });
      if (req.headers.expect === '100-continue' && this.listenerCount('checkContinue') === 0) socket.write('HTTP/1.1 100 Continue\r\n\r\n');
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

/** A client request (http.request): write the body, end(), then 'response'. */
export class ClientRequest extends OutgoingMessage {
  method; path; host; port;
  reusedSocket = false;   // the connection served an earlier request of a keep-alive agent
  #ended = false;
  #agent = null; #name = null;   // a keep-alive agent the connection goes back to, and its key there
  #listeners = [];               // [event, fn] this request put on its socket
  constructor(options, cb) {
    super();
    if (typeof options === 'string' || options instanceof (globalThis.URL ?? class {})) options = urlOptions(options);
    const { method = 'GET', path = '/', headers = {}, timeout } = options;
    this.method = method.toUpperCase();
    this.path = path;
    this.host = options.hostname ?? options.host ?? 'localhost';
    const defaultPort = options.defaultPort ?? 80;
    this.port = Number(options.port ?? defaultPort);
    if (cb) this.once('response', cb);
    for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    if (!this.hasHeader('host')) this.setHeader('Host', this.port === defaultPort ? this.host : `${this.host}:${this.port}`);
    // createConnection: Node's option for the transport; else the agent's (node:https's is a
    // TLS connection), agent: false a connection of its own, as from an agent nobody shares.
    const agent = options.createConnection ? null : options.agent === false ? new Agent() : options.agent ?? globalAgent;
    const pooled = agent?.keepAlive === true && !/close/i.test(String(this.getHeader('connection') ?? ''));
    if (!this.hasHeader('connection')) this.setHeader('Connection', pooled ? 'keep-alive' : 'close');
    const connection = { ...options, host: this.host, port: this.port };
    if (pooled) {
      this.#agent = agent;
      this.#name = agent.getName(connection);
      this.socket = takeFree(agent, this.#name);
      this.reusedSocket = this.socket !== null;
      this.socket ??= agent.createConnection(connection);
      markBusy(agent, this.#name, this.socket, !this.reusedSocket);
    } else {
      this.socket = options.createConnection ? options.createConnection(connection) : agent.createConnection(connection);
    }
    // Node's 'socket' event: the request has its connection (new or from the agent's pool),
    // told after the code that made the request has run, so its listener is there to hear it.
    { const socket = this.socket; queueMicrotask(() => this.emit('socket', socket)); }
    if (timeout) this.#listen('timeout', () => this.emit('timeout')).setTimeout(timeout);
    let res = null, peerEnded = false, failed = false;
    // A connection still open once the response has been read (its 'end') serves the agent's
    // next request, from the next tick on, as in Node; a body the server delimited by
    // closing leaves nothing to reuse.
    const reusable = () => this.#agent && this.#ended && !peerEnded && keepsConnection(res) && !this.socket.destroyed;
    const parser = new MessageParser('response', {
      onHead: (head) => {
        res = new IncomingMessage(this.socket, head);
        if (this.#agent) res.once('end', () => queueMicrotask(() => (reusable() ? this.#giveBack(timeout) : this.socket.end())));
        this.emit('response', res);
      },
      onBody: (chunk) => pushBody(res, chunk),
      onEnd: () => {
        endBody(res);
        if (!reusable()) this.socket.end();
      },
    }, (head) => this.method === 'HEAD' || head.statusCode === 204 || head.statusCode === 304 || head.statusCode < 200);
    this.#listen('data', (d) => {
      try { parser.push(d); } catch (e) {
        if (parser.handlerThrew) throw e;
        failed = true; this.socket.destroy(); this.emit('error', e);
      }
    });
    this.#listen('end', () => { peerEnded = true; parser.end(); if (res && !res.complete) { res.aborted = true; res.emit('aborted'); } });
    this.#listen('error', (e) => { failed = true; this.emit('error', e); });
    this.#listen('close', () => {
      // Closed before any response, and not by this request: Node's 'socket hang up' (a kept
      // connection the server closed as it was reused ends so; req.reusedSocket says so).
      if (!res && !failed && !this.#destroyed) this.emit('error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      this.emit('close');
    });
  }
  #destroyed = false;

  #listen(event, fn) {
    this.#listeners.push([event, fn]);
    return this.socket.on(event, fn);
  }

  // The response has ended and the connection stays open: it leaves this request for the
  // agent's free list (the next request to the same place takes it), and the request closes.
  #giveBack(timeout) {
    const socket = this.socket;
    for (const [event, fn] of this.#listeners) socket.removeListener(event, fn);
    this.#listeners = [];
    if (timeout) socket.setTimeout(0);
    const agent = this.#agent;
    this.#agent = null;
    release(agent, this.#name, socket);
    queueMicrotask(() => this.emit('close'));
  }

  write(chunk, encoding, cb) {
    if (!this.headersSent) sendHead(this, `${this.method} ${this.path} HTTP/1.1`, { hasBody: true, knownLength: null });
    const ok = writeBody(this, chunk, encoding);
    if (typeof encoding === 'function') queueMicrotask(encoding); else if (cb) queueMicrotask(cb);
    return ok;
  }
  end(chunk, encoding, cb) {
    if (this.#ended) return this;
    this.#ended = true;
    const body = chunk === undefined || chunk === null || typeof chunk === 'function' ? null : bodyOf(chunk, encoding);
    const bodyless = body === null && !this.headersSent && ['GET', 'HEAD', 'DELETE', 'OPTIONS', 'CONNECT'].includes(this.method);
    if (!this.headersSent) sendHead(this, `${this.method} ${this.path} HTTP/1.1`, { hasBody: !bodyless, knownLength: body ? body.length : 0 });
    if (body) writeBody(this, body);
    if (!bodyless) finishBody(this);
    else flushHead(this);
    const done = [chunk, encoding, cb].find((x) => typeof x === 'function');
    if (done) queueMicrotask(done);
    return this;
  }
  abort() { this.destroy(); }
  destroy(err) { this.#destroyed = true; this.socket.destroy(err); return this; }
  setTimeout(ms, cb) { this.socket.setTimeout(ms, cb); return this; }
}

function urlOptions(u) {
  const url = typeof u === 'string' ? new URL(u) : u;
  if (url.protocol !== 'http:') throw Object.assign(new TypeError(`Protocol "${url.protocol}" not supported. Expected "http:"`), { code: 'ERR_INVALID_PROTOCOL' });
  return { hostname: url.hostname, port: url.port || 80, path: `${url.pathname}${url.search}` };
}

export function request(url, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  const o = typeof url === 'string' || (globalThis.URL && url instanceof globalThis.URL) ? { ...urlOptions(url), ...options } : url;
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

// What a ClientRequest asks of its keep-alive agent (module-private: the lists are #private).
let takeFree, markBusy, release;

/**
 * http.Agent (Node's options keepAlive, keepAliveMsecs, maxFreeSockets, timeout): with
 * keepAlive, a connection whose response has ended, and that the server keeps open, waits in
 * freeSockets under getName()'s key (host, port; node:https adds the TLS options) until a
 * request to the same place takes it (req.reusedSocket), the server closes it, or `timeout`
 * ms pass idle. Without keepAlive (the global agents, as before Node 19) each request has a
 * connection of its own and asks the server to close it. maxSockets is not enforced: every
 * request without a free connection opens one (Node's default, Infinity, behaves so).
 */
class Agent extends EventEmitter {
  defaultPort = 80; protocol = 'http:';
  sockets = Object.create(null);       // key -> connections serving a request
  freeSockets = Object.create(null);   // key -> idle connections, the most recent last
  requests = Object.create(null);      // key -> requests waiting for a connection: none wait here
  #idle = new Map();                   // an idle connection -> its listeners while idle
  constructor(options = {}) {
    super();
    this.options = { __proto__: null, ...options };
    this.keepAlive = !!options.keepAlive;
    this.keepAliveMsecs = options.keepAliveMsecs ?? 1000;
    this.maxSockets = options.maxSockets ?? Infinity;
    this.maxFreeSockets = options.maxFreeSockets ?? 256;
    this.maxTotalSockets = options.maxTotalSockets ?? Infinity;
  }

  /** Node's: the connections the agent holds, serving a request or idle. */
  get totalSocketCount() {
    let n = 0;
    for (const list of [this.sockets, this.freeSockets]) for (const key of Object.keys(list)) n += list[key].length;
    return n;
  }

  /** The key of a connection to options.host:port (Node's: host:port:localAddress[:family]). */
  getName(options = {}) {
    let name = `${options.host || 'localhost'}:${options.port || ''}:${options.localAddress || ''}`;
    if (options.family === 4 || options.family === 6) name += `:${options.family}`;
    return name;
  }

  createConnection(options) {
    const socket = netConnect(options.port, options.host);
    if (this.keepAlive) socket.setKeepAlive(true, this.keepAliveMsecs);
    return socket;
  }

  /** Closes every connection the agent holds, idle or serving a request. */
  destroy() {
    for (const list of [this.freeSockets, this.sockets]) {
      for (const key of Object.keys(list)) for (const socket of [...list[key]]) socket.destroy();
    }
  }

  static {
    takeFree = (agent, name) => {
      const list = agent.freeSockets[name];
      while (list?.length) {
        const socket = list.pop();
        agent.#forget(agent.freeSockets, name, socket);
        agent.#unidle(socket);
        if (!socket.destroyed) { socket.ref(); return socket; }   // Node's reuseSocket()
      }
      return null;
    };
    markBusy = (agent, name, socket, fresh) => {
      (agent.sockets[name] ??= []).push(socket);
      if (fresh) socket.once('close', () => agent.#forget(agent.sockets, name, socket));
    };
    release = (agent, name, socket) => agent.#release(name, socket);
  }

  #forget(lists, name, socket) {
    const list = lists[name];
    const at = list ? list.indexOf(socket) : -1;
    if (at >= 0) list.splice(at, 1);
    if (list && list.length === 0) delete lists[name];
  }

  #release(name, socket) {
    this.#forget(this.sockets, name, socket);
    if ((this.freeSockets[name]?.length ?? 0) >= this.maxFreeSockets) { socket.destroy(); return; }
    (this.freeSockets[name] ??= []).push(socket);
    // While idle: the server's end or an error closes it, and it leaves the list with its close.
    const listeners = [
      ['end', () => socket.destroy()],
      ['error', () => {}],
      ['timeout', () => socket.destroy()],
      ['close', () => { this.#forget(this.freeSockets, name, socket); this.#unidle(socket); }],
    ];
    for (const [event, fn] of listeners) socket.on(event, fn);
    this.#idle.set(socket, listeners);
    // Node's keepSocketAlive(): an idle connection does not keep the app alive.
    socket.unref();
    if (this.options.timeout) socket.setTimeout(this.options.timeout);
    this.emit('free', socket, { host: name });
  }

  #unidle(socket) {
    const listeners = this.#idle.get(socket);
    if (!listeners) return;
    this.#idle.delete(socket);
    for (const [event, fn] of listeners) socket.removeListener(event, fn);
    if (this.options.timeout) socket.setTimeout(0);
  }
}
// Node 20's global agent: connections kept (idle ones unref'd, so an app whose work is done
// still ends), dropped after 5 s idle.
export const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });
export { Socket };

// http.Agent() without new, as Node's.
const CallableAgent = callableClass(Agent);
export { CallableAgent as Agent };

export default { METHODS, STATUS_CODES, maxHeaderSize, IncomingMessage, ServerResponse, Server, ClientRequest, Agent: CallableAgent, globalAgent, createServer, request, get };
