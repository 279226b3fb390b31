// Users, logins and sessions without devices, so that it runs on every target (rtjs-sim, the
// ring-0 program on Linux, the kernel): the session manager with consoles that are in-memory
// terminals, the real shell app per session, scrypt through the OpenSSL binding. The VGA and
// keyboard consoles are tests/js/drivers/sessions-vt.test.js and, on the kernel with QEMU's
// sendkey, tests/qemu/ring0/sessions-sendkey.test.sh.
import { test, assertEqual, assertMatch, assertThrows, rejection } from './harness.js';
import { Terminal, keyToInput } from 'rtjs:services/sessions/terminal.js';
import { VirtualConsoles } from 'rtjs:services/sessions/vt.js';
import { UserDb } from 'rtjs:services/sessions/users.js';
import { SessionManager, allowed } from 'rtjs:services/sessions/manager.js';
import { parseCommandLine, resolvePath } from 'rtjs:apps/shell-format.js';
import { Vfs } from 'rtjs:services/vfs/vfs.js';
import { Tmpfs } from 'rtjs:services/vfs/tmpfs.js';
import usersFile from './fixtures/sessions/users.json' with { type: 'json' };

const SLEEPER = new URL('./fixtures/sessions/sleeper.js', import.meta.url).pathname;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// A hang guard only: the kernel under TCG is slow, so waits are generous and end early.
const WAIT_MS = 120000;

let screens = [];
async function until(check, what) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > WAIT_MS) {
      throw new Error(`timed out waiting for ${what}; the consoles:\n${screens.map((c) => `--- ${c.name}\n${c.text}`).join('\n')}`);
    }
    await sleep(10);
  }
}

// A console whose screen is an in-memory terminal, typed at by the test.
function fakeConsole(name) {
  // Wide and tall: no line wraps, nothing scrolls away during a test.
  const term = new Terminal({ cols: 160, rows: 400 });
  let input = null, text = null;
  const c = {
    name, columns: 160, term,
    write: (t) => { term.write(t); text = null; },
    setInput: (fn) => { input = fn; },
    type: (t) => { if (input) input(t); },
    get text() { return (text ??= term.text()); },
  };
  screens.push(c);
  return c;
}

// A fake surface that records what was drawn, as a screen driver would show it.
function fakeSurface(cols = 80, rows = 25) {
  const cells = new Uint8Array(cols * rows).fill(0x20);
  return {
    cols, rows, cursor: [0, 0],
    putCell(r, c, code) { cells[r * cols + c] = code; },
    moveCursor(r, c) { this.cursor = [r, c]; },
    row(r) { return String.fromCharCode(...cells.subarray(r * cols, (r + 1) * cols)).trimEnd(); },
  };
}

test('the terminal interprets what the line editor sends: CR LF, BS, EL, cursor moves, SGR', () => {
  const t = new Terminal({ cols: 10, rows: 3 });
  t.write('abcdef\b\b\x1b[KXY\r\nline2\x1b[3DZ');
  assertEqual([t.rowText(0).trimEnd(), t.rowText(1).trimEnd()], ['abcdXY', 'liZe2']);
  t.write('\x1b[31mR\x1b[0m');
  assertEqual(t.attributeAt(1, 3), 0x04, 'SGR 31 is VGA red (attribute 0x04)');
  assertEqual(t.attributeAt(1, 0), 0x07);
  t.write('\x1b[2J\x1b[H0123456789W'); // the 11th character wraps (VT100: only when it comes)
  assertEqual([t.rowText(0), t.rowText(1).trimEnd()], ['0123456789', 'W']);
  t.write('\n\n\nlast');
  assertEqual(t.text(), '\n\nlast', 'three line feeds from row 1 scroll twice');
  t.write('\x1b[99;99H'); // out of range: clamped
  assertEqual([t.row, t.col], [2, 9]);
});

test('keys become what a VT100 keyboard sends', () => {
  const k = (key, extra = {}) => keyToInput({ key, pressed: true, ctrl: false, alt: false, ...extra });
  assertEqual([k('a'), k('Enter'), k('Backspace'), k('ArrowUp'), k('Delete'), k('Tab')], ['a', '\r', '\x7f', '\x1b[A', '\x1b[3~', '\t']);
  assertEqual([k('c', { ctrl: true }), k('D', { ctrl: true }), k('x', { alt: true })], ['\x03', '\x04', '\x1bx']);
  assertEqual([k('F3'), k('Shift'), keyToInput({ key: 'a', pressed: false, ctrl: false, alt: false })], [null, null, null]);
});

test('virtual consoles: each keeps its own screen; Alt+Fn shows another and redraws it', () => {
  const surface = fakeSurface();
  let onKey = null;
  const vts = new VirtualConsoles({ surface, keyboard: { onKey: (fn) => { onKey = fn; } }, count: 3 });
  const typed = [[], [], []];
  vts.consoles.forEach((c, i) => c.setInput((text) => typed[i].push(text)));
  const press = (key, mods = {}) => {
    onKey({ key, pressed: true, ctrl: false, alt: false, ...mods });
    onKey({ key, pressed: false, ctrl: false, alt: false, ...mods });
  };
  const [one, two, three] = vts.consoles;
  one.write('first console');
  two.write('second console'); // not shown: only kept
  assertEqual(surface.row(0), 'first console');
  press('x');
  press('F2', { alt: true });
  assertEqual([vts.active, surface.row(0)], [1, 'second console']);
  press('y');
  three.write('third, meanwhile');
  press('F3', { alt: true, ctrl: true });
  assertEqual(surface.row(0), 'third, meanwhile');
  press('F1', { alt: true });
  assertEqual(surface.row(0), 'first console', 'the first screen comes back as it was');
  assertEqual(surface.cursor, [0, 13]);
  press('F9', { alt: true }); // no ninth console: nothing happens
  assertEqual([vts.active, typed], [0, [['x'], ['y'], []]], 'keys went to the console shown only');
});

test('users: scrypt hashes, verification, bad files refused with a clear error', async () => {
  const db = new UserDb({ params: { N: 1024, r: 8, p: 1 } });
  db.loadJson(JSON.stringify(usersFile));
  assertEqual(await db.verify('alice', 'secret'), { name: 'alice', uid: 0, role: 'admin' });
  assertEqual(await db.verify('alice', 'Secret'), null);
  assertEqual(await db.verify('bob', 'hunter2'), { name: 'bob', uid: 1000, role: 'user' });
  assertEqual(await db.verify('mallory', 'secret'), null);
  assertEqual(await db.verify('bob', undefined), null);
  const carol = await db.add('carol', 'user', 'pw1');
  assertEqual(carol, { name: 'carol', uid: 1001, role: 'user' });
  const record = JSON.parse(db.toJson()).users.find((u) => u.name === 'carol').password;
  assertMatch(record, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  assertEqual(record.includes('pw1'), false);
  await db.setPassword('carol', 'pw2');
  assertEqual([await db.verify('carol', 'pw1'), (await db.verify('carol', 'pw2'))?.name], [null, 'carol']);
  const twice = await db.add('dave', 'user', 'same');
  await db.add('erin', 'user', 'same');
  const saltOf = (n) => JSON.parse(db.toJson()).users.find((u) => u.name === n).password.split('$')[4];
  assertEqual(saltOf('dave') !== saltOf('erin'), true, 'each user has a salt of their own');
  void twice;
  await rejection(db.add('carol', 'user', 'x')).then((e) => assertMatch(e.message, /'carol' already exists/));
  await rejection(db.add('Bad Name', 'user', 'x')).then((e) => assertMatch(e.message, /bad user name/));
  await rejection(db.add('frank', 'root', 'x')).then((e) => assertMatch(e.message, /role must be 'admin' or 'user'/));
  await rejection(db.add('frank', 'user', '')).then((e) => assertMatch(e.message, /non-empty/));
  for (const [text, why] of [
    ['{', /not JSON/], ['{"users": 3}', /expected \{ "users"/],
    ['{"users":[{"name":"x","uid":1,"role":"user","password":"md5$abc"}]}', /password of 'x' is not/],
    ['{"users":[{"name":"x","uid":1,"role":"god","password":"scrypt$2$1$1$AA==$AA=="}]}', /role "god"/],
    ['{"users":[{"name":"x","uid":1,"role":"user","password":"scrypt$3$1$1$AA==$AA=="}]}', /password of 'x'/],
  ]) assertThrows(() => db.loadJson(text), why);
  assertEqual(db.get('alice')?.role, 'admin', 'a refused file changes nothing');
});

test('users persist through their store, as on /disk', async () => {
  let saved = null;
  const store = { load: async () => saved, save: async (text) => { saved = text; } };
  const db = await new UserDb({ store, params: { N: 1024, r: 8, p: 1 } }).load();
  assertEqual(db.size, 0);
  await db.add('root', 'admin', 'toor');
  const again = await new UserDb({ store }).load();
  assertEqual([again.list(), (await again.verify('root', 'toor'))?.uid], [[{ name: 'root', uid: 0, role: 'admin' }], 0]);
});

test('the hasher app computes the same scrypt on another engine', async () => {
  const h = rt.spawn('rtjs:services/sessions/hasher.js', { name: 'hasher' });
  const hasher = await h.interface;
  const db = new UserDb({ hash: (pw, salt, params) => hasher.hash(pw, salt, params) });
  db.loadJson(JSON.stringify(usersFile));
  assertEqual((await db.verify('alice', 'secret'))?.name, 'alice');
  assertEqual(await db.verify('alice', 'wrong'), null);
  h.kill();
});

test('command lines become calls; JavaScript stays JavaScript', () => {
  const isCommand = (w) => ['ls', 'cat', 'kill', 'who', 'rm', 'cd'].includes(w);
  const cases = [
    ['ls /disk', 'ls("/disk")'], ['who', 'who()'], ['kill 12 13', 'kill("12", "13")'], ['rm -rf /tmp/x', 'rm("-rf", "/tmp/x")'],
    ['cat "a b" \'c d\'', 'cat("a b", "c d")'], ['cd ..', 'cd("..")'], ['ls("/x")', 'ls("/x")'], ['ls = 3', 'ls = 3'],
    ['who && 1', 'who && 1'], ['6*7', '6*7'], ['let x = 1', 'let x = 1'], ['ls - 1', 'ls - 1'],
  ];
  for (const [line, want] of cases) assertEqual(parseCommandLine(line, isCommand), want, line);
  assertEqual([resolvePath('/a/b', '../c'), resolvePath('/a', '/x/./y/'), resolvePath('/', '../..')], ['/a/c', '/x/y', '/']);
});

test('the permission of a role: only an admin powers off, kills others\' apps, adds users', () => {
  const admin = { name: 'a', role: 'admin' }, user = { name: 'u', role: 'user' };
  for (const action of ['poweroff', 'reboot', 'kill-any-app', 'useradd', 'see-all-apps']) {
    assertEqual([allowed(admin, action), allowed(user, action)], [true, false], action);
  }
  assertEqual(allowed(user, 'logout'), true);
});

// ---- sessions with the real shell app -------------------------------------------------

function system({ backoffMs = 100 } = {}) {
  const users = new UserDb({ params: { N: 1024, r: 8, p: 1 } });
  users.loadJson(JSON.stringify(usersFile));
  const root = new Tmpfs();
  root.create(root.root(), 'tmp', { type: 'directory', mode: 0o1777 });
  const vfs = new Vfs(root);
  const power = [];
  const manager = new SessionManager({
    users, vfs, backoffMs, power: { off: () => power.push('off'), reboot: () => power.push('reboot') },
  });
  return { users, vfs, manager, power };
}

const ADMINS = ['alice', 'root'];
const prompt = (user) => `${user}@rtjs${ADMINS.includes(user) ? '#' : '$'} `;

async function login(c, name, password) {
  await until(() => c.text.endsWith('rtjs login:'), `the login prompt on ${c.name}`);
  c.type(`${name}\r`);
  await until(() => c.text.endsWith('Password:'), `the password prompt on ${c.name}`);
  c.type(`${password}\r`);
}

// Types a line at a shell and waits for the prompt after its output; returns that output.
async function shell(c, user, line) {
  const before = c.text.length;
  c.type(`${line}\r`);
  await until(() => c.text.length > before + line.length && c.text.endsWith(prompt(user).trimEnd()), `'${line}' to finish on ${c.name}`);
  const lines = c.text.split('\n');
  const at = lines.findLastIndex((l) => l.endsWith(line));
  return lines.slice(at + 1, -1).join('\n');
}

test('login, a shell per session; logout ends exactly that session\'s apps', async () => {
  const { manager, power } = system();
  const a = fakeConsole('ttyA'), b = fakeConsole('ttyB');
  manager.attach(a);
  manager.attach(b);
  await login(a, 'alice', 'secret');
  await until(() => a.text.endsWith(prompt('alice').trimEnd()), 'alice\'s prompt');
  assertEqual(a.text.includes('secret'), false, 'the password is not echoed');
  assertEqual(await shell(a, 'alice', '6*7'), '42');
  assertEqual(await shell(a, 'alice', 'whoami'), 'alice (uid 0, admin) on ttyA, session 1');
  await login(b, 'bob', 'hunter2');
  await until(() => b.text.endsWith(prompt('bob').trimEnd()), 'bob\'s prompt');
  // Each starts an app in their session; its output comes to their console.
  const started = (c, out) => Number(/\[(\d+)\] sleeper\.js started/.exec(out)?.[1]);
  const aliceApp = started(a, await shell(a, 'alice', `run ${SLEEPER} from-alice`));
  const bobApp = started(b, await shell(b, 'bob', `run ${SLEEPER} from-bob`));
  await until(() => a.text.includes('sleeper up: from-alice') && b.text.includes('sleeper up: from-bob'), 'both apps\' output');
  const apps = () => rt.apps().map((x) => x.id);
  assertEqual(apps().includes(aliceApp) && apps().includes(bobApp), true);
  const sessions = manager.list();
  assertEqual(sessions.map((s) => [s.user, s.console]), [['alice', 'ttyA'], ['bob', 'ttyB']]);
  const [aliceShell, bobShell] = sessions.map((s) => s.shellId);
  // bob is a user: he sees his own apps only, and cannot touch alice's or the machine.
  const bobSees = await shell(b, 'bob', 'apps');
  assertEqual([bobSees.includes('sleeper.js'), bobSees.includes('shell:alice'), bobSees.includes('init')], [true, false, false]);
  assertMatch(await shell(b, 'bob', `kill ${aliceApp}`), /permission denied: user 'bob' \(role user\) cannot kill app \d+ \('sleeper.js'\) of user 'alice'/);
  assertMatch(await shell(b, 'bob', `kill ${aliceShell}`), /permission denied/);
  assertMatch(await shell(b, 'bob', 'poweroff'), /permission denied: user 'bob' \(role user\) cannot power the machine off/);
  assertMatch(await shell(b, 'bob', 'reboot'), /permission denied/);
  assertMatch(await shell(b, 'bob', 'kill 1'), /app 1 is init/);
  assertMatch(await shell(b, 'bob', 'useradd eve'), /permission denied/);
  assertEqual(power, []);
  assertEqual(apps().includes(aliceApp) && apps().includes(aliceShell), true, 'alice\'s apps survived bob\'s attempts');
  // alice, an admin, sees everything.
  const aliceSees = await shell(a, 'alice', 'apps');
  assertEqual([aliceSees.includes('shell:bob@ttyB'), aliceSees.includes('init')], [true, true]);
  assertMatch(await shell(a, 'alice', 'who'), /alice +ttyA[\s\S]*bob +ttyB/);
  assertMatch(await shell(a, 'alice', 'top 0.2'), /engine +apps +cpu +memory[\s\S]*sleeper\.js/);
  // bob leaves with Ctrl-D: his shell and his app end, alice's go on.
  b.type('\x04');
  await until(() => !apps().includes(bobApp) && !apps().includes(bobShell), 'bob\'s apps to end');
  await until(() => b.text.endsWith('rtjs login:'), 'the login prompt again on ttyB');
  assertEqual([apps().includes(aliceApp), apps().includes(aliceShell)], [true, true], 'alice\'s session is untouched');
  assertEqual(manager.list().map((s) => s.user), ['alice']);
  // An admin may kill any app and power off.
  await shell(a, 'alice', `kill ${aliceApp}`);
  await until(() => !apps().includes(aliceApp), 'alice\'s app to be killed');
  await shell(a, 'alice', 'poweroff');
  await until(() => power.length > 0, 'the power-off');
  assertEqual(power, ['off']);
  a.type('logout()\r');
  await until(() => !apps().includes(aliceShell) && a.text.endsWith('rtjs login:'), 'alice\'s logout');
  assertEqual(manager.list(), []);
});

test('wrong passwords are refused with a delay that holds only that console', async () => {
  const { manager } = system({ backoffMs: 600000 });
  const a = fakeConsole('ttyA'), b = fakeConsole('ttyB');
  const control = manager.attach(a);
  manager.attach(b);
  await login(a, 'alice', 'not-her-password');
  await until(() => a.text.includes('Login incorrect (try again in 600 s)'), 'the refusal');
  await login(b, 'mallory', 'secret');
  await until(() => b.text.includes('Login incorrect'), 'an unknown user refused');
  const c = fakeConsole('ttyC');
  manager.attach(c);
  await login(c, 'bob', 'hunter2'); // while A and B wait, C logs in
  await until(() => c.text.endsWith(prompt('bob').trimEnd()), 'bob\'s prompt on ttyC');
  const held = a.text;
  a.type('alice\rsecret\r'); // typed during the delay: dropped
  assertEqual(await shell(c, 'bob', '1+1'), '2');
  assertEqual(a.text, held);
  assertEqual(manager.list().map((s) => s.user), ['bob']);
  // The console going away ends its session.
  const bobShell = manager.list()[0].shellId;
  manager.closeConsole('ttyC');
  await until(() => !rt.apps().some((x) => x.id === bobShell), 'the shell of the closed console to end');
  control.close();
  manager.closeConsole('ttyB');
});

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
