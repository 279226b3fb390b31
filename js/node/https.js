// node:https (nodejs.org/api/https.html): node:http's server and client over node:tls.
import * as http from './http.js';
import * as tls from './tls.js';
import { kNetServer, checkAgentProtocol } from '../internal/http-transport.js';
import { codedError } from '../internal/modules/errors.js';
import { callableClass } from '../internal/callable-class.js';

// The TLS options a request passes on to tls.connect, as Node's https agent does.
const TLS_OPTIONS = ['ca', 'cert', 'key', 'passphrase', 'pfx', 'ciphers', 'servername', 'rejectUnauthorized',
  'checkServerIdentity', 'minVersion', 'maxVersion', 'secureContext', 'ALPNProtocols', 'session'];
// Node's default for maxCachedSessions: the number of keys whose last TLS session an agent keeps.
const MAX_CACHED_SESSIONS = 100;
// Those that tell connections apart in an agent's pool (Node's https getName lists these;
// a function or a context object is not part of the key).
const NAME_OPTIONS = ['ca', 'cert', 'ciphers', 'key', 'pfx', 'rejectUnauthorized', 'servername', 'minVersion', 'maxVersion'];

/**
 * https.Agent: node:http's agent (keepAlive pools connections) over TLS connections made with
 * the agent's and the request's TLS options; connections made with other TLS options are
 * never shared (they are part of getName's key, as in Node). Each key's latest TLS session is
 * kept (at most maxCachedSessions keys, the oldest dropped) and offered by the next new
 * connection there, so that it resumes instead of running a full handshake; a connection that
 * ends in an error drops its key's session.
 */
class Agent extends http.Agent {
  defaultPort = 443;
  protocol = 'https:';
  #sessions = new Map();   // key -> session (a Buffer), in the order they were stored
  constructor(options = {}) {
    super(options);
    this.maxCachedSessions = options.maxCachedSessions ?? MAX_CACHED_SESSIONS;
  }
  createConnection(options) {
    const tlsOptions = {};
    for (const k of TLS_OPTIONS) if (options[k] !== undefined) tlsOptions[k] = options[k];
    const name = this.getName(options);
    const session = this.#sessions.get(name);
    const socket = tls.connect({ ...this.options, session, ...tlsOptions, host: options.host, port: options.port });
    if (this.keepAlive) socket.setKeepAlive(true, this.keepAliveMsecs);
    if (this.maxCachedSessions > 0) {
      socket.on('session', (s) => this.#keepSession(name, s));
      socket.once('close', () => { if (socket.errored) this.#sessions.delete(name); });
    }
    return socket;
  }
  #keepSession(name, session) {
    this.#sessions.delete(name);
    this.#sessions.set(name, session);
    if (this.#sessions.size > this.maxCachedSessions) this.#sessions.delete(this.#sessions.keys().next().value);
  }
  getName(options = {}) {
    let name = super.getName(options);
    for (const k of NAME_OPTIONS) {
      const v = options[k] ?? this.options[k];
      name += `:${v === undefined ? '' : ArrayBuffer.isView(v) ? new TextDecoder().decode(v) : v}`;
    }
    return name;
  }
}
export const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });   // as http's

class Server extends http.Server {
  constructor(options, listener) {
    if (typeof options === 'function') { listener = options; options = {}; }
    options ??= {};
    let tlsServer = null;
    super({ ...options, [kNetServer]: (onSecure) => (tlsServer = new tls.Server(options, onSecure)) }, listener);
    tlsServer.on('tlsClientError', (e, socket) => this.emit('tlsClientError', e, socket));
    tlsServer.on('secureConnection', (socket) => this.emit('secureConnection', socket));
    this.tlsServer = tlsServer;
  }
  setSecureContext(options) { this.tlsServer.setSecureContext(options); }
}

export function createServer(options, listener) { return new Server(options, listener); }

function urlOptions(u) {
  const url = typeof u === 'string' ? new URL(u) : u;
  if (url.protocol !== 'https:') throw codedError(TypeError, 'ERR_INVALID_PROTOCOL', `Protocol "${url.protocol}" not supported. Expected "https:"`);
  return { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port || 443, path: `${url.pathname}${url.search}` };
}

/** https.request(url[, options][, callback]) or (options[, callback]). */
export function request(url, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  const isUrl = typeof url === 'string' || (globalThis.URL && url instanceof globalThis.URL);
  const o = isUrl ? { ...urlOptions(url), ...options } : { ...url };
  if (o.protocol !== undefined && o.protocol !== 'https:') throw codedError(TypeError, 'ERR_INVALID_PROTOCOL', `Protocol "${o.protocol}" not supported. Expected "https:"`);
  checkAgentProtocol(o.agent, 'https:');
  // agent: false is a connection of its own, from an agent nobody shares.
  const agent = o.agent instanceof Agent ? o.agent : o.agent === false ? new Agent() : globalAgent;
  return new http.ClientRequest({ ...o, defaultPort: 443, agent }, cb);
}

export function get(url, options, cb) {
  const r = request(url, options, cb);
  r.end();
  return r;
}

// https.Agent() and https.Server() without new, as Node's.
const CallableAgent = callableClass(Agent), CallableServer = callableClass(Server);
export { CallableAgent as Agent, CallableServer as Server };

export default { Agent: CallableAgent, globalAgent, Server: CallableServer, createServer, request, get };
