// node:tls, node:https and fetch over https (driven by tests/net/tls.test.sh, which makes the
// certificates with the host's openssl). Between apps of one machine on the network service's
// loopback: a handshake and echo both ways, TLS 1.2 and 1.3, ALPN, large transfers, the
// certificate errors Node reports, peers that do not speak TLS or send garbage (the app keeps
// running). With host peers (10.0.2.2 through user networking): openssl s_server, Node's
// https server, and this app's https server fetched by curl and Node on the host.
// arguments: the certificates' directory, then 'loopback' or the host peers' ports
//   (s_server, Node https, plain HTTP), then the bytes to send each way (default 1 MiB)
import { test, assertEqual, assertMatch } from '../harness.js';
import { startNetwork } from 'rtjs:services/net/launch.js';
import { setNetwork } from 'rtjs:services/net/client.js';
import tls from 'node:tls';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import { createHash } from 'node:crypto';

const [dir, mode = 'loopback', sizeArg] = rt.argv;
const hostPorts = mode === 'loopback' ? null : mode.split(',').map(Number);
const SIZE = Number(sizeArg ?? 1048576);
// TLS connections to the host's plain HTTP server.
const PLAIN_ROUNDS = 10;
const pem = (name) => fs.readFileSync(`${dir}/${name}`, 'utf8');
const ca = pem('ca.pem');
const good = { key: pem('server.key'), cert: pem('server.pem') };

const { net: network } = await startNetwork({ loopback: hostPorts === null, budgetMs: 60000 });
setNetwork(network);

let nextPort = 9440;
/** A TLS server on 127.0.0.1 with `options`; resolves to [server, port]. */
async function serve(options, onSecure) {
  const port = nextPort++;
  const server = tls.createServer(options, onSecure);
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
  return [server, port];
}
const connected = (socket) => new Promise((resolve, reject) => { socket.once('secureConnect', () => resolve(socket)); socket.once('error', reject); });
const failure = (socket) => new Promise((resolve, reject) => {
  socket.once('secureConnect', () => reject(new Error(`connected (authorized ${socket.authorized})`)));
  socket.once('error', resolve);
});
const readAll = (stream) => new Promise((resolve, reject) => {
  const chunks = [];
  stream.on('data', (d) => chunks.push(d));
  stream.on('end', () => resolve(Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)))));
  stream.on('error', reject);
});
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

test('a handshake and an echo both ways; the peer certificate, protocol, cipher and ALPN as Node reports them', async () => {
  const [server, port] = await serve({ ...good, ALPNProtocols: ['http/1.1'] }, (s) => {
    s.on('data', (d) => s.write(`echo ${d} from ${s.servername} over ${s.alpnProtocol}`));
    s.on('end', () => s.end());
  });
  const c = await connected(tls.connect({ port, host: 'localhost', ca, ALPNProtocols: ['h2', 'http/1.1'] }));
  assertEqual([c.authorized, c.authorizationError, c.encrypted, c.alpnProtocol], [true, null, true, 'http/1.1']);
  assertEqual(c.getProtocol(), 'TLSv1.3');
  assertEqual(c.getCipher().version, 'TLSv1.3');
  assertMatch(c.getCipher().name, /^TLS_(AES_\d+_GCM|CHACHA20_POLY1305)_SHA\d+$/);
  const cert = c.getPeerCertificate(true);
  assertEqual(cert.subject.CN, 'localhost');
  assertEqual(cert.subjectaltname, 'DNS:localhost, IP Address:127.0.0.1, IP Address:10.0.2.15, IP Address:10.0.2.2');
  assertEqual(cert.issuerCertificate.subject.CN, 'rtjs test CA');
  assertEqual(cert.fingerprint256, pem('server.fp256').trim().replace(/^.*=/, ''));
  assertMatch(cert.valid_to, /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/);
  assertEqual(cert.raw.length > 100, true);
  c.setEncoding('utf8');
  c.end('hello');
  const got = await readAll(c);
  assertEqual(got.toString(), 'echo hello from localhost over http/1.1');
  server.close();
});

test('a TLSSocket is a net.Socket to instanceof, as in Node; other objects and subclasses keep the ordinary test', async () => {
  const [server, port] = await serve(good, (s) => {
    assertEqual([s instanceof net.Socket, s instanceof tls.TLSSocket], [true, true]);
    s.end('ok');
  });
  const c = tls.connect({ port, host: 'localhost', ca });
  assertEqual([c instanceof net.Socket, c instanceof tls.TLSSocket, tls.TLSSocket.prototype instanceof net.Socket], [true, true, true]);
  assertEqual((await readAll(c)).toString(), 'ok');
  class Mine extends net.Socket {}
  const plain = new net.Socket();
  assertEqual([plain instanceof net.Socket, plain instanceof tls.TLSSocket, new Mine() instanceof net.Socket], [true, false, true]);
  assertEqual([c instanceof Mine, {} instanceof net.Socket, null instanceof net.Socket, net.Socket.prototype instanceof net.Socket], [false, false, false, false]);
  server.close();
});

test('tls.Server, https.Server, https.Agent and http.Agent are callable without new, as Node\'s, and stay classes', async () => {
  class Mine extends https.Agent {}
  const server = tls.Server(good);
  assertEqual([server instanceof tls.Server, server instanceof net.Server, https.Agent({ keepAlive: true }).keepAlive,
    http.Agent() instanceof http.Agent, new https.Agent() instanceof http.Agent, new Mine() instanceof https.Agent,
    https.Server(good) instanceof https.Server, tls.Server.name, https.Agent.name],
  [true, true, true, true, true, true, true, 'Server', 'Agent']);
});

test('TLS 1.2 when the client allows no more; a cipher list names what may be used', async () => {
  const [server, port] = await serve(good, (s) => s.end('twelve'));
  const c = await connected(tls.connect({ port, host: 'localhost', ca, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }));
  assertEqual([c.getProtocol(), c.getCipher().name, c.getCipher().standardName], ['TLSv1.2', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256']);
  assertEqual((await readAll(c)).toString(), 'twelve');
  server.close();
});

test(`${SIZE} bytes each way, checksummed, with backpressure on both sides`, async () => {
  const data = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i++) data[i] = (i * 7 + (i >> 11)) & 0xff;
  let serverSum = null;
  // The server answers once it has all the bytes; the client ends once it has them back.
  const [server, port] = await serve(good, (s) => {
    const chunks = [];
    let got = 0;
    s.on('data', (d) => {
      chunks.push(d);
      got += d.length;
      if (got < SIZE) return;
      serverSum = sha256(Buffer.concat(chunks));
      let off = 0;
      const pump = () => {
        while (off < SIZE) {
          const part = data.subarray(off, off + 50000);
          off += part.length;
          if (!s.write(part)) return s.once('drain', pump);
        }
      };
      pump();
    });
  });
  const c = await connected(tls.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' }));
  const back = await new Promise((resolve, reject) => {
    const chunks = [];
    let got = 0;
    c.on('data', (d) => { chunks.push(d); got += d.length; if (got >= SIZE) resolve(Buffer.concat(chunks)); });
    c.on('error', reject);
    let off = 0;
    const pump = () => {
      while (off < SIZE) {
        const part = data.subarray(off, off + 65536);
        off += part.length;
        if (!c.write(part)) return c.once('drain', pump);
      }
    };
    pump();
  });
  c.end();
  assertEqual(sha256(back), sha256(data));
  assertEqual(serverSum, sha256(data));
  server.close();
});

test("SNI: a server's SNICallback, answering later, and addContext choose the certificate for the name asked", async () => {
  const alt = tls.createSecureContext({ key: pem('server.key'), cert: pem('alt.pem') });
  const asked = [];
  const [server, port] = await serve({
    ...good,
    SNICallback: (name, cb) => { asked.push(name); setTimeout(() => cb(null, name === 'alt.test' ? alt : null), 0); },
  }, (s) => s.end(`served ${s.servername}`));
  for (const name of ['alt.test', 'localhost']) {
    const c = await connected(tls.connect({ port, host: '127.0.0.1', servername: name, ca }));
    assertEqual([c.authorized, c.getPeerCertificate().subjectaltname.split(',')[0]], [true, name === 'alt.test' ? 'DNS:alt.test' : 'DNS:localhost']);
    assertEqual((await readAll(c)).toString(), `served ${name}`);
  }
  assertEqual(asked, ['alt.test', 'localhost']);
  server.close();
  const [named, namedPort] = await serve(good, (s) => s.end('named'));
  named.addContext('*.test', { key: pem('server.key'), cert: pem('alt.pem') });
  const c = await connected(tls.connect({ port: namedPort, host: '127.0.0.1', servername: 'alt.test', ca }));
  assertEqual([c.authorized, c.getPeerCertificate().subjectaltname], [true, 'DNS:alt.test']);
  c.destroy();
  const d = await connected(tls.connect({ port: namedPort, host: 'localhost', ca }));
  assertEqual(d.getPeerCertificate().subject.CN, 'localhost');
  d.destroy();
  named.close();
});

test('client certificates: a server with requestCert sees whom it talks to, and drops an unknown client', async () => {
  const seen = [];
  const [server, port] = await serve({ ...good, ca, requestCert: true, rejectUnauthorized: true }, (s) => {
    seen.push([s.authorized, s.getPeerCertificate().subject.CN]);
    s.end('known');
  });
  const c = await connected(tls.connect({ port, host: 'localhost', ca, key: pem('server.key'), cert: pem('client.pem') }));
  assertEqual((await readAll(c)).toString(), 'known');
  assertEqual(seen, [[true, 'rtjs client']]);
  // Without a certificate: TLS 1.3 finishes the client's side first; the server then closes.
  const anon = tls.connect({ port, host: 'localhost', ca });
  const got = await readAll(anon).then((b) => b.toString(), (e) => e.code);
  assertMatch(got, /^(|ECONNRESET|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)$/);
  assertEqual(seen.length, 1);
  server.close();
});

test('certificate errors carry Node\'s codes; rejectUnauthorized: false connects and says why', async () => {
  const cases = [['other-ca', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'], ['expired', 'CERT_HAS_EXPIRED'], ['self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT']];
  for (const [name, code] of cases) {
    const [server, port] = await serve({ key: pem('server.key'), cert: pem(`${name}.pem`) }, (s) => s.end());
    const err = await failure(tls.connect({ port, host: 'localhost', ca }));
    assertEqual(err.code, code, name);
    const c = await connected(tls.connect({ port, host: 'localhost', ca, rejectUnauthorized: false }));
    assertEqual([c.authorized, c.authorizationError], [false, code]);
    c.destroy();
    server.close();
  }
  const [server, port] = await serve(good, (s) => s.end());
  const err = await failure(tls.connect({ port, host: '127.0.0.1', servername: 'wrong.example', ca }));
  assertEqual([err.code, err.host], ['ERR_TLS_CERT_ALTNAME_INVALID', 'wrong.example']);
  assertMatch(err.message, /^Hostname\/IP does not match certificate's altnames: Host: wrong\.example\. is not in the cert's altnames: DNS:localhost/);
  // The runtime's bundle, which does not hold the test's CA.
  assertEqual((await failure(tls.connect({ port, host: 'localhost', ca: tls.rootCertificates }))).code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  assertEqual(tls.checkServerIdentity('a.example.com', { subjectaltname: 'DNS:*.example.com' }), undefined);
  assertEqual(tls.checkServerIdentity('a.b.example.com', { subjectaltname: 'DNS:*.example.com' }).code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  server.close();
});

// A server of plain TCP that answers whatever comes with `reply`.
async function rawPeer(reply) {
  const port = nextPort++;
  const server = net.createServer((s) => { s.on('error', () => {}); s.once('data', () => s.end(reply())); });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return [server, port];
}

test('a peer that does not speak TLS, or answers with records of garbage: an error with Node\'s code, and the app goes on', async () => {
  const [plain, plainPort] = await rawPeer(() => 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  const e1 = await failure(tls.connect({ port: plainPort, host: 'localhost', ca }));
  assertEqual([e1.code, e1.reason, e1.library], ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number', 'SSL routines']);
  plain.close();
  const [bogus, bogusPort] = await rawPeer(() => Buffer.from([0x16, 3, 3, 0, 5, 1, 2, 3, 4, 5]));
  assertEqual((await failure(tls.connect({ port: bogusPort, host: 'localhost', ca }))).code, 'ERR_SSL_UNEXPECTED_MESSAGE');
  bogus.close();
  // Seeded random records (a handshake or application-data header and random bytes).
  let seed = 0x2545F491;
  const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
  const [garbage, garbagePort] = await rawPeer(() => {
    const n = 1 + Math.floor(rand() * 3000);
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
    if (rand() < 0.7) { b[0] = rand() < 0.5 ? 0x16 : 0x17; b[1] = 3; b[2] = 1 + Math.floor(rand() * 4); }
    return b;
  });
  const codes = new Set();
  for (let i = 0; i < 40; i++) {
    const err = await failure(tls.connect({ port: garbagePort, host: 'localhost', ca }));
    assertMatch(String(err.code), /^(ERR_SSL_[A-Z0-9_]+|ECONNRESET)$/, `seed run ${i}: ${err.message}`);
    codes.add(err.code);
  }
  garbage.close();
  assertEqual(codes.size > 1, true, `only ${[...codes]}`);
  // Garbage to a TLS server: 'tlsClientError', and the next client is served.
  const clientErrors = [];
  const [server, port] = await serve(good, (s) => s.end('still here'));
  server.on('tlsClientError', (e) => clientErrors.push(e.code));
  for (let i = 0; i < 10; i++) {
    // Read (resume()): a socket whose data nobody reads never ends, as in Node.
    const s = net.connect(port, '127.0.0.1').resume();
    s.on('error', () => {});
    s.write(Buffer.from([0x16, 3, 1, 0, 40 + i, ...Array.from({ length: 40 + i }, () => Math.floor(rand() * 256))]));
    await new Promise((resolve) => s.on('close', resolve));
  }
  assertEqual(clientErrors.length, 10);
  assertMatch(clientErrors[0], /^ERR_SSL_/);
  const c = await connected(tls.connect({ port, host: 'localhost', ca }));
  assertEqual((await readAll(c)).toString(), 'still here');
  server.close();
});

test('https: a server and https.get with the test CA, and fetch trusting it through NODE_EXTRA_CA_CERTS', async () => {
  const port = nextPort++;
  const server = https.createServer(good, (req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end(`secure ${req.method} ${req.url} ${req.socket.encrypted} ${req.socket.getProtocol()}`);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const body = await new Promise((resolve, reject) => {
    https.get(`https://localhost:${port}/page?x=1`, { ca }, (res) => readAll(res).then((b) => resolve(`${res.statusCode} ${b}`), reject)).on('error', reject);
  });
  assertEqual(body, '200 secure GET /page?x=1 true TLSv1.3');
  performance.clearResourceTimings();
  const r = await fetch(`https://localhost:${port}/fetched`, { method: 'POST', body: 'x' });
  assertEqual([r.status, r.headers.get('content-type'), await r.text()], [200, 'text/plain', 'secure POST /fetched true TLSv1.3']);
  // Its Resource Timing entry: the TCP connect, then the TLS handshake, then the request.
  const [e] = performance.getEntriesByName(`https://localhost:${port}/fetched`);
  assertEqual([e.fetchStart <= e.connectStart, e.connectStart < e.secureConnectionStart, e.secureConnectionStart < e.connectEnd,
    e.connectEnd <= e.requestStart, e.requestStart <= e.responseStart], [true, true, true, true, true], JSON.stringify(e));
  server.close();
  const [selfSigned, selfPort] = await serve({ key: pem('server.key'), cert: pem('self-signed.pem') }, (s) => s.end());
  const err = await fetch(`https://localhost:${selfPort}/`).then(() => null, (e) => e);
  assertEqual([err?.name, err?.message, err?.cause?.code], ['TypeError', 'fetch failed', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
  selfSigned.close();
});

// A client connection read to its end: [text, the sessions its 'session' events gave].
async function sessionsOf(options) {
  const c = tls.connect(options);
  const sessions = [];
  c.on('session', (sess) => sessions.push(sess));
  const text = (await readAll(c)).toString();
  return [text, sessions, c];
}

test("session resumption: the client's 'session' event and getSession(), resumed with the session option (TLS 1.3 and 1.2), authorized as the first; another server's session, or bytes that are none, make a full handshake", async () => {
  const [server, port] = await serve(good, (s) => s.end(`hi ${s.isSessionReused()}`));
  const [first, sessions, c1] = await sessionsOf({ port, host: 'localhost', ca });
  assertEqual([first, c1.isSessionReused(), sessions.length > 0, sessions.every((x) => Buffer.isBuffer(x) && x.length > 100)], ['hi false', false, true, true]);
  const c2 = await connected(tls.connect({ port, host: 'localhost', ca, session: sessions.at(-1) }));
  assertEqual([c2.isSessionReused(), c2.authorized, c2.getPeerCertificate().subject.CN, c2.getProtocol()], [true, true, 'localhost', 'TLSv1.3']);
  assertEqual((await readAll(c2)).toString(), 'hi true');
  // TLS 1.2: the session is there once the handshake is done.
  const c3 = await connected(tls.connect({ port, host: 'localhost', ca, maxVersion: 'TLSv1.2' }));
  const s12 = c3.getSession();
  // The server's ticket (RFC 5077) is in the session the client keeps.
  const ticket = c3.getTLSTicket();
  assertEqual([Buffer.isBuffer(ticket), ticket.length > 32, s12.includes(ticket)], [true, true, true]);
  await readAll(c3);
  const c4 = await connected(tls.connect({ port, host: 'localhost', ca, maxVersion: 'TLSv1.2', session: s12 }));
  assertEqual([c4.getProtocol(), c4.isSessionReused(), c4.authorized], ['TLSv1.2', true, true]);
  assertEqual((await readAll(c4)).toString(), 'hi true');
  // Another server (its own ticket keys) does not know it: a full handshake.
  const [other, otherPort] = await serve(good, (s) => s.end('other'));
  const c5 = await connected(tls.connect({ port: otherPort, host: 'localhost', ca, session: sessions.at(-1) }));
  assertEqual([c5.isSessionReused(), c5.authorized], [false, true]);
  await readAll(c5);
  // Bytes that are no session: a full handshake, as in Node; anything else throws at once.
  const c6 = await connected(tls.connect({ port, host: 'localhost', ca, session: Buffer.from('no session here') }));
  assertEqual([c6.isSessionReused(), c6.authorized], [false, true]);
  assertEqual((await readAll(c6)).toString(), 'hi false');
  let threw = null;
  try { tls.connect({ port, host: 'localhost', ca, session: 'not bytes' }); } catch (e) { threw = `${e.code} ${e.message}`; }
  assertEqual(threw, 'ERR_INVALID_ARG_TYPE Session must be a buffer');
  server.close();
  other.close();
});

test('a resumed session keeps its verification: a session from rejectUnauthorized: false does not make a self-signed server trusted', async () => {
  const [server, port] = await serve({ key: pem('server.key'), cert: pem('self-signed.pem') }, (s) => s.end('self'));
  const [text, sessions] = await sessionsOf({ port, host: 'localhost', ca, rejectUnauthorized: false });
  assertEqual([text, sessions.length > 0], ['self', true]);
  const err = await failure(tls.connect({ port, host: 'localhost', ca, session: sessions.at(-1) }));
  assertEqual(err.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  const loose = await connected(tls.connect({ port, host: 'localhost', ca, session: sessions.at(-1), rejectUnauthorized: false }));
  assertEqual([loose.isSessionReused(), loose.authorized, loose.authorizationError], [true, false, 'DEPTH_ZERO_SELF_SIGNED_CERT']);
  await readAll(loose);
  server.close();
});

test('an https.Agent resumes the TLS session of its earlier connection to the same place', async () => {
  const port = nextPort++;
  const server = https.createServer(good, (req, res) => res.end(`${req.url} ${req.socket.isSessionReused()}`));
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const agent = new https.Agent();
  const seen = [];
  for (const path of ['/1', '/2', '/3']) {
    seen.push(await new Promise((resolve, reject) => {
      https.get({ host: 'localhost', port, path, ca, agent }, (res) => {
        readAll(res).then((b) => resolve(`${b} ${res.socket.isSessionReused()}`), reject);
      }).on('error', reject);
    }));
  }
  assertEqual(seen, ['/1 false false', '/2 true true', '/3 true true']);
  server.close();
});

// A GET through `agent`: [status and body, whether the request reused a connection].
const agentGet = (agent, port, path, extra = {}) => new Promise((resolve, reject) => {
  const req = https.get({ host: 'localhost', port, path, ca, agent, ...extra }, (res) => {
    readAll(res).then((b) => resolve([`${res.statusCode} ${b}`, req.reusedSocket]), reject);
  });
  req.on('error', reject);
});

test('https.Agent with keepAlive: requests share a TLS connection; other TLS options, the server\'s Connection: close and agent.destroy() end sharing', async () => {
  const port = nextPort++;
  let opened = 0;
  const ordinals = new WeakMap();
  const server = https.createServer(good, (req, res) => {
    if (!ordinals.has(req.socket)) ordinals.set(req.socket, ++opened);
    if (req.url === '/close') res.setHeader('Connection', 'close');
    res.end(`${req.url} on ${ordinals.get(req.socket)}`);
  });
  let secured = 0;
  server.on('secureConnection', () => secured++);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const agent = new https.Agent({ keepAlive: true });
  const got = [];
  for (const path of ['/a', '/b', '/c']) got.push(await agentGet(agent, port, path));
  got.push(await agentGet(agent, port, '/other-options', { rejectUnauthorized: false }));
  got.push(await agentGet(agent, port, '/d'));
  got.push(await agentGet(agent, port, '/close'));
  got.push(await agentGet(agent, port, '/after-close'));
  assertEqual(got, [
    ['200 /a on 1', false], ['200 /b on 1', true], ['200 /c on 1', true], ['200 /other-options on 2', false],
    ['200 /d on 1', true], ['200 /close on 1', true], ['200 /after-close on 3', false],
  ]);
  assertEqual(secured, 3);
  // Two idle connections (keys by TLS options), none serving a request.
  const free = Object.values(agent.freeSockets).flat();
  assertEqual([Object.keys(agent.freeSockets).length, free.length, Object.keys(agent.sockets).length], [2, 2, 0]);
  assertEqual(free.every((sock) => sock instanceof tls.TLSSocket && sock.authorized !== undefined), true);
  await Promise.all([...free.map((sock) => new Promise((resolve) => sock.once('close', resolve))), Promise.resolve(agent.destroy())]);
  assertEqual(Object.keys(agent.freeSockets).length, 0);
  // A response whose body ends with the connection (no length, not chunked) leaves nothing to reuse.
  const [raw, rawPort] = await serve(good, (sock) => sock.once('data', () => sock.end('HTTP/1.1 200 OK\r\n\r\nuntil close')));
  const closing = new https.Agent({ keepAlive: true });
  assertEqual([await agentGet(closing, rawPort, '/1'), await agentGet(closing, rawPort, '/2')], [['200 until close', false], ['200 until close', false]]);
  assertEqual(Object.keys(closing.freeSockets).length, 0);
  raw.close();
  // A server that ends the connection without answering: Node's 'socket hang up'.
  const [mute, mutePort] = await serve(good, (sock) => sock.once('data', () => sock.end()));
  const hungUp = await agentGet(closing, mutePort, '/nothing').then(() => null, (e) => e);
  assertEqual([hungUp?.message, hungUp?.code], ['socket hang up', 'ECONNRESET']);
  mute.close();
  // The global agent keeps its connection too, as Node 20's: the second request reuses it.
  const plain = [await agentGet(undefined, port, '/g1'), await agentGet(undefined, port, '/g2')];
  assertEqual(plain, [['200 /g1 on 4', false], ['200 /g2 on 4', true]]);
  https.globalAgent.destroy();
  server.close();
});

test('WebSocket over wss: the opening handshake, a message each way and the closing handshake, over TLS', async () => {
  // A minimal RFC 6455 server on a TLS socket: the 101 answer, a text frame, the client's
  // masked frame echoed back, then a close frame.
  const echoed = [];
  const [server, port] = await serve(good, (s) => {
    let buf = Buffer.alloc(0), open = false;
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!open) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const key = /Sec-WebSocket-Key: (\S+)/i.exec(buf.subarray(0, end).toString())[1];
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        s.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        s.write(Buffer.from([0x81, 5, ...Buffer.from('hello')]));
        buf = buf.subarray(end + 4);
        open = true;
      }
      while (buf.length >= 6) {
        const op = buf[0] & 15, len = buf[1] & 127;   // short frames only
        if (buf.length < 6 + len) return;
        const mask = buf.subarray(2, 6);
        const payload = Buffer.from(buf.subarray(6, 6 + len).map((b, i) => b ^ mask[i % 4]));
        buf = buf.subarray(6 + len);
        if (op === 1) { echoed.push(payload.toString()); s.write(Buffer.from([0x81, len, ...payload])); }
        if (op === 8) { s.end(Buffer.from([0x88, 2, 0x03, 0xe8])); }
      }
    });
  });
  const ws = new WebSocket(`wss://localhost:${port}/chat`);
  const messages = [];
  const closed = new Promise((resolve, reject) => {
    ws.onmessage = (e) => {
      messages.push(e.data);
      if (messages.length === 1) ws.send('over tls');
      else ws.close(1000, 'done');
    };
    ws.onerror = (e) => reject(new Error(`wss error: ${e.message}`));
    ws.onclose = (e) => resolve(e);
  });
  const event = await closed;
  assertEqual([messages, echoed, event.code, event.wasClean], [['hello', 'over tls'], ['over tls'], 1000, true]);
  assertEqual(ws.bufferedAmount, 0);
  server.close();
});

if (hostPorts) {
  const [sserverPort, nodePort, plainPort] = hostPorts;

  test('openssl s_server on the host: the handshake, and its status page over the connection', async () => {
    const c = await connected(tls.connect({ port: sserverPort, host: '10.0.2.2', servername: 'localhost', ca, ALPNProtocols: ['http/1.1'] }));
    assertEqual([c.authorized, c.alpnProtocol], [true, 'http/1.1']);
    c.write('GET / HTTP/1.0\r\n\r\n');
    const page = (await readAll(c)).toString();
    assertMatch(page, /^HTTP\/1\.0 200 ok\r\n/);
    assertMatch(page, new RegExp(`Cipher is ${c.getCipher().name}`));
    console.log(`s_server: ${c.getProtocol()} ${c.getCipher().name}`);
  });

  test('openssl s_server on the host resumes the session the first connection was given', async () => {
    const page = async (session) => {
      const c = tls.connect({ port: sserverPort, host: '10.0.2.2', servername: 'localhost', ca, session });
      const sessions = [];
      c.on('session', (x) => sessions.push(x));
      await connected(c);
      c.write('GET / HTTP/1.0\r\n\r\n');
      const text = (await readAll(c)).toString();
      return [/^(New|Reused), TLSv1\.3,/m.exec(text)?.[1], c.isSessionReused(), sessions];
    };
    const [firstSays, firstReused, sessions] = await page(undefined);
    assertEqual([firstSays, firstReused, sessions.length > 0], ['New', false, true]);
    const [secondSays, secondReused] = await page(sessions.at(-1));
    assertEqual([secondSays, secondReused], ['Reused', true]);
    console.log(`s_server-resumed: ${secondSays}`);
  });

  test("Node's https server on the host: https.get and fetch", async () => {
    const body = await new Promise((resolve, reject) => {
      https.get({ host: '10.0.2.2', servername: 'localhost', port: nodePort, path: '/from-rtjs', ca }, (res) => readAll(res).then((b) => resolve(b.toString()), reject)).on('error', reject);
    });
    assertMatch(body, /^node says \/from-rtjs over TLSv1\.3 token \d+$/);
    const r = await fetch(`https://10.0.2.2:${nodePort}/fetch`);
    assertMatch(await r.text(), /^node says \/fetch over TLSv1\.3 token \d+$/);
    console.log(`node-https: ${body}`);
  });

  test("Node's https server on the host: a keepAlive agent's requests share one TLS connection", async () => {
    const agent = new https.Agent({ keepAlive: true });
    const got = [];
    for (let i = 0; i < 3; i++) {
      got.push(await new Promise((resolve, reject) => {
        const req = https.get({ host: '10.0.2.2', servername: 'localhost', port: nodePort, path: '/connection', ca, agent }, (res) => {
          readAll(res).then((b) => resolve(`${b} ${req.reusedSocket ? 'reused' : 'new'}`), reject);
        });
        req.on('error', reject);
      }));
    }
    assertMatch(got[0], /^connection (\d+) new$/);
    const n = got[0].split(' ')[1];
    assertEqual(got, [`connection ${n} new`, `connection ${n} reused`, `connection ${n} reused`]);
    agent.destroy();
    console.log('node-keepalive: 3 requests on one connection');
  });

  test("Node's https server on the host: an agent's second connection resumes the first one's session, as Node's server sees it", async () => {
    const agent = new https.Agent();
    const said = [];
    for (let i = 0; i < 2; i++) {
      said.push(await new Promise((resolve, reject) => {
        https.get({ host: '10.0.2.2', servername: 'localhost', port: nodePort, path: '/resumed', ca, agent }, (res) => {
          readAll(res).then((b) => resolve(`${b}`), reject);
        }).on('error', reject);
      }));
    }
    assertEqual(said, ['resumed false', 'resumed true']);
    console.log(`node-resumed: ${said.join(', ')}`);
  });

  // The server answers 400 and closes with the rest of the ClientHello unread: a reset the
  // user networking must survive, each time.
  test('a plain HTTP server on the host answering a TLS client: the code Node gives, each time', async () => {
    const codes = [];
    for (let i = 0; i < PLAIN_ROUNDS; i++) codes.push((await failure(tls.connect({ port: plainPort, host: '10.0.2.2', ca }))).code);
    assertEqual(codes, codes.map(() => codes[0]));
    console.log(`non-tls: ${codes[0]}`);
  });

  test('this app\'s https server, fetched by curl and by Node on the host', async () => {
    const served = [];
    let bothServed;
    const done = new Promise((resolve) => { bothServed = resolve; });
    const server = https.createServer(good, (req, res) => {
      served.push(req.headers['user-agent']?.split('/')[0]);
      // Each connection closes after its answer, so that the app ends only once both are out.
      res.setHeader('Connection', 'close');
      res.end(`hello over ${req.socket.getProtocol()} from rtjs ${req.url}\n`);
      if (served.length === 2) req.socket.on('close', bothServed);
    });
    await new Promise((resolve) => server.listen(443, '0.0.0.0', resolve));
    console.log('listening on 443');
    await done;
    server.close();
    console.log(`served: ${served.sort().join(' ')}`);
  });
}

test('the runtime\'s trust store holds the CA bundle', () => {
  assertEqual(tls.rootCertificates.length > 50, true, `${tls.rootCertificates.length} roots`);
  assertMatch(tls.rootCertificates[0], /^-----BEGIN CERTIFICATE-----\n/);
});
