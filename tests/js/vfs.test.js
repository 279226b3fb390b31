// The VFS over tmpfs: paths, open files, Node's error codes, mounts, read-only mounts and
// the views an app gets (granted subtrees only).
import { test, assertEqual } from './harness.js';
import { Vfs } from '../../js/services/vfs/vfs.js';
import { Tmpfs } from '../../js/services/vfs/tmpfs.js';

const text = (s) => new TextEncoder().encode(s);

async function rejects(promise, code, pathPattern) {
  try {
    await promise;
  } catch (err) {
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`);
    if (pathPattern && !pathPattern.test(err.message)) throw new Error(`message ${err.message} does not match ${pathPattern}`);
    return err;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

test('write, read back, stat, append', async () => {
  const vfs = new Vfs(new Tmpfs());
  await vfs.writeFile('/a.txt', 'hello');
  await vfs.appendFile('/a.txt', ', world');
  assertEqual(await vfs.readFile('/a.txt', 'utf8'), 'hello, world');
  const st = await vfs.stat('/a.txt');
  assertEqual([st.size, st.isFile(), st.isDirectory()], [12, true, false]);
  assertEqual((await vfs.stat('/')).isDirectory(), true);
});

test('open files keep their own offsets; positional reads leave them alone', async () => {
  const vfs = new Vfs(new Tmpfs());
  await vfs.writeFile('/f', '0123456789');
  const a = await vfs.open('/f', 'r');
  const b = await vfs.open('/f', 'r+');
  const buf = new Uint8Array(4);
  await a.read(buf, 0, 4);
  assertEqual(new TextDecoder().decode(buf), '0123');
  await a.read(buf, 0, 2, 8);
  assertEqual(new TextDecoder().decode(buf.subarray(0, 2)), '89');
  await a.read(buf, 0, 4);
  assertEqual(new TextDecoder().decode(buf), '4567');
  await b.write(text('AB'));
  await b.write(text('Z'), 0, 1, 9);
  assertEqual(await vfs.readFile('/f', 'utf8'), 'AB2345678Z');
  await a.close();
  await b.close();
  await rejects(a.read(buf), 'EBADF');
});

test('writing past the end leaves a zero-filled hole; truncate shrinks and grows', async () => {
  const vfs = new Vfs(new Tmpfs());
  const h = await vfs.open('/h', 'w+');
  await h.write(text('x'), 0, 1, 5);
  assertEqual([...(await vfs.readFile('/h'))], [0, 0, 0, 0, 0, 120]);
  await h.truncate(2);
  await h.truncate(4);
  assertEqual([...(await vfs.readFile('/h'))], [0, 0, 0, 0]);
  await h.close();
});

test('mkdir, readdir (sorted, with types), rmdir, recursive mkdir and rm', async () => {
  const vfs = new Vfs(new Tmpfs());
  await vfs.mkdir('/d');
  await vfs.writeFile('/d/b', '');
  await vfs.mkdir('/d/a');
  assertEqual(await vfs.readdir('/d'), ['a', 'b']);
  const dirents = await vfs.readdir('/d', { withFileTypes: true });
  assertEqual(dirents.map((d) => [d.name, d.isDirectory()]), [['a', true], ['b', false]]);
  await rejects(vfs.rmdir('/d'), 'ENOTEMPTY', /rmdir '\/d'/);
  assertEqual(await vfs.mkdir('/x/y/z', { recursive: true }), '/x');
  assertEqual(await vfs.mkdir('/x/y/z', { recursive: true }), undefined);
  await vfs.rm('/x', { recursive: true });
  await rejects(vfs.stat('/x'), 'ENOENT', /stat '\/x'/);
});

test("Node's error codes name the call and the path", async () => {
  const vfs = new Vfs(new Tmpfs());
  await vfs.writeFile('/file', 'x');
  await vfs.mkdir('/dir');
  const e = await rejects(vfs.readFile('/missing'), 'ENOENT');
  assertEqual([e.syscall, e.path, e.errno], ['open', '/missing', -2]);
  assertEqual(e.message, "ENOENT: no such file or directory, open '/missing'");
  await rejects(vfs.mkdir('/file'), 'EEXIST', /mkdir '\/file'/);
  await rejects(vfs.readFile('/file/x'), 'ENOTDIR');
  await rejects(vfs.open('/dir', 'w'), 'EISDIR');
  await rejects(vfs.readFile('/dir'), 'EISDIR');
  await rejects(vfs.unlink('/dir'), 'EISDIR');
  await rejects(vfs.rmdir('/file'), 'ENOTDIR');
  await rejects(vfs.open('/file', 'wx'), 'EEXIST');
  await rejects(vfs.readdir('/file'), 'ENOTDIR');
  await rejects(vfs.rename('/dir', '/dir/sub'), 'EINVAL');
  await rejects(vfs.rename('/missing', '/x'), 'ENOENT', /rename '\/missing' -> '\/x'/);
  const h = await vfs.open('/file', 'r');
  await rejects(h.write(text('no')), 'EBADF');
  await h.close();
});

test('rename moves files and directories, replacing a file; open handles follow', async () => {
  const vfs = new Vfs(new Tmpfs());
  await vfs.mkdir('/a');
  await vfs.writeFile('/a/f', 'one');
  await vfs.writeFile('/g', 'two');
  const h = await vfs.open('/a/f', 'r');
  await vfs.rename('/a/f', '/g');
  assertEqual(await vfs.readFile('/g', 'utf8'), 'one');
  assertEqual(await h.readFile('utf8'), 'one');
  await h.close();
  await vfs.rename('/a', '/b');
  assertEqual(await vfs.readdir('/'), ['b', 'g']);
  await vfs.mkdir('/c');
  await vfs.writeFile('/c/x', '');
  await rejects(vfs.rename('/b', '/c'), 'ENOTEMPTY');
  await rejects(vfs.rename('/g', '/b'), 'EISDIR');
});

test('., .. and symbolic links resolve; loops are ELOOP', async () => {
  const vfs = new Vfs(new Tmpfs());
  await vfs.mkdir('/a/b', { recursive: true });
  await vfs.writeFile('/a/b/f', 'F');
  await vfs.symlink('/a/b', '/l');
  await vfs.symlink('b/f', '/a/rel');
  assertEqual(await vfs.readFile('/l/f', 'utf8'), 'F');
  assertEqual(await vfs.readFile('/a/./rel', 'utf8'), 'F');
  assertEqual(await vfs.readFile('/l/../b/f', 'utf8'), 'F');
  assertEqual(await vfs.readFile('/../../a/b/f', 'utf8'), 'F');
  assertEqual(await vfs.realpath('/l/../rel'), '/a/b/f');
  assertEqual(await vfs.readlink('/l'), '/a/b');
  assertEqual((await vfs.lstat('/l')).isSymbolicLink(), true);
  assertEqual((await vfs.stat('/l')).isDirectory(), true);
  await vfs.symlink('/loop2', '/loop1');
  await vfs.symlink('/loop1', '/loop2');
  await rejects(vfs.readFile('/loop1'), 'ELOOP');
  await vfs.unlink('/l');
  assertEqual(await vfs.readFile('/a/b/f', 'utf8'), 'F');
});

test('mounts: crossed by paths and by ..; read-only mounts are EROFS; busy and cross-device', async () => {
  const vfs = new Vfs(new Tmpfs());
  await vfs.mkdir('/mnt');
  await vfs.mkdir('/ro');
  const inner = new Tmpfs();
  await vfs.mount('/mnt', inner);
  await vfs.writeFile('/mnt/in', 'inside');
  assertEqual(await vfs.readdir('/mnt'), ['in']);
  assertEqual(await vfs.readFile('/mnt/../mnt/in', 'utf8'), 'inside');
  assertEqual(await vfs.realpath('/mnt/..'), '/');
  await vfs.writeFile('/top', 't');
  await rejects(vfs.rename('/top', '/mnt/top'), 'EXDEV');
  await rejects(vfs.rmdir('/mnt'), 'EBUSY');
  const ro = new Tmpfs();
  await vfs.mount('/ro', ro, { readOnly: true });
  await rejects(vfs.writeFile('/ro/x', 'x'), 'EROFS', /open '\/ro\/x'/);
  await rejects(vfs.mkdir('/ro/d'), 'EROFS');
  assertEqual(vfs.mounts().map((m) => [m.path, m.readOnly]), [['/', false], ['/mnt', false], ['/ro', true]]);
  await vfs.unmount('/mnt');
  assertEqual(await vfs.readdir('/mnt'), []);
  await rejects(vfs.unmount('/'), 'EINVAL');
});

test('a restricted view sees only its grants; .. and symbolic links never lead out', async () => {
  const vfs = new Vfs(new Tmpfs());
  await vfs.mkdir('/data/sub', { recursive: true });
  await vfs.mkdir('/conf');
  await vfs.mkdir('/secret');
  await vfs.writeFile('/secret/key', 'k');
  await vfs.writeFile('/conf/c', 'c');
  await vfs.symlink('/secret', '/data/escape');
  await vfs.symlink('../secret/key', '/data/rel');
  const app = vfs.restrict('worker', [{ path: '/data', access: 'rw' }, { path: '/conf', access: 'ro' }]);
  await app.writeFile('/data/sub/x', 'ok');
  assertEqual(await app.readFile('/data/sub/../sub/x', 'utf8'), 'ok');
  assertEqual(await app.readFile('/conf/c', 'utf8'), 'c');
  const e = await rejects(app.readFile('/secret/key'), 'EACCES');
  assertEqual(/app 'worker'/.test(e.message) && e.path === '/secret/key', true);
  await rejects(app.readFile('/data/../secret/key'), 'EACCES');
  await rejects(app.readFile('/data/escape/key'), 'EACCES');
  await rejects(app.readFile('/data/rel'), 'EACCES');
  await rejects(app.readFile('/data/escape/missing'), 'EACCES');
  await rejects(app.writeFile('/conf/c', 'x'), 'EACCES');
  await rejects(app.unlink('/conf/c'), 'EACCES');
  await rejects(app.rename('/data/sub/x', '/conf/x'), 'EACCES');
  await rejects(app.readdir('/'), 'EACCES');
  await rejects(app.mount('/data', new Tmpfs()), 'EPERM');
  assertEqual(await app.readdir('/data'), ['escape', 'rel', 'sub']);
  assertEqual(await vfs.readFile('/secret/key', 'utf8'), 'k');
});

test('tmpfs with a byte limit: ENOSPC, and the space comes back after unlink', async () => {
  const vfs = new Vfs(new Tmpfs({ maxBytes: 1000 }));
  await vfs.writeFile('/a', new Uint8Array(800));
  await rejects(vfs.writeFile('/b', new Uint8Array(300)), 'ENOSPC');
  await vfs.unlink('/a');
  await vfs.writeFile('/c', new Uint8Array(900));
  assertEqual((await vfs.stat('/c')).size, 900);
});

test('bad arguments are TypeErrors, not file-system errors', async () => {
  const vfs = new Vfs(new Tmpfs());
  for (const [call, code] of [[() => vfs.stat(42), 'ERR_INVALID_ARG_TYPE'], [() => vfs.stat('/a\0b'), 'ERR_INVALID_ARG_VALUE'],
    [() => vfs.open('/a', 'rw?'), 'ERR_INVALID_ARG_VALUE']]) {
    await rejects(call(), code);
  }
  await rejects(vfs.stat(''), 'ENOENT');
});
