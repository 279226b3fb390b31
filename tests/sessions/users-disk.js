// The user database on a FAT32 /disk (users-disk.test.sh runs each phase on the same image,
// one boot each, and looks at the image with mtools between):
//   create   no users file yet: seeded from the image's; useradd and passwd write it
//   reboot   what was changed is there after a restart
//   damaged  the file is garbage: a clear error, the image's admin logs in, the file is
//            kept as users.json.bad at the first change
//   noseed   garbage and no image users file: nobody can log in, and no console is offered
//            the first-boot "create the administrator"
import { appVfs } from 'rtjs:services/vfs/namespace.js';
import { openUsers } from 'rtjs:services/sessions/user-store.js';
import { SessionManager } from 'rtjs:services/sessions/manager.js';
import { Terminal } from 'rtjs:services/sessions/terminal.js';

const phase = rt.argv[0];
const PARAMS = { N: 1024, r: 8, p: 1 }; // cheap hashes: this is about storage, not cost
// The image's users file: alice (admin, 'secret') and bob ('hunter2'), as the session tests'.
const seed = JSON.stringify({ users: [
  { name: 'alice', uid: 0, role: 'admin', password: 'scrypt$1024$8$1$nvqAMhG4X7zeyse6+O6K1g==$zWtwxArwfY8GSNzlmgCLOz0CBZuRPYoKkegVx4QMvMc=' },
  { name: 'bob', uid: 1000, role: 'user', password: 'scrypt$1024$8$1$7TNaq339liPjpsY5ZUlprA==$Z3Aeh96WmXvUE1524cfX1jRgF+gNyFZSZnfixn8iRcM=' },
] });
let failed = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (!ok) failed++;
}
const logged = [];
const log = (line) => { logged.push(line); console.log(`log: ${line}`); };
const vfs = await appVfs();
const open = (withSeed = true) => openUsers(vfs, { seed: withSeed ? seed : undefined, seedName: 'users.json', params: PARAMS, log });
const ok = async (db, name, pw) => (await db.verify(name, pw))?.name === name;

if (phase === 'create') {
  const { db, where } = await open();
  check(where === '/disk/etc/users.json', `the users live on the disk (${where})`);
  check(await ok(db, 'alice', 'secret'), 'seeded from the image: alice logs in');
  await db.add('dave', 'user', 'dave-pw');
  await db.setPassword('bob', 'new-bob-pw');
  const text = new TextDecoder().decode(await vfs.readFile('/disk/etc/users.json'));
  check(text.includes('"dave"') && !text.includes('dave-pw'), 'useradd wrote the file, with a hash and not the password');
} else if (phase === 'reboot') {
  const { db } = await open();
  check(await ok(db, 'dave', 'dave-pw'), 'dave, added before the restart, logs in');
  check(await ok(db, 'bob', 'new-bob-pw'), "bob's new password works after the restart");
  check(!(await ok(db, 'bob', 'hunter2')), "bob's old password does not");
} else if (phase === 'damaged') {
  const { db, where, firstAdmin, damaged } = await open();
  check(damaged?.code === 'ERR_USERS_FILE' && /not JSON/.test(damaged.message), `a clear error (${damaged?.message})`);
  check(logged.some((l) => l.includes('/disk/etc/users.json cannot be used') && l.includes('recovering with the users of users.json')), 'the recovery is logged');
  check(where.includes('recovery') && firstAdmin === false, `recovering from the image's users (${where})`);
  check(await ok(db, 'alice', 'secret'), "the image's administrator logs in");
  check(!(await ok(db, 'dave', 'dave-pw')), 'a user only the damaged file knew does not');
  await db.add('erin', 'user', 'erin-pw');
  const names = await vfs.readdir('/disk/etc');
  check(names.includes('users.json.bad') && names.includes('users.json'), `the first change keeps the damaged file aside (${names.join(', ')})`);
  const reread = await open();
  check(reread.damaged === null && await ok(reread.db, 'erin', 'erin-pw') && await ok(reread.db, 'alice', 'secret'), 'the new file reads back whole');
} else if (phase === 'noseed') {
  const { db, firstAdmin, damaged } = await open(false);
  check(damaged !== null && db.size === 0 && firstAdmin === false, 'no users, and no first-boot administrator');
  const term = new Terminal({ cols: 120, rows: 40 });
  let input = null;
  const manager = new SessionManager({ users: db, firstAdmin: `the users file cannot be used (${damaged.message})` });
  manager.attach({ name: 'tty1', columns: 120, write: (t) => term.write(t), setInput: (fn) => { input = fn; } });
  await new Promise((resolve) => setTimeout(resolve, 50));
  input('mallory\r');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const screen = term.text();
  check(/nobody can log in: the users file cannot be used \(users: not JSON/.test(screen), 'the console says why nobody can log in');
  check(!screen.includes('create the administrator') && db.size === 0, 'typing at it creates no one');
  manager.closeConsole('tty1');
} else {
  console.log(`users-disk.js: unknown phase ${phase}`);
  failed++;
}
await vfs.sync();
console.log(failed ? `${failed} failed` : 'all passed');
