// Raw Ethernet, ARP (RFC 826) and DHCP (RFC 2131) frames for the driver tests, before any
// IP stack exists: built and parsed by hand, byte for byte.
const ETH_ARP = 0x0806, ETH_IPV4 = 0x0800;
const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

export const macBytes = (mac) => mac.split(':').map((h) => parseInt(h, 16));
export const macString = (b, at = 0) => Array.from(b.subarray(at, at + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
export const ipString = (b, at) => Array.from(b.subarray(at, at + 4)).join('.');
const ipBytes = (ip) => ip.split('.').map(Number);

function ethernet(dst, src, type, payloadLength) {
  const f = new Uint8Array(14 + payloadLength);
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = type >> 8;
  f[13] = type & 0xff;
  return f;
}

/** An ARP request (who has `targetIp`? tell `senderIp`). */
export function arpRequest(mac, senderIp, targetIp) {
  const f = ethernet(BROADCAST, macBytes(mac), ETH_ARP, 28);
  f.set([0, 1, 8, 0, 6, 4, 0, 1], 14); // Ethernet, IPv4, hlen 6, plen 4, op request
  f.set(macBytes(mac), 22);
  f.set(ipBytes(senderIp), 28);
  f.set(ipBytes(targetIp), 38);
  return f;
}

/** { op, senderMac, senderIp, targetIp } of an ARP frame, or null. */
export function parseArp(frame) {
  const b = new Uint8Array(frame);
  if (b.length < 42 || (b[12] << 8 | b[13]) !== ETH_ARP) return null;
  return { op: b[20] << 8 | b[21], senderMac: macString(b, 22), senderIp: ipString(b, 28), targetIp: ipString(b, 38) };
}

function checksum(b, start, end) {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += (b[i] << 8) | (i + 1 < end ? b[i + 1] : 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** A DHCPDISCOVER from `mac`, broadcast, transaction id `xid` (RFC 2131 4.4.1). */
export function dhcpDiscover(mac, xid) {
  const options = [53, 1, 1, 55, 3, 1, 3, 6, 255]; // message type DISCOVER; ask for mask, router, DNS
  const bootp = 236 + 4 + 308; // the options field is padded to BOOTP's 312 bytes (RFC 2131 2)
  const f = ethernet(BROADCAST, macBytes(mac), ETH_IPV4, 20 + 8 + bootp);
  const ip = 14, udp = 34, d = 42;
  f.set([0x45, 0, (20 + 8 + bootp) >> 8, (20 + 8 + bootp) & 0xff, 0, 0, 0, 0, 64, 17], ip);
  f.set([255, 255, 255, 255], ip + 16); // from 0.0.0.0 to the broadcast address
  const c = checksum(f, ip, ip + 20);
  f[ip + 10] = c >> 8; f[ip + 11] = c & 0xff;
  f.set([0, 68, 0, 67, (8 + bootp) >> 8, (8 + bootp) & 0xff, 0, 0], udp); // UDP checksum 0: none
  f.set([1, 1, 6, 0, xid >>> 24, (xid >> 16) & 0xff, (xid >> 8) & 0xff, xid & 0xff], d);
  f[d + 10] = 0x80; // BROADCAST flag: answer to the broadcast address
  f.set(macBytes(mac), d + 28);
  f.set([99, 130, 83, 99], d + 236); // magic cookie
  f.set(options, d + 240);
  return f;
}

/** { xid, yiaddr, type, server } of a DHCP reply, or null. */
export function parseDhcp(frame) {
  const b = new Uint8Array(frame);
  if (b.length < 42 + 240 || (b[12] << 8 | b[13]) !== ETH_IPV4 || b[23] !== 17) return null;
  const ihl = (b[14] & 0xf) * 4, udp = 14 + ihl, d = udp + 8;
  if ((b[udp + 2] << 8 | b[udp + 3]) !== 68 || b[d] !== 2) return null;
  const out = { xid: ((b[d + 4] << 24) | (b[d + 5] << 16) | (b[d + 6] << 8) | b[d + 7]) >>> 0, yiaddr: ipString(b, d + 16) };
  for (let i = d + 240; i < b.length && b[i] !== 255;) {
    if (b[i] === 0) { i++; continue; }
    const code = b[i], len = b[i + 1];
    if (code === 53) out.type = b[i + 2];
    if (code === 54) out.server = ipString(b, i + 2);
    i += 2 + len;
  }
  return out;
}
