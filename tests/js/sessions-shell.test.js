// Sessions with the real shell app on in-memory consoles, on every target: logins, apps
// started from two sessions, what a user may not do, a logout ending exactly that session's
// apps, and the wrong-password delay holding one console only.
import { test, assertEqual, assertMatch } from './harness.js';
import { SLEEPER, fakeConsole, login, prompt, shell, system, until } from './sessions-helpers.js';

test('login, a shell per session; logout ends exactly that session\'s apps', async () => {
  const { manager, power, vfs } = system();
  // The file systems are written back before the power goes off.
  const sync = vfs.sync.bind(vfs);
  vfs.sync = async () => { await sync(); power.push('sync'); };
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
  assertEqual(power, ['sync', 'off']);
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

