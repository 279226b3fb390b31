// Permissions at spawn, against apps that want more: a child asking for more than its parent
// holds, a parent polluting its realm to hand on more, a manifest asking for more than the
// parent allows, hardware beyond the grant, revocation and replay, the audit log.
import { test, assertEqual, assertMatch } from '../harness.js';
import { assertAlive } from './hostile.js';

// Runs `body` in a child with `permissions`; resolves to what it exported.
async function inChild(name, permissions, body) {
  const h = rt.spawn({ source: `
    const out = {};
    const err = (e) => ({ code: e.code, message: String(e.message) });
    (async () => { ${body} })().then(() => rt.export(out), (e) => rt.export({ failed: String(e.stack) }));` },
  { name, permissions });
  const r = await h.interface;
  h.kill();
  if (r.failed) throw new Error(r.failed);
  return r;
}

const MID = { net: { listen: ['8000-9000'], connect: ['10.0.2.2:80'] }, fs: { read: ['/tmp'] }, spawn: true };

test('a child asking its parent for more than the parent holds is refused, naming what', async () => {
  const r = await inChild('mid', MID, `
    try { rt.spawn({ source: '' }, { name: 'greedy', permissions: { power: true, net: { listen: ['80', '8080'] }, fs: { read: ['/'] } } }); }
    catch (e) { out.refused = err(e); }
    const ok = rt.spawn({ source: 'rt.export(rt.permissions.held())' }, { name: 'modest', permissions: { net: { listen: ['8080'] } } });
    out.modest = await ok.interface;
    const heir = rt.spawn({ source: 'rt.export(rt.permissions.held())' }, { name: 'heir' });
    out.heir = await heir.interface;
  `);
  assertEqual(r.refused.code, 'ERR_ACCESS_DENIED');
  assertMatch(r.refused.message, /rt\.spawn 'greedy': app 'mid' \(id \d+\) cannot grant what it does not hold: net\.listen '80' \(held: none\); fs\.read '\/' \(held: '\/tmp'\); power/);
  assertEqual(r.modest.net.listen, ['8080']);
  assertEqual(r.modest.spawn, false, 'only what was asked');
  assertEqual(r.heir.net, { listen: ['8000-9000'], connect: ['10.0.2.2:80'], raw: false }, 'no permissions option: the parent\'s');
  assertEqual(r.heir.power, false);
});

test("the broker's module, imported by an app, gives it no way to widen its grant", async () => {
  const r = await inChild('importer', { net: { listen: ['80'] } }, `
    const broker = await import('rtjs:services/access/broker.js');
    const p = await import('rtjs:services/access/permissions.js');
    try { broker.initGrant(['-A'], ''); out.init = 'set'; } catch (e) { out.init = e.message; }
    out.exported = Object.keys(broker).sort().join(',');
    const mine = rt.permissions.held();
    try { mine.power = true; } catch {}
    try { p.all().power = true; } catch {}
    out.power = rt.permissions.allows('power');
    try { rt.permissions.revoke(rt.self.id, { power: false, net: { listen: ['80'] } }); } catch (e) { out.revoke = e.message; }
    out.after = rt.permissions.allows('net.listen', 80);
    try { await import('rtjs:binding'); out.binding = 'imported'; } catch (e) { out.binding = e.message; }
  `);
  assertEqual(r.init, 'initGrant: only init, once, at boot');
  assertEqual(r.exported.includes('grantOf'), false, 'the cached grants are not reachable');
  assertEqual(r.power, false);
  assertEqual(r.after, false, 'revoking from itself only narrows');
  assertMatch(r.binding, /internal to the runtime/);
});

test('an app without the spawn permission cannot start apps', async () => {
  const r = await inChild('nospawn', { net: { listen: ['80'] } }, `
    try { rt.spawn({ source: '' }, { name: 'x' }); } catch (e) { out.refused = err(e); }
  `);
  assertEqual(r.refused.code, 'ERR_ACCESS_DENIED');
  assertMatch(r.refused.message, /app 'nospawn' \(id \d+\) may not start apps \(permission spawn\): grant it with --allow-run/);
});

test('a parent that pollutes its realm cannot hand on more than it holds', async () => {
  const r = await inChild('polluter', MID, `
    for (const key of ['power', 'audit', 'console', 'raw', 'spawn']) {
      Object.defineProperty(Object.prototype, key, { configurable: true, get: () => true, set() {} });
    }
    for (let i = 0; i < 4; i++) Object.defineProperty(Array.prototype, i, { configurable: true, get: () => '/', set() {} });
    Array.prototype.join = () => ' power ';
    Array.prototype.push = function () { return 0; };
    Array.isArray = () => true;
    JSON.stringify = () => '{"power":true,"fs":{"read":["/"]}}';
    JSON.parse = () => ({ power: true });
    Object.keys = () => [];
    String.prototype.startsWith = () => true;
    String.prototype.indexOf = () => 0;
    RegExp.prototype.exec = () => ['x'];
    Object.prototype.toJSON = function () { return { power: true }; };
    const child = rt.spawn({ source: 'rt.export({ power: rt.permissions.allows("power"), root: rt.permissions.allows("fs.read", "/etc"), tmp: rt.permissions.allows("fs.read", "/tmp/a") })' },
      { name: 'pupil', permissions: { fs: { read: ['/tmp'] } } });
    out.child = await child.interface;
    try { rt.spawn({ source: '' }, { name: 'x', permissions: { power: true } }); out.gave = true; } catch (e) { out.refused = err(e); }
  `);
  assertEqual(r.child, { power: false, root: false, tmp: true });
  assertEqual(r.refused.code, 'ERR_ACCESS_DENIED');
});

test("a manifest asking for more than the parent allows gets the intersection; the cut is audited", async () => {
  const h = rt.spawn('../fixtures/access/greedy', { name: 'greedy', permissions: { net: { listen: ['8080'], connect: ['10.0.2.2:80'] } } });
  const r = await h.interface;
  h.kill();
  assertEqual(r.held.net, { listen: ['8080'], connect: ['10.0.2.2:80'], raw: false });
  assertEqual(r.power, false);
  assertEqual(r.listen80, false);
  assertEqual(r.held.env, [], 'the manifest cannot add what the spawn did not give');
  const log = rt.permissions.auditLog();
  assertEqual(log.some((l) => /manifest of 'greedy' asked for more than granted: net\.listen '80'/.test(l)), true, 'audited');
  // Without a permissions option: the parent's grant (all of init's) cut to the manifest.
  const h2 = rt.spawn('../fixtures/access/greedy', { name: 'greedy2' });
  const r2 = await h2.interface;
  h2.kill();
  assertEqual(r2.held.net.listen, ['80', '8080']);
  assertEqual(r2.held.fs, { read: [], write: [] }, 'only what the manifest asks');
});

test('a malformed manifest is an error naming the file and the entry', async () => {
  let error;
  try { rt.spawn('../fixtures/access/bad-manifest', { name: 'bad' }); } catch (e) { error = e; }
  assertMatch(String(error?.message), /bad-manifest\/package\.json: rtjs\.permissions\.net\.listen\[0\]: 'http' is not a port/);
});

test('hardware resources beyond the grant are refused', async () => {
  const r = await inChild('nohw', { spawn: true, hw: { ports: [[0x70, 2]] } }, `
    try { rt.spawn({ source: '' }, { name: 'driver', resources: { ports: [[0x60, 5]] } }); } catch (e) { out.refused = err(e); }
    try { rt.spawn({ source: '' }, { name: 'driver2', permissions: { spawn: true }, resources: { ports: [[0x70, 2]] } }); } catch (e) { out.refused2 = err(e); }
  `);
  assertEqual(r.refused.code, 'ERR_ACCESS_DENIED');
  assertMatch(r.refused.message, /hw\.ports \[96, 5\]/);
  assertEqual(r.refused2.code, 'ERR_ACCESS_DENIED', 'resources need the child to be granted them');
});

test('a device outside the hw permissions is refused before the native check', async () => {
  const r = await inChild('prober', { hw: { ports: [[0x70, 2]] } }, `
    try { rt.hw.ports(0x60, 5); } catch (e) { out.ports = err(e); }
    try { rt.hw.irq(1); } catch (e) { out.irq = err(e); }
    try { rt.hw.memory(0xb8000, 4096); } catch (e) { out.memory = err(e); }
    try { rt.hw.ports(0x70, 2); out.granted = 'opened'; } catch (e) { out.granted = err(e); }
  `);
  for (const k of ['ports', 'irq', 'memory']) assertEqual(r[k].code, 'ERR_ACCESS_DENIED', k);
  assertMatch(r.ports.message, /app 'prober' \(id \d+\) may not use hw\.ports \[96, 5\] \(permission hw\.ports\): grant it with --allow-hw/);
  assertMatch(String(r.granted.message ?? r.granted), /0x70|opened/, 'within the permission, the native check decides');
  assertEqual(r.granted.code, undefined, 'not a permission error');
});

test('revocation: later operations fail; the app cannot take it back, nor revoke its parent', async () => {
  const h = rt.spawn({ source: `
    rt.export({
      can: (kind, target) => rt.permissions.allows(kind, target),
      regrant: () => { try { rt.permissions.revoke(rt.self.id, { }); rt.spawn({ source: '' }, { permissions: { net: { listen: ['80'] } } }); return 'regranted'; } catch (e) { return e.code; } },
      revokeParent: () => { try { rt.permissions.revoke(rt.self.parentId, { power: true }); return 'revoked'; } catch (e) { return e.message; } },
    });` }, { name: 'tenant', permissions: { net: { listen: ['80', '443'] }, fs: { read: ['/disk'] }, spawn: true } });
  const t = await h.interface;
  assertEqual(await t.can('net.listen', 80), true);
  const after = rt.permissions.revoke(h.id, { net: { listen: ['80'] }, fs: { read: ['/disk/private'] } });
  assertEqual(after.net.listen, ['443']);
  assertEqual(await t.can('net.listen', 80), false);
  assertEqual(await t.can('net.listen', 443), true);
  assertEqual(await t.can('fs.read', '/disk/private/x'), false);
  assertEqual(await t.can('fs.read', '/disk/public/x'), true);
  assertEqual(await t.regrant(), 'ERR_ACCESS_DENIED', 'a revoked grant cannot be handed to a child either');
  assertMatch(await t.revokeParent(), /neither app \d+ nor an ancestor of it/);
  assertEqual(rt.permissions.allows('power'), true, 'the parent kept its own');
  h.kill();
  await h.exited;
  let error;
  try { rt.permissions.revoke(h.id, { power: true }); } catch (e) { error = e; }
  assertMatch(String(error?.message), /there is no app/, 'an ended app\'s id names nothing');
});

test("revocation reaches the app's descendants, spawned before it", async () => {
  const h = rt.spawn({ source: `
    const g = rt.spawn({ source: 'rt.export({ can: (k, t) => rt.permissions.allows(k, t) })' }, { name: 'grandchild' });
    const gi = await g.interface;
    rt.export({ grandchild: (k, t) => gi.can(k, t) });` },
  { name: 'parent', permissions: { net: { listen: ['80', '443'] }, spawn: true } });
  const p = await h.interface;
  assertEqual(await p.grandchild('net.listen', 80), true);
  rt.permissions.revoke(h.id, { net: { listen: ['80'] } });
  assertEqual(await p.grandchild('net.listen', 80), false, 'the grandchild lost it too');
  assertEqual(await p.grandchild('net.listen', 443), true);
  h.kill();
});

test('the audit log needs the audit permission', async () => {
  const r = await inChild('snoop', { spawn: true }, `
    try { rt.permissions.auditLog(); } catch (e) { out.refused = err(e); }
  `);
  assertEqual(r.refused.code, 'ERR_ACCESS_DENIED');
  assertMatch(r.refused.message, /may not read the audit log \(permission audit\): grant it with --allow-audit/);
  const log = rt.permissions.auditLog();
  assertEqual(log.some((l) => /app \d+: denied audit  to app 'snoop'/.test(l)), true, 'the denial is in the log');
  const auditor = await inChild('auditor', { audit: true }, 'out.n = rt.permissions.auditLog().length;');
  assertEqual(auditor.n > 0, true);
  await assertAlive();
});

test('confirmation: the hook sees what the manifest would get, and may refuse or narrow it', async () => {
  let seen;
  const refused = await rt.permissions.spawn('../fixtures/access/greedy', { name: 'asked' }, async (app, permissions, cut) => {
    seen = { app, permissions, cut };
    return false;
  }).then(() => 'spawned', (e) => e.code);
  assertEqual(refused, 'ERR_ACCESS_DENIED');
  assertEqual(seen.app.name, 'asked');
  assertEqual(seen.permissions.net.listen, ['80', '8080']);
  assertEqual(seen.permissions.power, true, 'init may grant power: the user is asked');
  const h = await rt.permissions.spawn('../fixtures/access/greedy', { name: 'narrowed' },
    async () => ({ net: { listen: ['8080'] } }));
  const r = await h.interface;
  h.kill();
  assertEqual(r.held.net.listen, ['8080']);
  assertEqual(r.power, false);
  const greedyChild = await inChild('asker', { spawn: true, net: { listen: ['8080'] } }, `
    const h = await rt.permissions.spawn('${new URL('../fixtures/access/greedy', import.meta.url).pathname}', { name: 'g' }, async (app, p, cut) => { out.cut = cut; return true; });
    out.held = (await h.interface).held.net;
  `);
  assertEqual(greedyChild.held, { listen: ['8080'], connect: [], raw: false });
  assertEqual(greedyChild.cut.length > 0, true, 'the hook is told what cannot be granted');
});
