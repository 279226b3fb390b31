// The file service checks the calling app's permissions on every path it resolves (after
// links: the path the file system really uses), on top of the grant its interface was made
// with: a subtree outside the app's fs permissions, a link out of it, '..', a revoked
// subtree, a forwarded interface: each ERR_ACCESS_DENIED naming the app.
import { test, assertEqual, assertMatch } from '../harness.js';
import { assertAlive } from './hostile.js';
import { Vfs } from 'rtjs:services/vfs/vfs.js';
import { Tmpfs } from 'rtjs:services/vfs/tmpfs.js';
import { fileService } from 'rtjs:services/vfs/service.js';

const vfs = new Vfs(new Tmpfs());
await vfs.mkdir('/data');
await vfs.mount('/data', new Tmpfs()); // the service serves its mounts (the app's own '/' stays its own)
for (const d of ['alice', 'bob', 'alice/secret']) await vfs.mkdir(`/data/${d}`);
await vfs.writeFile('/data/alice/a.txt', 'alice was here');
await vfs.writeFile('/data/alice/secret/s.txt', 'hidden');
await vfs.writeFile('/data/bob/b.txt', 'bob only');
await vfs.symlink('/data/bob', '/data/alice/link');
const service = fileService(vfs);
// The interface's own grant is wide (all of /data): the permissions are what narrow it.
const wide = () => service.forApp('client', { read: ['/data'], write: ['/data'] });

const PROBE = `
import fs from 'node:fs/promises';
const out = {};
const attempt = async (name, fn) => { try { out[name] = await fn(); } catch (e) { out[name] = { code: e.code, message: e.message }; } };
`;

function client(name, permissions, body, grant = {}) {
  const h = rt.spawn({ source: `${PROBE}
    rt.export({ run: async () => { ${body}; return out; } });` }, { name, permissions, grant: { fs: wide(), ...grant } });
  return h;
}

test('reading and writing within the fs permissions only; links and .. resolve first', async () => {
  const h = client('alice', { fs: { read: ['/data/alice'], write: ['/data/alice/out'] } }, `
    await attempt('own', () => fs.readFile('/data/alice/a.txt', 'utf8'));
    await attempt('other', () => fs.readFile('/data/bob/b.txt', 'utf8'));
    await attempt('dotdot', () => fs.readFile('/data/alice/../bob/b.txt', 'utf8'));
    await attempt('link', () => fs.readFile('/data/alice/link/b.txt', 'utf8'));
    await attempt('write', () => fs.writeFile('/data/alice/a.txt', 'changed'));
    await attempt('mkdir', () => fs.mkdir('/data/alice/out'));
    await attempt('writeOut', () => fs.writeFile('/data/alice/out/x', 'ok'));
    await attempt('list', () => fs.readdir('/data/alice'));
  `);
  const r = await (await h.interface).run();
  h.kill();
  assertEqual(r.own, 'alice was here');
  for (const k of ['other', 'dotdot', 'link']) {
    assertEqual(r[k].code, 'ERR_ACCESS_DENIED', k);
    assertMatch(r[k].message, /app 'alice' \(id \d+\) may not read \/data\/bob/);
  }
  assertMatch(r.link.message, /grant it with --allow-read=\/data\/bob/);
  assertEqual(r.write.code, 'ERR_ACCESS_DENIED');
  assertMatch(r.write.message, /may not write \/data\/alice\/a\.txt/);
  assertEqual(await vfs.readFile('/data/alice/a.txt', 'utf8'), 'alice was here');
  assertEqual(r.writeOut, undefined);
  assertEqual(await vfs.readFile('/data/alice/out/x', 'utf8'), 'ok');
  assertEqual(r.list, ['a.txt', 'link', 'out', 'secret']);
});

test('an app with no fs permission reaches nothing through a wide interface; forwarding lends nothing', async () => {
  const owner = client('owner', { fs: { read: ['/data'] } }, `
    await attempt('own', () => fs.readFile('/data/bob/b.txt', 'utf8'));
  `);
  const ownerApi = await owner.interface;
  assertEqual((await ownerApi.run()).own, 'bob only');
  const h = client('nobody', {}, `
    await attempt('read', () => fs.readFile('/data/alice/a.txt', 'utf8'));
    await attempt('stat', () => fs.stat('/data'));
  `);
  const r = await (await h.interface).run();
  h.kill();
  owner.kill();
  assertEqual(r.read.code, 'ERR_ACCESS_DENIED');
  assertEqual(r.stat.code, 'ERR_ACCESS_DENIED');
});

test('revocation: a revoked subtree fails from the next call', async () => {
  const h = client('tenant', { fs: { read: ['/data/alice'] } }, `
    await attempt('before', () => fs.readFile('/data/alice/secret/s.txt', 'utf8'));
    await rt.grants.revoked();
    await attempt('after', () => fs.readFile('/data/alice/secret/s.txt', 'utf8'));
    await attempt('upper', () => fs.readFile('/data/ALICE/SECRET/s.txt', 'utf8'));
    await attempt('rest', () => fs.readFile('/data/alice/a.txt', 'utf8'));
  `, { revoked: () => { rt.permissions.revoke(h.id, { fs: { read: ['/data/alice/secret'] } }); } });
  const r = await (await h.interface).run();
  h.kill();
  assertEqual(r.before, 'hidden');
  assertEqual(r.after.code, 'ERR_ACCESS_DENIED');
  assertEqual(r.upper.code === 'ERR_ACCESS_DENIED' || r.upper.code === 'ENOENT', true);
  assertEqual(r.rest, 'alice was here');
  await assertAlive();
});
