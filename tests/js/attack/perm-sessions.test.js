// The sessions side of access control, as a hostile user would try it: a session's apps hold
// at most its user's permissions, `run` asks the console before granting more, a user cannot
// use up the machine's apps, and a forged or replayed login or session gets nothing.
import { test, assertEqual, assertMatch } from '../harness.js';
import { SLEEPER, fakeConsole, login, prompt, shell, system, until, usersFile } from '../sessions-helpers.js';

const GREEDY = new URL('../fixtures/sessions/greedy/app.js', import.meta.url).pathname;
const apps = () => rt.apps().map((x) => x.id);

// Types a line that asks a question on the console, answers it, and returns the output.
async function answering(c, user, line, reply) {
  const before = c.text.length;
  c.type(`${line}\r`);
  await until(() => c.text.slice(before).includes('[y/N]'), `the question after '${line}'`);
  const asked = c.text.slice(before);
  if (reply !== null) c.type(`${reply}\r`);
  await until(() => c.text.slice(before).includes(prompt(user).trimEnd()) && c.text.endsWith(prompt(user).trimEnd()), `'${line}' to finish`);
  return { asked, out: c.text.slice(before) };
}

async function loggedIn(manager, name, password, tty) {
  const c = fakeConsole(tty);
  manager.attach(c);
  await login(c, name, password);
  await until(() => c.text.endsWith(prompt(name).trimEnd()), `${name}'s prompt`);
  return c;
}

test("a user's shell holds the user's permissions; run asks before granting more", async () => {
  const { manager, power } = system();
  const b = await loggedIn(manager, 'bob', 'hunter2', 'ttyB');
  assertMatch(await shell(b, 'bob', 'JSON.stringify(rt.permissions.held().fs)'), /\{"read":\["\/tmp","\/disk\/home\/bob"\],"write":\["\/tmp","\/disk\/home\/bob"\]\}/);
  assertMatch(await shell(b, 'bob', 'JSON.stringify([rt.permissions.held().power, rt.permissions.held().hw.ports, rt.permissions.held().quota])'),
    /\[false,\[\],\{"apps":12,"group":"user:bob"\}\]/);
  assertEqual(await shell(b, 'bob', 'rt.apps().find((a) => a.id === rt.self.id).heapLimitMb'), '48', "a user's default heap per app");
  // Its manifest asks for a connection (bob may have one, but only if he says so) and for
  // power (bob may not): he is asked about the first, told about the second.
  const no = await answering(b, 'bob', `run ${GREEDY}`, 'n');
  assertMatch(no.asked, /run: app\.js asks for more than bob may have; it will not get: power/);
  assertMatch(no.asked, /run: app\.js asks for: net\.connect '10\.0\.2\.2:80' \(held: none\)\nAllow\? \[y\/N\]/);
  assertMatch(no.out, /ERR_ACCESS_DENIED/);
  assertEqual(no.out.includes('greedy up'), false, 'refused: the app never ran');
  const yes = await answering(b, 'bob', `run ${GREEDY}`, 'y');
  assertMatch(yes.out, /\[\d+\] app\.js started/);
  await until(() => b.text.includes('greedy power:'), "greedy's attempt");
  assertMatch(b.text, /greedy up: connect=10\.0\.2\.2:80 power=false/);
  assertMatch(b.text, /greedy power: ERR_ACCESS_DENIED/);
  assertEqual(power, [], 'nothing powered off');
  // No manifest: what the session gives without asking, and no question.
  const plain = await shell(b, 'bob', `run ${SLEEPER} plain`);
  assertMatch(plain, /sleeper\.js started/);
  assertEqual(plain.includes('[y/N]'), false);
  // Escaping the ceiling from the shell's JavaScript: asking for more is refused.
  assertMatch(await shell(b, 'bob', "rt.spawn({ source: '' }, { permissions: { power: true } })"),
    /ERR_ACCESS_DENIED|cannot grant what it does not hold: power/);
  assertMatch(await shell(b, 'bob', "rt.spawn({ source: '' }, { permissions: { hw: { ports: [[0x60, 1]] } } })"),
    /cannot grant what it does not hold: hw\.ports/);
  // Asking the console itself, but confirming with a function of one's own, still ends at
  // the user's ceiling: the confirmation protects the user from the app, not the system
  // from the user.
  assertMatch(await shell(b, 'bob', "await rt.permissions.spawn({ source: 'rt.export(rt.permissions.held())' }, { permissions: { power: true } }, () => ({ power: true }))"),
    /cannot grant what it does not hold: power/);
  b.type('logout\r');
  await until(() => b.text.endsWith('rtjs login:'), 'the logout');
});

test('a confirmation nobody answers is a refusal', async () => {
  const { manager } = system({ confirmMs: 200 });
  const b = await loggedIn(manager, 'bob', 'hunter2', 'ttyQ');
  const r = await answering(b, 'bob', `run ${GREEDY}`, null);
  assertMatch(r.out, /\(no answer\)/);
  assertMatch(r.out, /were not confirmed[\s\S]*ERR_ACCESS_DENIED|ERR_ACCESS_DENIED[\s\S]*were not confirmed/);
  assertEqual(r.out.includes('greedy up'), false);
  // The shell has its console back.
  assertEqual(await shell(b, 'bob', '6*7'), '42');
  b.type('logout\r');
  await until(() => b.text.endsWith('rtjs login:'), 'the logout');
});

test("a user's apps, across sessions, stay within their quota; others still start", async () => {
  const usersJson = structuredClone(usersFile);
  // carol: carol's password record under another name, with a quota of 3 apps.
  usersJson.users.push({ ...usersJson.users.find((u) => u.name === 'bob'), name: 'carol', uid: 1001, apps: 3, heapMb: 32 });
  const { manager } = system({ usersJson });
  const b = await loggedIn(manager, 'carol', 'hunter2', 'ttyC1');
  const started = (out) => Number(/\[(\d+)\] sleeper\.js started/.exec(out)?.[1]);
  // Memory: each of her apps has at most her heapMb, asked for more or not.
  assertEqual(await shell(b, 'carol', 'rt.apps().find((a) => a.id === rt.self.id).heapLimitMb'), '32');
  // (Lines typed here stay shorter than the console, which scrolls a longer one sideways.)
  await shell(b, 'carol', "var big = rt.spawn({ source: 'rt.export(1)' }, { heapLimitMb: 4096 })");
  await shell(b, 'carol', 'await big.interface');
  assertEqual(await shell(b, 'carol', 'rt.apps().find((a) => a.id === big.id).heapLimitMb'), '32');
  await shell(b, 'carol', 'big.kill(); await big.exited');
  const first = started(await shell(b, 'carol', `run ${SLEEPER} one`));
  started(await shell(b, 'carol', `run ${SLEEPER} two`));
  // shell + 2 = 3: the next is refused, whichever way carol tries.
  assertMatch(await shell(b, 'carol', `run ${SLEEPER} three`), /the apps of 'user:carol' are at their quota \(3 running, at most 3\)[\s\S]*ERR_QUOTA_EXCEEDED/);
  assertMatch(await shell(b, 'carol', "rt.spawn({ source: '' })"), /ERR_QUOTA_EXCEEDED/);
  // A wider quota (or another group) asked for at spawn keeps carol's group and count.
  assertMatch(await shell(b, 'carol', "rt.spawn({ source: '' }, { permissions: { quota: { apps: 64, group: 'user:alice' } } })"), /at their quota/);
  // Another session of carol's counts with the first: its shell cannot start.
  const b2 = fakeConsole('ttyC2');
  manager.attach(b2);
  await login(b2, 'carol', 'hunter2');
  await until(() => b2.text.includes('cannot start the shell'), 'the second session refused');
  assertMatch(b2.text, /login: cannot start the shell: .*'user:carol' are at their quota/);
  // alice (an admin) and the system are not held back by carol.
  const a = await loggedIn(manager, 'alice', 'secret', 'ttyA');
  assertMatch(await shell(a, 'alice', `run ${SLEEPER} admin`), /sleeper\.js started/);
  const own = rt.spawn({ source: 'rt.export(1)' }, { name: 'system-app' });
  assertEqual(await own.interface, 1);
  own.kill();
  // One of carol's ends: he may start one again.
  await shell(b, 'carol', `kill ${first}`);
  await until(() => !apps().includes(first), 'the app to end');
  assertMatch(await shell(b, 'carol', `run ${SLEEPER} again`), /sleeper\.js started/);
  for (const [c] of [[b], [a]]) c.type('logout\r');
  await until(() => manager.list().length === 0, 'the logouts');
});

test("another user's session: not seen, not ended, not read", async () => {
  const { manager } = system();
  const a = await loggedIn(manager, 'alice', 'secret', 'ttyA');
  const b = await loggedIn(manager, 'bob', 'hunter2', 'ttyB');
  const aliceSession = manager.list().find((s) => s.user === 'alice').id;
  assertEqual((await shell(b, 'bob', 'sessions')).includes('ttyA'), false, "bob's list has only his own sessions");
  assertMatch(await shell(b, 'bob', `endSession ${aliceSession}`), /permission denied: user 'bob' \(role user\) cannot end session \d+ of user 'alice'/);
  assertMatch(await shell(b, 'bob', `session.endSession(${aliceSession})`), /permission denied/);
  // What alice types and sees never reaches bob's console or his shell.
  assertEqual(await shell(a, 'alice', "'marker-' + 'for-alice-only'"), "'marker-for-alice-only'");
  assertEqual(b.text.includes('marker-for-alice-only'), false);
  // The session's functions have no way to read a console: only to ask this session's user.
  assertEqual(await shell(b, 'bob', "Object.keys(session).filter((k) => /read|screen|input|console/i.test(k)).join(',') || 'none'"), "'none'");
  assertEqual(manager.list().map((s) => s.user).sort(), ['alice', 'bob'], "alice's session goes on");
  for (const c of [a, b]) c.type('logout\r');
  await until(() => manager.list().length === 0, 'the logouts');
});

test('a forged login, a replayed session and functions handed to the system get nothing', async () => {
  const captured = [];
  const spawn = (file, options) => { captured.push(options.grant.session); return rt.spawn(file, options); };
  const { manager, power } = system({ spawn });
  // The stored hash typed as the password (pass-the-hash) is a wrong password.
  const c = fakeConsole('ttyF');
  manager.attach(c);
  const bob = usersFile.users.find((u) => u.name === 'bob');
  await login(c, 'bob', bob.password);
  await until(() => c.text.includes('Login incorrect'), 'the refusal');
  assertEqual(manager.list(), []);
  await login(c, 'bob', 'hunter2');
  await until(() => c.text.endsWith(prompt('bob').trimEnd()), "bob's prompt");
  // A function where an app id belongs is refused, not called.
  assertMatch(await shell(c, 'bob', 'session.kill(() => 1)'), /not an app id|could not be cloned|DataCloneError/);
  assertMatch(await shell(c, 'bob', "session.fs.readFile('/disk/home/alice/x')"), /EACCES|ERR_ACCESS_DENIED|denied/);
  c.type('logout\r');
  await until(() => c.text.endsWith('rtjs login:'), 'the logout');
  // The session's functions, kept after it ended, do nothing.
  const [old] = captured;
  for (const call of [() => old.poweroff(), () => old.apps(), () => old.kill(2), () => old.fs.readFile('/tmp')]) {
    let error = null;
    try { await call(); } catch (e) { error = e; }
    assertMatch(String(error?.message), /session has ended/, `${call} after the logout`);
  }
  assertEqual(power, []);
});
