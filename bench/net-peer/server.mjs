// The servers bench/http and bench/tcp measure, as a Node program: it runs unchanged under
// Node on Linux and under rtjs (node:http and node:net over the granted network).
//   8080  HTTP "hello" (keep-alive, as Node's hello-world server)
//   9001  sink: reads until the client half-closes, then answers the byte count
//   9002  source: reads a line with a byte count, writes that many bytes, closes
import http from 'node:http';
import net from 'node:net';

const HTTP_PORT = 8080, SINK_PORT = 9001, SOURCE_PORT = 9002;
const CHUNK = new Uint8Array(64 * 1024).fill(0x61);
let listening = 0;
const ready = () => { if (++listening === 3) console.log('listening'); };

http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('hello\n');
}).listen(HTTP_PORT, ready);

net.createServer((s) => {
  let bytes = 0;
  s.on('data', (d) => { bytes += d.length; });
  s.on('end', () => s.end(`${bytes}\n`));
  s.on('error', () => {});
}).listen(SINK_PORT, ready);

net.createServer((s) => {
  let line = '';
  s.on('error', () => {});
  s.on('data', function onData(d) {
    line += d.toString();
    if (!line.includes('\n')) return;
    s.off('data', onData);
    let left = Number(line.trim());
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, CHUNK.length);
        left -= n;
        if (!s.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return s.once('drain', pump);
      }
      s.end();
    };
    pump();
  });
}).listen(SOURCE_PORT, ready);
