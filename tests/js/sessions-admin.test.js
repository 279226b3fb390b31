// Sessions with the real shell app, on every target: files per role, passwd and useradd
// prompting on the console, and the first boot of a system with no users.
import { test, assertEqual, assertMatch } from './harness.js';
import { UserDb } from 'rtjs:services/sessions/users.js';
import { SessionManager } from 'rtjs:services/sessions/manager.js';
import { fakeConsole, login, prompt, shell, system, until } from './sessions-helpers.js';

test('files: an admin works anywhere, a user only in /tmp and their home', async () => {
  const { manager, vfs } = system();
  await vfs.mkdir('/etc');
  await vfs.writeFile('/etc/secret', 'root only');
  const a = fakeConsole('ttyA'), b = fakeConsole('ttyB');
  manager.attach(a);
  manager.attach(b);
  await login(a, 'alice', 'secret');
  await login(b, 'bob', 'hunter2');
  await until(() => a.text.endsWith(prompt('alice').trimEnd()) && b.text.endsWith(prompt('bob').trimEnd()), 'both prompts');
  assertEqual(await shell(a, 'alice', 'cat /etc/secret'), 'root only');
  await shell(a, 'alice', 'mkdir -p /tmp/x/y');
  await shell(a, 'alice', 'cp /etc/secret /tmp/x');
  await shell(a, 'alice', 'mv /tmp/x/secret /tmp/x/y/moved');
  assertEqual(await shell(a, 'alice', 'ls /tmp/x /tmp/x/y'), '/tmp/x:\ny/\n/tmp/x/y:\nmoved');
  assertEqual(await shell(a, 'alice', 'await cd("/tmp/x/y"); pwd()'), '/tmp/x/y');
  await shell(a, 'alice', 'rm -r /tmp/x');
  assertEqual(await shell(a, 'alice', 'ls /tmp'), '');
  assertMatch(await shell(b, 'bob', 'cat /etc/secret'), /EACCES/);
  assertMatch(await shell(b, 'bob', 'ls /'), /EACCES/);
  await shell(b, 'bob', 'await session.fs.writeFile("/tmp/bob.txt", "mine")');
  assertEqual(await shell(b, 'bob', 'cat /tmp/bob.txt'), 'mine');
  assertEqual(await vfs.readFile('/tmp/bob.txt', 'utf8'), 'mine');
  for (const c of [a, b]) c.type('\x04');
  await until(() => manager.list().length === 0, 'both sessions to end');
});

test('passwd and useradd ask on the console, without echo; the first boot makes an admin', async () => {
  const { manager, users } = system();
  const a = fakeConsole('ttyA');
  manager.attach(a);
  await login(a, 'bob', 'hunter2');
  await until(() => a.text.endsWith(prompt('bob').trimEnd()), 'bob\'s prompt');
  a.type('passwd\r');
  await until(() => a.text.endsWith('Current password:'), 'the current password prompt');
  a.type('hunter2\r');
  await until(() => a.text.endsWith('New password for bob:'), 'the new password prompt');
  a.type('n3w\r');
  await until(() => a.text.endsWith('Retype new password:'), 'the retype prompt');
  a.type('n3w\r');
  await until(() => a.text.includes("password of 'bob' changed"), 'the change');
  assertEqual(a.text.includes('n3w') || a.text.includes('hunter2'), false, 'no password shown');
  assertEqual([(await users.verify('bob', 'n3w'))?.name, await users.verify('bob', 'hunter2')], ['bob', null]);
  assertMatch(await shell(a, 'bob', 'passwd alice'), /permission denied/);
  a.type('\x04');
  await until(() => manager.list().length === 0, 'the logout');

  const empty = new UserDb({ params: { N: 1024, r: 8, p: 1 } });
  const fresh = new SessionManager({ users: empty, vfs: null });
  const f = fakeConsole('ttyF');
  fresh.attach(f);
  await until(() => f.text.endsWith('Name:'), 'the first-boot prompt');
  f.type('root\rtoor\rtoor\r');
  await until(() => f.text.includes("User 'root' (admin) created; log in."), 'the first user');
  assertEqual(empty.get('root'), { name: 'root', uid: 0, role: 'admin' });
  await login(f, 'root', 'toor');
  await until(() => f.text.endsWith('root@rtjs#'), 'root\'s prompt');
  f.type('useradd carol\r');
  await until(() => f.text.endsWith('New password for carol:'), 'useradd\'s prompt');
  f.type('c4rol\rc4rol\r');
  await until(() => f.text.includes("user 'carol' added (uid 1000, user)"), 'carol');
  assertMatch(await shell(f, 'root', 'ls /'), /no file system/);
  f.type('\x04');
  await until(() => fresh.list().length === 0, 'the logout');
});

