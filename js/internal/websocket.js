// WebSocket (WHATWG WebSockets Standard) client over node:net, so through the network grant of
// the app: RFC 6455's opening handshake (section 4.1), its framing (section 5: every client
// frame masked, fragmented messages put together, a ping answered with a pong) and closing
// handshake (section 7). No extension is offered, so none can be in use. wss: runs over
// node:tls (loaded with the first wss: connection), trusting what https: does.
import binding from 'rtjs:binding';
import { connect } from 'rtjs:node/net.js';
import { Blob, bytesOf } from './blob.js';
import { DOMException } from './dom-exception.js';
import { Event, EventTarget, trusted } from './events.js';
import { MessageEvent } from './message-channel.js';
import primordials from './primordials.js';

const { ArrayBufferIsView, ObjectDefineProperty, TypeError, Uint8Array } = primordials;

const { randomFill, digest } = binding;

const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';   // RFC 6455 section 1.3
const KEY_BYTES = 16;                                          // section 4.1: a 16-byte nonce
// Frame header (RFC 6455 section 5.2).
const FIN = 0x80, RSV = 0x70, OPCODE = 0x0f, MASKED = 0x80, LENGTH = 0x7f;
const LENGTH_16 = 126, LENGTH_64 = 127, MASK_BYTES = 4;
const OP_CONTINUATION = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xa;
const CONTROL_PAYLOAD_MAX = 125;                               // section 5.5
// Close codes (section 7.4.1).
const CLOSE_NORMAL = 1000, CLOSE_PROTOCOL_ERROR = 1002, CLOSE_NO_STATUS = 1005, CLOSE_ABNORMAL = 1006;
const CLOSE_INVALID_DATA = 1007, CLOSE_TOO_BIG = 1009;
const REASON_BYTES_MAX = 123;                                  // WebSockets Standard, close()
// A message past this size fails the connection with 1009 instead of filling memory.
const MESSAGE_BYTES_MAX = 64 * 1024 * 1024;
// After this app's close frame, the server has this long to close the TCP connection (RFC
// 6455 section 7.1.1: the server closes first) before the client does: a hang guard.
const CLOSE_WAIT_MS = 30000;
const HTTP_HEAD_MAX = 64 * 1024;

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const singleByte = new TextDecoder('latin1');
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));

/** The close event (WebSockets Standard, "The CloseEvent interface"). */
export class CloseEvent extends Event {
  #wasClean; #code; #reason;
  constructor(type, init = undefined) {
    super(type, init);
    this.#wasClean = !!init?.wasClean;
    this.#code = init?.code === undefined ? 0 : Number(init.code) & 0xffff;
    this.#reason = init?.reason === undefined ? '' : `${init.reason}`;
  }
  get wasClean() { return this.#wasClean; }
  get code() { return this.#code; }
  get reason() { return this.#reason; }
}

// The error event says why, as Node's and browsers' do in their consoles.
class ErrorEvent extends Event {
  #message; #error;
  constructor(type, init = undefined) {
    super(type, init);
    this.#message = init?.message === undefined ? '' : `${init.message}`;
    this.#error = init?.error;
  }
  get message() { return this.#message; }
  get error() { return this.#error; }
}

// Received bytes as the chunks they came in; a frame takes what it needs, copying only a
// header or payload that spans chunks.
class ByteQueue {
  #chunks = [];
  length = 0;
  push(chunk) { this.#chunks.push(chunk); this.length += chunk.length; }
  peek(n) {
    const first = this.#chunks[0];
    if (first.length >= n) return first;
    return this.#copy(n, false);
  }
  take(n) {
    const first = this.#chunks[0];
    if (n === 0) return new Uint8Array(0);
    if (first.length === n) { this.#chunks.shift(); this.length -= n; return first; }
    if (first.length > n) { this.#chunks[0] = first.subarray(n); this.length -= n; return first.slice(0, n); }
    return this.#copy(n, true);
  }
  #copy(n, consume) {
    const out = new Uint8Array(n);
    let at = 0;
    for (let i = 0; at < n; i++) {
      const c = this.#chunks[i];
      const k = Math.min(c.length, n - at);
      out.set(k === c.length ? c : c.subarray(0, k), at);
      at += k;
    }
    if (consume) {
      let left = n;
      while (left > 0) {
        const c = this.#chunks[0];
        if (c.length <= left) { this.#chunks.shift(); left -= c.length; } else { this.#chunks[0] = c.subarray(left); left = 0; }
      }
      this.length -= n;
    }
    return out;
  }
}

// One client frame: FIN set, the payload masked with a fresh random key (section 5.3).
function frame(opcode, payload) {
  const n = payload.length;
  const ext = n < LENGTH_16 ? 0 : n < 0x10000 ? 2 : 8;
  const at = 2 + ext + MASK_BYTES;
  const out = new Uint8Array(at + n);
  out[0] = FIN | opcode;
  out[1] = MASKED | (ext === 0 ? n : ext === 2 ? LENGTH_16 : LENGTH_64);
  const view = new DataView(out.buffer);
  if (ext === 2) view.setUint16(2, n);
  if (ext === 8) { view.setUint32(2, Math.floor(n / 2 ** 32)); view.setUint32(6, n >>> 0); }
  const mask = out.subarray(2 + ext, at);
  randomFill(mask);
  for (let i = 0; i < n; i++) out[at + i] = payload[i] ^ mask[i & 3];
  return out;
}

function closePayload(code, reason) {
  if (code === undefined) return new Uint8Array(0);
  const out = new Uint8Array(2 + reason.length);
  out[0] = code >> 8;
  out[1] = code & 0xff;
  out.set(reason, 2);
  return out;
}

// Codes a close frame may carry (section 7.4: 1004-1006 and 1015 are never sent; 1012-1014
// were registered since; 3000-4999 are for libraries and applications).
function validCloseCode(code) {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

function parseUrl(url) {
  let u;
  try {
    u = new URL(`${url}`);
  } catch {
    throw new DOMException(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`, 'SyntaxError');
  }
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    throw new DOMException(`Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${u.protocol.slice(0, -1)}' is not allowed.`, 'SyntaxError');
  }
  if (u.hash !== '' || `${url}`.endsWith('#')) {
    throw new DOMException(`Failed to construct 'WebSocket': The URL contains a fragment identifier ('${u.hash}'). Fragment identifiers are not allowed in WebSocket URLs.`, 'SyntaxError');
  }
  return u;
}

function parseProtocols(protocols) {
  const list = typeof protocols === 'string' ? [protocols] : [...protocols].map((p) => `${p}`);
  const seen = new Set();
  for (const p of list) {
    if (!TOKEN.test(p)) throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is invalid.`, 'SyntaxError');
    if (seen.has(p.toLowerCase())) throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is duplicated.`, 'SyntaxError');
    seen.add(p.toLowerCase());
  }
  return list;
}

export class WebSocket extends EventTarget {
  #url; #protocols; #readyState = CONNECTING; #protocol = ''; #binaryType = 'blob';
  #socket = null; #key = '';
  #head = '';                      // the server's handshake response, until its blank line
  #queue = new ByteQueue();
  #fragments = null;               // [opcode, chunks[], bytes] of a message in pieces
  #sentClose = false; #receivedClose = false; #failed = false;
  #closeCode = CLOSE_ABNORMAL; #closeReason = '';
  #closeTimer = null;
  #pending = [];                   // [socket bytes written after the frame, payload bytes]
  #lostBytes = 0;                  // sent while closing: counted, never sent
  #origin;

  /**
   * new WebSocket(url[, protocols]): connects at once through the app's network grant.
   * @throws DOMException SyntaxError: a bad URL or scheme, a fragment, a bad or repeated protocol
   */
  constructor(url, protocols = []) {
    super();
    if (arguments.length < 1) throw new TypeError("Failed to construct 'WebSocket': 1 argument required, but only 0 present.");
    const u = parseUrl(url);
    this.#protocols = parseProtocols(protocols);
    this.#url = u.href;
    this.#origin = u.origin;
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    const secure = u.protocol === 'wss:';
    const socket = secure
      ? binding.importSync('rtjs:node/tls.js').connect({ host, port: Number(u.port || 443) })
      : connect({ host, port: Number(u.port || 80) });
    this.#socket = socket;
    socket.on(secure ? 'secureConnect' : 'connect', () => {
      socket.setNoDelay(true);
      this.#sendHandshake(u);
    });
    socket.on('data', (d) => this.#receive(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    socket.on('error', (err) => this.#fail(`${err.message}${err.code ? ` (${err.code})` : ''}`, err));
    socket.on('close', () => this.#socketClosed());
  }

  get url() { return this.#url; }
  get readyState() { return this.#readyState; }
  get protocol() { return this.#protocol; }
  get extensions() { return ''; }
  get binaryType() { return this.#binaryType; }
  set binaryType(type) {
    if (type === 'blob' || type === 'arraybuffer') this.#binaryType = type;
  }
  /** Payload bytes given to send() and not yet handed to the network. */
  get bufferedAmount() {
    if (this.#socket === null) return this.#lostBytes;
    const sent = this.#socket.bytesWritten - this.#socket.writableLength;
    while (this.#pending.length > 0 && this.#pending[0][0] <= sent) this.#pending.shift();
    let n = this.#lostBytes;
    for (const [, bytes] of this.#pending) n += bytes;
    return n;
  }

  /**
   * Sends a message: a string as text, a Blob, an ArrayBuffer or a view as binary.
   * @throws DOMException InvalidStateError before the connection is open
   */
  send(data) {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'send' on 'WebSocket': 1 argument required, but only 0 present.");
    if (this.#readyState === CONNECTING) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
    let opcode = OP_BINARY, bytes;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
    else if (ArrayBufferIsView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else if (data instanceof Blob) bytes = bytesOf(data);
    else { opcode = OP_TEXT; bytes = encoder.encode(`${data}`); }
    if (this.#readyState !== OPEN || this.#sentClose) { this.#lostBytes += bytes.length; return; }
    this.#write(frame(opcode, bytes), bytes.length);
  }

  /**
   * Starts the closing handshake (or gives up a connection still being made).
   * @throws DOMException InvalidAccessError: a code other than 1000 or 3000-4999;
   *         SyntaxError: a reason over 123 bytes of UTF-8
   */
  close(code = undefined, reason = undefined) {
    if (code !== undefined) {
      code = Math.min(Math.max(Math.round(Number(code)) || 0, 0), 0xffff);   // WebIDL [Clamp] unsigned short
      if (code !== CLOSE_NORMAL && (code < 3000 || code > 4999)) {
        throw new DOMException(`Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`, 'InvalidAccessError');
      }
    }
    const reasonBytes = reason === undefined ? new Uint8Array(0) : encoder.encode(`${reason}`);
    if (reasonBytes.length > REASON_BYTES_MAX) {
      throw new DOMException(`Failed to execute 'close' on 'WebSocket': The close reason must not be greater than ${REASON_BYTES_MAX} UTF-8 bytes.`, 'SyntaxError');
    }
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return;
    if (this.#readyState === CONNECTING) {
      this.#readyState = CLOSING;
      this.#fail('WebSocket was closed before the connection was established');
      return;
    }
    this.#readyState = CLOSING;
    this.#sendClose(code === undefined && reasonBytes.length > 0 ? CLOSE_NORMAL : code, reasonBytes);
  }

  // ---- the opening handshake (RFC 6455 section 4) ---------------------------------------

  #sendHandshake(u) {
    const nonce = new Uint8Array(KEY_BYTES);
    randomFill(nonce);
    this.#key = toBase64(nonce);
    const lines = [
      `GET ${u.pathname || '/'}${u.search} HTTP/1.1`,
      `Host: ${u.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${this.#key}`,
      'Sec-WebSocket-Version: 13',
    ];
    if (this.#protocols.length > 0) lines.push(`Sec-WebSocket-Protocol: ${this.#protocols.join(', ')}`);
    this.#socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  }

  // The server's response head; anything after its blank line is already frames.
  #readHandshake(bytes) {
    // The head is ASCII; a single-byte decoding keeps one character per byte, so the
    // frames after it are found by offset.
    this.#head += singleByte.decode(bytes);
    const end = this.#head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.#head.length > HTTP_HEAD_MAX) this.#fail(`the server's handshake response is over ${HTTP_HEAD_MAX} bytes`);
      return null;
    }
    const rest = bytes.subarray(bytes.length - (this.#head.length - end - 4));
    const [status, ...fields] = this.#head.slice(0, end).split('\r\n');
    this.#head = '';
    const headers = new Map();
    for (const f of fields) {
      const colon = f.indexOf(':');
      if (colon <= 0) continue;
      const name = f.slice(0, colon).trim().toLowerCase();
      const value = f.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    const why = this.#checkHandshake(status, headers);
    if (why !== null) { this.#fail(why); return null; }
    this.#protocol = headers.get('sec-websocket-protocol') ?? '';
    this.#readyState = OPEN;
    this.dispatchEvent(trusted(new Event('open')));
    return rest;
  }

  // Section 4.1, the client's checks of the server's response: null, or what is wrong.
  #checkHandshake(status, headers) {
    const m = /^HTTP\/1\.1 (\d{3})(?: (.*))?$/.exec(status);
    if (!m) return `the server's answer is not HTTP/1.1: '${status.slice(0, 80)}'`;
    if (m[1] !== '101') return `the server answered ${m[1]}${m[2] ? ` ${m[2]}` : ''}, not 101 Switching Protocols`;
    if ((headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') return "the server's Upgrade header is not 'websocket'";
    if (!(headers.get('connection') ?? '').toLowerCase().split(/\s*,\s*/).includes('upgrade')) return "the server's Connection header has no 'upgrade'";
    const accept = toBase64(new Uint8Array(digest('sha1', encoder.encode(this.#key + ACCEPT_GUID))));
    if (headers.get('sec-websocket-accept') !== accept) return 'the server\'s Sec-WebSocket-Accept does not match the key sent';
    if (headers.has('sec-websocket-extensions')) return `the server chose an extension, none having been offered: ${headers.get('sec-websocket-extensions')}`;
    const protocol = headers.get('sec-websocket-protocol');
    if (protocol !== undefined && !this.#protocols.includes(protocol)) return `the server chose the subprotocol '${protocol}', which was not offered`;
    if (protocol === undefined && this.#protocols.length > 0) return 'the server chose none of the subprotocols offered';
    return null;
  }

  // ---- frames (section 5) -----------------------------------------------------------------

  #receive(bytes) {
    if (this.#readyState === CLOSED || this.#failed) return;
    if (this.#readyState === CONNECTING) {
      const rest = this.#readHandshake(bytes);
      if (rest === null || rest.length === 0) return;
      bytes = rest;
    }
    this.#queue.push(bytes);
    while (!this.#failed && this.#readyState !== CLOSED && this.#readFrame()) { /* one frame each turn */ }
  }

  // One whole frame off the queue and acted on: true, or false until more bytes come.
  #readFrame() {
    const q = this.#queue;
    if (q.length < 2) return false;
    const h = q.peek(2);
    const fin = (h[0] & FIN) !== 0, opcode = h[0] & OPCODE;
    let n = h[1] & LENGTH;
    const size = 2 + (n === LENGTH_16 ? 2 : n === LENGTH_64 ? 8 : 0);
    if (h[0] & RSV) return this.#protocolError('a frame has a reserved bit set, and no extension was agreed');
    if (h[1] & MASKED) return this.#protocolError('the server masked a frame (RFC 6455 section 5.1)');
    if (q.length < size) return false;
    const head = q.peek(size);
    const view = new DataView(head.buffer, head.byteOffset, size);
    if (n === LENGTH_16) n = view.getUint16(2);
    else if (n === LENGTH_64) n = view.getUint32(2) * 2 ** 32 + view.getUint32(6);
    const control = opcode >= OP_CLOSE;
    if (control) {
      if (opcode !== OP_CLOSE && opcode !== OP_PING && opcode !== OP_PONG) return this.#protocolError(`unknown control opcode ${opcode}`);
      if (!fin) return this.#protocolError('a fragmented control frame');
      if (n > CONTROL_PAYLOAD_MAX) return this.#protocolError(`a control frame of ${n} bytes (at most ${CONTROL_PAYLOAD_MAX})`);
    } else {
      if (opcode !== OP_CONTINUATION && opcode !== OP_TEXT && opcode !== OP_BINARY) return this.#protocolError(`unknown data opcode ${opcode}`);
      if (opcode === OP_CONTINUATION && this.#fragments === null) return this.#protocolError('a continuation frame with no message begun');
      if (opcode !== OP_CONTINUATION && this.#fragments !== null) return this.#protocolError('a new message before the last one ended');
      if ((this.#fragments?.[2] ?? 0) + n > MESSAGE_BYTES_MAX) {
        this.#failWith(CLOSE_TOO_BIG, `a message over ${MESSAGE_BYTES_MAX} bytes`);
        return false;
      }
    }
    if (q.length < size + n) return false;
    q.take(size);
    const payload = q.take(n);
    if (control) this.#control(opcode, payload);
    else this.#data(opcode, fin, payload);
    return true;
  }

  #data(opcode, fin, payload) {
    if (this.#fragments === null) this.#fragments = [opcode, [], 0];
    const f = this.#fragments;
    f[1].push(payload);
    f[2] += payload.length;
    if (!fin) return;
    this.#fragments = null;
    let bytes = f[1][0];
    if (f[1].length > 1) {
      bytes = new Uint8Array(f[2]);
      let at = 0;
      for (const c of f[1]) { bytes.set(c, at); at += c.length; }
    }
    let data;
    if (f[0] === OP_TEXT) {
      try { data = strictUtf8.decode(bytes); } catch { this.#failWith(CLOSE_INVALID_DATA, 'a text message is not UTF-8'); return; }
    } else if (this.#binaryType === 'blob') {
      data = new Blob([bytes]);
    } else {
      data = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    }
    // A message that arrives after close() was called is dropped (WebSockets Standard).
    if (this.#readyState !== OPEN) return;
    this.dispatchEvent(trusted(new MessageEvent('message', { data, origin: this.#origin })));
  }

  #control(opcode, payload) {
    if (opcode === OP_PING) {
      if (!this.#sentClose) this.#write(frame(OP_PONG, payload), 0);
      return;
    }
    if (opcode === OP_PONG) return;   // an answer to no ping of ours: ignored (section 5.5.3)
    // Close (section 5.5.1): the code and the reason, then the answer if not sent yet.
    if (payload.length === 1) { this.#protocolError('a close frame with a one-byte body'); return; }
    let code = CLOSE_NO_STATUS, reason = '';
    if (payload.length >= 2) {
      code = (payload[0] << 8) | payload[1];
      if (!validCloseCode(code)) { this.#protocolError(`a close frame with code ${code}`); return; }
      try { reason = strictUtf8.decode(payload.subarray(2)); } catch { this.#failWith(CLOSE_INVALID_DATA, 'the close reason is not UTF-8'); return; }
    }
    this.#receivedClose = true;
    this.#closeCode = code;
    this.#closeReason = reason;
    if (this.#readyState === OPEN) this.#readyState = CLOSING;
    if (!this.#sentClose) this.#sendClose(code === CLOSE_NO_STATUS ? undefined : code, payload.subarray(2));
    // Both close frames have crossed: the TCP connection can go (the server closes first).
    this.#socket.end();
  }

  #sendClose(code, reasonBytes) {
    this.#sentClose = true;
    this.#write(frame(OP_CLOSE, closePayload(code, reasonBytes)), 0);
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), CLOSE_WAIT_MS);
  }

  #write(bytes, payloadBytes) {
    this.#socket.write(bytes);
    if (payloadBytes > 0) this.#pending.push([this.#socket.bytesWritten, payloadBytes]);
  }

  // ---- failing and closing (section 7.1) ---------------------------------------------------

  #protocolError(why) {
    this.#failWith(CLOSE_PROTOCOL_ERROR, why);
    return false;
  }

  // Fail the WebSocket connection with a close frame saying why (section 7.1.7).
  #failWith(code, why) {
    if (this.#readyState === OPEN && !this.#sentClose) {
      this.#sentClose = true;
      this.#socket.write(frame(OP_CLOSE, closePayload(code, encoder.encode(why.slice(0, REASON_BYTES_MAX)).subarray(0, REASON_BYTES_MAX))));
    }
    this.#fail(why);
  }

  #fail(why, error = undefined) {
    if (this.#failed || this.#readyState === CLOSED) return;
    this.#failed = true;
    this.#message = `WebSocket connection to '${this.#url}' failed: ${why}`;
    this.#error = error;
    if (this.#socket === null) { this.#finish(); return; }
    this.#socket.end();
    this.#socket.destroy();
  }
  #message = ''; #error = undefined;

  #socketClosed() {
    if (this.#readyState === CLOSED) return;
    this.#finish();
  }

  #finish() {
    clearTimeout(this.#closeTimer);
    const clean = !this.#failed && this.#sentClose && this.#receivedClose;
    this.#readyState = CLOSED;
    if (this.#failed) this.dispatchEvent(trusted(new ErrorEvent('error', { message: this.#message, error: this.#error })));
    this.dispatchEvent(trusted(new CloseEvent('close', {
      wasClean: clean, code: this.#receivedClose && !this.#failed ? this.#closeCode : CLOSE_ABNORMAL,
      reason: this.#receivedClose && !this.#failed ? this.#closeReason : '',
    })));
  }
}

for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING], ['CLOSED', CLOSED]]) {
  ObjectDefineProperty(WebSocket, name, { value, enumerable: true });
  ObjectDefineProperty(WebSocket.prototype, name, { value, enumerable: true });
}
// onopen, onmessage, onerror, onclose: one listener each, replaced by the next assignment.
const handlers = new WeakMap();
for (const type of ['open', 'message', 'error', 'close']) {
  ObjectDefineProperty(WebSocket.prototype, `on${type}`, {
    configurable: true,
    enumerable: true,
    get() { return handlers.get(this)?.[type] ?? null; },
    set(fn) {
      const own = handlers.get(this) ?? {};
      handlers.set(this, own);
      if (own[type]) this.removeEventListener(type, own[type]);
      own[type] = typeof fn === 'function' || (fn !== null && typeof fn === 'object') ? fn : null;
      if (own[type]) this.addEventListener(type, own[type]);
    },
  });
}
ObjectDefineProperty(WebSocket.prototype, Symbol.toStringTag, { value: 'WebSocket', configurable: true });
