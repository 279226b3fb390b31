// The TCP/IP stack alone for request and response: one NetStack, a client and a server
// connection over its loopback interface, one small request and one small response at a
// time (the sizes of bench/http's hello). No device, no IPC: what the service's stack costs
// per request, both ends of the connection together, against what the service costs in all
// (bench/net-peer/loopback-icount.sh). Under -icount shift=0 (stack-icount.sh runs it with
// RR=1) the elapsed microseconds per request are thousands of guest instructions; under Node
// (node bench/net-peer/stack-rr.mjs js/services/net --cpu-prof) it profiles the same code.
// usage: stack-rr.mjs NET_DIR [N=2000] [WARM=1000]   NET_DIR: a js/services/net directory
const args = globalThis.rt ? rt.argv : process.argv.slice(2);
const dir = args[0].startsWith('/') ? args[0] : `${process.cwd()}/${args[0]}`;
const { NetStack } = await import(`${dir}/stack.js`);
const { parseIPv4 } = await import(`${dir}/addr.js`);
const N = Number(args[1] ?? 2000), WARM = Number(args[2] ?? 1000);
const REQUEST = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n');
const RESPONSE = new TextEncoder().encode('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Wed, 02 Dec 2026 14:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 6\r\n\r\nhello\n');

const stack = new NetStack();
stack.tcp.listen(8080).onConnection((s) => {
  s.setNoDelay(true);
  s.on('data', () => s.write(RESPONSE.slice()));
});
const c = stack.tcp.connect(parseIPv4('127.0.0.1'), 8080);
await new Promise((resolve) => c.on('connect', resolve));
let wake = null;
c.on('data', () => wake?.());
async function ask(n) {
  for (let i = 0; i < n; i++) {
    const answered = new Promise((resolve) => { wake = resolve; });
    c.write(REQUEST.slice());
    await answered;
  }
}
await ask(WARM);
const t0 = performance.now();
await ask(N);
const ms = performance.now() - t0;
console.log(`stack-rr ${N} requests after ${WARM}: ${(ms * 1000 / N).toFixed(2)} us per request (under -icount shift=0: thousands of guest instructions)`);
c.destroy();
if (!globalThis.rt) process.exit(0);
