// node:dns/promises: the promise half of node:dns.
import { promises } from '../dns.js';

export const { lookup, resolve, resolve4, resolve6 } = promises;
export default promises;
