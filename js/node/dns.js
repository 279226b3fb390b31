// node:dns: present so that packages load; each call fails with ENOSYS until rtjs has a
// TCP/IP stack.
import { unavailable } from '../internal/modules/unavailable.js';

const dns = unavailable('dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'reverse', 'lookupService'], 'rtjs has no TCP/IP stack yet');
export const { lookup, resolve, resolve4, resolve6, reverse, lookupService } = dns;
export default dns;
export const promises = unavailable('dns.promises', ['lookup', 'resolve', 'resolve4', 'resolve6', 'reverse'], 'rtjs has no TCP/IP stack yet');
dns.promises = promises;
