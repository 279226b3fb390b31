// node:fs behaviour with Node as the oracle: fs-oracle.test.sh runs this script under Node
// (on a fresh host directory) and under rtjs (on /tmp) and compares what it prints line by
// line: results, error codes, syscalls and messages (the directory written as <d>).
//   fs-oracle.mjs DIR
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Buffer } from 'node:buffer';

const d = process.argv[2];
const show = (v) => String(JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n` : x))).split(d).join('<d>');
const results = [];
async function t(name, fn) {
  let line;
  try {
    line = `${name}: ${show(await fn())}`;
  } catch (e) {
    line = `${name}: throws ${e.code} ${e.syscall ?? ''} ${String(e.message).split(d).join('<d>')}`;
  }
  results.push(line);
}
const cb = (fn, ...args) => new Promise((resolve, reject) => fn(...args, (err, ...v) => (err ? reject(err) : resolve(v))));
const read = (stream) => new Promise((resolve, reject) => {
  const chunks = [];
  stream.on('data', (c) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c)).on('end', () => resolve(Buffer.concat(chunks).toString()))
    .on('error', reject);
});

await fsp.mkdir(d, { recursive: true });
await t('writeFile+readFile utf8', async () => { await fsp.writeFile(`${d}/a.txt`, 'héllo'); return fsp.readFile(`${d}/a.txt`, 'utf8'); });
await t('readFile is a Buffer', async () => Buffer.isBuffer(await fsp.readFile(`${d}/a.txt`)));
await t('readFile hex', () => fsp.readFile(`${d}/a.txt`, 'hex'));
await t('readFile base64 option object', () => fsp.readFile(`${d}/a.txt`, { encoding: 'base64' }));
await t('writeFile base64', async () => { await fsp.writeFile(`${d}/b.bin`, 'AAECAw==', 'base64'); return [...await fsp.readFile(`${d}/b.bin`)]; });
await t('appendFile', async () => { await fsp.appendFile(`${d}/a.txt`, '!'); return fsp.readFile(`${d}/a.txt`, 'utf8'); });
await t('readFile missing', () => fsp.readFile(`${d}/missing`));
await t('readFile a directory', () => fsp.readFile(d));
await t('writeFile under a file', () => fsp.writeFile(`${d}/a.txt/x`, 'x'));
await t('mkdir existing', () => fsp.mkdir(d));
await t('mkdir recursive returns the first made', () => fsp.mkdir(`${d}/m/n/o`, { recursive: true }));
await t('mkdir recursive existing', () => fsp.mkdir(`${d}/m/n`, { recursive: true }));
await t('mkdir under a missing parent', () => fsp.mkdir(`${d}/nope/x`));
await t('rmdir not empty', () => fsp.rmdir(`${d}/m`));
await t('rmdir a file', () => fsp.rmdir(`${d}/a.txt`));
await t('unlink a directory', () => fsp.unlink(`${d}/m`));
await t('unlink missing', () => fsp.unlink(`${d}/missing`));
await t('readdir sorted', async () => (await fsp.readdir(d)).sort());
await t('readdir withFileTypes', async () => (await fsp.readdir(d, { withFileTypes: true }))
  .map((e) => `${e.name}:${e.isFile()}:${e.isDirectory()}`).sort());
await t('readdir recursive', async () => (await fsp.readdir(`${d}/m`, { recursive: true })).sort());
await t('readdir a file', () => fsp.readdir(`${d}/a.txt`));
await t('rename onto a non-empty directory', async () => { await fsp.mkdir(`${d}/e`); return fsp.rename(`${d}/e`, `${d}/m`); });
await t('rename a directory into itself', () => fsp.rename(`${d}/m`, `${d}/m/n/inside`));
await t('rename a file over a directory', () => fsp.rename(`${d}/a.txt`, `${d}/e`));
await t('rename a directory over a file', () => fsp.rename(`${d}/e`, `${d}/a.txt`));
await t('rename missing', () => fsp.rename(`${d}/missing`, `${d}/x`));
await t('rename a file over a file', async () => { await fsp.writeFile(`${d}/c.txt`, 'c'); await fsp.rename(`${d}/c.txt`, `${d}/b.bin`); return fsp.readFile(`${d}/b.bin`, 'utf8'); });
await t('open wx on existing', () => fsp.open(`${d}/a.txt`, 'wx'));
await t('open r on missing', () => fsp.open(`${d}/missing`, 'r'));
await t('open bad flags', () => fsp.open(`${d}/a.txt`, 'rw'));
await t('read from a write-only handle', async () => {
  const fh = await fsp.open(`${d}/w.txt`, 'w');
  try { return await fh.read(Buffer.alloc(4), 0, 4, 0); } finally { await fh.close(); }
});
await t('append ignores the position', async () => {
  const fh = await fsp.open(`${d}/w.txt`, 'a');
  await fh.write('one');
  await fh.write('two', 0);
  await fh.close();
  return fsp.readFile(`${d}/w.txt`, 'utf8');
});
await t('handle read past the end', async () => {
  const fh = await fsp.open(`${d}/w.txt`, 'r');
  try { return (await fh.read(Buffer.alloc(4), 0, 4, 100)).bytesRead; } finally { await fh.close(); }
});
await t('write past the end zero-fills', async () => {
  const fh = await fsp.open(`${d}/z.bin`, 'w+');
  await fh.write(Buffer.from([9]), 0, 1, 4);
  const st = await fh.stat();
  await fh.close();
  return [st.size, [...await fsp.readFile(`${d}/z.bin`)]];
});
await t('truncate grows and shrinks', async () => {
  await fsp.truncate(`${d}/z.bin`, 7);
  const a = (await fsp.stat(`${d}/z.bin`)).size;
  await fsp.truncate(`${d}/z.bin`, 2);
  return [a, [...await fsp.readFile(`${d}/z.bin`)]];
});
await t('filehandle.truncate on a read-only handle', async () => {
  const fh = await fsp.open(`${d}/z.bin`, 'r');
  try { return await fh.truncate(0); } finally { await fh.close(); }
});
await t('stat', async () => { const s = await fsp.stat(`${d}/a.txt`); return [s.size, s.isFile(), s.isDirectory(), s.isSymbolicLink()]; });
await t('stat bigint', async () => { const s = await fsp.stat(`${d}/a.txt`, { bigint: true }); return [s.size, typeof s.mtimeNs, s.isFile()]; });
await t('stat missing', () => fsp.stat(`${d}/missing`));
await t('stat trailing slash on a file', () => fsp.stat(`${d}/a.txt/`));
await t('access missing', () => fsp.access(`${d}/missing`));
await t('access existing', () => fsp.access(`${d}/a.txt`, fs.constants.R_OK | fs.constants.W_OK));
await t('mkdtemp', async () => /^<d>\/tmp-[A-Za-z0-9]{6}$/.test(show(await fsp.mkdtemp(`${d}/tmp-`)).slice(1, -1)));
await t('cp recursive', async () => { await fsp.cp(`${d}/m`, `${d}/m2`, { recursive: true }); return (await fsp.readdir(`${d}/m2`, { recursive: true })).sort(); });
await t('cp a directory without recursive', () => fsp.cp(`${d}/m`, `${d}/m3`));
await t('rm recursive', async () => { await fsp.rm(`${d}/m2`, { recursive: true }); return (await fsp.readdir(d)).includes('m2'); });
await t('rm force on missing', () => fsp.rm(`${d}/missing`, { force: true }));
await t('rm missing', () => fsp.rm(`${d}/missing`));
await t('rm a directory without recursive', () => fsp.rm(`${d}/m`));
await t('copyFile', async () => { await fsp.copyFile(`${d}/a.txt`, `${d}/copy.txt`); return fsp.readFile(`${d}/copy.txt`, 'utf8'); });
await t('copyFile EXCL existing', () => fsp.copyFile(`${d}/a.txt`, `${d}/copy.txt`, fs.constants.COPYFILE_EXCL));
await t('copyFile missing', () => fsp.copyFile(`${d}/missing`, `${d}/copy2.txt`));
await t('symlink + readlink + lstat', async () => {
  await fsp.symlink('a.txt', `${d}/link`);
  return [await fsp.readlink(`${d}/link`), (await fsp.lstat(`${d}/link`)).isSymbolicLink(), await fsp.readFile(`${d}/link`, 'utf8')];
});
await t('realpath through a link', () => fsp.realpath(`${d}/link`));
await t('symlink existing', () => fsp.symlink('a.txt', `${d}/link`));
await t('readlink of a file', () => fsp.readlink(`${d}/a.txt`));
await t('name too long', () => fsp.writeFile(`${d}/${'n'.repeat(256)}`, 'x'));
await t('utimes', async () => { await fsp.utimes(`${d}/a.txt`, 1000000, 2000000); return Math.round((await fsp.stat(`${d}/a.txt`)).mtimeMs / 1000); });
await t('createReadStream start/end', () => read(fs.createReadStream(`${d}/a.txt`, { start: 1, end: 3 })));
await t('createReadStream encoding', () => read(fs.createReadStream(`${d}/a.txt`, { encoding: 'utf8' })));
await t('createReadStream missing', () => read(fs.createReadStream(`${d}/missing`)));
await t('createWriteStream flags a', () => new Promise((resolve, reject) => {
  fs.createWriteStream(`${d}/a.txt`, { flags: 'a' }).on('error', reject).on('close', () => resolve(fsp.readFile(`${d}/a.txt`, 'utf8'))).end('+more');
}));
await t('createWriteStream bytesWritten', () => new Promise((resolve, reject) => {
  const ws = fs.createWriteStream(`${d}/ws.txt`);
  ws.on('error', reject).on('finish', () => resolve(ws.bytesWritten));
  ws.write('abc');
  ws.end(Buffer.from('de'));
}));
await t('callback readFile', async () => (await cb(fs.readFile, `${d}/a.txt`, 'utf8'))[0]);
await t('callback open/write/read/close', async () => {
  const [fd] = await cb(fs.open, `${d}/cb.txt`, 'w+');
  const [n] = await cb(fs.write, fd, 'hello', 0);
  const buf = Buffer.alloc(5);
  const [r] = await cb(fs.read, fd, buf, 0, 5, 0);
  await cb(fs.close, fd);
  return [typeof fd, n, r, buf.toString()];
});
await t('callback fstat on a closed fd', async () => {
  const [fd] = await cb(fs.open, `${d}/cb.txt`, 'r');
  await cb(fs.close, fd);
  return cb(fs.fstat, fd);
});
await t('exists', async () => [await new Promise((r) => fs.exists(`${d}/a.txt`, r)), await new Promise((r) => fs.exists(`${d}/missing`, r))]);
await t('opendir', async () => { const out = []; for await (const e of await fsp.opendir(`${d}/m`)) out.push(e.name); return out.sort(); });
await t('path with a NUL', () => fsp.readFile(`${d}/a\0b`));
await t('path not a string', () => fsp.readFile(42));
await t('readFile via file URL', () => fsp.readFile(new URL(`file://${d}/a.txt`), 'utf8'));
console.log(results.join('\n'));
