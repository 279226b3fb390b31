// HTTPS on one machine, the same program under Node and under rtjs (bench/https): an https
// server and its client in one process over loopback. Prints
//   handshakes <requests/s>   each request on a new TLS connection (full TLS 1.3 handshake)
//   bulk <MB/s>               one response body of MB megabytes
// arguments: the directory of server.key/server.pem/ca.pem, requests, MB
import https from 'node:https';
import fs from 'node:fs';

const [dir, nArg = '200', mbArg = '32'] = globalThis.rt ? rt.argv : process.argv.slice(2);
const N = Number(nArg), MB = Number(mbArg);
if (globalThis.rt) {
  const { startNetwork } = await import('rtjs:services/net/launch.js');
  const { setNetwork } = await import('rtjs:services/net/client.js');
  setNetwork((await startNetwork({ loopback: true })).net);
}
const read = (f) => fs.readFileSync(`${dir}/${f}`);
const ca = read('ca.pem');
const big = Buffer.alloc(MB * 1048576, 'x');
const server = https.createServer({ key: read('server.key'), cert: read('server.pem') }, (req, res) => {
  res.end(req.url === '/big' ? big : 'hello');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const get = (path, options = {}) => new Promise((resolve, reject) => {
  https.get({ host: '127.0.0.1', servername: 'localhost', port, path, ca, ...options }, (res) => {
    let n = 0;
    res.on('data', (d) => { n += d.length; });
    res.on('end', () => resolve(n));
  }).on('error', reject);
});
for (let i = 0; i < 5; i++) await get('/');   // warm-up
let t = performance.now();
for (let i = 0; i < N; i++) await get('/', { headers: { connection: 'close' } });
console.log(`handshakes ${(N * 1000 / (performance.now() - t)).toFixed(1)}`);
t = performance.now();
const got = await get('/big');
if (got !== big.length) throw new Error(`bulk: ${got} of ${big.length} bytes`);
console.log(`bulk ${(MB * 1000 / (performance.now() - t)).toFixed(1)}`);
server.close();
if (globalThis.rt) rt.exit(0); else process.exit(0);
