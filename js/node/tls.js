// node:tls (nodejs.org/api/tls.html): TLS 1.2 and 1.3 over node:net. OpenSSL's libssl runs the
// protocol in the app's own engine over memory buffers (src/core/engine/binding-tls.cc): a
// TLSSocket hands it the ciphertext its TCP socket receives and writes what it gives back, so
// the record layer runs here, on a socket of the network service like any other.
import binding from 'rtjs:binding';
import { Duplex } from './stream.js';
import { asBuffer } from '../internal/crypto-bytes.js';
import { codedError } from '../internal/modules/errors.js';
import * as net from './net.js';
import { appEnvironment } from '../internal/environment.js';
import { kNetSocket } from '../internal/net-socket-brand.js';
import { callableClass } from '../internal/callable-class.js';

const {
  tlsContext, tlsNew, tlsCycle, tlsShutdown, tlsFree, tlsInfo, tlsPeerCertificates, tlsRootCertificates,
  tlsAskServername, tlsUseContext, tlsSetSession, tlsGetSession,
} = binding;

export const DEFAULT_MIN_VERSION = 'TLSv1.2';
export const DEFAULT_MAX_VERSION = 'TLSv1.3';
export const DEFAULT_ECDH_CURVE = 'auto';
// OpenSSL's default suites, TLS 1.3's first, as Node names its default list.
export const DEFAULT_CIPHERS = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:'
  + 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:'
  + 'ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:'
  + 'DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:'
  + 'DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA';
// Client contexts kept for reuse (https's agent makes one per request otherwise, and the
// default one reads the whole CA bundle).
const CONTEXT_CACHE_MAX = 16;

const toPem = (v) => (typeof v === 'string' ? v : ArrayBuffer.isView(v) ? new TextDecoder().decode(v) : String(v));
const list = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** ALPN protocol names as the wire format's length-prefixed list (RFC 7301 3.1). */
function alpnWire(protocols) {
  if (protocols === undefined || protocols === null) return undefined;
  if (ArrayBuffer.isView(protocols)) return new Uint8Array(protocols.buffer, protocols.byteOffset, protocols.byteLength).slice();
  const parts = [];
  for (const p of protocols) {
    const bytes = typeof p === 'string' ? new TextEncoder().encode(p) : new Uint8Array(p.buffer ?? p, p.byteOffset ?? 0, p.byteLength);
    if (bytes.length === 0 || bytes.length > 255) throw codedError(RangeError, 'ERR_OUT_OF_RANGE', `ALPN protocol name must be 1 to 255 bytes, not ${bytes.length}`);
    parts.push(bytes.length, ...bytes);
  }
  return new Uint8Array(parts);
}

/** What createSecureContext made: the OpenSSL context a TLSSocket runs on. */
export class SecureContext {
  context;
  constructor(options = {}, server = false) {
    if (options.minVersion !== undefined && typeof options.minVersion !== 'string') throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "options.minVersion" property must be of type string');
    const ca = options.ca === undefined ? undefined : list(options.ca).map(toPem);
    const cert = options.cert === undefined ? undefined : list(options.cert).map(toPem).join('\n');
    const keyOpt = list(options.key)[0];
    const key = keyOpt === undefined ? undefined : toPem(keyOpt?.pem ?? keyOpt);
    const passphrase = keyOpt?.passphrase ?? options.passphrase;
    if (options.ciphers !== undefined && typeof options.ciphers !== 'string') throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "options.ciphers" property must be of type string');
    this.context = tlsContext({
      server, ca, cert, key, passphrase: passphrase === undefined ? undefined : String(passphrase),
      minVersion: options.minVersion ?? DEFAULT_MIN_VERSION, maxVersion: options.maxVersion ?? DEFAULT_MAX_VERSION,
      ciphers: options.ciphers, alpn: alpnWire(options.ALPNProtocols), requestCert: !!options.requestCert,
    });
  }
}

export function createSecureContext(options = {}) { return new SecureContext(options, false); }

// NODE_EXTRA_CA_CERTS (Node's variable, read once): a PEM file whose certificates are trusted
// besides the bundle's, where a connection names no `ca` of its own (fetch never does).
let extraCa;
function defaultCa() {
  if (extraCa !== undefined) return extraCa ?? undefined;
  extraCa = null;
  const file = appEnvironment().NODE_EXTRA_CA_CERTS;
  if (!file) return undefined;
  try {
    const pem = binding.importSync('rtjs:node/fs.js').readFileSync(file, 'utf8');
    extraCa = [...getRootCertificates(), pem];
  } catch (e) {
    console.error(`Warning: Ignoring extra certs from \`${file}\`, load failed: ${e.message}`);
  }
  return extraCa ?? undefined;
}

const contextCache = new Map();
/** A client context for these options, shared between connections that ask for the same. */
function clientContext(options) {
  if (options.secureContext) return options.secureContext;
  const key = JSON.stringify([options.ca, options.cert, options.key, options.passphrase, options.minVersion,
    options.maxVersion, options.ciphers, options.ALPNProtocols].map((v) => (ArrayBuffer.isView(v) ? toPem(v) : v)));
  let c = contextCache.get(key);
  if (!c) {
    c = new SecureContext(options.ca === undefined && defaultCa() ? { ...options, ca: defaultCa() } : options, false);
    if (contextCache.size >= CONTEXT_CACHE_MAX) contextCache.delete(contextCache.keys().next().value);
    contextCache.set(key, c);
  }
  return c;
}

let roots = null;
/** The trust store's certificates as PEM (the CA bundle the runtime reads). */
export function getRootCertificates() { return (roots ??= Object.freeze(tlsRootCertificates())); }
export function getCiphers() {
  return DEFAULT_CIPHERS.split(':').filter((c) => !c.includes('!') && c !== 'HIGH').map((c) => c.toLowerCase());
}

// RFC 6125 6.4.3: a wildcard only as the whole left-most label, matching one label, not in a
// public suffix-like two-label name.
function hostMatches(pattern, host) {
  pattern = pattern.toLowerCase().replace(/\.$/, '');
  if (pattern === host) return true;
  const p = pattern.split('.'), h = host.split('.');
  if (p[0] !== '*' || p.length !== h.length || p.length < 3) return false;
  return p.slice(1).join('.') === h.slice(1).join('.') && h[0].length > 0;
}

/**
 * Node's check of a server's name against its certificate: undefined when it matches, else
 * an Error with code ERR_TLS_CERT_ALTNAME_INVALID (and reason, host, cert).
 */
export function checkServerIdentity(hostname, cert) {
  const host = String(hostname).toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  const alt = cert?.subjectaltname ?? '';
  const entries = alt ? alt.split(', ') : [];
  const dns = entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4));
  const ips = entries.filter((e) => e.startsWith('IP Address:')).map((e) => e.slice(11).toLowerCase());
  let reason;
  if (net.isIP(host)) {
    if (ips.includes(host)) return undefined;
    reason = `IP: ${hostname} is not in the cert's list: ${ips.join(', ')}`;
  } else if (dns.length > 0) {
    if (dns.some((d) => hostMatches(d, host))) return undefined;
    reason = `Host: ${hostname}. is not in the cert's altnames: ${alt}`;
  } else {
    const cn = cert?.subject?.CN;
    const cns = Array.isArray(cn) ? cn : cn ? [cn] : [];
    if (cns.some((c) => hostMatches(c, host))) return undefined;
    reason = cns.length ? `Host: ${hostname}. is not cert's CN: ${cns.join(', ')}` : 'Cert does not contain a DNS name';
  }
  return Object.assign(new Error(`Hostname/IP does not match certificate's altnames: ${reason}`),
    { code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason, host: hostname, cert });
}

/** options.session as bytes (undefined when absent); anything but bytes throws, as Node's. */
function sessionBytes(session) {
  if (session === undefined || session === null) return undefined;
  if (ArrayBuffer.isView(session)) return new Uint8Array(session.buffer, session.byteOffset, session.byteLength);
  throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'Session must be a buffer');
}

const sslError = (e) => Object.assign(new Error(e.message), { code: e.code, library: e.library, reason: e.reason });

/**
 * A TLS connection over a stream socket (a net.Socket, or any Duplex carrying bytes): a Duplex
 * of the plaintext. Client or server as options.isServer says.
 */
export class TLSSocket extends Duplex {
  encrypted = true;
  authorized = false; authorizationError = null;
  alpnProtocol = false; servername = null;
  secureConnecting = true;
  #tcp; #conn = null; #options; #secure = false;
  #held = [];            // [chunk, callback] written before the handshake finished
  #finishing = null;     // the end's callback, waiting for the handshake
  #closeSent = false;
  #pausedTcp = false;
  #plainRead = 0; #plainHanded = 0;   // plaintext bytes received, and written through to the TCP socket

  constructor(socket, options = {}) {
    super({ allowHalfOpen: false, decodeStrings: true, emitClose: true, autoDestroy: true });
    this.#options = options;
    this.#tcp = socket ?? new net.Socket();
    // The TCP socket's end is TLS's business (close_notify first): it must not end itself.
    this.#tcp.allowHalfOpen = true;
    const ctx = options.secureContext ?? (options.isServer ? null : clientContext(options));
    if (!ctx) throw codedError(TypeError, 'ERR_TLS_MISSING_CONTEXT', 'a TLS server socket needs a secureContext');
    const sni = options.isServer ? undefined : options.servername ?? (net.isIP(options.host ?? '') ? undefined : options.host);
    this.#conn = tlsNew(ctx.context, sni || undefined);
    // A session from an earlier connection ('session' event, getSession()): offered in the
    // ClientHello; a server that still knows it resumes it (isSessionReused()).
    const session = sessionBytes(options.session);
    if (session && !options.isServer) tlsSetSession(this.#conn, session);
    this._tlsOptions = options;
    const tcp = this.#tcp;
    tcp.on('data', (d) => this.#cycle(d, null));
    tcp.on('end', () => {
      if (!this.#secure) return this.destroy(this.#disconnected());
      this.push(null);   // the peer closed without close_notify: an end all the same, as Node
    });
    tcp.on('error', (e) => this.destroy(e));
    tcp.on('close', () => {
      this.#tcpClosed = true;
      if (!this.destroyed) this.destroy(this.#secure ? undefined : this.#disconnected());
    });
    tcp.on('timeout', () => this.emit('timeout'));
    tcp.on('drain', () => this.#drained?.());
    if (options.isServer) this.#cycle(null, null);   // nothing to send first: waits for the hello
    else if (tcp.connecting || tcp.pending) tcp.once('connect', () => { this.emit('connect'); this.#cycle(null, null); });
    else queueMicrotask(() => this.#cycle(null, null));
  }

  #disconnected() {
    return Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'),
      { code: 'ECONNRESET', host: this.#options.host, port: this.#options.port });
  }

  // Runs the TLS machine: ciphertext in, plaintext out, and whatever must go to the peer.
  #cycle(cipherIn, plainOut) {
    if (this.destroyed || !this.#conn) return true;
    const r = tlsCycle(this.#conn, cipherIn, plainOut);
    let ok = true;
    if (r.out) ok = this.#tcp.write(new Uint8Array(r.out));
    if (r.error) { this.destroy(sslError(r.error)); return ok; }
    if (r.servername !== undefined && !this.#sniAsked) this.#askContext(r.servername);
    if (r.secure) this.#onSecure();
    if (r.sessions && !this.destroyed) for (const der of r.sessions) this.emit('session', asBuffer(new Uint8Array(der)));
    if (r.data) this.#plainRead += r.data.byteLength;
    if (r.data && !this.destroyed && this.push(asBuffer(new Uint8Array(r.data))) === false && !this.#pausedTcp) {
      this.#pausedTcp = true;
      this.#tcp.pause();
    }
    if (r.peerClosed) {
      this.push(null);
    }
    return ok;
  }

  // A server's SNICallback chooses the context (certificate) for the name the client asked
  // for; the handshake waits for its answer.
  #sniAsked = false;
  #askContext(name) {
    this.#sniAsked = true;
    const answer = (err, ctx) => {
      if (this.destroyed || !this.#conn) return;
      if (err) return this.destroy(err);
      if (ctx !== undefined && ctx !== null && !(ctx instanceof SecureContext)) {
        return this.destroy(codedError(TypeError, 'ERR_TLS_SNI_FROM_SERVER', 'SNICallback must answer with a SecureContext (tls.createSecureContext)'));
      }
      tlsUseContext(this.#conn, ctx?.context ?? null);
      this.#cycle(null, null);
    };
    try { this.#options.SNICallback(name, answer); } catch (e) { this.destroy(e); }
  }

  #onSecure() {
    this.#secure = true;
    this.secureConnecting = false;
    const info = tlsInfo(this.#conn);
    this.alpnProtocol = info.alpn ?? false;
    if (info.servername) this.servername = info.servername;
    const o = this.#options;
    let verifyError = null;
    if (!o.isServer || o.requestCert) {
      if (info.verifyCode) verifyError = Object.assign(new Error(info.verifyMessage), { code: info.verifyCode });
      else if (!o.isServer) {
        const host = o.servername || o.host || 'localhost';
        verifyError = (o.checkServerIdentity ?? checkServerIdentity)(host, this.getPeerCertificate(true)) ?? null;
      }
    }
    this.authorized = !verifyError;
    this.authorizationError = verifyError ? verifyError.code ?? verifyError.message : null;
    if (verifyError && o.rejectUnauthorized !== false) {
      if (o.isServer) return this.destroy();
      return this.destroy(verifyError);
    }
    if (!o.isServer) this.emit('secureConnect');
    else this.emit('secure');
    o.onSecure?.(this);
    const held = this.#held;
    this.#held = [];
    for (const [chunk, cb] of held) this._write(chunk, null, cb);
    if (this.#finishing) { const cb = this.#finishing; this.#finishing = null; this._final(cb); }
  }

  #drained = null;
  _write(chunk, encoding, callback) {
    if (!this.#secure) { this.#held.push([chunk, callback]); return; }
    const done = () => { this.#plainHanded += chunk.length; callback(); };
    if (this.#cycle(null, chunk)) return done();
    this.#drained = () => { this.#drained = null; done(); };
  }

  _final(callback) {
    if (!this.#secure) { this.#finishing = callback; return; }
    if (this.#conn && !this.#closeSent) {
      this.#closeSent = true;
      const alert = tlsShutdown(this.#conn);
      if (alert) this.#tcp.write(new Uint8Array(alert));
    }
    this.#tcp.end();
    callback();
  }

  _read() {
    if (this.#pausedTcp) { this.#pausedTcp = false; this.#tcp.resume(); }
  }

  _destroy(err, callback) {
    // OpenSSL's state lasts until the TCP connection has closed, as Node's handle does: what
    // the handshake agreed (cipher, protocol, a resumed session) can still be read after the
    // stream ended, until then.
    const conn = this.#conn;
    if (conn) {
      const free = () => { if (this.#conn === conn) { tlsFree(conn); this.#conn = null; } };
      if (this.#tcpClosed) free();
      else this.#tcp.once('close', free);
    }
    this.#tcp.destroy();
    callback(err);
  }
  #tcpClosed = false;

  getPeerCertificate(detailed = false) {
    if (!this.#conn) return {};
    const chain = tlsPeerCertificates(this.#conn).map((c) => ({ ...c, raw: asBuffer(new Uint8Array(c.raw)) }));
    if (chain.length === 0) return {};
    if (detailed) {
      for (let i = 0; i < chain.length; i++) chain[i].issuerCertificate = chain[i + 1] ?? chain[i];
    }
    return chain[0];
  }
  getProtocol() { return this.#conn && this.#secure ? tlsInfo(this.#conn).protocol : null; }
  getCipher() {
    if (!this.#conn || !this.#secure) return undefined;
    const i = tlsInfo(this.#conn);
    return { name: i.cipher, standardName: i.standardName, version: i.version };
  }
  isSessionReused() { return !!(this.#conn && tlsInfo(this.#conn).reused); }
  /** The session (DER, as Node's) to pass as `session` to a later connect; undefined before the handshake. */
  getSession() {
    const der = this.#conn && this.#secure ? tlsGetSession(this.#conn) : undefined;
    return der ? asBuffer(new Uint8Array(der)) : undefined;
  }
  /** A client's session ticket from the server, as it was sent (undefined without one, and on a server). */
  getTLSTicket() {
    const ticket = this.#conn && this.#secure && !this.#options.isServer ? tlsGetSession(this.#conn, true) : undefined;
    return ticket ? asBuffer(new Uint8Array(ticket)) : undefined;
  }
  get remoteAddress() { return this.#tcp.remoteAddress; }
  get remotePort() { return this.#tcp.remotePort; }
  get remoteFamily() { return this.#tcp.remoteFamily; }
  get localAddress() { return this.#tcp.localAddress; }
  get localPort() { return this.#tcp.localPort; }
  get connecting() { return !!this.#tcp.connecting; }
  // Plaintext, as Node counts a TLSSocket's bytes; bytesWritten includes what write() holds.
  get bytesRead() { return this.#plainRead; }
  get bytesWritten() { return this.#plainHanded + this.writableLength; }
  address() { return this.#tcp.address(); }
  setTimeout(ms, cb) { if (cb) this.once('timeout', cb); this.#tcp.setTimeout(ms); return this; }
  setNoDelay(on) { this.#tcp.setNoDelay?.(on); return this; }
  setKeepAlive(on, delay) { this.#tcp.setKeepAlive?.(on, delay); return this; }
  ref() { this.#tcp.ref?.(); return this; }
  unref() { this.#tcp.unref?.(); return this; }
}
// A net.Socket to `instanceof`, as Node's TLSSocket (which extends it) is.
Object.defineProperty(TLSSocket.prototype, kNetSocket, { value: true });

function normalizeConnectArgs(args) {
  const [a, b, c, d] = args;
  let options;
  if (a !== null && typeof a === 'object') options = { ...a };
  else if (typeof b === 'string') options = { ...(typeof c === 'object' && c ? c : {}), port: a, host: b };
  else options = { ...(typeof b === 'object' && b ? b : {}), port: a };
  const cb = [b, c, d].find((x) => typeof x === 'function');
  return { options, cb };
}

/** tls.connect([port, host,] options[, callback]): a client TLSSocket; 'secureConnect' when ready. */
export function connect(...args) {
  const { options, cb } = normalizeConnectArgs(args);
  options.host ??= 'localhost';
  options.rejectUnauthorized = options.rejectUnauthorized !== false;
  sessionBytes(options.session);   // a bad one throws before any connection is made
  const tcp = options.socket ?? net.connect({ port: options.port, host: options.host });
  const s = new TLSSocket(tcp, { ...options, isServer: false });
  if (cb) s.once('secureConnect', cb);
  if (options.timeout) s.setTimeout(options.timeout);
  return s;
}

/**
 * A TLS server: 'connection' with each TCP socket, 'secureConnection' with its TLSSocket once
 * the handshake is done, 'tlsClientError' when a handshake fails.
 */
class Server extends net.Server {
  #context; #options;
  #names = [];   // [pattern RegExp, SecureContext] from addContext, the last added first
  constructor(options, listener) {
    if (typeof options === 'function') { listener = options; options = {}; }
    options ??= {};
    super((tcp) => this.#accept(tcp));
    if (options.SNICallback !== undefined && typeof options.SNICallback !== 'function') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "options.SNICallback" property must be of type function');
    }
    this.#options = options;
    this.#context = options.secureContext ?? new SecureContext(options, true);
    if (options.SNICallback) tlsAskServername(this.#context.context);
    if (listener) this.on('secureConnection', listener);
  }
  setSecureContext(options) {
    this.#context = new SecureContext(options, true);
    if (this.#options.SNICallback || this.#names.length) tlsAskServername(this.#context.context);
  }
  /** The context for a host name ('*.example.com' matches one label) when a client asks for it. */
  addContext(hostname, context) {
    if (typeof hostname !== 'string') throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "hostname" argument must be of type string');
    const re = new RegExp(`^${hostname.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*')}$`, 'i');
    this.#names.unshift([re, context instanceof SecureContext ? context : createSecureContext(context)]);
    tlsAskServername(this.#context.context);
  }
  #contextFor(name, cb) { cb(null, this.#names.find(([re]) => re.test(name))?.[1] ?? null); }
  #accept(tcp) {
    const o = this.#options;
    let secured = false;
    const s = new TLSSocket(tcp, {
      isServer: true, secureContext: this.#context, requestCert: !!o.requestCert,
      SNICallback: o.SNICallback ?? ((name, cb) => this.#contextFor(name, cb)),
      rejectUnauthorized: o.requestCert ? o.rejectUnauthorized !== false : false, server: this,
      onSecure: (sock) => { secured = true; this.emit('secureConnection', sock); },
    });
    s.server = this;
    // A failed handshake is the server's 'tlsClientError'; a later error ends only that socket.
    s.on('error', (e) => { if (!secured) this.emit('tlsClientError', e, s); });
    if (o.handshakeTimeout !== 0) {
      const t = setTimeout(() => { if (!secured) s.destroy(codedError(Error, 'ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout')); }, o.handshakeTimeout ?? 120000);
      s.once('close', () => clearTimeout(t));
      s.once('secure', () => clearTimeout(t));
    }
  }
}

export function createServer(options, listener) { return new Server(options, listener); }

export const rootCertificates = new Proxy([], {
  get: (_, k) => { const r = getRootCertificates(); const v = r[k]; return typeof v === 'function' ? v.bind(r) : v; },
  has: (_, k) => k in getRootCertificates(),
  ownKeys: () => Reflect.ownKeys(getRootCertificates()),
  getOwnPropertyDescriptor: (_, k) => {
    const d = Reflect.getOwnPropertyDescriptor(getRootCertificates(), k);
    // The target's own 'length' is writable and not configurable: the view must agree.
    if (d && k === 'length') return { ...d, writable: true };
    if (d) d.configurable = true;
    return d;
  },
});

// tls.Server(options) without new, as Node's.
const CallableServer = callableClass(Server);
export { CallableServer as Server };

export default {
  connect, createServer, createSecureContext, checkServerIdentity, getCiphers, rootCertificates, Server: CallableServer, TLSSocket,
  SecureContext, DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION, DEFAULT_ECDH_CURVE, DEFAULT_CIPHERS,
};
