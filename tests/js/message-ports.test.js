// MessagePorts between apps: a port sent in spawn's grant or as a call argument stays
// entangled with its peer in the sending app; messages are cloned, in order, both ways; a
// port received can be sent on to a third app; a port sent is closed where it was.
import { test, assertEqual, assertThrows } from './harness.js';

// The child answers each message on the port it was granted with the message's doubled
// value and its own name, and exports a function that takes a second port.
const echoSource = `
  const answer = (port) => { port.onmessage = (e) => port.postMessage({ n: e.data.n * 2, by: rt.self.name, bytes: e.data.bytes?.byteLength }); };
  if (rt.grants?.port) answer(rt.grants.port);
  rt.export({ take: (port) => { answer(port); return 'taken'; } });
`;

// The next message on `port` (addEventListener does not start a port: start() does).
function next(port) {
  const p = new Promise((resolve) => port.addEventListener('message', (e) => resolve(e.data), { once: true }));
  port.start();
  return p;
}

test('a port granted to a child: messages both ways, in order, cloned', async () => {
  const { port1, port2 } = new MessageChannel();
  const child = rt.spawn({ source: echoSource }, { name: 'echo-a', grant: { port: port2 } });
  port1.start();
  const replies = [];
  port1.onmessage = (e) => replies.push(e.data);
  for (let n = 1; n <= 5; n++) port1.postMessage({ n, bytes: new Uint8Array(n) });
  while (replies.length < 5) await new Promise((r) => setTimeout(r, 5));
  assertEqual(replies.map((r) => r.n), [2, 4, 6, 8, 10]);
  assertEqual(replies[4], { n: 10, by: 'echo-a', bytes: 5 });
  // The port sent is closed here: posting on it does nothing, sending it again is refused.
  port2.postMessage({ n: 100 });
  assertThrows(() => rt.spawn({ source: '' }, { grant: { again: port2 } }), /DataCloneError|cannot be sent/);
  child.kill();
});

test('a port passed in a remote call, then sent on to a third app', async () => {
  const a = rt.spawn({ source: echoSource }, { name: 'echo-b' });
  const b = rt.spawn({ source: `rt.export({ forward: (port, to) => to(port) });` }, { name: 'forwarder' });
  const { port1, port2 } = new MessageChannel();
  const [ia, ib] = [await a.interface, await b.interface];
  assertEqual(await ia.take(port2), 'taken');
  port1.postMessage({ n: 21 });
  assertEqual(await next(port1), { n: 42, by: 'echo-b', bytes: undefined });
  // Through the forwarder to echo-b again: a fresh channel whose port crosses two apps.
  const ch = new MessageChannel();
  assertEqual(await ib.forward(ch.port2, ia.take), 'taken');
  ch.port1.postMessage({ n: 4 });
  assertEqual(await next(ch.port1), { n: 8, by: 'echo-b', bytes: undefined });
  a.kill();
  b.kill();
});

test('messages to a port whose app ended are dropped; the sender goes on', async () => {
  const { port1, port2 } = new MessageChannel();
  const child = rt.spawn({ source: echoSource }, { name: 'echo-c', grant: { port: port2 } });
  port1.postMessage({ n: 1 });
  assertEqual((await next(port1)).n, 2);
  child.kill();
  await child.exited;
  port1.postMessage({ n: 2 });
  await new Promise((r) => setTimeout(r, 20));
  assertEqual(typeof port1.postMessage, 'function');
});

test('a record that only looks like a port on the wire stays a plain value', async () => {
  const child = rt.spawn({ source: `rt.export({ kind: (v) => Object.prototype.toString.call(v.p) + ' ' + typeof v.p.send });` });
  const api = await child.interface;
  assertEqual(await api.kind({ p: { '\u0000rtjs:MessagePort': true, send: 1, connect: 'x' } }), '[object Object] number');
  child.kill();
});
