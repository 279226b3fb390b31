// The disk as a service: init starts the file service app on the virtio-blk disk and grants
// two apps different subtrees of /disk; each writes with node:fs through the service, is
// refused the other's files, and an app killed with files open leaves none open.
// file-service.test.sh then checks the volume with fsck.fat -n and mtools.
import { startFiles } from 'rtjs:services/vfs/launch.js';

let failed = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (!ok) failed++;
}

const { files, handle: service } = await startFiles();
check((await files.mounts()).some((m) => m.path === '/disk' && m.fs === 'fat32'), 'the service mounted the disk at /disk');

const writer = `
import fs from 'node:fs/promises';
const me = rt.self.name;
const out = {};
async function attempt(name, fn) {
  try { out[name] = await fn(); } catch (e) { out[name] = { code: e.code, message: e.message }; }
}
await attempt('mkdir', () => fs.mkdir('/disk/' + me + '/sub', { recursive: true }));
await attempt('write', async () => {
  const data = new Uint8Array(300000).map((_, i) => (i * 13 + me.length) & 0xff);
  await fs.writeFile('/disk/' + me + '/sub/data.bin', data);
  const back = await fs.readFile('/disk/' + me + '/sub/data.bin');
  return back.length === data.length && back.every((b, i) => b === data[i]);
});
await attempt('note', async () => { await fs.writeFile('/disk/' + me + '/note.txt', 'hello from ' + me); return true; });
await attempt('rename', async () => { await fs.rename('/disk/' + me + '/note.txt', '/disk/' + me + '/NOTE2.TXT'); return true; });
await attempt('host', () => fs.readFile('/disk/HOST.TXT', 'utf8'));
await attempt('other', () => fs.readdir('/disk/' + (me === 'alice' ? 'bob' : 'alice')));
await attempt('dotdot', () => fs.writeFile('/disk/' + me + '/../evil.txt', 'x'));
await attempt('root', () => fs.readdir('/disk'));
await rt.grants.report(out);
`;
const results = {};
async function run(name) {
  const fs = await files.forApp(name, { read: ['/disk/HOST.TXT'], write: [`/disk/${name}`] });
  const h = rt.spawn({ source: writer }, { name, grant: { fs, report: (out) => { results[name] = out; } } });
  return h.exited;
}
// alice first: bob's directory does not exist yet when alice looks (EACCES, not ENOENT).
await run('alice');
await run('bob');
for (const name of ['alice', 'bob']) {
  const r = results[name];
  check(r.write === true, `${name}: 300,000 bytes written and read back through the service`);
  check(r.note === true && r.rename === true, `${name}: a note written and renamed`);
  check(r.host === 'from the host\n', `${name}: the host's file is readable (a read grant)`);
  check(r.other?.code === 'EACCES' && r.other.message.includes(`app '${name}'`), `${name}: the other's directory is EACCES naming the app (${r.other?.message})`);
  check(r.dotdot?.code === 'EACCES', `${name}: '..' out of its subtree is EACCES`);
  check(r.root?.code === 'EACCES', `${name}: listing /disk is EACCES`);
}

// A client killed with files open: the service closes them.
let opened;
const ready = new Promise((resolve) => { opened = resolve; });
const holder = rt.spawn({
  source: `
    import fs from 'node:fs/promises';
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await fs.open('/disk/alice/open' + i + '.txt', 'w'));
    await held[0].write('kept');
    await rt.grants.opened(held.length);
    setInterval(() => {}, 1000);
  `,
}, { name: 'holder', grant: { fs: await files.forApp('holder', { write: ['/disk/alice'] }), opened: (n) => opened(n) } });
check(await ready === 4 && await files.openFiles(holder.id) === 4, 'the holder has 4 files open in the service');
holder.kill();
await holder.exited;
check(await files.openFiles(holder.id) === 0, 'after the holder was killed, none is open');

await files.shutdown();
service.kill();
await service.exited;
console.log(failed ? `${failed} failed` : 'all passed');
