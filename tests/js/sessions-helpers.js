// What the session tests share: in-memory consoles typed at by the test, a system with the
// fixture's users, logging in and typing at a shell (sessions*.test.js).
import { Terminal } from 'rtjs:services/sessions/terminal.js';
import { UserDb } from 'rtjs:services/sessions/users.js';
import { SessionManager } from 'rtjs:services/sessions/manager.js';
import { Vfs } from 'rtjs:services/vfs/vfs.js';
import { Tmpfs } from 'rtjs:services/vfs/tmpfs.js';
import usersFile from './fixtures/sessions/users.json' with { type: 'json' };

export { usersFile };
export const SLEEPER = new URL('./fixtures/sessions/sleeper.js', import.meta.url).pathname;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// A hang guard only: the kernel under TCG is slow, so waits are generous and end early.
const WAIT_MS = 120000;

const screens = [];
export async function until(check, what) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > WAIT_MS) {
      throw new Error(`timed out waiting for ${what}; the consoles:\n${screens.map((c) => `--- ${c.name}\n${c.text}`).join('\n')}`);
    }
    await sleep(10);
  }
}

// A console whose screen is an in-memory terminal, typed at by the test.
export function fakeConsole(name) {
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


export function system({ backoffMs = 100, confirmMs, spawn, usersJson = usersFile } = {}) {
  const users = new UserDb({ params: { N: 1024, r: 8, p: 1 } });
  users.loadJson(JSON.stringify(usersJson));
  const root = new Tmpfs();
  root.create(root.root(), 'tmp', { type: 'directory', mode: 0o1777 });
  const vfs = new Vfs(root);
  const power = [];
  const manager = new SessionManager({
    users, vfs, backoffMs, power: { off: () => power.push('off'), reboot: () => power.push('reboot') },
    ...(confirmMs === undefined ? {} : { confirmMs }), ...(spawn === undefined ? {} : { spawn }),
  });
  return { users, vfs, manager, power };
}

const ADMINS = ['alice', 'root'];
export const prompt = (user) => `${user}@rtjs${ADMINS.includes(user) ? '#' : '$'} `;

export async function login(c, name, password) {
  await until(() => c.text.endsWith('rtjs login:'), `the login prompt on ${c.name}`);
  c.type(`${name}\r`);
  await until(() => c.text.endsWith('Password:'), `the password prompt on ${c.name}`);
  c.type(`${password}\r`);
}

// Types a line at a shell and waits for the prompt after its output; returns that output.
export async function shell(c, user, line) {
  const before = c.text.length;
  c.type(`${line}\r`);
  await until(() => c.text.length > before + line.length && c.text.endsWith(prompt(user).trimEnd()), `'${line}' to finish on ${c.name}`);
  const lines = c.text.split('\n');
  const at = lines.findLastIndex((l) => l.endsWith(line));
  return lines.slice(at + 1, -1).join('\n');
}

