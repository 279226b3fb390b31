// node:fs and node:fs/promises over the app's namespace (tmpfs at '/', /tmp): Node's
// callback conventions, descriptor numbers, and Node's errors.
import { test, assertEqual } from './harness.js';
import fs from '../../js/node/fs.js';
import * as fsp from '../../js/node/fs/promises.js';

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
