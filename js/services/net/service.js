// The network service's interface: what the app holding the NIC exports, as functions (the
// capabilities other apps are granted). Connections and sockets are objects of functions;
// events reach the user through a function of its own, with received data moved to it
// (rt.transfer), never copied between apps.
import { parseIPv4, formatIPv4, IPV4_ANY } from './addr.js';
import { netError } from './errors.js';
import { Resolver } from './dns.js';
import { allowed, check, denial } from '../access/broker.js';
import { onExitNotice, releaseFunction } from '../../internal/ipc.js';
import { SERVICE_FUNCTIONS } from './functions.js';

const isPort = (p) => Number.isInteger(p) && p >= 0 && p <= 65535;
// Numbered writes a connection holds while an earlier one has not arrived; a user past it
// is not numbering its writes as it should, and loses the connection.
const OPS_AHEAD_MAX = 1024;

/** Bytes from the caller: an ArrayBuffer or a view, as Uint8Array. */
function bytes(data, op) {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw netError('EINVAL', op, 'data must be an ArrayBuffer or a typed array');
}

// The plain-object shape of an error, as it crosses to the user's app.
const errorInfo = (e) => ({ code: e.code, message: e.message, syscall: e.syscall, address: e.address, port: e.port });

/**
 * @param {NetStack} stack
 * @param {{ resolver?: Resolver }} options
 * @returns {object} the service interface (see docs/network.md, "The service")
 */
export function netService(stack, { resolver = new Resolver(stack) } = {}) {
  // Permissions (js/services/access/): each operation is checked against the grant of the app
  // calling it (rt.caller, from the runtime; this app itself when called from its own code).
  // An open connection is checked again on every write, so that a revoked grant ends it.
  const callerId = () => rt.caller ?? rt.self.id;

  // connect-kind checks by name first, then by the address the name resolves to.
  async function checkedAddress(who, host, port, kind = 'net.connect') {
    const target = { host: String(host), port };
    if (allowed(who, kind, target)) return address(host);
    const a = await address(host);
    check(who, kind, { ...target, address: formatIPv4(a) });
    return a;
  }

  // What each app holds (connections, listeners, UDP sockets), as the closers to run when it
  // ends: as a process's exit closes its descriptors, an app's end closes its connections
  // (FIN, or RST when received data is left unread) and frees its ports at once, instead of
  // when the next event to it finds it gone, which a quiet peer may wait for forever.
  const held = new Map();   // app id -> Set of closers
  const hold = (who, closer) => {
    let set = held.get(who);
    if (!set) held.set(who, (set = new Set()));
    set.add(closer);
    return () => { set.delete(closer); if (set.size === 0 && held.get(who) === set) held.delete(who); };
  };
  onExitNotice((id) => {
    const set = held.get(id);
    if (!set) return;
    held.delete(id);
    for (const closer of set) { try { closer(); } catch { /* already closed */ } }
  });

  // An event to the user's function; a user that has ended (or whose function throws) loses
  // the connection, the service goes on. What the function answers goes to onAnswer.
  const emitter = (onEvent, onGone, onAnswer) => (kind, value, transfer) => {
    let sent;
    try { sent = onEvent(kind, transfer ? rt.transfer(value) : value); } catch (e) { onGone(e); return; }
    if (sent && typeof sent.then === 'function') sent.then(onAnswer, onGone);
  };

  async function address(host, op) {
    const a = parseIPv4(host);
    if (a !== null) return a;
    const [first] = await resolver.resolve(String(host), 4);
    return parseIPv4(first);
  }

  // `permit(id)` is null when app `id` may use the connection (still: see revocation), else
  // the denial; writes are checked against the app calling, whoever opened the connection.
  // The connection ends when its owner (the app that opened or accepted it) is refused.
  function connectionApi(c, onEvent, permit, owner) {
    // The user's function is let go of once the connection has closed (or the user closed
    // it), at once rather than when this app's garbage collector finds it: the user's app is
    // kept alive by it, and must end as a process does once its sockets are closed, not
    // through TIME_WAIT or until this app next collects.
    let target = onEvent;
    // Writes and the end may be numbered by the user (0, 1, 2, ...) and then take effect in
    // that order, whether they came as calls or in the answer to an event (`{ ops: [[n,
    // data, null for the end, false for close or true for reset], ...] }`): what a user
    // writes while handling an event rides back with the answer, one message instead of a
    // call and its answer more; a numbered close or reset waits for the writes before it. A
    // numbered write whose queue is full says so with a 'full' event ('drain' follows).
    let nextOp = 0;
    const ahead = new Map();
    // Close as close(2) does (FIN, or RST when received data is left unread); the user hears
    // nothing more of the connection, which finishes in the stack.
    const close = () => { target = null; releaseFunction(onEvent); c.close(); };
    const run = (data) => {
      if (data === null) { c.end(); return true; }
      if (data === false) { close(); return true; }
      if (data === true) { c.destroy(); return true; }
      return c.write(bytes(data, 'write'));
    };
    const ordered = (n, data) => {
      if (!Number.isInteger(n) || n < nextOp) throw netError('EINVAL', 'write', `operation ${n} is out of order (next is ${nextOp})`);
      if (n !== nextOp) {
        if (ahead.size >= OPS_AHEAD_MAX) { c.destroy(); throw netError('EINVAL', 'write', `more than ${OPS_AHEAD_MAX} operations ahead of ${nextOp}`); }
        ahead.set(n, data);
        return true;
      }
      nextOp++;
      const ok = run(data);
      while (ahead.has(nextOp)) {
        const d = ahead.get(nextOp);
        ahead.delete(nextOp++);
        try { if (!run(d)) emit('full'); } catch { /* closed meanwhile: its error or close event says so */ }
      }
      return ok;
    };
    const answered = (r) => {
      const ops = r?.ops;
      if (!Array.isArray(ops) || ops.length === 0 || c.state === 'CLOSED') return;
      if (permit(owner)) return c.destroy();   // the owner's grant was revoked
      for (const op of ops) {
        try { if (!ordered(op?.[0], op?.[1] ?? null)) emit('full'); } catch { return c.destroy(); }
      }
    };
    const emit = emitter((kind, value) => target?.(kind, value), () => c.destroy(), answered);
    const info = () => ({ localAddress: formatIPv4(c.localAddress), localPort: c.localPort, remoteAddress: formatIPv4(c.remoteAddress), remotePort: c.remotePort });
    c.on('connect', () => emit('connect', info()));
    c.on('data', (d) => emit('data', d, true));
    c.on('end', () => emit('end'));
    c.on('drain', () => emit('drain'));
    c.on('error', (e) => emit('error', errorInfo(e)));
    const release = hold(owner, close);
    c.on('close', (hadError) => { emit('close', hadError); target = null; releaseFunction(onEvent); release(); });
    const writable = () => {
      const id = callerId();
      const refused = permit(id);
      if (refused) {
        if (id === owner) c.destroy();
        throw refused;
      }
    };
    return {
      write: (data, n) => { writable(); return n === undefined ? c.write(bytes(data, 'write')) : ordered(n, data); },
      end: (n) => (n === undefined ? c.end() : ordered(n, null)),
      close: (n) => (n === undefined ? close() : ordered(n, false)),
      destroy: (n) => (n === undefined ? c.destroy() : ordered(n, true)),
      pause: () => c.pause(),
      resume: () => c.resume(),
      setNoDelay: (on) => c.setNoDelay(on),
      setKeepAlive: (on, ms) => c.setKeepAlive(on, ms),
      info: () => ({ ...info(), ...c.info }),
    };
  }

  return checkedInterface({
    /**
     * Opens a TCP connection; events: connect(info), data(Uint8Array), end, drain, full (a
     * numbered write found the send queue full), error(info), close(hadError).
     * @returns the connection's functions: write, end, close (as close(2)), destroy (a reset), pause, resume, setNoDelay, setKeepAlive, info
     */
    async connect({ host, port, localPort = 0 }, onEvent) {
      const who = callerId();
      if (!isPort(port) || port === 0) throw netError('EINVAL', 'connect', `port ${port} is not 1-65535`);
      if (typeof onEvent !== 'function') throw netError('EINVAL', 'connect', 'an event function is needed');
      // A connection that never opens lets go of the user's function at once, as a closed one
      // does: the user's app is not kept alive by it.
      try {
        const a = await checkedAddress(who, host, port);
        const target = { host: String(host), port, address: formatIPv4(a) };
        const permit = (id) => (allowed(id, 'net.connect', target) ? null : denial(id, 'net.connect', target));
        return connectionApi(stack.tcp.connect(a, port, { localPort }), onEvent, permit, who);
      } catch (e) { releaseFunction(onEvent); throw e; }
    },

    /**
     * Listens for TCP connections; onConnection(connection, info) receives each, and the user
     * then calls connection.attach(onEvent) (data waits, paused, until it does).
     */
    listen({ port = 0, host = '0.0.0.0', backlog }, onConnection) {
      const who = callerId();
      const permit = (id) => (allowed(id, 'net.listen', port) ? null : denial(id, 'net.listen', port));
      let l;
      // Refused, the listener lets go of the user's function at once (it would keep the app alive).
      try {
        if (!isPort(port)) throw netError('EINVAL', 'listen', `port ${port} is not 0-65535`);
        check(who, 'net.listen', port);
        const bind = parseIPv4(host);
        if (bind === null) throw netError('EINVAL', 'listen', `${host} is not an IPv4 address`);
        l = stack.tcp.listen(port, bind, { backlog });
      } catch (e) { releaseFunction(onConnection); throw e; }
      let accept = onConnection;
      l.onConnection((c) => {
        if (!accept) return c.destroy();
        if (permit(who)) { l.close(); accept = null; return c.destroy(); } // revoked: the listener ends
        c.pause();
        let api = null;
        const attach = (onEvent) => {
          if (api) throw netError('EINVAL', 'attach', 'already attached');
          api = connectionApi(c, onEvent, permit, who);
          c.resume();
          return api;
        };
        const info = { localAddress: formatIPv4(c.localAddress), localPort: c.localPort, remoteAddress: formatIPv4(c.remoteAddress), remotePort: c.remotePort };
        let r;
        try { r = accept({ attach, destroy: () => c.destroy() }, info); } catch { c.destroy(); return; }
        if (r && typeof r.then === 'function') r.then(undefined, () => { l.close(); c.destroy(); });
      });
      const stop = () => { l.close(); accept = null; releaseFunction(onConnection); release(); };
      const release = hold(who, stop);
      return { address: () => ({ address: formatIPv4(l.address), port: l.port, family: 'IPv4' }), close: stop };
    },

    /** A UDP socket; onMessage(data, rinfo) receives datagrams (data moved to the user). */
    udpBind({ port = 0, host = '0.0.0.0', broadcast = false }, onMessage) {
      const who = callerId();
      let s;
      // Refused, the socket lets go of the user's function at once (it would keep the app alive).
      try {
        const bind = parseIPv4(host);
        if (!isPort(port) || bind === null) throw netError('EINVAL', 'bind', `${host}:${port} is not an IPv4 address and port`);
        // Port 0 (a client's socket, any free port) needs no listen permission; what it sends does.
        if (port !== 0) check(who, 'net.listen', port);
        s = stack.udp.bind(port, bind);
      } catch (e) { releaseFunction(onMessage); throw e; }
      s.broadcast = !!broadcast;
      let target = onMessage;
      const emit = emitter((kind, value) => target?.(value, kind), () => s.close());
      s.onMessage((d, rinfo) => emit(rinfo, d, true));
      const stop = () => { s.close(); target = null; releaseFunction(onMessage); release(); };
      const release = hold(who, stop);
      return {
        address: () => ({ address: formatIPv4(s.address), port: s.port, family: 'IPv4' }),
        send: async (data, port, host) => s.send(bytes(data, 'send'), port, await checkedAddress(callerId(), host, port)),
        setBroadcast: (on) => { s.broadcast = !!on; },
        close: stop,
      };
    },

    async ping(host, options) {
      const r = await stack.icmp.ping(await checkedAddress(callerId(), host, undefined, 'net.ping'), options);
      return { ...r, from: formatIPv4(r.from) };
    },
    /** Addresses of a name (family 4 or 6), as node:dns's lookup all:true. */
    lookup: (name, family = 4) => resolver.resolve(name, family),
    interfaces: () => stack.interfaces(),
    routes: () => stack.routes(),
    sockets: () => stack.sockets(),
    counters: () => stack.counters(),
    anyAddress: formatIPv4(IPV4_ANY),
  });
}

// The interface's functions are exactly SERVICE_FUNCTIONS, which client.js forwards by name.
function checkedInterface(api) {
  const names = Object.keys(api).filter((k) => typeof api[k] === 'function');
  const missing = SERVICE_FUNCTIONS.filter((n) => !names.includes(n));
  const extra = names.filter((n) => !SERVICE_FUNCTIONS.includes(n));
  if (missing.length || extra.length) throw new Error(`network service: functions.js lists [${missing}] that the service lacks, or lacks [${extra}]`);
  return api;
}
