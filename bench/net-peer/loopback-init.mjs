// rtjs's init for counting the cost of one HTTP request on each side of the IPC: the network
// service on its loopback interface, server.mjs's HTTP hello as an app of its own, and a
// keep-alive client here asking one request at a time. After WARM requests it counts N more
// and prints the server app's and the network service's busy time per request (under
// -icount shift=0, microseconds of busy time are thousands of guest instructions). The
// service's figure covers both ends of each connection, the client's included.
// usage: rtjs loopback-init.mjs SERVER.mjs [N] [WARM]
import { startNetwork } from 'rtjs:services/net/launch.js';
import { setNetwork } from 'rtjs:services/net/client.js';
import net from 'node:net';

const [serverPath, n = '1000', warm = '300'] = rt.argv;
const N = Number(n), WARM = Number(warm);
const HTTP_PORT = 8080;
const REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n';
const BODY = 'hello\n';

const { net: network } = await startNetwork({ loopback: true });
setNetwork(network);
rt.spawn(serverPath, { name: 'server', grant: { net: network } });

// The server listens once its app has started: connect until it answers.
let socket;
for (;;) {
  socket = net.connect(HTTP_PORT, '127.0.0.1');
  const ok = await new Promise((resolve) => { socket.once('connect', () => resolve(true)); socket.once('error', () => resolve(false)); });
  if (ok) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
let text = '', answered = 0, wanted = 0, wake = null;
socket.on('data', (d) => {
  text += d.toString('latin1');
  for (let i; (i = text.indexOf(BODY)) >= 0;) { text = text.slice(i + BODY.length); answered++; }
  if (answered >= wanted) wake?.();
});
const ask = async (count) => {
  for (let i = 0; i < count; i++) {
    wanted++;
    socket.write(REQUEST);
    await new Promise((resolve) => { wake = resolve; });
  }
};
const busy = () => Object.fromEntries(rt.apps().map((a) => [a.name, a.busyMs]));
await ask(WARM);
const before = busy(), started = performance.now();
await ask(N);
const elapsed = performance.now() - started, after = busy();
const per = (name) => ((after[name] - before[name]) * 1000 / N).toFixed(1);
console.log(`loopback: ${N} requests after ${WARM}, ${(elapsed * 1000 / N).toFixed(0)} us each; busy per request: server ${per('server')} us, net ${per('net')} us`);
socket.destroy();
rt.exit(0);
