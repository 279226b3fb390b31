// node:dns (nodejs.org/api/dns.html) over rtjs's network service: the service's stub
// resolver (A and AAAA records, its cache, local names). IPv4 and IPv6 answers; no reverse
// lookups or other record types yet.
import { currentNetwork } from '../services/net/client.js';
import { isIP } from './net.js';

const FAMILY = { 4: 4, 6: 6, IPv4: 4, IPv6: 6 };

// Node's getaddrinfo errors: code ENOTFOUND and the host name, whatever the resolver said.
function lookupError(e, hostname) {
  const code = e.code === 'ETIMEDOUT' ? 'EAI_AGAIN' : 'ENOTFOUND';
  return Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, errno: e.errno, syscall: 'getaddrinfo', hostname, cause: e });
}

async function addresses(hostname, family) {
  if (isIP(hostname)) return [{ address: hostname, family: isIP(hostname) }];
  const net = currentNetwork('getaddrinfo');
  const families = family ? [family] : [4, 6];
  const out = [];
  let last = null;
  for (const f of families) {
    try { for (const a of await net.lookup(hostname, f)) out.push({ address: a, family: f }); } catch (e) { last = e; }
  }
  if (out.length === 0) throw lookupError(last ?? {}, hostname);
  return out;
}

export const promises = {
  /** dns.promises.lookup(hostname[, options]) */
  async lookup(hostname, options = {}) {
    if (typeof options === 'number') options = { family: options };
    const family = FAMILY[options.family] ?? 0;
    const all = await addresses(String(hostname), family);
    return options.all ? all : all[0];
  },
  async resolve4(hostname) { return (await addresses(String(hostname), 4)).map((a) => a.address); },
  async resolve6(hostname) { return (await addresses(String(hostname), 6)).map((a) => a.address); },
  async resolve(hostname, rrtype = 'A') {
    if (rrtype === 'A') return promises.resolve4(hostname);
    if (rrtype === 'AAAA') return promises.resolve6(hostname);
    throw Object.assign(new Error(`queryAny ENOTIMP ${hostname}: rrtype ${rrtype} is not supported by rtjs's resolver`), { code: 'ENOTIMP' });
  },
};

const callbackify = (fn) => (...args) => {
  const cb = args.pop();
  if (typeof cb !== 'function') throw Object.assign(new TypeError('The "callback" argument must be of type function'), { code: 'ERR_INVALID_ARG_TYPE' });
  fn(...args).then((r) => cb(null, r), (e) => cb(e));
};

export function lookup(hostname, options, cb) {
  if (typeof options === 'function') { cb = options; options = {}; }
  promises.lookup(hostname, options).then(
    (r) => (Array.isArray(r) ? cb(null, r) : cb(null, r.address, r.family)),
    (e) => cb(e));
}
export const resolve4 = callbackify(promises.resolve4);
export const resolve6 = callbackify(promises.resolve6);
export const resolve = callbackify(promises.resolve);
export default { lookup, resolve, resolve4, resolve6, promises };
