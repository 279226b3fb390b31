// rtjs's init for bench/http and bench/tcp: brings the network up (DHCP on QEMU's user
// network) and runs server.mjs as an app granted it, as any network app runs.
import { startNetwork } from 'rtjs:services/net/launch.js';

const { net } = await startNetwork();
const app = rt.spawn(rt.argv[0], { name: 'server', grant: { net } });
await app.exited;
