// Logins over TCP (js/services/sessions/net-console.js) on the network service's loopback
// interface, on every target: each connection is a console with its own login and session,
// the shell's ifconfig and ping reach the network service, and a connection closing ends
// exactly its session.
import { test, assertEqual, assertMatch } from './harness.js';
import { startNetwork } from 'rtjs:services/net/launch.js';
import { Terminal } from 'rtjs:services/sessions/terminal.js';
import { UserDb } from 'rtjs:services/sessions/users.js';
import { SessionManager } from 'rtjs:services/sessions/manager.js';
import { listenConsoles, TelnetFilter } from 'rtjs:services/sessions/net-console.js';
import usersFile from './fixtures/sessions/users.json' with { type: 'json' };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const WAIT_MS = 120000; // a hang guard only

test('the Telnet filter removes commands, keeps data, and makes CR LF and CR NUL one CR', () => {
  const f = new TelnetFilter();
  const IAC = 255;
  const out = [
    ...f.filter(Uint8Array.of(IAC, 253, 1, 0x61, IAC, 255, 0x62, IAC, 250, 31, 0, 80, IAC, 240, 0x63, 13)),
    ...f.filter(Uint8Array.of(10, 0x64, 13, 0, 0x65, IAC)),
    ...f.filter(Uint8Array.of(251, 3, 0x66, 13, 13, 10)),
  ];
  assertEqual(out, [0x61, 255, 0x62, 0x63, 13, 0x64, 13, 0x65, 0x66, 13, 13]);
});

// A TCP client whose screen is a terminal, as a person's Telnet client would show it.
async function client(net, port) {
  const term = new Terminal({ cols: 160, rows: 300 });
  const telnet = new TelnetFilter({ enter: false }); // what the server sends: commands removed only
  const decoder = new TextDecoder();
  const state = { closed: false, text: null };
  const conn = await net.connect({ host: '127.0.0.1', port }, (kind, value) => {
    if (kind === 'data') { term.write(decoder.decode(telnet.filter(value), { stream: true })); state.text = null; }
    if (kind === 'close') state.closed = true;
  });
  const c = {
    get text() { return (state.text ??= term.text()); },
    get closed() { return state.closed; },
    send: (text) => conn.write(new TextEncoder().encode(text)),
    end: () => conn.end(),
  };
  return c;
}

async function until(check, what, screens = []) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > WAIT_MS) throw new Error(`timed out waiting for ${what}:\n${screens.map((s) => s.text).join('\n---\n')}`);
    await sleep(10);
  }
}

test('logins over TCP: a session per connection; ifconfig and ping; closing ends that session', async () => {
  const { net, handle } = await startNetwork({ loopback: true });
  const users = new UserDb();
  users.loadJson(JSON.stringify(usersFile));
  const manager = new SessionManager({ users, net, backoffMs: 100, power: { off() {}, reboot() {} } });
  const listener = await listenConsoles(net, manager, { port: 0, host: '127.0.0.1' });
  const a = await client(net, listener.port);
  const b = await client(net, listener.port);
  await until(() => a.text.endsWith('rtjs login:') && b.text.endsWith('rtjs login:'), 'two login prompts', [a, b]);
  await a.send('alice\r\n'); // a Telnet client ends lines with CR LF
  await until(() => a.text.endsWith('Password:'), 'alice\'s password prompt', [a]);
  await a.send('secret\r\n');
  await until(() => a.text.endsWith('alice@rtjs#'), 'alice\'s prompt', [a]);
  await b.send('bob\r\nwrong\r\n'); // typed ahead: the password prompt reads what follows
  await until(() => b.text.includes('Login incorrect'), 'bob refused', [b]);
  await until(() => /Login incorrect[^]*rtjs login:$/.test(b.text), 'the prompt after the delay', [b]);
  await b.send('bob\r\nhunter2\r\n');
  await until(() => b.text.endsWith('bob@rtjs$'), 'bob\'s prompt', [b]);
  assertEqual(manager.list().map((s) => s.user), ['alice', 'bob']);
  assertMatch(manager.list()[0].console, /^net:127\.0\.0\.1:\d+$/);

  await a.send('ifconfig\r');
  await until(() => /lo: up[^]*inet 127\.0\.0\.1\/8[^]*alice@rtjs#$/.test(a.text), 'ifconfig', [a]);
  await a.send('ping 127.0.0.1 1\r');
  await until(() => /reply from 127\.0\.0\.1: seq=1[^]*127\.0\.0\.1: 1 sent, 1 received\nalice@rtjs#$/.test(a.text), 'ping', [a]);
  assertEqual(a.text.includes('secret'), false, 'the password was not echoed');

  const [aliceShell, bobShell] = manager.list().map((s) => s.shellId);
  await a.end(); // the connection closes: alice's session ends, bob's goes on
  await until(() => !rt.apps().some((x) => x.id === aliceShell), 'alice\'s shell to end', [a]);
  assertEqual(manager.list().map((s) => s.user), ['bob']);
  await b.send('6*7\r');
  await until(() => b.text.endsWith('42\nbob@rtjs$'), 'bob\'s shell answering', [b]);
  await b.send('\x04'); // Ctrl-D: bob logs out; the connection stays, with a login prompt
  await until(() => !rt.apps().some((x) => x.id === bobShell) && b.text.endsWith('rtjs login:'), 'bob\'s logout', [b]);
  assertEqual(b.closed, false);
  await b.end();
  listener.close();
  handle.kill();
});
