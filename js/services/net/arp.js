// ARP (RFC 826) for IPv4 over Ethernet: a cache whose entries expire, packets held while an
// address is being resolved, requests retried and then given up, and gratuitous ARP when an
// interface's address changes (RFC 5227 3).
import { read16, read32, write16, write32, formatIPv4, formatMAC } from './addr.js';
import { now as clockNow } from './clock.js';

export const ETHERTYPE_ARP = 0x0806;
const HTYPE_ETHERNET = 1, PTYPE_IPV4 = 0x0800, HLEN = 6, PLEN = 4;
export const OP_REQUEST = 1, OP_REPLY = 2;
export const ARP_LENGTH = 28;

const REACHABLE_MS = 60000;     // how long an answer is believed (Linux's gc_stale_time)
const RETRY_MS = 1000;          // between requests (RFC 1122 2.3.2.1: at most one a second)
const TRIES = 3;
const PENDING_MAX = 16;         // packets held per unresolved address (RFC 1122 2.3.2.2: at least one)
const INCOMPLETE_MAX = 64;      // addresses being resolved at once: a flood of new destinations is bounded
const ENTRIES_MAX = 1024;

export function parseArp(b) {
  if (b.length < ARP_LENGTH || read16(b, 0) !== HTYPE_ETHERNET || read16(b, 2) !== PTYPE_IPV4 || b[4] !== HLEN || b[5] !== PLEN) return null;
  return { op: read16(b, 6), senderMac: b.slice(8, 14), senderIp: read32(b, 14), targetMac: b.slice(18, 24), targetIp: read32(b, 24) };
}

export function buildArp(op, senderMac, senderIp, targetMac, targetIp) {
  const b = new Uint8Array(ARP_LENGTH);
  write16(b, 0, HTYPE_ETHERNET); write16(b, 2, PTYPE_IPV4); b[4] = HLEN; b[5] = PLEN; write16(b, 6, op);
  b.set(senderMac, 8); write32(b, 14, senderIp); b.set(targetMac, 18); write32(b, 24, targetIp);
  return b;
}

export class ArpCache {
  #entries = new Map();  // ip -> { mac, expires } | { pending: [], tries, timer }
  #incomplete = 0;
  #request;
  #now;
  stats = { requests: 0, replies: 0, unresolved: 0, held: 0, heldDropped: 0 };

  /**
   * @param {(targetIp: number) => void} request sends one ARP request for targetIp
   * @param {() => number} now milliseconds
   */
  constructor(request, now = clockNow) {
    this.#request = request;
    this.#now = now;
  }

  /** The MAC address of ip if it is known and fresh, else null (then resolve()). */
  known(ip) {
    const e = this.#entries.get(ip);
    return e && e.mac && e.expires > this.#now() ? e.mac : null;
  }

  /**
   * Calls send(mac) at once when ip is known, or when it becomes known; `onFail` when it
   * cannot be resolved.
   */
  resolve(ip, send, onFail) {
    const e = this.#entries.get(ip);
    if (e && e.mac && e.expires > this.#now()) return send(e.mac);
    if (e && e.pending) {
      if (e.pending.length >= PENDING_MAX) { this.stats.heldDropped++; onFail?.(); return; }
      e.pending.push({ send, onFail });
      this.stats.held++;
      return;
    }
    if (this.#incomplete >= INCOMPLETE_MAX) { this.stats.heldDropped++; onFail?.(); return; }
    if (this.#entries.size >= ENTRIES_MAX) this.#evict();
    this.#incomplete++;
    const entry = { pending: [{ send, onFail }], tries: 0, timer: null };
    this.#entries.set(ip, entry);
    this.#ask(ip, entry);
  }

  #ask(ip, entry) {
    if (entry.tries++ === TRIES) {
      this.#entries.delete(ip);
      this.#incomplete--;
      this.stats.unresolved++;
      for (const p of entry.pending) p.onFail?.();
      return;
    }
    this.stats.requests++;
    this.#request(ip);
    entry.timer = setTimeout(() => this.#ask(ip, entry), RETRY_MS);
  }

  /** Learns ip -> mac (from any ARP packet naming it, RFC 826's merge step). */
  learn(ip, mac, { create = true } = {}) {
    const e = this.#entries.get(ip);
    if (!e && !create) return;
    if (!e && this.#entries.size >= ENTRIES_MAX) this.#evict();
    this.#entries.set(ip, { mac, expires: this.#now() + REACHABLE_MS });
    if (e && e.pending) {
      this.#incomplete--;
      clearTimeout(e.timer);
      this.stats.replies++;
      for (const p of e.pending) p.send(mac);
    }
  }

  /** Forgets everything, failing held packets (interface down or its address changed). */
  flush() {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    this.#incomplete = 0;
    for (const e of all) if (e.pending) { clearTimeout(e.timer); for (const p of e.pending) p.onFail?.(); }
  }

  // Drops the oldest resolved entry (Map order is insertion order).
  #evict() {
    for (const [ip, e] of this.#entries) if (e.mac) { this.#entries.delete(ip); return; }
  }

  /** The table for a view: [{ ip, mac, state, expiresInMs }]. */
  list() {
    const now = this.#now();
    return [...this.#entries].map(([ip, e]) => e.mac
      ? { ip: formatIPv4(ip), mac: formatMAC(e.mac), state: e.expires > now ? 'reachable' : 'stale', expiresInMs: Math.max(0, Math.round(e.expires - now)) }
      : { ip: formatIPv4(ip), mac: null, state: 'incomplete', held: e.pending.length });
  }
}
