// DHCP client (RFC 2131, options from RFC 2132): DISCOVER, OFFER, REQUEST, ACK; the lease is
// renewed with the server at T1 and with anyone at T2, and given up when it expires.
import { read32, write16, write32, formatIPv4, maskBits, IPV4_BROADCAST } from './addr.js';

const SERVER_PORT = 67, CLIENT_PORT = 68;
const OP_REQUEST = 1, HTYPE_ETHERNET = 1, HLEN = 6;
const FLAG_BROADCAST = 0x8000;                      // RFC 2131 4.1: answer to the broadcast address
const MAGIC = 0x63825363;                           // RFC 2131 3: the options' cookie
const FIXED = 236;                                  // the BOOTP fields before the cookie
const MIN_MESSAGE = 300;                            // BOOTP's minimum, which some servers expect
// Message types (RFC 2132 9.6) and options.
const DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5, NAK = 6;
const O_PAD = 0, O_MASK = 1, O_ROUTER = 3, O_DNS = 6, O_HOSTNAME = 12, O_DOMAIN = 15, O_REQUESTED = 50,
  O_LEASE = 51, O_TYPE = 53, O_SERVER = 54, O_PARAMS = 55, O_T1 = 58, O_T2 = 59, O_END = 255;
const RETRY_MS = [1000, 2000, 4000, 8000];         // RFC 2131 4.1: doubling, randomised by the caller

/** Parses a DHCP message; null when it is not a well-formed reply. */
export function parseDhcp(b) {
  if (b.length < FIXED + 4 || b[0] !== 2 || read32(b, FIXED) !== MAGIC) return null;
  const m = { xid: read32(b, 4), yiaddr: read32(b, 16), siaddr: read32(b, 20), chaddr: b.slice(28, 34), options: new Map() };
  for (let i = FIXED + 4; i < b.length;) {
    const code = b[i];
    if (code === O_END) break;
    if (code === O_PAD) { i++; continue; }
    if (i + 1 >= b.length || i + 2 + b[i + 1] > b.length) return null;
    m.options.set(code, b.subarray(i + 2, i + 2 + b[i + 1]));
    i += 2 + b[i + 1];
  }
  const type = m.options.get(O_TYPE);
  if (!type || type.length !== 1) return null;
  m.type = type[0];
  return m;
}

const addrs = (v) => { const out = []; for (let i = 0; v && i + 4 <= v.length; i += 4) out.push(read32(v, i)); return out; };
const u32 = (v) => (v && v.length === 4 ? read32(v, 0) : null);

function buildMessage(mac, xid, type, options, ciaddr = 0, broadcast = true) {
  const opts = [O_TYPE, 1, type, ...options, O_PARAMS, 5, O_MASK, O_ROUTER, O_DNS, O_DOMAIN, O_HOSTNAME, O_END];
  const b = new Uint8Array(Math.max(MIN_MESSAGE, FIXED + 4 + opts.length));
  b[0] = OP_REQUEST; b[1] = HTYPE_ETHERNET; b[2] = HLEN;
  write32(b, 4, xid);
  if (broadcast) write16(b, 10, FLAG_BROADCAST);
  write32(b, 12, ciaddr);
  b.set(mac, 28);
  write32(b, FIXED, MAGIC);
  b.set(opts, FIXED + 4);
  return b;
}

const ipOption = (code, a) => [code, 4, a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff];

export class DhcpClient {
  #stack; #iface; #mac; #socket = null;
  #xid = 0; #state = 'idle'; #timer = null; #lease = null; #waiter = null;
  stats = { discovers: 0, requests: 0, offers: 0, acks: 0, naks: 0, renewals: 0, expired: 0 };

  /** @param {NetStack} stack @param {{ name: string, mac: Uint8Array }} iface */
  constructor(stack, iface) {
    this.#stack = stack; this.#iface = iface.name; this.#mac = iface.mac;
  }

  get lease() { return this.#lease && { ...this.#lease, address: formatIPv4(this.#lease.address), router: this.#lease.router && formatIPv4(this.#lease.router), dns: this.#lease.dns.map(formatIPv4), server: formatIPv4(this.#lease.server) }; }

  /**
   * Obtains a lease and configures the interface; resolves the lease.
   * @param {{ timeoutMs?: number }} options rejects with ETIMEDOUT when no server answers
   */
  start({ timeoutMs = 30000 } = {}) {
    this.#socket = this.#stack.udp.bind(CLIENT_PORT);
    this.#socket.broadcast = true;
    this.#socket.onMessage((d) => this.#receive(d));
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => { this.#waiter = null; reject(Object.assign(new Error(`dhcp ${this.#iface}: no lease within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })); }, timeoutMs);
      this.#waiter = { resolve: (l) => { clearTimeout(guard); resolve(l); } };
      this.#discover();
    });
  }

  stop() {
    clearTimeout(this.#timer);
    this.#socket?.close();
    this.#socket = null;
    this.#state = 'idle';
  }

  #newXid() { this.#xid = (Math.random() * 0x100000000) >>> 0; }

  #discover() {
    this.#state = 'selecting';
    this.#newXid();
    this.#retry(0, () => { this.stats.discovers++; this.#send(buildMessage(this.#mac, this.#xid, DISCOVER, [])); });
  }

  // Sends now and again after each RETRY_MS step (plus up to a second of jitter, RFC 2131 4.1).
  #retry(step, send) {
    clearTimeout(this.#timer);
    send();
    const delay = RETRY_MS[Math.min(step, RETRY_MS.length - 1)] + Math.floor(Math.random() * 1000);
    this.#timer = setTimeout(() => this.#retry(step + 1, send), delay);
  }

  #send(message, dst = IPV4_BROADCAST) {
    try { this.#socket?.send(message, SERVER_PORT, dst); } catch { /* no route yet: the retry timer tries again */ }
  }

  #receive(d) {
    const m = parseDhcp(d);
    if (!m || m.xid !== this.#xid || !m.chaddr.every((x, i) => x === this.#mac[i])) return;
    const server = u32(m.options.get(O_SERVER));
    if (m.type === OFFER && this.#state === 'selecting' && server !== null) {
      this.stats.offers++;
      this.#state = 'requesting';
      const req = buildMessage(this.#mac, this.#xid, REQUEST, [...ipOption(O_REQUESTED, m.yiaddr), ...ipOption(O_SERVER, server)]);
      this.#retry(0, () => { this.stats.requests++; this.#send(req); });
    } else if (m.type === ACK && (this.#state === 'requesting' || this.#state === 'renewing' || this.#state === 'rebinding')) {
      this.stats.acks++;
      this.#bound(m, server);
    } else if (m.type === NAK && this.#state !== 'selecting') {
      this.stats.naks++;
      this.#stack.configure(this.#iface, { address: 0, prefix: 0 });
      this.#lease = null;
      this.#discover();
    }
  }

  #bound(m, server) {
    clearTimeout(this.#timer);
    const leaseSec = u32(m.options.get(O_LEASE)) ?? 3600;
    const mask = u32(m.options.get(O_MASK));
    const prefix = mask !== null && maskBits(mask) >= 0 ? maskBits(mask) : 24;
    const router = addrs(m.options.get(O_ROUTER))[0] ?? null;
    const t1 = (u32(m.options.get(O_T1)) ?? leaseSec / 2) * 1000;           // RFC 2131 4.4.5 defaults
    const t2 = (u32(m.options.get(O_T2)) ?? leaseSec * 0.875) * 1000;
    const now = performance.now();
    const changed = !this.#lease || this.#lease.address !== m.yiaddr;
    this.#lease = { address: m.yiaddr, prefix, router, dns: addrs(m.options.get(O_DNS)), server: server ?? this.#lease?.server ?? 0,
      leaseSeconds: leaseSec, obtainedAt: now, domain: decodeText(m.options.get(O_DOMAIN)) };
    if (changed) this.#stack.configure(this.#iface, { address: m.yiaddr, prefix, gateway: router });
    this.#state = 'bound';
    this.#timer = setTimeout(() => this.#renew(now + t2, now + leaseSec * 1000), Math.min(t1, 2 ** 31 - 1));
    this.#waiter?.resolve(this.lease);
    this.#waiter = null;
  }

  // T1: ask the server that gave the lease, by unicast; at T2 anyone, by broadcast (RFC 2131 4.4.5).
  #renew(t2At, expiresAt) {
    this.#state = 'renewing';
    this.stats.renewals++;
    this.#newXid();
    const l = this.#lease;
    const req = () => buildMessage(this.#mac, this.#xid, REQUEST, [], l.address, false);
    const tick = () => {
      const now = performance.now();
      if (now >= expiresAt) {
        this.stats.expired++;
        this.#lease = null;
        this.#stack.configure(this.#iface, { address: 0, prefix: 0 });
        return this.#discover();
      }
      if (now >= t2At) this.#state = 'rebinding';
      this.#send(req(), this.#state === 'renewing' ? l.server : IPV4_BROADCAST);
      // Half the time left, at least a minute (RFC 2131 4.4.5), shortened for short leases.
      const wait = Math.max(Math.min(60000, (expiresAt - now) / 2), (Math.min(t2At, expiresAt) - now) / 2, 1000);
      this.#timer = setTimeout(tick, Math.min(wait, 2 ** 31 - 1));
    };
    tick();
  }
}

function decodeText(v) { return v ? String.fromCharCode(...v) : null; }
