// Which network an app uses: the network service's interface it was granted (rt.grants.net),
// or one set with setNetwork (by the app that started the service, usually init).
import { netError } from './errors.js';

let network = null;

/** Makes `iface` (the service's interface, or a narrower one) this app's network. */
export function setNetwork(iface) { network = iface; }

/** This app's network; throws EACCES naming the app when it has none. */
export function currentNetwork(op) {
  const n = network ?? globalThis.rt?.grants?.net;
  if (n) return n;
  const self = globalThis.rt?.self;
  throw netError('EACCES', op, `app '${self?.name ?? '?'}' (id ${self?.id ?? '?'}) was not granted the network: its parent grants it with rt.spawn(..., { grant: { net } })`);
}
