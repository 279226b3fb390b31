// The file service between apps: two apps granted different subtrees use node:fs unchanged
// over the service's interface; each is refused the other's files (also through '..' and a
// symbolic link) with EACCES naming it, and an app that is killed leaves no open file behind.
import { test, assertEqual, assertMatch } from './harness.js';
import { Vfs } from 'rtjs:services/vfs/vfs.js';
import { Tmpfs } from 'rtjs:services/vfs/tmpfs.js';
import { fileService } from 'rtjs:services/vfs/service.js';

async function served() {
  const vfs = new Vfs(new Tmpfs());
  await vfs.mkdir('/data');
  await vfs.mount('/data', new Tmpfs());
  for (const d of ['alice', 'bob', 'shared']) await vfs.mkdir(`/data/${d}`);
  await vfs.writeFile('/data/alice/a.txt', 'alice was here');
  await vfs.writeFile('/data/bob/b.txt', 'bob only');
  await vfs.writeFile('/data/shared/s.txt', 'for all');
  await vfs.symlink('/data/bob', '/data/alice/link');
  await vfs.symlink('../bob/b.txt', '/data/alice/rel');
  return { vfs, service: fileService(vfs) };
}

// An app that tries each access and reports { name: result or { code, message } }.
const prober = `
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Buffer } from 'node:buffer';
const me = rt.self.name;
const other = me === 'alice' ? 'bob' : 'alice';
const out = {};
async function attempt(name, fn) {
  try { out[name] = await fn(); } catch (e) { out[name] = { code: e.code, message: e.message, path: e.path }; }
}
await attempt('write', async () => {
  await fs.writeFile('/data/' + me + '/new.txt', 'written by ' + me);
  return fs.readFile('/data/' + me + '/new.txt', 'utf8');
});
await attempt('stream', () => new Promise((resolve, reject) => {
  let text = '';
  createReadStream('/data/' + me + '/new.txt', { encoding: 'utf8', start: 11 })
    .on('data', (d) => { text += d; }).on('end', () => resolve(text)).on('error', reject);
}));
await attempt('handle', async () => {
  const fh = await fs.open('/data/' + me + '/new.txt', 'r+');
  await fh.write('W', 0, 'utf8');
  const buf = Buffer.alloc(7);
  const { bytesRead } = await fh.read(buf, 0, 7, 0);
  const size = (await fh.stat()).size;
  await fh.close();
  return [bytesRead, buf.toString(), size];
});
await attempt('list', async () => (await fs.readdir('/data/' + me, { withFileTypes: true })).map((d) => d.name + ':' + d.isFile()));
await attempt('other', () => fs.readFile('/data/' + other + '/' + other[0] + '.txt', 'utf8'));
await attempt('dotdot', () => fs.readFile('/data/' + me + '/../' + other + '/x', 'utf8'));
await attempt('symlink', () => fs.readFile('/data/alice/link/b.txt', 'utf8'));
await attempt('relLink', () => fs.readFile('/data/alice/rel', 'utf8'));
await attempt('listData', () => fs.readdir('/data'));
await attempt('shared', () => fs.readFile('/data/shared/s.txt', 'utf8'));
await attempt('sharedWrite', () => fs.writeFile('/data/shared/s.txt', 'mine now'));
await attempt('missing', () => fs.stat('/data/' + me + '/nothing'));
await attempt('tmp', async () => { await fs.writeFile('/tmp/t', 'local'); return fs.readFile('/tmp/t', 'utf8'); });
await attempt('exdev', () => fs.rename('/tmp/t', '/data/' + me + '/t'));
await rt.grants.report(out);
`;

test('two apps with different subtrees: each reaches its own files and is refused the other\'s', async () => {
  const { vfs, service } = await served();
  const results = {};
  const run = async (name) => {
    const h = rt.spawn({ source: prober }, {
      name,
      grant: {
        fs: service.forApp(name, { read: ['/data/shared'], write: [`/data/${name}`] }),
        report: (out) => { results[name] = out; },
      },
    });
    assertEqual(await h.exited, { code: 0, reason: 'exit' });
  };
  await Promise.all([run('alice'), run('bob')]);
  for (const name of ['alice', 'bob']) {
    const r = results[name];
    assertEqual(r.write, `written by ${name}`);
    assertEqual(r.stream, name);
    assertEqual(r.handle, [7, 'Written', 10 + name.length + 1]);
    assertEqual(await vfs.readFile(`/data/${name}/new.txt`, 'utf8'), `Written by ${name}`);
    assertEqual(r.other.code, 'EACCES', `${name} reading the other's file`);
    assertMatch(r.other.message, new RegExp(`app '${name}' has no read access to /data/`));
    assertMatch(r.other.message, /grant it with fs: \{ read:/);
    assertEqual(r.dotdot.code, 'EACCES', `${name}: '..' out of its subtree`);
    assertEqual(r.listData.code, 'EACCES', `${name} listing /data`);
    assertEqual(r.shared, 'for all');
    assertEqual(r.sharedWrite.code, 'EACCES', `${name} writing a read-only grant`);
    assertEqual(r.missing.code, 'ENOENT');
    assertEqual(r.tmp, 'local', 'the app\'s own /tmp stays its own');
    assertEqual(r.exdev.code, 'EXDEV');
  }
  // alice's symbolic links lead into bob's files: she is refused, he may not follow hers either.
  assertEqual(results.alice.symlink.code, 'EACCES');
  assertMatch(results.alice.symlink.message, /no read access to \/data\/bob/);
  assertEqual(results.alice.relLink.code, 'EACCES');
  assertEqual(results.bob.symlink.code, 'EACCES');
  assertEqual(results.alice.list, ['a.txt:true', 'link:false', 'new.txt:true', 'rel:false']);
  assertEqual(await vfs.readFile('/data/shared/s.txt', 'utf8'), 'for all');
});

test('an app killed with files open leaves none open in the service', async () => {
  const { vfs, service } = await served();
  let opened;
  const ready = new Promise((resolve) => { opened = resolve; });
  const h = rt.spawn({
    source: `
      import fs from 'node:fs/promises';
      const held = [];
      for (let i = 0; i < 3; i++) held.push(await fs.open('/data/alice/f' + i, 'w'));
      await held[0].write('partial');
      await rt.grants.opened(held.length);
      setInterval(() => {}, 1000);
    `,
  }, { name: 'holder', grant: { fs: service.forApp('holder', { write: ['/data/alice'] }), opened: (n) => opened(n) } });
  assertEqual(await ready, 3);
  assertEqual(service.openFiles(h.id), 3);
  h.kill();
  assertEqual((await h.exited).reason, 'killed');
  assertEqual(service.openFiles(h.id), 0);
  assertEqual(await vfs.readFile('/data/alice/f0', 'utf8'), 'partial');
});

test('a hostile client: unknown calls, bad arguments and a stale handle are errors, not crashes', async () => {
  const { service } = await served();
  const files = service.forApp('mallory', { write: ['/data/alice'] });
  const r1 = await files.call('mount', ['/data', null]);
  assertEqual([r1.e.name, r1.e.code], ['TypeError', 'ERR_INVALID_ARG_VALUE']);
  const r2 = await files.call('read', [12345, 10, 0]);
  assertEqual(r2.e.code, 'EBADF');
  const r3 = await files.call('stat', [42]);
  assertEqual(r3.e.code, 'ERR_INVALID_ARG_TYPE');
  const r4 = await files.call('readFile', ['/data/bob/b.txt']);
  assertEqual(r4.e.code, 'EACCES');
  const r5 = await files.call('read', [(await files.call('open', ['/data/alice/a.txt'])).v, 1e12, 0]);
  assertEqual(r5.v.bytesRead, 14, 'a huge read is a short read');
});

test('a file larger than one call moves in parts both ways', async () => {
  const { vfs, service } = await served();
  const size = (16 << 20) + 5;
  let answer;
  const h = rt.spawn({
    source: `
      import fs from 'node:fs/promises';
      const size = ${size};
      const data = new Uint8Array(size);
      for (let i = 0; i < size; i += 4096) data[i] = (i >>> 12) & 0xff;
      data[size - 1] = 0x5a;
      await fs.writeFile('/data/alice/big.bin', data);
      const back = await fs.readFile('/data/alice/big.bin');
      let same = back.length === size;
      for (let i = 0; same && i < size; i += 4096) same = back[i] === data[i];
      await rt.grants.report([same && back[size - 1] === 0x5a, back.length]);
    `,
  }, { name: 'alice', grant: { fs: service.forApp('alice', { write: ['/data/alice'] }), report: (r) => { answer = r; } } });
  assertEqual(await h.exited, { code: 0, reason: 'exit' });
  assertEqual(answer, [true, size]);
  assertEqual((await vfs.stat('/data/alice/big.bin')).size, size);
  assertEqual(service.openFiles(h.id), 0, 'the parts\' handles are closed');
});

test('the caller\'s own permissions are checked too: an interface grants no more than the app holds', async () => {
  const { service } = await served();
  let out;
  const h = rt.spawn({
    source: `
      import fs from 'node:fs/promises';
      const r = {};
      try { r.read = await fs.readFile('/data/shared/s.txt', 'utf8'); } catch (e) { r.read = e.code; }
      try { await fs.writeFile('/data/alice/x.txt', 'x'); r.write = 'written'; } catch (e) { r.write = [e.code, e.message]; }
      await rt.grants.report(r);
    `,
  }, {
    name: 'limited',
    permissions: { fs: { read: ['/data/shared'] } },
    grant: { fs: service.forApp('limited', { read: ['/data/shared'], write: ['/data/alice'] }), report: (r) => { out = r; } },
  });
  assertEqual((await h.exited).code, 0);
  assertEqual(out.read, 'for all');
  assertEqual(out.write[0], 'ERR_ACCESS_DENIED');
  assertMatch(out.write[1], /app 'limited' \(id \d+\) may not .*\/data\/alice\/x\.txt/);
});
