// node:fs and node:fs/promises over the app's namespace (tmpfs at '/', /tmp): Node's
// callback conventions, descriptor numbers, and Node's errors.
import { test, assertEqual } from './harness.js';
import fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { Buffer } from 'node:buffer';

const cb = (fn, ...args) => new Promise((resolve, reject) => {
  let sync = true;
  fn(...args, (err, ...values) => {
    if (sync) reject(new Error('the callback ran synchronously'));
    else if (err) reject(err);
    else resolve(values);
  });
  sync = false;
});

test('fs/promises: write, read, stat, readdir in /tmp', async () => {
  await fsp.writeFile('/tmp/a.txt', 'alpha');
  assertEqual(await fsp.readFile('/tmp/a.txt', 'utf8'), 'alpha');
  assertEqual((await fsp.stat('/tmp/a.txt')).size, 5);
  assertEqual((await fsp.readdir('/tmp')).includes('a.txt'), true);
  const fh = await fsp.open('/tmp/a.txt', 'r');
  assertEqual(fh.fd >= 3, true, 'a FileHandle has a descriptor number');
  await fh.close();
});

test('callback fs: open gives a descriptor; read, write, fstat, close by number', async () => {
  const [fd] = await cb(fs.open, '/tmp/b.bin', 'w+');
  assertEqual(Number.isInteger(fd) && fd >= 3, true);
  const [written] = await cb(fs.write, fd, new Uint8Array([1, 2, 3, 4]), 0, 4, 0);
  assertEqual(written, 4);
  await cb(fs.write, fd, 'xy', 4);
  const buf = new Uint8Array(6);
  const [bytesRead, same] = await cb(fs.read, fd, buf, 0, 6, 0);
  assertEqual([bytesRead, same === buf, [...buf]], [6, true, [1, 2, 3, 4, 120, 121]]);
  const [st] = await cb(fs.fstat, fd);
  assertEqual(st.size, 6);
  await cb(fs.fsync, fd);
  await cb(fs.close, fd);
  let err;
  try { await cb(fs.fstat, fd); } catch (e) { err = e; }
  assertEqual(err && err.code, 'EBADF');
});

test('callback fs: errors arrive as the first argument with Node codes', async () => {
  let err;
  try { await cb(fs.readFile, '/tmp/missing'); } catch (e) { err = e; }
  assertEqual([err.code, err.syscall, err.path], ['ENOENT', 'open', '/tmp/missing']);
  await cb(fs.mkdir, '/tmp/d/e', { recursive: true });
  await cb(fs.writeFile, '/tmp/d/e/f', 'x');
  try { await cb(fs.rmdir, '/tmp/d'); } catch (e) { err = e; }
  assertEqual(err.code, 'ENOTEMPTY');
  await cb(fs.rm, '/tmp/d', { recursive: true });
  const [names] = await cb(fs.readdir, '/tmp');
  assertEqual(names.includes('d'), false);
});

test('a callback that is not a function is a TypeError thrown at once', () => {
  let err;
  try { fs.stat('/tmp'); } catch (e) { err = e; }
  assertEqual(err && err.code, 'ERR_INVALID_ARG_TYPE');
});

test('descriptors are reused lowest first after close', async () => {
  const [a] = await cb(fs.open, '/tmp/one', 'w');
  const [b] = await cb(fs.open, '/tmp/two', 'w');
  await cb(fs.close, a);
  const [c] = await cb(fs.open, '/tmp/three', 'w');
  assertEqual(c, a);
  await cb(fs.close, b);
  await cb(fs.close, c);
});

test('readFile gives a Buffer, or a string in the encoding asked for; writeFile takes encodings', async () => {
  await fsp.writeFile('/tmp/enc', 'aGVsbG8=', 'base64');
  const buf = await fsp.readFile('/tmp/enc');
  assertEqual([Buffer.isBuffer(buf), buf.toString()], [true, 'hello']);
  assertEqual(await fsp.readFile('/tmp/enc', 'hex'), '68656c6c6f');
  assertEqual(JSON.parse(await (async () => { await fsp.writeFile('/tmp/j', '{"a":1}'); return fsp.readFile('/tmp/j'); })()), { a: 1 });
  const [text] = await cb(fs.readFile, '/tmp/enc', { encoding: 'latin1' });
  assertEqual(text, 'hello');
});

test('createWriteStream and createReadStream: pipe, start/end, encoding, open and close events', async () => {
  const events = [];
  await new Promise((resolve, reject) => {
    const ws = fs.createWriteStream('/tmp/stream.txt');
    ws.on('open', (fd) => events.push(`open ${typeof fd}`)).on('error', reject).on('close', resolve);
    for (let i = 0; i < 1000; i++) ws.write(`line ${i}\n`);
    ws.end('end\n');
  });
  const expected = `${Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join('')}end\n`;
  assertEqual(await fsp.readFile('/tmp/stream.txt', 'utf8'), expected);
  const read = (options) => new Promise((resolve, reject) => {
    const chunks = [];
    fs.createReadStream('/tmp/stream.txt', options).on('data', (c) => chunks.push(c)).on('error', reject)
      .on('end', () => resolve(chunks));
  });
  const small = await read({ highWaterMark: 100 });
  assertEqual([small.length > 10, Buffer.concat(small).toString() === expected], [true, true]);
  assertEqual((await read({ start: 5, end: 11, encoding: 'utf8' })).join(''), '0\nline ');
  assertEqual(events, ['open number']);
  const err = await new Promise((resolve) => fs.createReadStream('/tmp/none').on('error', resolve));
  assertEqual(err.code, 'ENOENT');
  let thrown;
  try { fs.createReadStream('/tmp/stream.txt', { start: 10, end: 2 }); } catch (e) { thrown = e; }
  assertEqual(thrown && thrown.code, 'ERR_OUT_OF_RANGE');
});

test('a write stream at a start offset over an existing file (flags r+)', async () => {
  await fsp.writeFile('/tmp/patch', 'aaaaaaaaaa');
  await new Promise((resolve, reject) => {
    fs.createWriteStream('/tmp/patch', { flags: 'r+', start: 3 }).on('error', reject).on('finish', resolve).end('XYZ');
  });
  await new Promise((r) => setTimeout(r, 0));
  assertEqual(await fsp.readFile('/tmp/patch', 'utf8'), 'aaaXYZaaaa');
});

test('mkdtemp, cp (recursive), readdir recursive, stat bigint, exists, opendir', async () => {
  const dir = await fsp.mkdtemp('/tmp/work-');
  assertEqual(/^\/tmp\/work-[A-Za-z0-9]{6}$/.test(dir), true, dir);
  await fsp.mkdir(`${dir}/src/a/b`, { recursive: true });
  await fsp.writeFile(`${dir}/src/top`, 't');
  await fsp.writeFile(`${dir}/src/a/b/deep`, 'd');
  await fsp.cp(`${dir}/src`, `${dir}/dst`, { recursive: true });
  assertEqual((await fsp.readdir(`${dir}/dst`, { recursive: true })).sort(), ['a', 'a/b', 'a/b/deep', 'top']);
  assertEqual(await fsp.readFile(`${dir}/dst/a/b/deep`, 'utf8'), 'd');
  let err;
  try { await fsp.cp(`${dir}/src`, `${dir}/other`); } catch (e) { err = e; }
  assertEqual(err && err.code, 'ERR_FS_EISDIR');
  const big = await fsp.stat(`${dir}/src/top`, { bigint: true });
  assertEqual([typeof big.size, big.size, typeof big.mtimeNs, big.isFile()], ['bigint', 1n, 'bigint', true]);
  assertEqual(await new Promise((r) => fs.exists(`${dir}/src/top`, r)), true);
  assertEqual(await new Promise((r) => fs.exists(`${dir}/nope`, r)), false);
  const names = [];
  for await (const d of await fsp.opendir(`${dir}/src`)) names.push(`${d.name}:${d.isDirectory()}`);
  assertEqual(names.sort(), ['a:true', 'top:false']);
  await fsp.rm(dir, { recursive: true });
  assertEqual(await new Promise((r) => fs.exists(dir, r)), false);
});
