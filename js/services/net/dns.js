// A DNS stub resolver (RFC 1035): A and AAAA questions over UDP with retries, TCP when an
// answer is truncated (RFC 7766), answers cached for their TTL, and local names as a hosts
// file gives them.
import { read16, read32, formatIPv4, parseIPv4 } from './addr.js';
import { netError } from './errors.js';

const PORT = 53;
const TYPE_A = 1, TYPE_CNAME = 5, TYPE_AAAA = 28, CLASS_IN = 1;
const FLAG_RD = 0x0100, FLAG_TC = 0x0200, FLAG_QR = 0x8000;
const RCODE_NXDOMAIN = 3;
const HEADER = 12;
const TRIES = 3;
const TIMEOUT_MS = [1000, 2000, 4000];
const CACHE_MAX = 1024;
const NEGATIVE_TTL = 30;            // seconds a missing name is remembered (RFC 2308 5 caps it by the SOA)
const MAX_POINTERS = 32;            // compression pointers followed in one name (loops are an error)

/** A query message for name/type with id. */
export function buildQuery(id, name, type) {
  const labels = name.replace(/\.$/, '').split('.');
  const parts = [];
  for (const l of labels) {
    const bytes = new TextEncoder().encode(l);
    if (bytes.length === 0 || bytes.length > 63) throw netError('EBADNAME', 'queryA', `bad label in ${name}`, { hostname: name });
    parts.push(bytes.length, ...bytes);
  }
  if (parts.length + 1 > 255) throw netError('EBADNAME', 'queryA', 'name longer than 255 bytes', { hostname: name });
  const b = new Uint8Array(HEADER + parts.length + 5);
  b[0] = id >>> 8; b[1] = id & 0xff; b[2] = FLAG_RD >>> 8; b[5] = 1;   // one question, recursion desired
  b.set(parts, HEADER);
  const q = HEADER + parts.length + 1;
  b[q] = type >>> 8; b[q + 1] = type & 0xff; b[q + 3] = CLASS_IN;
  return b;
}

// Reads a (possibly compressed, RFC 1035 4.1.4) name at `at`; returns [name, next offset].
function readName(b, at) {
  const labels = [];
  let next = -1, pointers = 0;
  for (;;) {
    if (at >= b.length) throw new Error('name runs past the message');
    const len = b[at];
    if (len === 0) { at++; break; }
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= b.length || ++pointers > MAX_POINTERS) throw new Error('bad compression pointer');
      if (next < 0) next = at + 2;
      at = ((len & 0x3f) << 8) | b[at + 1];
      continue;
    }
    if (len > 63 || at + 1 + len > b.length) throw new Error('bad label');
    labels.push(String.fromCharCode(...b.subarray(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  return [labels.join('.').toLowerCase(), next >= 0 ? next : at];
}

/**
 * Parses a response: { id, truncated, rcode, answers: [{ name, type, ttl, data }] } where data
 * is an address string (A, AAAA) or a name (CNAME). Throws on a malformed message.
 */
export function parseResponse(b) {
  if (b.length < HEADER) throw new Error('message shorter than its header');
  const flags = read16(b, 2);
  if (!(flags & FLAG_QR)) throw new Error('not a response');
  const qd = read16(b, 4), an = read16(b, 6);
  let at = HEADER;
  for (let i = 0; i < qd; i++) { [, at] = readName(b, at); at += 4; }
  const answers = [];
  for (let i = 0; i < an; i++) {
    let name;
    [name, at] = readName(b, at);
    if (at + 10 > b.length) throw new Error('record runs past the message');
    const type = read16(b, at), cls = read16(b, at + 2), ttl = read32(b, at + 4), len = read16(b, at + 8);
    at += 10;
    if (at + len > b.length) throw new Error('record data runs past the message');
    const rd = b.subarray(at, at + len);
    if (cls === CLASS_IN && type === TYPE_A && len === 4) answers.push({ name, type, ttl, data: formatIPv4(read32(rd, 0)) });
    else if (cls === CLASS_IN && type === TYPE_AAAA && len === 16) answers.push({ name, type, ttl, data: formatIPv6(rd) });
    else if (cls === CLASS_IN && type === TYPE_CNAME) answers.push({ name, type, ttl, data: readName(b, at)[0] });
    at += len;
  }
  return { id: read16(b, 0), truncated: (flags & FLAG_TC) !== 0, rcode: flags & 0xf, answers };
}

function formatIPv6(b) {
  const words = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i] << 8) | b[i + 1]).toString(16));
  return words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

// Query ids must be unpredictable, or an off-path attacker can forge answers (RFC 5452, 4).
const queryId = () => (globalThis.crypto?.getRandomValues
  ? globalThis.crypto.getRandomValues(new Uint16Array(1))[0] : (Math.random() * 0x10000) >>> 0);

export class Resolver {
  #stack;
  /** The servers asked in turn: addresses (port 53), or { address, port }. */
  servers = [];
  hosts = new Map([['localhost', ['127.0.0.1']]]);
  #cache = new Map();   // `${type}:${name}` -> { addresses, expires } | { missing, expires }
  stats = { queries: 0, cacheHits: 0, timeouts: 0, truncated: 0, malformed: 0 };

  constructor(stack) { this.#stack = stack; }

  /**
   * Addresses of `name` for `family` (4 or 6), following CNAMEs.
   * @throws ENOTFOUND when the name does not exist, ETIMEDOUT when no server answers,
   *   ECONNREFUSED when there is no server to ask.
   */
  async resolve(name, family = 4) {
    if (typeof name !== 'string' || name.length === 0) throw netError('EINVAL', 'getaddrinfo', 'no host name');
    const lower = name.toLowerCase().replace(/\.$/, '');
    if (parseIPv4(lower) !== null) return [lower];
    const local = this.hosts.get(lower);
    if (local) return local.filter((a) => (family === 4) === (parseIPv4(a) !== null));
    const type = family === 6 ? TYPE_AAAA : TYPE_A;
    const key = `${type}:${lower}`;
    const hit = this.#cache.get(key);
    if (hit && hit.expires > performance.now()) {
      this.stats.cacheHits++;
      if (hit.missing) throw netError('ENOTFOUND', 'getaddrinfo', 'the name does not exist', { hostname: name });
      return hit.addresses;
    }
    if (this.servers.length === 0) throw netError('ECONNREFUSED', 'getaddrinfo', 'no DNS server is configured', { hostname: name });
    const r = await this.#ask(lower, type, name);
    if (r.rcode === RCODE_NXDOMAIN || r.addresses.length === 0) {
      this.#remember(key, { missing: true, expires: performance.now() + NEGATIVE_TTL * 1000 });
      throw netError('ENOTFOUND', 'getaddrinfo', 'the name does not exist', { hostname: name });
    }
    this.#remember(key, { addresses: r.addresses, expires: performance.now() + r.ttl * 1000 });
    return r.addresses;
  }

  #remember(key, entry) {
    if (this.#cache.size >= CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value);
    this.#cache.set(key, entry);
  }

  async #ask(name, type, shown) {
    let lastError = null;
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const s = this.servers[attempt % this.servers.length];
      const server = typeof s === 'number' ? { address: s, port: PORT } : s;
      try {
        let m = await this.#udpQuery(server, name, type, TIMEOUT_MS[attempt]);
        if (m.truncated) { this.stats.truncated++; m = await this.#tcpQuery(server, name, type, TIMEOUT_MS[TRIES - 1]); }
        return this.#collect(m, name, type);
      } catch (e) {
        lastError = e;
        if (e.code !== 'ETIMEDOUT') break;
        this.stats.timeouts++;
      }
    }
    throw netError(lastError?.code === 'ETIMEDOUT' ? 'ETIMEDOUT' : 'ESERVFAIL', 'getaddrinfo', lastError?.message ?? 'no answer', { hostname: shown });
  }

  // Follows CNAMEs within the answer (RFC 1034 3.6.2); the smallest TTL on the way counts.
  #collect(m, name, type) {
    let target = name, ttl = 0x7fffffff;
    for (let hops = 0; hops < 8; hops++) {
      const cname = m.answers.find((a) => a.type === TYPE_CNAME && a.name === target);
      if (!cname) break;
      ttl = Math.min(ttl, cname.ttl);
      target = cname.data;
    }
    const found = m.answers.filter((a) => a.type === type && a.name === target);
    for (const a of found) ttl = Math.min(ttl, a.ttl);
    return { rcode: m.rcode, addresses: found.map((a) => a.data), ttl: found.length ? ttl : 0 };
  }

  #udpQuery(server, name, type, timeoutMs) {
    const id = queryId();
    const query = buildQuery(id, name, type);
    const sock = this.#stack.udp.bind(0);
    this.stats.queries++;
    return new Promise((resolve, reject) => {
      const done = (fn, v) => { clearTimeout(timer); sock.close(); fn(v); };
      const timer = setTimeout(() => done(reject, netError('ETIMEDOUT', 'queryA', `no answer from ${formatIPv4(server.address)}`)), timeoutMs);
      sock.onError((e) => done(reject, e));
      sock.onMessage((d, rinfo) => {
        if (rinfo.address !== formatIPv4(server.address) || rinfo.port !== server.port) return;
        let m;
        try { m = parseResponse(d); } catch { this.stats.malformed++; return; }
        if (m.id === id) done(resolve, m);
      });
      try { sock.send(query, server.port, server.address); } catch (e) { done(reject, e); }
    });
  }

  // RFC 1035 4.2.2: over TCP each message is preceded by its length.
  #tcpQuery(server, name, type, timeoutMs) {
    const id = queryId();
    const q = buildQuery(id, name, type);
    const framed = new Uint8Array(2 + q.length);
    framed[0] = q.length >>> 8; framed[1] = q.length & 0xff; framed.set(q, 2);
    const c = this.#stack.tcp.connect(server.address, server.port);
    return new Promise((resolve, reject) => {
      const chunks = [];
      let total = 0;
      const timer = setTimeout(() => { c.destroy(); reject(netError('ETIMEDOUT', 'queryA', `no answer over TCP from ${formatIPv4(server.address)}`)); }, timeoutMs);
      c.on('connect', () => { c.write(framed); });
      c.on('data', (d) => {
        chunks.push(d); total += d.length;
        const all = new Uint8Array(total);
        let at = 0; for (const x of chunks) { all.set(x, at); at += x.length; }
        if (total >= 2 && total >= 2 + ((all[0] << 8) | all[1])) {
          clearTimeout(timer);
          c.end();
          try { resolve(parseResponse(all.subarray(2, 2 + ((all[0] << 8) | all[1])))); } catch (e) { reject(netError('ESERVFAIL', 'queryA', e.message)); }
        }
      });
      c.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }
}
