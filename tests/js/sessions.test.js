// Users, terminals and virtual consoles without devices, so that it runs on every target
// (rtjs-sim, the ring-0 program on Linux, the kernel). Whole sessions with the real shell app
// are sessions-shell.test.js and sessions-admin.test.js; the VGA and keyboard consoles are
// tests/js/drivers/sessions-vt.test.js and, on the kernel with QEMU's sendkey,
// tests/qemu/ring0/sessions-sendkey.test.sh.
import { test, assertEqual, assertMatch, assertThrows, rejection } from './harness.js';
import { Terminal, keyToInput } from 'rtjs:services/sessions/terminal.js';
import { VirtualConsoles } from 'rtjs:services/sessions/vt.js';
import { UserDb } from 'rtjs:services/sessions/users.js';
import { allowed } from 'rtjs:services/sessions/manager.js';
import { parseCommandLine, resolvePath } from 'rtjs:apps/shell-format.js';
import { usersFile } from './sessions-helpers.js';

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
    // Hostile records: a hash that would stall the hasher, limits and permissions out of range.
    ['{"users":[{"name":"x","uid":1,"role":"user","password":"scrypt$1048576$8$1$AA==$AA=="}]}', /asks scrypt for N=1048576, r=8, p=1: more than 64 MiB/],
    ['{"users":[{"name":"x","uid":1,"role":"user","password":"scrypt$1024$8$1000$AA==$AA=="}]}', /p over 16/],
    ['{"users":[{"name":"x","uid":1,"role":"user","password":"scrypt$2$1$1$AA==$AA==","apps":1000}]}', /apps 1000, not an integer from 1 to 64/],
    ['{"users":[{"name":"x","uid":1,"role":"user","password":"scrypt$2$1$1$AA==$AA==","heapMb":1}]}', /heapMb 1, not an integer from 16/],
    ['{"users":[{"name":"x","uid":1,"role":"user","password":"scrypt$2$1$1$AA==$AA==","permissions":{"root":true}}]}', /'x'\.permissions: unknown permission 'root'/],
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

