// The network service checks every operation against the calling app's grant: ports it may
// listen on, hosts and ports it may reach, whoever handed it the service's functions; a
// revoked grant ends what it opened. Over the service's loopback interface, between apps.
import { test, assertEqual, assertMatch } from '../harness.js';
import { assertAlive } from './hostile.js';
import { startNetwork } from 'rtjs:services/net/launch.js';

const { net: network, handle: netHandle } = await startNetwork({ loopback: true });

// Helpers every child gets: promise-returning connect and listen over the service's functions.
const HELPERS = `
const net = rt.grants.net;
const err = (e) => ({ code: e.code, message: String(e.message) });
function connect(host, port) {
  return new Promise((resolve, reject) => {
    let conn;
    const events = [];
    net.connect({ host, port }, (kind, value) => {
      events.push(kind);
      if (kind === 'connect') resolve({ conn, events });
      if (kind === 'data') events.push(new TextDecoder().decode(value));
      if (kind === 'error') reject(Object.assign(new Error(value.message), { code: value.code }));
    }).then((c) => { conn = c; }, reject);
  });
}
function listen(port, onData) {
  return net.listen({ port, host: '127.0.0.1' }, (c) => {
    const api = c.attach((kind, value) => { if (kind === 'data') onData(new TextDecoder().decode(value), api); });
  });
}
`;

function child(name, permissions, body, grant = {}) {
  const h = rt.spawn({ source: `${HELPERS}
    const out = {};
    (async () => { ${body} })().then(() => rt.export(out), (e) => rt.export({ failed: String(e && e.stack) }));` },
  { name, permissions, grant: { net: network, ...grant } });
  return h;
}

async function report(h) {
  const r = await h.interface;
  if (r.failed) throw new Error(r.failed);
  return r;
}

// An echo server on 127.0.0.1:8080, allowed to listen there only.
const server = child('echo', { net: { listen: ['8080'] } }, `
  await listen(8080, (text, api) => api.write(new TextEncoder().encode('echo ' + text)));
  try { await listen(8081, () => {}); } catch (e) { out.other = err(e); }
`);
const serverReport = await report(server);

test('a server may listen only where it was granted', () => {
  assertEqual(serverReport.other.code, 'ERR_ACCESS_DENIED');
  assertMatch(serverReport.other.message, /app 'echo' \(id \d+\) may not listen on port 8081 \(permission net\.listen\): grant it with --allow-net=:8081/);
});

test('a client reaches the address it was granted and no other; udp the same', async () => {
  const h = child('client', { net: { connect: ['127.0.0.1:8080'] } }, `
    const { conn } = await connect('127.0.0.1', 8080);
    await conn.write(new TextEncoder().encode('hi'));
    try { await connect('127.0.0.1', 8081); } catch (e) { out.port = err(e); }
    try { await connect('127.0.0.2', 8080); } catch (e) { out.host = err(e); }
    try { await listen(8080, () => {}); } catch (e) { out.listen = err(e); }
    const s = await net.udpBind({ port: 0 }, () => {});
    try { await s.send(new Uint8Array(4), 53, '127.0.0.1'); } catch (e) { out.udp = err(e); }
    try { await net.udpBind({ port: 5353 }, () => {}); } catch (e) { out.bind = err(e); }
    try { await net.ping('127.0.0.3'); } catch (e) { out.ping = err(e); }
    out.pinged = (await net.ping('127.0.0.1')).from;
    await conn.end();
  `);
  const r = await report(h);
  h.kill();
  for (const k of ['port', 'host', 'listen', 'udp', 'bind', 'ping']) assertEqual(r[k]?.code, 'ERR_ACCESS_DENIED', k);
  assertMatch(r.port.message, /app 'client' \(id \d+\) may not connect to 127\.0\.0\.1:8081 \(permission net\.connect\): grant it with --allow-net=127\.0\.0\.1:8081, or "net": \{ "connect": \["127\.0\.0\.1:8081"\] \} in its manifest/);
  assertMatch(r.udp.message, /may not connect to 127\.0\.0\.1:53/);
  assertMatch(r.ping.message, /may not ping 127\.0\.0\.3/);
  assertEqual(r.pinged, '127.0.0.1');
});

test('an app granted the service but no network permission reaches nothing', async () => {
  const h = child('nothing', {}, `
    try { await connect('127.0.0.1', 8080); } catch (e) { out.connect = err(e); }
    try { await listen(9000, () => {}); } catch (e) { out.listen = err(e); }
  `);
  const r = await report(h);
  h.kill();
  assertEqual(r.connect.code, 'ERR_ACCESS_DENIED');
  assertEqual(r.listen.code, 'ERR_ACCESS_DENIED');
});

test("another app's functions carry no authority: the caller is checked, not the forwarder", async () => {
  // A permitted app forwards its `connect` to an app with no permission; the claims the
  // latter puts in its arguments change nothing.
  const relay = rt.spawn({ source: `${HELPERS}
    const { conn } = await connect('127.0.0.1', 8080);
    const s = await net.udpBind({ port: 0 }, () => {});
    rt.export({ connect: rt.grants.net.connect, write: conn.write, send: s.send });` },
    { name: 'relay', permissions: { net: { connect: ['127.0.0.1:8080'] } }, grant: { net: network } });
  const relayed = await relay.interface;
  const h = child('thief', {}, `
    const via = rt.grants.relayed.connect;
    try { await via({ host: '127.0.0.1', port: 8080, caller: ${relay.id}, app: ${relay.id} }, () => {}); out.got = true; } catch (e) { out.refused = err(e); }
    try { await rt.grants.relayed.write(new Uint8Array(3)); out.wrote = true; } catch (e) { out.write = err(e); }
    try { await rt.grants.relayed.send(new Uint8Array(3), 8080, '127.0.0.1'); out.sent = true; } catch (e) { out.send = err(e); }
  `, { relayed });
  const r = await report(h);
  h.kill();
  relay.kill();
  assertEqual(r.got, undefined);
  assertEqual(r.refused.code, 'ERR_ACCESS_DENIED');
  assertMatch(r.refused.message, /app 'thief'/);
  assertEqual(r.write?.code, 'ERR_ACCESS_DENIED', "writing on the relay's connection");
  assertEqual(r.send?.code, 'ERR_ACCESS_DENIED', "sending on the relay's socket");
});

test('revocation: an open connection fails at its next write and a new one is refused', async () => {
  const h = rt.spawn({ source: `${HELPERS}
    let conn;
    rt.export({
      open: async () => { conn = (await connect('127.0.0.1', 8080)).conn; return true; },
      write: async (t) => { try { await conn.write(new TextEncoder().encode(t)); return 'sent'; } catch (e) { return e.code; } },
      again: async () => { try { await connect('127.0.0.1', 8080); return 'connected'; } catch (e) { return e.code; } },
    });` }, { name: 'tenant', permissions: { net: { connect: ['127.0.0.1:8080'] } }, grant: { net: network } });
  const t = await h.interface;
  assertEqual(await t.open(), true);
  assertEqual(await t.write('one'), 'sent');
  rt.permissions.revoke(h.id, { net: { connect: ['127.0.0.1:8080'] } });
  assertEqual(await t.write('two'), 'ERR_ACCESS_DENIED');
  assertEqual(await t.again(), 'ERR_ACCESS_DENIED');
  assertEqual(rt.permissions.auditLog().some((l) => /denied net\.connect 127\.0\.0\.1:8080 to app 'tenant'/.test(l)), true);
  h.kill();
});

test('the system keeps running', async () => {
  await assertAlive();
  server.kill();
  netHandle.kill();
});
