// node:fs's *Sync calls: on tmpfs (/, /tmp) and on the app's own directory (the boot files),
// consistent with the asynchronous calls on the same files; Node's errors and options.
import { test, assertEqual } from './harness.js';
import fs from 'node:fs';
import * as named from 'node:fs';
import * as fsp from 'node:fs/promises';
import { Buffer } from 'node:buffer';

const self = decodeURIComponent(new URL(import.meta.url).pathname);
const dir = self.slice(0, self.lastIndexOf('/'));

// Read at module evaluation, before anything awaited: what a CLI package does with its
// own package.json when it is imported.
const early = fs.readFileSync(self, 'utf8');

const codeOf = (fn) => {
  try { fn(); } catch (e) { return e.code; }
  return 'no error';
};

test('the app\'s own files read synchronously from the start, and are read-only', () => {
  assertEqual(early.startsWith('// node:fs\'s *Sync calls'), true);
  assertEqual(fs.statSync(self).size, Buffer.byteLength(early));
  assertEqual(fs.existsSync(`${dir}/harness.js`), true);
  assertEqual(fs.readdirSync(dir).includes('node-fs-sync.test.js'), true);
  assertEqual(fs.readdirSync(dir, { withFileTypes: true }).find((d) => d.name === 'fixtures').isDirectory(), true);
  assertEqual(fs.realpathSync(`${dir}/fixtures/../harness.js`), `${dir}/harness.js`);
  assertEqual(codeOf(() => fs.writeFileSync(`${dir}/new.txt`, 'x')), 'EROFS');
  assertEqual(codeOf(() => fs.unlinkSync(self)), 'EROFS');
  assertEqual(codeOf(() => fs.readFileSync(`${dir}/no-such-file`)), 'ENOENT');
  const fd = fs.openSync(self, 'r');
  const buf = Buffer.alloc(8);
  assertEqual(fs.readSync(fd, buf, 0, 8, 3), 8);
  assertEqual(buf.toString(), 'node:fs\'');
  assertEqual(fs.readSync(fd, buf, { position: 0, length: 2 }), 2);
  fs.closeSync(fd);
  assertEqual(codeOf(() => fs.fstatSync(fd)), 'EBADF');
});

test('tmpfs: write, append, read, stat, rename, copy, remove, synchronously', async () => {
  fs.mkdirSync('/tmp/s/a/b', { recursive: true });
  fs.writeFileSync('/tmp/s/a/b/f.txt', 'hello');
  fs.appendFileSync('/tmp/s/a/b/f.txt', Buffer.from(' world'));
  assertEqual(fs.readFileSync('/tmp/s/a/b/f.txt', 'utf8'), 'hello world');
  assertEqual(fs.readFileSync('/tmp/s/a/b/f.txt', { encoding: 'base64' }), Buffer.from('hello world').toString('base64'));
  assertEqual(await fsp.readFile('/tmp/s/a/b/f.txt', 'utf8'), 'hello world', 'the async calls see the same files');
  await fsp.writeFile('/tmp/s/async.txt', 'from async');
  assertEqual(fs.readFileSync('/tmp/s/async.txt', 'latin1'), 'from async');
  const st = fs.statSync('/tmp/s/a/b/f.txt');
  assertEqual([st.isFile(), st.size], [true, 11]);
  assertEqual(typeof fs.statSync('/tmp/s/a/b/f.txt', { bigint: true }).size, 'bigint');
  assertEqual(fs.statSync('/tmp/s/none', { throwIfNoEntry: false }), undefined);
  assertEqual(fs.lstatSync('/tmp/s/a').isDirectory(), true);
  fs.renameSync('/tmp/s/a/b/f.txt', '/tmp/s/g.txt');
  fs.copyFileSync('/tmp/s/g.txt', '/tmp/s/h.txt');
  assertEqual(codeOf(() => fs.copyFileSync('/tmp/s/g.txt', '/tmp/s/h.txt', fs.constants.COPYFILE_EXCL)), 'EEXIST');
  fs.symlinkSync('/tmp/s/g.txt', '/tmp/s/link');
  assertEqual([fs.readlinkSync('/tmp/s/link'), fs.realpathSync('/tmp/s/link')], ['/tmp/s/g.txt', '/tmp/s/g.txt']);
  assertEqual(fs.readdirSync('/tmp/s', { recursive: true }).sort(),
    ['a', 'a/b', 'async.txt', 'g.txt', 'h.txt', 'link']);
  fs.truncateSync('/tmp/s/h.txt', 2);
  assertEqual(fs.readFileSync('/tmp/s/h.txt', 'utf8'), 'he');
  fs.utimesSync('/tmp/s/h.txt', 1000, 2000);
  assertEqual(fs.statSync('/tmp/s/h.txt').mtimeMs, 2000000);
  fs.unlinkSync('/tmp/s/h.txt');
  assertEqual(fs.existsSync('/tmp/s/h.txt'), false);
  assertEqual(codeOf(() => fs.rmdirSync('/tmp/s/a')), 'ENOTEMPTY');
  const t = fs.mkdtempSync('/tmp/s/t-');
  assertEqual(/^\/tmp\/s\/t-[A-Za-z0-9]{6}$/.test(t) && fs.statSync(t).isDirectory(), true, t);
  fs.rmSync('/tmp/s', { recursive: true });
  assertEqual(fs.existsSync('/tmp/s'), false);
  fs.rmSync('/tmp/s', { force: true });
});

test('descriptors: openSync, writeSync, readSync, fstatSync, ftruncateSync, fsyncSync, closeSync', async () => {
  const fd = fs.openSync('/tmp/d.bin', 'w+');
  assertEqual(Number.isInteger(fd) && fd >= 3, true);
  assertEqual(fs.writeSync(fd, 'abcdef'), 6);
  assertEqual(fs.writeSync(fd, Buffer.from('XY'), 0, 2, 1), 2);
  assertEqual(fs.writeSync(fd, 'é', null, 'latin1'), 1);
  fs.fsyncSync(fd);
  fs.fdatasyncSync(fd);
  assertEqual(fs.fstatSync(fd).size, 7);
  const buf = Buffer.alloc(7);
  assertEqual(fs.readSync(fd, buf, 0, 7, 0), 7);
  assertEqual(buf.toString('latin1'), 'aXYdefé');
  fs.ftruncateSync(fd, 3);
  assertEqual(fs.readFileSync(fd, 'utf8'), '', 'readFileSync(fd) reads from the descriptor\'s offset');
  fs.closeSync(fd);
  assertEqual(fs.readFileSync('/tmp/d.bin', 'utf8'), 'aXY');
  const [err, data] = await new Promise((resolve) => fs.readFile('/tmp/d.bin', 'utf8', (...a) => resolve(a)));
  assertEqual([err, data], [null, 'aXY']);
  assertEqual(codeOf(() => fs.closeSync(fd)), 'EBADF');
});

test('Node\'s errors and the named exports', () => {
  assertEqual(codeOf(() => fs.readFileSync('/tmp/none')), 'ENOENT');
  let err;
  try { fs.readFileSync('/tmp/none'); } catch (e) { err = e; }
  assertEqual([err.message, err.errno, err.syscall, err.path], ['ENOENT: no such file or directory, open \'/tmp/none\'', -2, 'open', '/tmp/none']);
  assertEqual(codeOf(() => fs.mkdirSync('/tmp')), 'EEXIST');
  assertEqual(codeOf(() => fs.readdirSync('/tmp/none')), 'ENOENT');
  assertEqual(codeOf(() => fs.readFileSync('/tmp')), 'EISDIR');
  assertEqual(codeOf(() => fs.readFileSync(42)), 'EBADF');
  assertEqual(codeOf(() => fs.readFileSync({})), 'ERR_INVALID_ARG_TYPE');
  assertEqual(fs.existsSync({}), false);
  assertEqual(fs.existsSync('/tmp\0'), false);
  assertEqual(typeof named.readFileSync === 'function' && named.existsSync === fs.existsSync, true);
  assertEqual(fs.realpathSync.native, fs.realpathSync);
});
