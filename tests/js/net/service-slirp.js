// The network as a system service (driven by tests/net/stack-slirp.test.sh): init starts the
// network app on the virtio-net device (it gets only that device's resources), and an app
// that init grants the network uses node:http, unchanged Node code, to fetch a page from the
// host's HTTP server and to serve one to curl on the host. arguments: the host server's port,
// and a task budget for the apps (the kernel under TCG runs V8 many times slower).
import { startNetwork } from 'rtjs:services/net/launch.js';

const hostPort = Number(rt.argv[0]);
const budgetMs = rt.argv[1] ? Number(rt.argv[1]) : undefined;
const { net, handle } = await startNetwork({ budgetMs });
const eth0 = (await net.interfaces()).find((i) => i.name === 'eth0');
const router = (await net.routes()).find((r) => r.destination === '0.0.0.0/0').gateway;
console.log(`dhcp: ${eth0.address}/${eth0.prefix} router ${router} dns 10.0.2.3`);
const pong = await net.ping('10.0.2.2', { timeoutMs: 10000 });
console.log(`ping ${pong.from}: ${pong.bytes} bytes`);

const app = rt.spawn({ source: `
  import http from 'node:http';
  // A client request to the host's server, as any Node program writes it.
  const body = await new Promise((resolve, reject) => {
    http.get('http://10.0.2.2:${hostPort}/hello.txt', (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve('HTTP/' + res.httpVersion + ' ' + res.statusCode + ' ' + res.statusMessage + ' | ' + data.trim()));
    }).on('error', reject);
  });
  console.log('fetched: ' + body);
  // Node's hello-world server, unchanged but for closing after one request.
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('hello from rtjs at ' + req.socket.localAddress + '\\n');
    console.log('served: ' + req.method + ' ' + req.url + ' HTTP/' + req.httpVersion);
    server.close();
    req.socket.on('close', () => rt.exit(0));
  });
  server.listen(80, () => console.log('listening on ' + server.address().port));
` }, { name: 'web', grant: { net }, budgetMs });
const status = await app.exited;
console.log(`app ended: ${JSON.stringify(status)}`);
handle.kill();
rt.exit(status.code);
