// Which network an app uses: the network service's interface it was granted (rt.grants.net),
// or one set with setNetwork (by the app that started the service, usually init). init with
// neither, a program run as `./rtjs app.js` or `./rtjs run app.js`, has no parent to grant it
// one and may start the hardware's services itself, so its first socket starts the service
// (on the virtio-net device, or loopback only on a machine without one), as a Node program's
// first socket finds the host's network there.
import binding from 'rtjs:binding';
import { netError } from './errors.js';
import { SERVICE_FUNCTIONS } from './functions.js';

let network = null;
let own = null;

/** Makes `iface` (the service's interface, or a narrower one) this app's network. */
export function setNetwork(iface) { network = iface; }

// The network service init starts for itself on first use. Until its interface arrives the
// app waits for it; after that the service does not keep init alive (its sockets and servers
// do), and it ends with init, as every child does.
function ownNetwork() {
  binding.keepAlive(1);
  const ready = (async () => {
    const { startNetwork } = await import('./launch.js');
    let started;
    try {
      started = await startNetwork();
    } catch (e) {
      if (e?.code !== 'ENODEV') throw e;
      started = await startNetwork({ loopback: true });
    }
    // Neither the spawn's hold on init nor init's wait for every app applies to this child.
    binding.background(started.handle.id);
    binding.keepAlive(-1);
    started.handle.exited.then(() => binding.keepAlive(1)); // the exit notice lets go of it again
    return started.net;
  })();
  ready.then(() => binding.keepAlive(-1), () => binding.keepAlive(-1));
  const forward = (name) => async (...args) => (await ready)[name](...args);
  return Object.fromEntries(SERVICE_FUNCTIONS.map((name) => [name, forward(name)]));
}

/** This app's network; throws EACCES naming the app when it has none. */
export function currentNetwork(op) {
  const n = network ?? globalThis.rt?.grants?.net;
  if (n) return n;
  const self = globalThis.rt?.self;
  if (self?.parentId === 0 && globalThis.rt?.hw) return (own ??= ownNetwork());
  throw netError('EACCES', op, `app '${self?.name ?? '?'}' (id ${self?.id ?? '?'}) was not granted the network: its parent grants it with rt.spawn(..., { grant: { net } })`);
}
