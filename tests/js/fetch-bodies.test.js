// fetch's request and response bodies beyond bytes and text: multipart/form-data both ways
// (FormData as a body, formData() of a multipart body) and ReadableStream request bodies sent
// in chunked coding as they are read. The server is node:http in another app on the loopback
// network service; it answers with what it received, as JSON.
import { test, assertEqual } from './harness.js';
import { startNetwork } from 'rtjs:services/net/launch.js';
import { setNetwork } from 'rtjs:services/net/client.js';

const { net: network, handle } = await startNetwork({ loopback: true });
setNetwork(network);

const server = rt.spawn({ source: `
  import http from 'node:http';
  const seen = { chunks: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => { chunks.push(d); seen.chunks++; });
    req.on('end', () => {
      if (req.url === '/seen') return res.end(JSON.stringify(seen));
      if (req.url === '/redirect') { res.writeHead(307, { Location: '/echo' }); return res.end(); }
      if (req.url === '/multipart') {
        res.setHeader('Content-Type', 'multipart/form-data; boundary="b0und"');
        return res.end('--b0und\\r\\nContent-Disposition: form-data; name="field"\\r\\n\\r\\nvalue one\\r\\n' +
          '--b0und\\r\\nContent-Disposition: form-data; name="up"; filename="a%22b.txt"\\r\\nContent-Type: text/csv\\r\\n\\r\\n1,2\\r\\n3,4\\r\\n' +
          '--b0und\\r\\nContent-Disposition: form-data; name="raw"; filename="r.bin"\\r\\n\\r\\n\\u00ff\\r\\n--b0und--\\r\\n');
      }
      const body = Buffer.concat(chunks);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url, type: req.headers['content-type'] ?? null,
        length: req.headers['content-length'] ?? null, te: req.headers['transfer-encoding'] ?? null,
        body: body.toString('latin1') }));
    });
  });
  server.listen(8081, '127.0.0.1', () => rt.export({ port: server.address().port }));
` }, { name: 'echo-server', grant: { net: network } });
const { port } = await server.interface;
const base = `http://127.0.0.1:${port}`;
const latin1 = (bytes) => String.fromCharCode(...bytes);

test('a FormData body goes out as multipart/form-data: boundary, escaped names, CRLF, File parts', async () => {
  const fd = new FormData();
  fd.append('a\nb"c', 'x\ny\rz\r\nw');
  fd.append('file', new Blob(['hello'], { type: 'text/plain' }), 'fi"le\n.txt');
  fd.append('bytes', new Blob([new Uint8Array([0, 255, 13, 10])]));
  const r = await (await fetch(`${base}/echo`, { method: 'POST', body: fd })).json();
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(r.type)?.[1];
  assertEqual(typeof boundary, 'string', `Content-Type ${r.type}`);
  assertEqual(r.body, `--${boundary}\r\nContent-Disposition: form-data; name="a%0D%0Ab%22c"\r\n\r\nx\r\ny\r\nz\r\nw\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fi%22le%0A.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="bytes"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n${latin1([0, 255, 13, 10])}\r\n` +
    `--${boundary}--\r\n`);
  assertEqual(Number(r.length), r.body.length);
});

test('formData() reads a multipart body: strings, Files with their names and types, bytes intact', async () => {
  const fd = await (await fetch(`${base}/multipart`)).formData();
  const entries = [];
  for (const [name, v] of fd) {
    entries.push(typeof v === 'string' ? [name, v] : [name, v.constructor.name, v.name, v.type, [...new Uint8Array(await v.arrayBuffer())]]);
  }
  assertEqual(entries, [['field', 'value one'], ['up', 'File', 'a"b.txt', 'text/csv', [...new TextEncoder().encode('1,2\r\n3,4')]],
    ['raw', 'File', 'r.bin', 'text/plain', [0xc3, 0xbf]]]);
});

test('FormData round-trips through Request and Response; bad bodies are TypeErrors', async () => {
  const fd = new FormData();
  fd.append('name', 'ünïcödé\r\nline');
  fd.append('f', new File([new Uint8Array([1, 2, 3])], 'three.bin', { type: 'application/x-three' }));
  const back = await new Request('http://x/', { method: 'POST', body: fd }).formData();
  assertEqual(back.get('name'), 'ünïcödé\r\nline');
  const f = back.get('f');
  assertEqual([f.name, f.type, [...new Uint8Array(await f.arrayBuffer())]], ['three.bin', 'application/x-three', [1, 2, 3]]);
  const viaResponse = await new Response(fd).formData();
  assertEqual([...viaResponse.keys()], ['name', 'f']);
  const failure = async (body, type) => {
    try { await new Response(body, { headers: { 'content-type': type } }).formData(); } catch (e) { return `${e.name}: ${e.message}`; }
    return 'no error';
  };
  assertEqual(await failure('garbage', 'multipart/form-data; boundary=X'), 'TypeError: Failed to parse body as FormData.');
  assertEqual(await failure('--X\r\nContent-Disposition: form-data; name="n"\r\n\r\nv', 'multipart/form-data; boundary=X'), 'TypeError: Failed to parse body as FormData.');
  assertEqual(await failure('a', 'multipart/form-data'), 'TypeError: Failed to parse body as FormData.');
  assertEqual(await failure('a', 'text/plain'), 'TypeError: Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".');
  // URLSearchParams and strings get their Content-Type, as in Node.
  assertEqual(new Request('http://x/', { method: 'POST', body: new URLSearchParams('a=1') }).headers.get('content-type'), 'application/x-www-form-urlencoded;charset=UTF-8');
  assertEqual(new Response('text').headers.get('content-type'), 'text/plain;charset=UTF-8');
});

test('a ReadableStream body is sent as it is read, in chunked coding (duplex: half)', async () => {
  const enc = new TextEncoder();
  const seen = async () => JSON.parse(await (await fetch(`${base}/seen`)).text()).chunks;
  const before = await seen();
  let step = 0;
  // The second chunk is produced only once the server has the first: a body read whole before
  // sending would never get there.
  const body = new ReadableStream({
    async pull(c) {
      if (step === 0) c.enqueue(enc.encode('first chunk;'));
      else if (step === 1) {
        while (await seen() === before) await new Promise((resolve) => setTimeout(resolve, 10));
        c.enqueue(enc.encode('second chunk'));
      } else c.close();
      step++;
    },
  });
  const req = new Request(`${base}/upload`, { method: 'PUT', body, duplex: 'half' });
  assertEqual(req.duplex, 'half');
  const r = await (await fetch(req)).json();
  assertEqual([r.method, r.te, r.length, r.body], ['PUT', 'chunked', null, 'first chunk;second chunk']);
  assertEqual(req.bodyUsed, true);
});

test('each fetch of an http: URL leaves a PerformanceResourceTiming entry, observed and in the timeline', async () => {
  performance.clearResourceTimings();
  const observed = new Promise((resolve) => {
    new PerformanceObserver((list, o) => { o.disconnect(); resolve(list.getEntries()); }).observe({ type: 'resource' });
  });
  const before = performance.now();
  const body = await (await fetch(`${base}/echo?timing`, { method: 'POST', body: 'twelve bytes' })).text();
  const [e] = performance.getEntriesByType('resource');
  assertEqual([e instanceof PerformanceResourceTiming, e.name, e.entryType, e.initiatorType, e.responseStatus],
    [true, `${base}/echo?timing`, 'resource', 'fetch', 200]);
  assertEqual([e.encodedBodySize, e.decodedBodySize, e.transferSize], [body.length, body.length, body.length + 300]);
  const order = [before <= e.fetchStart, e.fetchStart <= e.connectStart, e.connectStart <= e.connectEnd,
    e.connectEnd <= e.requestStart, e.requestStart <= e.responseStart, e.responseStart <= e.responseEnd,
    e.duration === e.responseEnd - e.startTime, e.redirectStart, e.secureConnectionStart];
  assertEqual(order, [true, true, true, true, true, true, true, 0, 0]);
  assertEqual((await observed).map((x) => x.name), [`${base}/echo?timing`]);
  assertEqual(JSON.parse(JSON.stringify(e)).encodedBodySize, body.length);
  performance.clearResourceTimings();
  assertEqual(performance.getEntriesByType('resource').length, 0);
});

test('streamed bodies: duplex is required, a 307 cannot resend one, a bad chunk fails the fetch', async () => {
  let message = '';
  try { new Request(base, { method: 'POST', body: new ReadableStream() }); } catch (e) { message = `${e.name}: ${e.message}`; }
  assertEqual(message, 'TypeError: RequestInit: duplex option is required when sending a body.');
  const once = () => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('x')); c.close(); } });
  let err = null;
  try { await fetch(`${base}/redirect`, { method: 'POST', body: once(), duplex: 'half' }); } catch (e) { err = e; }
  assertEqual([err?.message, /redirect would send/.test(err?.cause?.message)], ['fetch failed', true]);
  err = null;
  const strings = new ReadableStream({ start(c) { c.enqueue('not bytes'); c.close(); } });
  try { await fetch(`${base}/echo`, { method: 'POST', body: strings, duplex: 'half' }); } catch (e) { err = e; }
  assertEqual([err?.message, err?.cause?.name], ['fetch failed', 'TypeError']);
  // A fetch after all this still works: the failures left nothing behind.
  assertEqual((await (await fetch(`${base}/echo`, { method: 'POST', body: 'ok' })).json()).body, 'ok');
  server.kill();
  handle.kill();
});
