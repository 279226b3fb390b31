// The WebSocket client against the `ws` package's server on the host (peer.mjs), reached
// through the network service on user-mode networking as 10.0.2.2. Driven by
// websocket.test.sh; arguments: the peer's port, and a task budget for the network service.
import { startNetwork } from 'rtjs:services/net/launch.js';
import { setNetwork } from 'rtjs:services/net/client.js';
import { test, assertEqual, assertThrows } from '../js/harness.js';

const port = Number(rt.argv[0]);
const budgetMs = rt.argv[1] ? Number(rt.argv[1]) : undefined;
const { net } = await startNetwork({ budgetMs });
setNetwork(net);
const base = `ws://10.0.2.2:${port}`;
// Attempts at reading the peer's log before its close event has been recorded: a hang guard.
const LOG_TRIES = 100;

// The events of one WebSocket, in order, with what each carried.
function open(path = '/', protocols = undefined) {
  const ws = protocols === undefined ? new WebSocket(`${base}${path}`) : new WebSocket(`${base}${path}`, protocols);
  const events = [];
  const waiting = [];
  const note = (e) => {
    events.push(e);
    for (const w of waiting.splice(0)) w();
  };
  ws.onopen = () => note({ type: 'open' });
  ws.onmessage = (e) => note({ type: 'message', data: e.data, origin: e.origin });
  ws.onerror = (e) => note({ type: 'error', message: e.message });
  ws.onclose = (e) => note({ type: 'close', wasClean: e.wasClean, code: e.code, reason: e.reason });
  // The next event not taken yet.
  let taken = 0;
  const next = async () => {
    while (taken === events.length) await new Promise((resolve) => waiting.push(resolve));
    return events[taken++];
  };
  return { ws, events, next };
}

async function opened(path, protocols) {
  const c = open(path, protocols);
  assertEqual((await c.next()).type, 'open');
  return c;
}

async function closed(c) {
  for (;;) {
    const e = await c.next();
    if (e.type === 'close') return e;
  }
}

const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

// The peer's record of the close frames it received, once it has the one for `path`.
async function peerLog(path) {
  for (let i = 0; i < LOG_TRIES; i++) {
    const c = await opened('/log');
    c.ws.send('log');
    const log = JSON.parse((await c.next()).data);
    c.ws.close();
    await closed(c);
    const entry = log.filter(([, , p]) => p === path).pop();
    if (entry) return entry;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the peer never recorded a close from ${path}`);
}

test('opens, echoes text (non-ASCII too) and the events carry the origin', async () => {
  const c = await opened('/text');
  assertEqual([c.ws.readyState, c.ws.protocol, c.ws.extensions, c.ws.url], [WebSocket.OPEN, '', '', `${base}/text`]);
  c.ws.send('hello');
  c.ws.send('grüße, 世界 🎉');
  assertEqual(await c.next(), { type: 'message', data: 'hello', origin: base });
  assertEqual((await c.next()).data, 'grüße, 世界 🎉');
  c.ws.close(1000, 'done');
  assertEqual(c.ws.readyState, WebSocket.CLOSING);
  assertEqual(await closed(c), { type: 'close', wasClean: true, code: 1000, reason: 'done' });
  assertEqual(c.ws.readyState, WebSocket.CLOSED);
  assertEqual(await peerLog('/text'), [1000, 'done', '/text']);
});

test('binary messages of every length encoding (7-bit, 16-bit, 64-bit) round-trip', async () => {
  const c = await opened('/binary');
  c.ws.binaryType = 'arraybuffer';
  const sizes = [0, 1, 125, 126, 65535, 65536, 200000];
  for (const [i, n] of sizes.entries()) c.ws.send(bytes(n, i));
  for (const [i, n] of sizes.entries()) {
    const e = await c.next();
    assertEqual(e.data instanceof ArrayBuffer, true, `message ${n}: not an ArrayBuffer`);
    assertEqual(new Uint8Array(e.data), bytes(n, i), `message of ${n} bytes differs`);
  }
  c.ws.close();
  assertEqual(await closed(c), { type: 'close', wasClean: true, code: 1005, reason: '' });
});

test('binaryType blob (the default): a Blob, sent from a Blob, a view and an ArrayBuffer', async () => {
  const c = await opened('/blob');
  assertEqual(c.ws.binaryType, 'blob');
  c.ws.send(new Blob([bytes(300, 1)]));
  c.ws.send(new DataView(bytes(10, 2).buffer, 3, 4));
  c.ws.send(bytes(5, 3).buffer);
  const got = [];
  for (let i = 0; i < 3; i++) {
    const { data } = await c.next();
    assertEqual(data instanceof Blob, true);
    got.push(new Uint8Array(await data.arrayBuffer()));
  }
  assertEqual(got, [bytes(300, 1), bytes(10, 2).subarray(3, 7), bytes(5, 3)]);
  c.ws.close(3000);
  assertEqual((await closed(c)).code, 3000);
});

test('bufferedAmount counts what was sent and not yet handed to the network, then drops to 0', async () => {
  const c = await opened('/buffered');
  c.ws.binaryType = 'arraybuffer';
  const big = bytes(1 << 20, 4);
  c.ws.send(big);
  const right = c.ws.bufferedAmount;
  assertEqual(right >= big.length, true, `bufferedAmount ${right} right after sending ${big.length}`);
  const e = await c.next();
  assertEqual([e.data.byteLength, c.ws.bufferedAmount], [big.length, 0]);
  c.ws.close();
  await closed(c);
});

test('a message in three frames arrives as one; a ping is answered with a pong', async () => {
  const c = await opened('/fragments');
  c.ws.send('fragments');
  assertEqual((await c.next()).data, 'fragmented');
  c.ws.send('ping-me:are you there');
  assertEqual((await c.next()).data, 'pong:are you there');
  c.ws.close();
  await closed(c);
});

test('the server closes with a code and a reason; with no code, 1005', async () => {
  const c = await opened('/server-closes');
  c.ws.send('close-me');
  assertEqual(await closed(c), { type: 'close', wasClean: true, code: 4001, reason: 'bye' });
  const d = await opened('/server-closes-empty');
  d.ws.send('close-empty');
  assertEqual(await closed(d), { type: 'close', wasClean: true, code: 1005, reason: '' });
  // A message sent once closed is counted, never sent.
  d.ws.send('late');
  assertEqual(d.ws.bufferedAmount, 4);
});

test('a subprotocol is negotiated; a server choosing none of those offered fails the connection', async () => {
  const c = await opened('/protocol', ['v1.example', 'chat']);
  assertEqual(c.ws.protocol, 'chat');
  c.ws.close();
  await closed(c);
  const d = open('/protocol', 'other');
  const error = await d.next();
  assertEqual(error.type, 'error');
  assertEqual(error.message.includes('none of the subprotocols'), true, error.message);
  assertEqual(await d.next(), { type: 'close', wasClean: false, code: 1006, reason: '' });
});

test('text that is not UTF-8 fails the connection with 1007, a masked frame with 1002', async () => {
  const c = await opened('/bad-utf8');
  c.ws.send('bad-utf8');
  const error = await c.next();
  assertEqual([error.type, error.message.includes('not UTF-8')], ['error', true], error.message);
  assertEqual(await c.next(), { type: 'close', wasClean: false, code: 1006, reason: '' });
  assertEqual((await peerLog('/bad-utf8'))[0], 1007);
  const d = await opened('/masked');
  d.ws.send('masked');
  assertEqual((await d.next()).type, 'error');
  assertEqual((await d.next()).code, 1006);
  assertEqual((await peerLog('/masked'))[0], 1002);
});

test('a refused handshake (403) and a closed port: error, then close 1006', async () => {
  const c = open('/forbidden');
  const error = await c.next();
  assertEqual([error.type, error.message], ['error', `WebSocket connection to '${base}/forbidden' failed: the server answered 403 Forbidden, not 101 Switching Protocols`]);
  assertEqual(await c.next(), { type: 'close', wasClean: false, code: 1006, reason: '' });
  const d = open('/');
  d.ws.close();   // given up before it opened
  assertEqual([(await d.next()).type, d.ws.readyState], ['error', WebSocket.CLOSED]);
  assertEqual((await d.next()).code, 1006);
});

test('bad arguments: SyntaxError, InvalidStateError, InvalidAccessError', async () => {
  const name = (fn) => { try { fn(); } catch (e) { return `${e.name}: ${e.message}`; } return 'no error'; };
  assertEqual(name(() => new WebSocket('ftp://example.com/')).startsWith('SyntaxError: '), true);
  assertEqual(name(() => new WebSocket('not a url')).startsWith('SyntaxError: '), true);
  assertEqual(name(() => new WebSocket(`${base}/#frag`)).startsWith('SyntaxError: '), true);
  assertEqual(name(() => new WebSocket(base, ['a', 'a'])).startsWith('SyntaxError: '), true);
  assertEqual(name(() => new WebSocket(base, 'has space')).startsWith('SyntaxError: '), true);
  assertThrows(() => new WebSocket(), /^TypeError: /);
  const c = open('/states');
  assertThrows(() => c.ws.send('too early'), /^InvalidStateError: .*CONNECTING/);
  await c.next();
  assertThrows(() => c.ws.close(1001), /^InvalidAccessError: /);
  assertThrows(() => c.ws.close(1000, 'x'.repeat(124)), /^SyntaxError: /);
  assertEqual([WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED, c.ws.CLOSED], [0, 1, 2, 3, 3]);
  c.ws.close(1000, 'x'.repeat(123));
  assertEqual((await closed(c)).reason.length, 123);
  const w = open('/');
  w.ws.close();
  await closed(w);
  const s = new WebSocket('wss://10.0.2.2:1/');
  const failure = await new Promise((resolve) => { s.onerror = (e) => resolve(e.message); });
  assertEqual(failure.includes('ECONNREFUSED'), true, failure);   // wss: goes over TLS to a closed port
});
