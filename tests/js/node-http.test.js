// node:http and node:net between apps of one machine, over the network service on its
// loopback interface (no device needed): unchanged Node code on both sides.
import { test, assertEqual, assertMatch } from './harness.js';
import { startNetwork } from 'rtjs:services/net/launch.js';
import { setNetwork } from 'rtjs:services/net/client.js';
import http from 'node:http';
import net from 'node:net';

const { net: network, handle } = await startNetwork({ loopback: true });
setNetwork(network);

// A server in another app, granted the same network.
const server = rt.spawn({ source: `
  import http from 'node:http';
  import net from 'node:net';
  const FLOOD = 8 * 1048576;
  // Writes in the order made, whichever way each goes to the network service: 100 KB and
  // 'x' while the data event is handled (the large one as a call, the small one with the
  // event's answer, which the service receives first), 'y' on a microtask after it; an end
  // with its last bytes in the handler.
  const ordered = net.createServer((s) => {
    s.setEncoding('utf8');
    s.on('data', (d) => {
      if (d === 'end') { s.write('p'); s.end('q'); return; }
      s.write('b'.repeat(100000));
      s.write('x');
      queueMicrotask(() => s.write('y'));
    });
  });
  await new Promise((resolve) => ordered.listen(8081, '127.0.0.1', resolve));
  let held = null;
  const flood = { written: 0, waiting: false };
  const ordinals = new WeakMap();   // which of the server's connections a request came on
  let opened = 0;
  const server = http.createServer((req, res) => {
    if (!ordinals.has(req.socket)) ordinals.set(req.socket, ++opened);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (req.url === '/chunked') { res.write('part one, '); res.end('part two'); return; }
      if (req.url === '/stream') { res.write('first'); held = res; return; }
      if (req.url === '/release') { held.end('second'); res.end('released'); return; }
      if (req.url === '/flood') {   // 8 MiB, honouring write()'s false and 'drain'
        const chunk = 'f'.repeat(65536);
        const pump = () => {
          while (flood.written < FLOOD) {
            flood.written += chunk.length;
            if (!res.write(chunk)) { flood.waiting = true; return res.once('drain', () => { flood.waiting = false; pump(); }); }
          }
          res.end();
        };
        return pump();
      }
      if (req.url === '/connection') { res.end(String(ordinals.get(req.socket) + (res.connection === req.socket ? '' : ' (res.connection differs)'))); return; }
      if (req.url === '/hang-up') { res.destroy(); return; }
      if (req.url === '/flood-state') { res.end(JSON.stringify(flood)); return; }
      if (req.url === '/big') { res.end('x'.repeat(300000)); return; }
      if (req.url === '/redirect') { res.writeHead(302, { Location: '/after-redirect' }); res.end(); return; }
      if (req.url === '/missing') { res.writeHead(404); res.end('not here'); return; }
      if (req.url === '/json') { res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify({ got: JSON.parse(body), type: req.headers['content-type'] })); return; }
      res.writeHead(201, { 'Content-Type': 'text/plain', 'X-Echo': req.headers['x-test'] ?? '' });
      res.end(req.method + ' ' + req.url + ' ' + body);
    });
  });
  server.listen(8080, '127.0.0.1', () => rt.export({ port: server.address().port }));
` }, { name: 'http-server', grant: { net: network } });
const { port } = await server.interface;

function fetchText(path, options = {}) {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, path, ...options }, (res) => {
      let d = '';
      res.setEncoding('utf8');
      res.on('data', (x) => { d += x; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: d }));
    });
    r.on('error', reject);
    if (options.body) r.write(options.body);
    r.end();
  });
}

test('GET: status, headers and body', async () => {
  const r = await fetchText('/hello', { headers: { 'X-Test': 'yes' } });
  // 'socket' tells the request's connection, once, after the code that made the request.
  const sockets = [];
  const q = http.get({ host: '127.0.0.1', port, path: '/hello' }, (res) => res.resume());
  q.on('socket', (s) => sockets.push(s));
  await new Promise((resolve, reject) => { q.on('close', resolve); q.on('error', reject); });
  assertEqual([sockets.length, sockets[0] === q.socket, sockets[0] instanceof net.Socket], [1, true, true]);
  assertEqual([r.status, r.headers['content-type'], r.headers['x-echo'], r.body], [201, 'text/plain', 'yes', 'GET /hello ']);
  assertEqual(r.headers['content-length'], '11');
});

test('POST with a chunked request body; a chunked response', async () => {
  const r = await fetchText('/post', { method: 'POST', body: 'a body' });
  assertEqual(r.body, 'POST /post a body');
  const c = await fetchText('/chunked');
  assertEqual([c.headers['transfer-encoding'], c.body], ['chunked', 'part one, part two']);
});

test('a 300 KB response arrives whole', async () => {
  const r = await fetchText('/big');
  assertEqual([r.body.length, r.body === 'x'.repeat(300000)], [300000, true]);
});

test('an http.Agent with keepAlive sends its requests on one connection, chunked bodies both ways included, until the server drops one (socket hang up); the global agent keeps connections too, as Node 20\'s', async () => {
  const agent = new http.Agent({ keepAlive: true });
  const first = await fetchText('/connection', { agent });
  const chunked = await fetchText('/chunked', { agent });
  const posted = await fetchText('/post', { agent, method: 'POST', body: 'again' });
  const last = await fetchText('/connection', { agent });
  assertEqual([chunked.body, posted.body, last.body], ['part one, part two', 'POST /post again', first.body]);
  assertEqual([Object.values(agent.freeSockets).flat().length, agent.totalSocketCount], [1, 1]);
  // The server drops a kept connection's next request (res.destroy(), the request read: a
  // FIN, as Linux's close() sends): Node's 'socket hang up', not a reset.
  const err = await fetchText('/hang-up', { agent }).then(() => null, (e) => e);
  assertEqual([err?.code, err?.message], ['ECONNRESET', 'socket hang up']);
  agent.destroy();
  const global1 = await fetchText('/connection'), global2 = await fetchText('/connection');
  assertEqual([global1.body === first.body, global2.body], [false, global1.body]);
});

test('pipelined requests on one connection are answered in order, and a bad request gets 400', async () => {
  const answers = await new Promise((resolve, reject) => {
    let data = '';
    const s = net.connect(port, '127.0.0.1', () => {
      s.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    s.setEncoding('utf8');
    s.on('data', (d) => { data += d; });
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
  const bodies = [...answers.matchAll(/\r\n\r\n(GET \/\w+ )/g)].map((m) => m[1]);
  assertEqual(bodies, ['GET /one ', 'GET /two ']);
  const bad = await new Promise((resolve) => {
    let data = '';
    const s = net.connect(port, '127.0.0.1', () => s.write('NOT HTTP AT ALL\r\n\r\n'));
    s.setEncoding('utf8');
    s.on('data', (d) => { data += d; });
    s.on('close', () => resolve(data));
  });
  assertMatch(bad, /^HTTP\/1\.1 400 Bad Request\r\n/);
});

test('fetch: text, JSON both ways, status and headers, a redirect followed, 404 not ok', async () => {
  const base = `http://127.0.0.1:${port}`;
  const r = await fetch(`${base}/hello`, { headers: { 'X-Test': 'via fetch' } });
  assertEqual([r.status, r.ok, r.headers.get('x-echo'), await r.text()], [201, true, 'via fetch', 'GET /hello ']);
  const j = await fetch(`${base}/json`, { method: 'POST', body: JSON.stringify({ a: [1, 2] }), headers: { 'content-type': 'application/json' } });
  assertEqual(await j.json(), { got: { a: [1, 2] }, type: 'application/json' });
  const moved = await fetch(`${base}/redirect`);
  assertEqual([moved.redirected, moved.url, await moved.text()], [true, `${base}/after-redirect`, 'GET /after-redirect ']);
  const missing = await fetch(`${base}/missing`);
  assertEqual([missing.status, missing.ok, await missing.text()], [404, false, 'not here']);
  let err = null;
  try { await fetch('http://127.0.0.1:8099/'); } catch (e) { err = e; }
  assertEqual([err?.name, err?.message, err?.cause?.code], ['TypeError', 'fetch failed', 'ECONNREFUSED']);
  const h = new Headers({ 'Content-Type': 'text/plain' });
  h.append('x-a', '1'); h.append('X-A', '2');
  assertEqual([...h], [['content-type', 'text/plain'], ['x-a', '1, 2']]);
});

test('fetch: the body streams as it arrives, and a reader that stops holds the sender back', async () => {
  const base = `http://127.0.0.1:${port}`;
  // The response resolves with only its first part sent: the rest comes when released.
  const r = await fetch(`${base}/stream`);
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  assertEqual(decoder.decode((await reader.read()).value), 'first');
  assertEqual(await (await fetch(`${base}/release`)).text(), 'released');
  let rest = '';
  for (let x = await reader.read(); !x.done; x = await reader.read()) rest += decoder.decode(x.value);
  assertEqual([rest, r.bodyUsed], ['second', true]);
  // 8 MiB offered, one chunk read: the sender ends up waiting for 'drain', far short of 8 MiB.
  const big = await fetch(`${base}/flood`);
  const bigReader = big.body.getReader();
  let got = (await bigReader.read()).value.length;
  const state = async () => JSON.parse(await (await fetch(`${base}/flood-state`)).text());
  let before = await state(), after = before;
  for (let i = 0; i < 600; i++) {
    await new Promise((res) => setTimeout(res, 100));
    after = await state();
    if (after.waiting && before.waiting && after.written === before.written) break;
    before = after;
  }
  assertEqual(after.waiting && after.written < 6 * 1048576, true, `the sender with one chunk read: ${JSON.stringify(after)}`);
  for (let x = await bigReader.read(); !x.done; x = await bigReader.read()) got += x.value.length;
  assertEqual(got, 8 * 1048576);
});

test('closeIdleConnections ends the kept-alive connections with nothing under way, not one mid-response', async () => {
  let held = null;
  const accepted = [];
  const local = http.createServer((req, res) => {
    if (req.url === '/hold') { held = res; res.write('a'); return; }
    res.end('done');
  });
  local.on('connection', (s) => accepted.push(s));
  await new Promise((resolve) => local.listen(0, '127.0.0.1', resolve));
  // A keep-alive client: until(re) resolves with what it has read once that matches `re`.
  const client = (path) => {
    const socket = net.connect(local.address().port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    socket.setEncoding('utf8');
    let text = '';
    socket.on('data', (d) => { text += d; });
    const until = (re) => new Promise((resolve, reject) => {
      const check = () => { if (re.test(text)) resolve(text); };
      socket.on('data', check); socket.on('error', reject); check();
    });
    return { socket, until, closed: new Promise((resolve) => socket.on('close', resolve)) };
  };
  const idle = client('/idle'), busy = client('/hold');
  await idle.until(/\r\n\r\ndone$/);
  await busy.until(/\r\n\r\n1\r\na\r\n$/);
  // node:http keeps its bookkeeping to itself: the sockets carry only a net.Socket's own
  // fields (node:events' and node:stream's, and the server's, as Node's).
  const own = new Set([...Object.keys(new net.Socket()), '_server']);
  const foreign = accepted.flatMap((s) => Object.keys(s).filter((k) => k.startsWith('_') && !own.has(k)));
  assertEqual([accepted.length, foreign], [2, []]);
  local.closeIdleConnections();
  await idle.closed;
  held.end('b');
  assertMatch(await busy.until(/0\r\n\r\n$/), /\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n$/);
  busy.socket.end();
  await new Promise((resolve) => local.close(resolve));
});

test("node:net: writes and the end reach the peer in the order they were made", async () => {
  const got = await new Promise((resolve, reject) => {
    let data = '', sent = 0;
    const s = net.connect(8081, '127.0.0.1', () => s.write('go'));
    s.setEncoding('utf8');
    s.on('data', (d) => {
      data += d;
      if (data.length === 100002 * (sent + 1)) { sent++; s.write(sent < 3 ? 'go' : 'end'); }
    });
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
  const round = 'b'.repeat(100000) + 'xy';
  assertEqual([got.length, got === round.repeat(3) + 'pq'], [3 * 100002 + 2, true]);
});

test('node:net: destroy() ends the peer cleanly when all was read, resets it when data is unread; resetAndDestroy() resets', async () => {
  const seen = [];
  const server = net.createServer((s) => {
    s.once('data', (d) => {
      const how = String(d).slice(0, 5);
      if (how === 'close') { s.write('bye'); s.destroy(); }
      else if (how === 'reset') s.resetAndDestroy();
      // 'later': the rest, more than the socket's buffer holds, stays unread in the stack:
      // once the buffer is full (the connection is paused), what comes stays there.
      else {
        s.pause();
        const full = setInterval(() => {
          if (s.readableLength < s.readableHighWaterMark) return;
          clearInterval(full);
          setTimeout(() => s.destroy(), 100);
        }, 10);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peer = (what) => new Promise((resolve) => {
    const c = net.connect(server.address().port, '127.0.0.1', () => {
      c.write(what);
      if (what === 'later') setTimeout(() => c.write('unread'.repeat(175000)), 50);
    });
    let data = '', ended = false;
    c.setEncoding('utf8');
    c.on('data', (d) => { data += d; });
    c.on('end', () => { ended = true; });
    c.on('error', (e) => seen.push(e.code));
    c.on('close', (hadError) => resolve({ data, ended, hadError }));
  });
  assertEqual(await peer('close'), { data: 'bye', ended: true, hadError: false });
  assertEqual(await peer('reset'), { data: '', ended: false, hadError: true });
  assertEqual(await peer('later'), { data: '', ended: false, hadError: true });
  assertEqual(seen, ['ECONNRESET', 'ECONNRESET']);
  await new Promise((resolve) => server.close(resolve));
});

test('node:net: an unref\'d server and sockets let the app end by itself; ref() holds it again', async () => {
  // Both sides connected and idle, every one unref'd: nothing keeps the app, which ends (0).
  const idle = rt.spawn({ source: `
    import net from 'node:net';
    const server = net.createServer((s) => s.unref());
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    const c = net.connect(server.address().port, '127.0.0.1', () => c.unref());
  ` }, { name: 'net-unref', grant: { net: network } });
  assertEqual(await idle.exited, { code: 0, reason: 'exit' });
  // unref() then ref(): the listening server holds the app, so its unref'd timer fires (3).
  const held = rt.spawn({ source: `
    import net from 'node:net';
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    server.ref();
    setTimeout(() => rt.exit(3), 200).unref();
  ` }, { name: 'net-ref', grant: { net: network } });
  assertEqual(await held.exited, { code: 3, reason: 'exit' });
  // The global agent keeps the connection of a request it made, idle and unref'd: the app
  // ends all the same (4 if the connection was not kept).
  const client = rt.spawn({ source: `
    import http from 'node:http';
    http.get({ host: '127.0.0.1', port: ${port}, path: '/kept' }, (res) => {
      res.resume();
      res.on('end', () => setImmediate(() => {
        if (Object.values(http.globalAgent.freeSockets).flat().length !== 1) rt.exit(4);
      }));
    });
  ` }, { name: 'http-global-agent', grant: { net: network } });
  assertEqual(await client.exited, { code: 0, reason: 'exit' });
});

test("an exception thrown by the program's 'response' or 'request' listener is uncaught, as in Node, not a malformed message", async () => {
  // The client's response listener throws: the app ends with it (status 1, 'error'); before,
  // the parser's catch took it for a bad response and the request saw only an 'error' event.
  const client = rt.spawn({ source: `
    import http from 'node:http';
    const req = http.get({ host: '127.0.0.1', port: ${port}, path: '/thrown' }, () => { throw new Error('from the listener'); });
    req.on('error', () => rt.exit(5));
  ` }, { name: 'http-throwing-client', grant: { net: network } });
  const ended = await client.exited;
  assertEqual([ended.code, ended.reason], [1, 'error'], JSON.stringify(ended));
  // A server whose request handler throws ends likewise; before, the client was answered
  // 400 Bad Request and the server went on, its bug unseen. Its end closes its connections,
  // as a process's exit closes its sockets: the client hears 'socket hang up' at once, not
  // only when the service next had something for the ended app.
  const srv = rt.spawn({ source: `
    import http from 'node:http';
    const s = http.createServer(() => { throw new Error('from the handler'); });
    s.listen(0, '127.0.0.1', () => rt.export({ port: s.address().port }));
  ` }, { name: 'http-throwing-server', grant: { net: network } });
  const { port: p } = await srv.interface;
  const got = await new Promise((resolve) => {
    const r = http.get({ host: '127.0.0.1', port: p, path: '/' }, (res) => { res.resume(); resolve(res.statusCode); });
    r.on('error', (e) => resolve(e.code));
  });
  const srvEnded = await srv.exited;
  assertEqual([srvEnded.code, srvEnded.reason, got], [1, 'error', 'ECONNRESET'], `${JSON.stringify(srvEnded)}, the client got ${got}`);
});

test('bodies and heads as bytes: UTF-8 and latin1 text, a buffer changed after write() sends what it held, a header byte above 0x7f', async () => {
  const local = http.createServer((req, res) => {
    if (req.url === '/text') {
      res.setHeader('X-Name', 'caf\u00e9');    // sent as the byte 0xe9, as Node writes header values
      res.write('\u00e9t\u00e9 ');           // UTF-8 (the default)
      res.write('\u00e9', 'latin1');          // one byte
      const b = new Uint8Array([0x41, 0x42]);
      res.write(b);
      b.fill(0x5a);                           // after write(): the response keeps AB
      res.end(' \u{1f600}');
      return;
    }
    res.end('x'.repeat(2000));                // past the inline limit: the encoder's path
  });
  await new Promise((resolve) => local.listen(0, '127.0.0.1', resolve));
  const raw = (path) => new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect(local.address().port, '127.0.0.1', () => s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
  const text = await raw('/text');
  const at = text.indexOf('\r\n\r\n');
  assertEqual(text.subarray(0, at).toString('latin1').includes('\r\nX-Name: caf\u00e9\r\n'), true, text.subarray(0, at).toString('latin1'));
  const body = text.subarray(at + 4).toString('latin1');
  const expected = ['\u00c3\u00a9t\u00c3\u00a9 ', '\u00e9', 'AB', ' \u00f0\u009f\u0098\u0080']
    .map((part) => `${part.length.toString(16)}\r\n${part}\r\n`).join('') + '0\r\n\r\n';
  assertEqual(body, expected);
  const long = await raw('/long');
  assertEqual(long.subarray(long.indexOf('\r\n\r\n') + 4).toString(), 'x'.repeat(2000));
  await new Promise((resolve) => local.close(resolve));
});

test("node:net: a socket's timeout made shorter fires at the shorter time; turned off (0), it does not fire", async () => {
  const peers = [];
  const local = net.createServer((s) => peers.push(s));
  await new Promise((resolve) => local.listen(0, '127.0.0.1', resolve));
  const open = () => new Promise((resolve) => { const s = net.connect(local.address().port, '127.0.0.1', () => resolve(s)); });
  const a = await open(), b = await open();
  const fired = [];
  // An hour, then 50 ms: 'timeout' comes (the hour's timer must not be the one waited for).
  a.setTimeout(3600000);
  const shortened = new Promise((resolve) => a.setTimeout(50, () => { fired.push('a'); resolve(); }));
  // 50 ms, then off: nothing while a waits twice as long as b's timeout had.
  b.on('timeout', () => fired.push('b'));
  b.setTimeout(50);
  b.setTimeout(0);
  await shortened;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assertEqual(fired, ['a']);
  a.destroy(); b.destroy();
  for (const s of peers) s.destroy();
  await new Promise((resolve) => local.close(resolve));
});

test('an app whose server, client and refused connection have all closed ends by itself, as a process does', async () => {
  const app = rt.spawn({ source: `
    import net from 'node:net';
    const server = net.createServer((c) => c.end('bye')).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      // Read to its end (resume()): a socket whose data nobody reads never ends, as in Node.
      net.connect(port, '127.0.0.1').resume().on('close', () => server.close(() => net.connect(port, '127.0.0.1').on('error', () => {})));
    });
  ` }, { name: 'closes-all', grant: { net: network } });
  assertEqual(await app.exited, { code: 0, reason: 'exit' });
});

test("server.close(): 'close' waits for the connections accepted, idle kept-alive HTTP connections are ended at once, and a server not listening is ERR_SERVER_NOT_RUNNING", async () => {
  const notRunning = await new Promise((resolve) => net.createServer().close(resolve));
  assertEqual(notRunning?.code, 'ERR_SERVER_NOT_RUNNING');
  // Closed while its listen is under way: no 'listening', and the port is let go.
  const early = net.createServer();
  let heard = false;
  early.on('listening', () => { heard = true; });
  early.listen(0, '127.0.0.1');
  await new Promise((resolve) => early.close(resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertEqual([heard, early.address()], [false, null]);
  // One connection open: 'close' comes after the server ended it and it closed.
  const server = net.createServer((c) => setTimeout(() => c.end(), 20));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = net.connect(server.address().port, '127.0.0.1');
  let ended = false;
  client.on('end', () => { ended = true; client.end(); });
  await new Promise((resolve) => client.on('connect', resolve));
  await new Promise((resolve) => server.close(resolve));
  assertEqual([ended, server.address()], [true, null]);
  // An idle kept-alive connection is ended by the server's close() itself (not left to the
  // keep-alive timeout), and the client's pooled socket sees it close.
  let serverSide = null;
  const web = http.createServer((req, res) => { serverSide = req.socket; res.end('ok'); });
  await new Promise((resolve) => web.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true });
  await new Promise((resolve) => http.get({ host: '127.0.0.1', port: web.address().port, agent }, (res) => { res.resume(); res.on('end', resolve); }));
  await new Promise((resolve) => setImmediate(resolve));
  const pooled = Object.values(agent.freeSockets).flat();
  assertEqual(pooled.length, 1);
  const pooledClosed = new Promise((resolve) => pooled[0].on('close', resolve));
  const closed = new Promise((resolve) => web.close(resolve));
  assertEqual(serverSide.writable, false);
  await Promise.all([closed, pooledClosed]);
  agent.destroy();
});

test('node:net sockets and node:http messages are streams: pipeline echoes through a socket, finished() sees a response end', async () => {
  const { pipeline, finished, Duplex, Readable } = await import('node:stream');
  const echo = net.createServer((s) => pipeline(s, s, () => {}));
  await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const c = net.connect(echo.address().port, '127.0.0.1');
  const chunks = [];
  c.on('data', (d) => chunks.push(d));
  // write() with Writable's own arguments: an encoding, 'buffer' for a Buffer, a callback.
  const written = await new Promise((resolve) => c.write(Buffer.from('one '), 'buffer', resolve));
  c.end('two', 'latin1');
  await new Promise((resolve) => c.on('close', resolve));
  assertEqual([c instanceof Duplex, written ?? null, Buffer.concat(chunks).toString()], [true, null, 'one two']);
  echo.close();
  const res = await new Promise((resolve) => http.get({ host: '127.0.0.1', port, path: '/hello' }, resolve));
  const seen = [];
  res.on('data', (d) => seen.push(String(d)));
  const err = await new Promise((resolve) => finished(res, resolve));
  assertEqual([res instanceof Readable, err ?? null, seen.join(''), res.complete], [true, null, 'GET /hello ', true]);
});

test('http.Agent: maxSockets queues requests in agent.requests, maxTotalSockets caps all keys, maxFreeSockets the idle ones', async () => {
  const get = (agent, path = '/connection') => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
  const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const answers = [get(one), get(one), get(one)];
  // Node's: the first has the one connection (once it is made), the other two wait in `requests`.
  const waiting = Object.values(one.requests).flat().length;
  const bodies = await Promise.all(answers);
  assertEqual([waiting, new Set(bodies).size, Object.values(one.freeSockets).flat().length], [2, 1, 1]);
  one.destroy();
  const capped = new http.Agent({ maxTotalSockets: 1 });
  const both = [get(capped), new Promise((resolve, reject) => {
    http.get({ host: 'localhost', port, path: '/connection', agent: capped }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
  })];
  const queued = Object.keys(capped.requests);
  await Promise.all(both);
  assertEqual(queued, ['localhost:' + port + ':']);
  const few = new http.Agent({ keepAlive: true, maxFreeSockets: 1 });
  await Promise.all([get(few), get(few), get(few)]);
  await new Promise((resolve) => setTimeout(resolve, 0));   // the last 'free' (microtasks) has been told
  assertEqual(Object.values(few.freeSockets).flat().length, 1);
  few.destroy();
});

test('http.Agent subclasses: Agent.call(this) with util.inherits, and createConnection / addRequest overridden', async () => {
  const util = await import('node:util');
  const made = [];
  function Counting(options) { http.Agent.call(this, options); }
  util.inherits(Counting, http.Agent);
  Counting.prototype.createConnection = function (options, cb) {
    made.push(options.port);
    return net.createConnection(options, cb);
  };
  const agent = new Counting({ keepAlive: true });
  const added = [];
  const addRequest = agent.addRequest;
  agent.addRequest = function (req, options) { added.push(req.path); return addRequest.call(this, req, options); };
  const body = async (path) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let d = ''; res.on('data', (x) => { d += x; }); res.on('end', () => resolve(d));
    }).on('error', reject);
  });
  const first = await body('/connection');
  const second = await body('/connection');
  assertEqual([agent instanceof http.Agent, first === second, made, added], [true, true, [port], ['/connection', '/connection']]);
  agent.destroy();
});

test('a closed port refuses: ECONNREFUSED through node:net', async () => {
  const err = await new Promise((resolve) => net.connect(8099, '127.0.0.1').on('error', resolve));
  assertEqual([err.code, err.port], ['ECONNREFUSED', 8099]);
  server.kill();
  handle.kill();
});
