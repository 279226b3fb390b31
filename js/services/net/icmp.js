// ICMP for IPv4 (RFC 792, RFC 1122 3.2.2): echo both ways, destination unreachable sent for
// closed UDP ports and unknown protocols, and received errors handed to the transport that
// sent the packet.
import { checksum } from './checksum.js';
import { read16, read32, write16 } from './addr.js';
import { PROTO_ICMP, HEADER_MIN } from './ipv4.js';

export const TYPE_ECHO_REPLY = 0, TYPE_UNREACHABLE = 3, TYPE_ECHO_REQUEST = 8, TYPE_TIME_EXCEEDED = 11;
export const CODE_PROTOCOL_UNREACHABLE = 2, CODE_PORT_UNREACHABLE = 3, CODE_FRAG_NEEDED = 4;
const HEADER = 8;
const QUOTED_DATA = 8;  // bytes of the offending datagram's payload quoted after its header (RFC 792)

export class Icmp {
  #stack;
  #pings = new Map();   // `${id}:${seq}` -> { resolve, sent }
  #nextId = 1;
  stats = { echoRequestsIn: 0, echoRepliesOut: 0, echoRepliesIn: 0, unreachableIn: 0, unreachableOut: 0, badChecksum: 0, truncated: 0 };

  constructor(stack) { this.#stack = stack; }

  input(h, b) {
    if (b.length < HEADER) { this.stats.truncated++; return; }
    if (checksum(b, 0, b.length) !== 0) { this.stats.badChecksum++; return; }
    const type = b[0], code = b[1];
    if (type === TYPE_ECHO_REQUEST) {
      this.stats.echoRequestsIn++;
      const reply = b.slice();
      reply[0] = TYPE_ECHO_REPLY;
      write16(reply, 2, 0);
      write16(reply, 2, checksum(reply, 0, reply.length));
      this.stats.echoRepliesOut++;
      this.#stack.sendIp({ src: h.dst, dst: h.src, protocol: PROTO_ICMP, payload: reply, tolerateBroadcastSource: true });
    } else if (type === TYPE_ECHO_REPLY) {
      const key = `${read16(b, 4)}:${read16(b, 6)}`;
      const p = this.#pings.get(key);
      if (p) { this.#pings.delete(key); this.stats.echoRepliesIn++; p.resolve({ bytes: b.length - HEADER, ttl: h.ttl, from: h.src }); }
    } else if (type === TYPE_UNREACHABLE || type === TYPE_TIME_EXCEEDED) {
      this.stats.unreachableIn++;
      const inner = b.subarray(HEADER);
      const ih = parseHeaderLoose(inner);
      // Fragmentation needed carries the next hop's MTU in the header's second word (RFC 1191 4).
      const info = { type, code, mtu: type === TYPE_UNREACHABLE && code === CODE_FRAG_NEEDED ? read16(b, 6) : 0 };
      if (ih) this.#stack.transportError(ih, inner.subarray(ih.headerLength), info);
    }
  }

  /** Sends destination unreachable about the packet `packet` (its IP header first). */
  unreachable(h, packet, code) {
    this.stats.unreachableOut++;
    const quoted = packet.subarray(0, Math.min(packet.length, h.headerLength + QUOTED_DATA));
    const m = new Uint8Array(HEADER + quoted.length);
    m[0] = TYPE_UNREACHABLE; m[1] = code;
    m.set(quoted, HEADER);
    write16(m, 2, checksum(m, 0, m.length));
    this.#stack.sendIp({ src: h.dst, dst: h.src, protocol: PROTO_ICMP, payload: m });
  }

  /**
   * One echo request; resolves { bytes, ttl, from, timeMs } or rejects on timeout.
   * @param {number} dst address
   */
  ping(dst, { size = 56, timeoutMs = 2000 } = {}) {
    const id = this.#nextId++ & 0xffff, seq = 1;
    const m = new Uint8Array(HEADER + size);
    m[0] = TYPE_ECHO_REQUEST;
    write16(m, 4, id); write16(m, 6, seq);
    for (let i = 0; i < size; i++) m[HEADER + i] = i & 0xff;
    write16(m, 2, checksum(m, 0, m.length));
    const sent = performance.now();
    return new Promise((resolve, reject) => {
      const key = `${id}:${seq}`;
      const timer = setTimeout(() => { this.#pings.delete(key); reject(Object.assign(new Error(`ping: no echo reply within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })); }, timeoutMs);
      this.#pings.set(key, { resolve: (r) => { clearTimeout(timer); resolve({ ...r, timeMs: performance.now() - sent }); } });
      this.#stack.sendIp({ dst, protocol: PROTO_ICMP, payload: m }, (err) => { clearTimeout(timer); this.#pings.delete(key); reject(err); });
    });
  }
}

// The quoted header inside an ICMP error carries only 8 bytes of its payload, so its total
// length and checksum describe a packet that is not all there: only the fields are read.
function parseHeaderLoose(b) {
  if (b.length < HEADER_MIN) return null;
  const headerLength = (b[0] & 0xf) * 4;
  if (b[0] >>> 4 !== 4 || headerLength < HEADER_MIN || headerLength > b.length) return null;
  return { headerLength, totalLength: read16(b, 2), protocol: b[9], src: read32(b, 12), dst: read32(b, 16) };
}
