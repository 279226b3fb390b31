// The network stack: interfaces (Ethernet over a NIC driver, and loopback), the routing
// table, IPv4 input and output, and the protocols above it. One NetStack runs in one app
// (the network service); it is driven by frames from the driver and by its own timers.
import { parseIPv4, formatIPv4, formatMAC, parseMAC, prefixMask, isLoopback, sameMAC, read16, write16,
  IPV4_ANY, IPV4_BROADCAST, MAC_BROADCAST } from './addr.js';
import { ArpCache, ETHERTYPE_ARP, OP_REQUEST, OP_REPLY, parseArp, buildArp } from './arp.js';
import { parseHeader, writeHeader, fragment, Reassembler, HEADER_MIN, HEADROOM, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from './ipv4.js';
import { Icmp, CODE_PROTOCOL_UNREACHABLE } from './icmp.js';
import { Udp } from './udp.js';
import { Tcp } from './tcp.js';
import { netError } from './errors.js';
import { partialSum, finish } from './checksum.js';

export const ETHERTYPE_IPV4 = 0x0800;
const ETH_HEADER = 14;

const ETH_MTU = 1500;
const LOOPBACK_MTU = 65535;
// Path MTU discovery (RFC 1191). The lowest path MTU believed: as Linux's min_pmtu, so that a
// forged ICMP message cannot make a connection send tiny segments (RFC 1191 says 68).
const PMTU_MIN = 552;
const PMTU_AGE_MS = 10 * 60 * 1000;   // RFC 1191 6.3: try the larger MTU again after 10 minutes
const PMTU_ENTRIES_MAX = 1024;        // destinations remembered; the oldest goes first
// RFC 1191 7, table 7-1: plateaus for a router that reports no next-hop MTU.
const PMTU_PLATEAUS = [32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68];

/**
 * `body` with `room` bytes before it for a header: a view of its own buffer when that room is
 * there (`inPlace`: nothing copied), otherwise a new buffer with the body copied in.
 */
function withRoomBefore(body, room, inPlace) {
  if (inPlace) return new Uint8Array(body.buffer, body.byteOffset - room, room + body.length);
  const b = new Uint8Array(room + body.length);
  b.set(body, room);
  return b;
}

class Interface {
  name; kind; mac = null; mtu; address = IPV4_ANY; prefix = 0; up = true; arp = null; transmit = null; device = null;
  // The device finishes transport checksums (virtio-net's VIRTIO_NET_F_CSUM; loopback, as
  // Linux's, carries packets that never leave memory and so need none).
  txChecksum = false;
  stats = { rxFrames: 0, rxBytes: 0, txFrames: 0, txBytes: 0, rxDropped: 0, rxErrors: 0, txDropped: 0 };
  constructor(name, kind, mtu) { this.name = name; this.kind = kind; this.mtu = mtu; }
  get mask() { return prefixMask(this.prefix); }
  get broadcast() { return this.prefix ? ((this.address & this.mask) | ~this.mask) >>> 0 : IPV4_BROADCAST; }
}

export class NetStack {
  #interfaces = new Map();
  #routes = [];              // { dest, prefix, gateway, iface }
  #reassembler = new Reassembler();
  #ipId = 1;
  #pathMtu = new Map();      // destination -> { mtu, until }
  #loopQueue = [];
  #loopScheduled = false;
  icmp = new Icmp(this);
  udp = new Udp(this);
  tcp = new Tcp(this);
  stats = { ipIn: 0, ipOut: 0, ipDropped: 0, ipNotForUs: 0, ipBadHeader: 0, fragmentsIn: 0, fragmentsOut: 0, noRoute: 0, unknownProtocol: 0, ethDropped: 0 };
  /** Why the last packets were dropped (bounded), for the view and for tests. */
  drops = [];
  /** Moves on whenever what route() answers may have changed (addresses, routes, links), so that a transport may keep a route. */
  routeVersion = 0;

  constructor() {
    const lo = new Interface('lo', 'loopback', LOOPBACK_MTU);
    lo.address = parseIPv4('127.0.0.1');
    lo.prefix = 8;
    lo.transmit = (packet) => this.#loopback(lo, packet);
    lo.txChecksum = true;
    this.#interfaces.set('lo', lo);
    this.#routes.push({ dest: lo.address & lo.mask, prefix: 8, gateway: IPV4_ANY, iface: lo });
  }

  /**
   * Adds an Ethernet interface over a NIC driver.
   * @param {string} name
   * @param {{ mac: string, send(frame: Uint8Array): boolean, onFrame(fn, { lend }): void, onLink?(fn): void, linkUp?: boolean }} nic
   *   onFrame: frames may be lent (valid only during the call), the stack copies what it keeps
   */
  addEthernet(name, nic) {
    const mac = parseMAC(nic.mac);
    if (!mac) throw new TypeError(`${name}: the NIC's MAC address ${nic.mac} is not xx:xx:xx:xx:xx:xx`);
    const i = new Interface(name, 'ethernet', ETH_MTU);
    i.mac = mac;
    i.up = nic.linkUp ?? true;
    i.txChecksum = !!nic.offloads?.txChecksum;
    i.device = nic;
    this.routeVersion++;
    i.arp = new ArpCache((target) => this.#sendArp(i, OP_REQUEST, MAC_BROADCAST, target));
    i.transmit = (frame, options) => {
      if (!i.up) { i.stats.txDropped++; return; }
      if (nic.send(frame, options) === false) { i.stats.txDropped++; return; }
      i.stats.txFrames++; i.stats.txBytes += frame.length;
    };
    // info.checksumValid: the device verified the transport checksum (VIRTIO_NET_F_GUEST_CSUM).
    // A frame may be lent (valid during this call only): every layer copies what it keeps
    // (TCP's received data, out-of-order segments, fragments, datagrams, ARP addresses).
    nic.onFrame((frame, info) => this.#ethernetInput(i, frame instanceof Uint8Array ? frame : new Uint8Array(frame), !!info?.checksumValid), { lend: true });
    nic.onLink?.((up) => { i.up = up; this.routeVersion++; if (!up) i.arp.flush(); });
    this.#interfaces.set(name, i);
    return i;
  }

  /**
   * Gives an interface its address (and, optionally, the default route through `gateway`).
   * Sends a gratuitous ARP so that neighbours update their caches (RFC 5227 3).
   */
  configure(name, { address, prefix, gateway }) {
    const i = this.#iface(name);
    const a = typeof address === 'number' ? address : parseIPv4(address);
    if (a === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new TypeError(`${name}: bad address ${address}/${prefix}`);
    const changed = i.address !== a;
    this.routeVersion++;
    this.#routes = this.#routes.filter((r) => r.iface !== i);
    i.address = a;
    i.prefix = prefix;
    if (a !== IPV4_ANY) this.#routes.push({ dest: (a & i.mask) >>> 0, prefix, gateway: IPV4_ANY, iface: i });
    if (gateway !== undefined && gateway !== null) {
      const g = typeof gateway === 'number' ? gateway : parseIPv4(gateway);
      if (g === null) throw new TypeError(`${name}: bad gateway ${gateway}`);
      this.#routes.push({ dest: 0, prefix: 0, gateway: g, iface: i });
    }
    if (i.arp) {
      if (changed) i.arp.flush();
      if (a !== IPV4_ANY) this.#sendArp(i, OP_REQUEST, MAC_BROADCAST, a);
    }
  }

  #iface(name) {
    const i = this.#interfaces.get(name);
    if (!i) throw netError('ENODEV', 'configure', `no interface ${name}`);
    return i;
  }

  /** Interfaces for a view (ifconfig): addresses as strings, counters. */
  interfaces() {
    return [...this.#interfaces.values()].map((i) => ({
      name: i.name, kind: i.kind, up: i.up, mtu: i.mtu, mac: i.mac ? formatMAC(i.mac) : null,
      address: formatIPv4(i.address), prefix: i.prefix, broadcast: formatIPv4(i.broadcast), ...i.stats,
      arp: i.arp ? i.arp.list() : [], device: i.device?.stats ?? null,
    }));
  }

  routes() {
    return this.#routes.map((r) => ({ destination: `${formatIPv4(r.dest)}/${r.prefix}`, gateway: r.gateway ? formatIPv4(r.gateway) : null, interface: r.iface.name }));
  }

  /** Is `a` one of our addresses? */
  isLocal(a) {
    if (isLoopback(a)) return true;
    for (const i of this.#interfaces.values()) if (i.address === a && a !== IPV4_ANY) return true;
    return false;
  }

  isBroadcast(a) {
    if (a === IPV4_BROADCAST) return true;
    for (const i of this.#interfaces.values()) if (i.prefix && i.prefix < 31 && a === i.broadcast) return true;
    return false;
  }

  /**
   * A buffer for a packet of `length` bytes along route `r` (route()'s answer, which the
   * caller then passes to sendIp), Ethernet header's room included, in the device's own
   * transmit memory (no copy when it is sent), or null: when the route is not an Ethernet
   * device that lends its memory, the next hop's address is not known yet, or the packet
   * would be fragmented. It must go through sendIp at once, before any other packet.
   */
  packetBuffer(r, length) {
    const i = r?.iface;
    if (!i || !i.up || !i.device?.frameBuffer || length - ETH_HEADER > i.mtu) return null;
    if (r.nextHop === IPV4_BROADCAST || r.nextHop === i.broadcast || !i.arp.known(r.nextHop)) return null;
    return i.device.frameBuffer(length);
  }

  /**
   * The route to dst: { iface, nextHop, src }, longest prefix first; null when there is none.
   * A limited broadcast goes out of the first Ethernet interface (DHCP before an address).
   */
  route(dst, src = IPV4_ANY) {
    if (dst === IPV4_BROADCAST) {
      const i = [...this.#interfaces.values()].find((x) => x.kind === 'ethernet' && x.up && (src === IPV4_ANY || x.address === src));
      return i ? { iface: i, nextHop: dst, src: i.address } : null;
    }
    if (this.isLocal(dst) && !isLoopback(dst)) {
      const lo = this.#interfaces.get('lo');
      return { iface: lo, nextHop: dst, src: dst };
    }
    let best = null;
    for (const r of this.#routes) {
      if (((dst & prefixMask(r.prefix)) >>> 0) === r.dest && r.iface.up && (!best || r.prefix > best.prefix)) best = r;
    }
    if (!best) return null;
    const srcAddr = src !== IPV4_ANY ? src : isLoopback(dst) ? dst : best.iface.address;
    return { iface: best.iface, nextHop: best.gateway || dst, src: srcAddr };
  }

  /** The MTU towards dst: its interface's, or less where an ICMP message said so (RFC 1191). */
  pathMtu(dst) {
    const r = this.route(dst);
    if (!r) return PMTU_MIN;
    const known = this.#pathMtu.get(dst);
    if (known && known.until <= performance.now()) this.#pathMtu.delete(dst);
    else if (known) return Math.min(known.mtu, r.iface.mtu);
    return r.iface.mtu;
  }

  /**
   * A router said a datagram of `sentLength` bytes to dst needs fragmenting and the next hop
   * takes `mtu` (0: not said, the next plateau below is assumed). Returns the path MTU now
   * believed, or 0 when the message changes nothing.
   */
  learnPathMtu(dst, mtu, sentLength) {
    const now = this.pathMtu(dst);
    if (!mtu) mtu = PMTU_PLATEAUS.find((p) => p < Math.min(sentLength, now)) ?? PMTU_MIN;
    mtu = Math.max(PMTU_MIN, mtu);
    if (mtu >= now) return 0;
    if (this.#pathMtu.size >= PMTU_ENTRIES_MAX && !this.#pathMtu.has(dst)) this.#pathMtu.delete(this.#pathMtu.keys().next().value);
    this.#pathMtu.set(dst, { mtu, until: performance.now() + PMTU_AGE_MS });
    return mtu;
  }

  /**
   * Sends one IP datagram: routes it, fragments it to the interface's MTU unless `df`,
   * resolves the next hop's MAC. Failures (no route, unresolved neighbour) go to onError.
   * headroom: `payload` has HEADROOM free bytes before it in its buffer, which the headers
   * are written into (no copy). partialChecksum: the transport checksum at that offset in
   * `payload` holds only the pseudo-header's sum; the device finishes it, or it is finished
   * here when the interface cannot.
   */
  sendIp({ src, dst, protocol, payload, ttl, df = false, route, tolerateBroadcastSource = false, headroom = false, partialChecksum = -1 }, onError) {
    const r = route ?? this.route(dst, src ?? IPV4_ANY);
    if (!r) {
      this.stats.noRoute++;
      onError?.(netError('ENETUNREACH', 'send', 'no route to the network', { address: formatIPv4(dst) }));
      return false;
    }
    const from = src && !(tolerateBroadcastSource && this.isBroadcast(src)) ? src : r.src;
    const id = this.#ipId = (this.#ipId + 1) & 0xffff;
    if (HEADER_MIN + payload.length <= r.iface.mtu) return this.#sendWhole(r, from, dst, protocol, ttl, df, id, payload, headroom, partialChecksum, onError);
    if (partialChecksum >= 0) write16(payload, partialChecksum, finish(partialSum(payload, 0, payload.length)));
    if (df) {
      onError?.(netError('EMSGSIZE', 'send', `${payload.length} bytes exceed the MTU ${r.iface.mtu} and may not be fragmented`, { address: formatIPv4(dst) }));
      return false;
    }
    const packets = fragment({ src: from, dst, protocol, ttl, df, id }, payload, r.iface.mtu);
    this.stats.fragmentsOut += packets.length;
    for (const p of packets) {
      this.stats.ipOut++;
      this.#output(r, p, onError, null, false);
    }
    return true;
  }

  // A datagram that fits the interface's MTU: one packet, built in place when the payload has
  // room before it (no array, no header object kept per packet).
  #sendWhole(r, src, dst, protocol, ttl, df, id, payload, headroom, partialChecksum, onError) {
    let offload = null;
    if (partialChecksum >= 0) {
      if (r.iface.txChecksum) offload = { start: ETH_HEADER + HEADER_MIN, offset: partialChecksum };
      else write16(payload, partialChecksum, finish(partialSum(payload, 0, payload.length)));
    }
    const inPlace = headroom && payload.byteOffset >= HEADROOM;
    if (inPlace && r.iface.kind === 'ethernet') {
      // One view over the frame for both headers below the payload.
      const frame = new Uint8Array(payload.buffer, payload.byteOffset - HEADROOM, HEADROOM + payload.length);
      writeHeader(frame, { src, dst, protocol, ttl, df, id, totalLength: HEADER_MIN + payload.length }, ETH_HEADER);
      this.stats.ipOut++;
      this.#outputFrame(r.iface, r.nextHop, frame, onError, offload);
      return true;
    }
    const p = withRoomBefore(payload, HEADER_MIN, inPlace);
    writeHeader(p, { src, dst, protocol, ttl, df, id, totalLength: p.length });
    this.stats.ipOut++;
    this.#output(r, p, onError, offload, inPlace);
    return true;
  }

  // inPlace: the packet has the Ethernet header's room before it in its buffer.
  #output(r, packet, onError, offload, inPlace) {
    const i = r.iface;
    if (i.kind === 'loopback') return i.transmit(packet);
    this.#outputFrame(i, r.nextHop, withRoomBefore(packet, ETH_HEADER, inPlace), onError, offload);
  }

  // `frame`: an IP packet after room for the Ethernet header, which is written once the next
  // hop's address is known.
  #outputFrame(i, nextHop, frame, onError, offload) {
    const broadcast = nextHop === IPV4_BROADCAST || nextHop === i.broadcast;
    if (!broadcast) {
      const known = i.arp.known(nextHop);   // the common case, without a closure per packet
      if (known) return this.#frame(i, frame, known, offload);
    }
    const send = (mac) => this.#frame(i, frame, mac, offload);
    if (broadcast) return send(MAC_BROADCAST);
    i.arp.resolve(nextHop, send, () => onError?.(netError('EHOSTUNREACH', 'send', 'no ARP reply from the next hop', { address: formatIPv4(nextHop) })));
  }

  // Byte stores rather than set(): a call of TypedArray.prototype.set costs more than six stores.
  #frame(i, frame, mac, offload) {
    const own = i.mac;
    frame[0] = mac[0]; frame[1] = mac[1]; frame[2] = mac[2]; frame[3] = mac[3]; frame[4] = mac[4]; frame[5] = mac[5];
    frame[6] = own[0]; frame[7] = own[1]; frame[8] = own[2]; frame[9] = own[3]; frame[10] = own[4]; frame[11] = own[5];
    frame[12] = ETHERTYPE_IPV4 >> 8; frame[13] = ETHERTYPE_IPV4 & 0xff;
    i.transmit(frame, offload ? { checksum: offload } : undefined);
  }

  // Loopback delivers on a later task, in batches: a send never re-enters the receiver.
  #loopback(lo, packet) {
    lo.stats.txFrames++; lo.stats.txBytes += packet.length;
    this.#loopQueue.push(packet);
    if (this.#loopScheduled) return;
    this.#loopScheduled = true;
    // An immediate, not setTimeout(0): a timer costs a trip through the timer heap per batch.
    setImmediate(() => {
      this.#loopScheduled = false;
      const batch = this.#loopQueue.splice(0);
      for (const p of batch) {
        lo.stats.rxFrames++; lo.stats.rxBytes += p.length;
        this.#ipInput(lo, p, true);
      }
    });
  }

  #drop(i, why) {
    i.stats.rxDropped++;
    if (this.drops.length >= 32) this.drops.shift();
    this.drops.push(`${i.name}: ${why}`);
  }

  #ethernetInput(i, f, checksumValid) {
    i.stats.rxFrames++; i.stats.rxBytes += f.length;
    if (f.length < ETH_HEADER) { this.stats.ethDropped++; return this.#drop(i, 'runt frame'); }
    if (!sameMAC(f, 0, i.mac) && !sameMAC(f, 0, MAC_BROADCAST)) { this.stats.ethDropped++; return; }
    const type = read16(f, 12);
    const payload = new Uint8Array(f.buffer, f.byteOffset + ETH_HEADER, f.length - ETH_HEADER);
    if (type === ETHERTYPE_ARP) return this.#arpInput(i, payload);
    if (type === ETHERTYPE_IPV4) return this.#ipInput(i, payload, checksumValid);
    this.stats.ethDropped++;
  }

  #arpInput(i, b) {
    const a = parseArp(b);
    if (!a) return this.#drop(i, 'malformed ARP');
    if (a.senderIp === IPV4_ANY) return;  // an address probe (RFC 5227 2.1.1) teaches nothing
    const forUs = i.address !== IPV4_ANY && a.targetIp === i.address;
    i.arp.learn(a.senderIp, a.senderMac, { create: forUs });
    if (forUs && a.op === OP_REQUEST) this.#sendArp(i, OP_REPLY, a.senderMac, a.senderIp);
  }

  #sendArp(i, op, targetMac, targetIp) {
    const body = buildArp(op, i.mac, i.address, op === OP_REQUEST ? new Uint8Array(6) : targetMac, targetIp);
    const frame = new Uint8Array(ETH_HEADER + body.length);
    frame.set(op === OP_REQUEST ? MAC_BROADCAST : targetMac, 0);
    frame.set(i.mac, 6);
    write16(frame, 12, ETHERTYPE_ARP);
    frame.set(body, ETH_HEADER);
    i.transmit(frame);
  }

  // checksumValid: the transport checksum needs no check (the device did it, or loopback).
  #ipInput(i, b, checksumValid) {
    const h = parseHeader(b);
    if (typeof h === 'string') { this.stats.ipBadHeader++; return this.#drop(i, h); }
    // Views made by the constructor: subarray() goes through the species lookup, several times dearer.
    let packet = h.totalLength === b.length ? b : new Uint8Array(b.buffer, b.byteOffset, h.totalLength);
    const accept = this.isLocal(h.dst) || this.isBroadcast(h.dst) || (i.address === IPV4_ANY && i.kind === 'ethernet');
    if (!accept) { this.stats.ipNotForUs++; return; }
    if (isLoopback(h.src) && i.kind !== 'loopback') return this.#drop(i, 'loopback source on the wire');  // RFC 1122 3.2.1.3
    this.stats.ipIn++;
    let payload = new Uint8Array(b.buffer, b.byteOffset + h.headerLength, h.totalLength - h.headerLength);
    if (h.mf || h.offset) {
      this.stats.fragmentsIn++;
      const whole = this.#reassembler.add(h, payload);
      if (!whole) return;
      payload = whole;
      checksumValid = false;
      const p = new Uint8Array(HEADER_MIN + whole.length);
      writeHeader(p, { ...h, totalLength: p.length, mf: false, offset: 0 });
      p.set(whole, HEADER_MIN);
      packet = p;
    }
    switch (h.protocol) {
      case PROTO_ICMP: return this.icmp.input(h, payload);
      case PROTO_UDP: return this.udp.input(h, payload, packet);
      case PROTO_TCP: return this.tcp.input(h, payload, checksumValid);
      default:
        this.stats.unknownProtocol++;
        if (!this.isBroadcast(h.dst)) this.icmp.unreachable(h, packet, CODE_PROTOCOL_UNREACHABLE);
    }
  }

  /** An ICMP error quoting a datagram we sent, handed to its transport. */
  transportError(ih, quoted, info) {
    if (ih.protocol === PROTO_UDP) this.udp.icmpError(ih, quoted, info);
    else if (ih.protocol === PROTO_TCP) this.tcp.icmpError(ih, quoted, info);
  }

  /** Counters of every layer, for netstat. */
  counters() {
    return { ip: { ...this.stats, reassembly: { ...this.#reassembler.stats, pending: this.#reassembler.pending } },
      icmp: { ...this.icmp.stats }, udp: { ...this.udp.stats }, tcp: { ...this.tcp.stats } };
  }

  /** Open sockets, for netstat. */
  sockets() { return [...this.udp.sockets, ...this.tcp.sockets]; }
}
