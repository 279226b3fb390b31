// The network as a system service (driven by tests/net/stack-slirp.test.sh): init starts the
// network app on the virtio-net device (it gets only that device's resources), and an app
// that init grants the network uses node:net, unchanged Node code, to fetch a page from the
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
  import net from 'node:net';
  const body = await new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect(${hostPort}, '10.0.2.2', () => s.end('GET /hello.txt HTTP/1.0\\r\\nHost: 10.0.2.2\\r\\n\\r\\n'));
    s.setEncoding('utf8');
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => resolve(chunks.join('')));
    s.on('error', reject);
  });
  const [head, content] = body.split('\\r\\n\\r\\n');
  console.log('fetched: ' + head.split('\\r\\n')[0] + ' | ' + content.trim());
  const server = net.createServer((socket) => {
    let req = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      req += d;
      if (!req.includes('\\r\\n\\r\\n')) return;
      const page = 'hello from rtjs at ' + socket.localAddress + '\\n';
      socket.end('HTTP/1.1 200 OK\\r\\nContent-Length: ' + page.length + '\\r\\nConnection: close\\r\\n\\r\\n' + page);
      console.log('served: ' + req.split('\\r\\n')[0]);
      server.close();
    });
    // The app is done when the page has gone out: it ends itself, as a one-shot server.
    socket.on('close', () => rt.exit(0));
  });
  server.listen(80, () => console.log('listening on ' + server.address().port));
` }, { name: 'web', grant: { net }, budgetMs });
const status = await app.exited;
console.log(`app ended: ${JSON.stringify(status)}`);
handle.kill();
rt.exit(status.code);
