// The server app's side of an HTTP request alone: node:http and node:net over a stand-in for
// the network service whose connection event function is called directly (no IPC, no
// stack), one 'data' event per request with server.mjs's hello handler answering in the
// event's answer. Count it with valgrind on rtjs-sim, two request counts apart:
//   valgrind --tool=callgrind --smc-check=all-non-file build/rtjs-sim --single-threaded \
//     --budget 600000 bench/net-peer/http-app-side.mjs 1000     (then 3000; the difference / 2000)
import { setNetwork } from 'rtjs:services/net/client.js';
import http from 'node:http';

const N = Number(rt.argv[0] ?? 20000);
const WARM = 2000;
let accept = null;
setNetwork({
  listen({ port }, onConnection) {
    accept = onConnection;
    return { address: () => ({ address: '0.0.0.0', port, family: 'IPv4' }), close() {} };
  },
});
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('hello\n');
});
await new Promise((resolve) => server.listen(8080, resolve));
let onEvent = null;
const refuse = () => { throw new Error('a call where the answer should carry the write'); };
await accept({
  attach(fn) {
    onEvent = fn;
    return { write: refuse, end() {}, close() {}, destroy() {}, pause() {}, resume() {}, setNoDelay() {}, setKeepAlive() {}, info() {} };
  },
  destroy() {},
}, { localAddress: '10.0.2.15', localPort: 8080, remoteAddress: '10.0.2.2', remotePort: 40000 });
await new Promise((resolve) => setTimeout(resolve, 0));
const request = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n');
let answered = 0;
const one = async () => {
  const answer = onEvent('data', request.slice());
  if (answer?.ops?.length) answered++;
  await null; await null;   // the response's 'finish' and 'close' microtasks
};
for (let i = 0; i < WARM; i++) await one();
const started = performance.now();
for (let i = 0; i < N; i++) await one();
const elapsed = performance.now() - started;
if (answered !== WARM + N) throw new Error(`${WARM + N - answered} requests had no response in their answer`);
console.log(`http app side: ${N} requests after ${WARM}, ${(elapsed * 1000 / N).toFixed(2)} us each`);
