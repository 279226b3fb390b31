// UDP (RFC 768, RFC 1122 4.1): sockets bound to a port, datagrams checked and delivered,
// port unreachable for closed ports, broadcast only for sockets that asked for it.
import { partialSum, finish, pseudoHeaderSum } from './checksum.js';
import { read16, write16, formatIPv4, IPV4_ANY, IPV4_BROADCAST } from './addr.js';
import { PROTO_UDP } from './ipv4.js';
import { CODE_PORT_UNREACHABLE } from './icmp.js';
import { netError } from './errors.js';

const HEADER = 8;
const MAX_PAYLOAD = 65507;               // 65535 - IP header - UDP header
export const EPHEMERAL_FIRST = 49152;    // RFC 6335 6: the dynamic port range
export const EPHEMERAL_LAST = 65535;
const QUEUE_MAX = 256;                   // datagrams held for a socket with no listener

export class UdpSocket {
  #layer;
  #onMessage = null;
  #queue = [];
  #onError = null;
  address = IPV4_ANY;
  port = 0;
  broadcast = false;
  closed = false;
  stats = { received: 0, sent: 0, dropped: 0 };

  constructor(layer) { this.#layer = layer; }

  /** @param {(data: Uint8Array, rinfo: { address: string, port: number, size: number }) => void} fn */
  onMessage(fn) {
    this.#onMessage = fn;
    for (const [d, r] of this.#queue.splice(0)) fn(d, r);
  }

  onError(fn) { this.#onError = fn; }

  deliver(data, rinfo) {
    this.stats.received++;
    if (this.#onMessage) return this.#onMessage(data, rinfo);
    if (this.#queue.length >= QUEUE_MAX) { this.stats.dropped++; return; }
    this.#queue.push([data, rinfo]);
  }

  error(err) { this.#onError?.(err); }

  /**
   * Sends one datagram.
   * @param {Uint8Array} data
   * @param {number} port
   * @param {number} address destination address (integer)
   */
  send(data, port, address) {
    if (this.closed) throw netError('ERR_SOCKET_DGRAM_NOT_RUNNING', 'send', 'the socket is closed');
    return this.#layer.send(this, data, port, address);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.#layer.unbind(this);
  }
}

export class Udp {
  #stack;
  #ports = new Map();        // port -> UdpSocket[] (several only when bound to distinct addresses)
  #nextEphemeral = EPHEMERAL_FIRST;
  stats = { datagramsIn: 0, datagramsOut: 0, badChecksum: 0, badLength: 0, noPort: 0 };

  constructor(stack) { this.#stack = stack; }

  /**
   * A socket bound to address:port (port 0: an ephemeral port).
   * @throws EADDRINUSE when another socket holds that port on an overlapping address
   */
  bind(port = 0, address = IPV4_ANY) {
    if (port === 0) port = this.#ephemeral();
    const holders = this.#ports.get(port) ?? [];
    if (holders.some((s) => s.address === IPV4_ANY || address === IPV4_ANY || s.address === address)) {
      throw netError('EADDRINUSE', 'bind', 'the port is in use', { address: formatIPv4(address), port });
    }
    const s = new UdpSocket(this);
    s.port = port;
    s.address = address;
    holders.push(s);
    this.#ports.set(port, holders);
    return s;
  }

  unbind(s) {
    const holders = (this.#ports.get(s.port) ?? []).filter((x) => x !== s);
    if (holders.length) this.#ports.set(s.port, holders); else this.#ports.delete(s.port);
  }

  #ephemeral() {
    for (let i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      const p = this.#nextEphemeral;
      this.#nextEphemeral = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      if (!this.#ports.has(p)) return p;
    }
    throw netError('EADDRINUSE', 'bind', 'no ephemeral UDP port is free');
  }

  get sockets() { return [...this.#ports.values()].flat().map((s) => ({ protocol: 'udp', local: `${formatIPv4(s.address)}:${s.port}`, ...s.stats })); }

  send(sock, data, port, dst) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw netError('EINVAL', 'send', `port ${port} is not 1-65535`);
    if (data.length > MAX_PAYLOAD) throw netError('EMSGSIZE', 'send', `${data.length} bytes do not fit one datagram`, { address: formatIPv4(dst), port });
    if (this.#stack.isBroadcast(dst) && !sock.broadcast) throw netError('EACCES', 'send', 'broadcast needs setBroadcast(true)', { address: formatIPv4(dst), port });
    const route = this.#stack.route(dst, sock.address);
    if (!route) throw netError('ENETUNREACH', 'send', 'no route', { address: formatIPv4(dst), port });
    const src = sock.address !== IPV4_ANY ? sock.address : route.src;
    const u = new Uint8Array(HEADER + data.length);
    write16(u, 0, sock.port); write16(u, 2, port); write16(u, 4, u.length);
    u.set(data, HEADER);
    let c = finish(partialSum(u, 0, u.length, pseudoHeaderSum(src, dst, PROTO_UDP, u.length)));
    if (c === 0) c = 0xffff;   // RFC 768: a computed zero is sent as all ones
    write16(u, 6, c);
    this.stats.datagramsOut++;
    sock.stats.sent++;
    this.#stack.sendIp({ src, dst, protocol: PROTO_UDP, payload: u, route }, (err) => sock.error(err));
  }

  input(h, b, packet) {
    if (b.length < HEADER) { this.stats.badLength++; return; }
    const length = read16(b, 4);
    if (length < HEADER || length > b.length) { this.stats.badLength++; return; }
    const u = b.subarray(0, length);
    if (read16(u, 6) !== 0 && finish(partialSum(u, 0, u.length, pseudoHeaderSum(h.src, h.dst, PROTO_UDP, length))) !== 0) {
      this.stats.badChecksum++;
      return;
    }
    this.stats.datagramsIn++;
    const port = read16(u, 2);
    const holders = this.#ports.get(port) ?? [];
    const s = holders.find((x) => x.address === h.dst) ?? holders.find((x) => x.address === IPV4_ANY || h.dst === IPV4_BROADCAST);
    if (!s) {
      this.stats.noPort++;
      if (!this.#stack.isBroadcast(h.dst)) this.#stack.icmp.unreachable(h, packet, CODE_PORT_UNREACHABLE);
      return;
    }
    s.deliver(u.slice(HEADER), { address: formatIPv4(h.src), port: read16(u, 0), size: length - HEADER, family: 'IPv4' });
  }

  /** An ICMP error about a datagram we sent: ECONNREFUSED to the socket that sent it. */
  icmpError(ih, quoted, { code }) {
    if (quoted.length < 4) return;
    const s = (this.#ports.get(read16(quoted, 0)) ?? [])[0];
    if (s && code === CODE_PORT_UNREACHABLE) s.error(netError('ECONNREFUSED', 'recv', 'port unreachable', { address: formatIPv4(ih.dst), port: read16(quoted, 2) }));
  }
}
