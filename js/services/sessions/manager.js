// The session manager: a login prompt on each console, and a session per login. A session
// is a user, a console and the apps started from it: its shell app (js/apps/shell.js) and
// everything the shell starts, which are the shell's descendants and so end with it
// (docs/api-apps.md: an app's children never outlive it). Logout, Ctrl-D at the shell, or
// the console closing ends the shell, and with it exactly that session's apps.
//
// It runs in init, the app that holds the consoles and the machine. The shell reaches the
// system only through the functions granted to it at spawn, made for its session alone, so
// every call says which session (and user) it comes from; what the user's role allows is
// decided in one place, allowed() below.

import binding from 'rtjs:binding';
import { attenuate, parse, stringify } from '../access/permissions.js';

const SHELL = 'rtjs:apps/shell.js';
const BACKOFF_BASE_MS = 1000; // after the first wrong password; doubles on each further one
const BACKOFF_MAX_MS = 30000;
const MAX_LINE = 256; // a login name or password longer than this is cut short
const MAX_TYPE_AHEAD = 4096; // characters kept while nothing reads the console
const INIT_APP_ID = 1;
// A user's apps alive at once, across all their sessions, unless their record says otherwise:
// with the machine's 64 (kMaxApps), four users at their quota still leave the system room.
export const USER_APPS = 12;
// The heap limit of each app of a user's sessions unless their record says otherwise (an
// app's limit is at most its parent's, so the shell's bounds all): 12 x 48 MB is 576 MB.
export const USER_HEAP_MB = 48;
const CONFIRM_MS = 120000; // a `run` confirmation nobody answers is a refusal after this

const CTRL_C = '\x03', CTRL_D = '\x04', CTRL_U = '\x15', ESC = '\x1b';

// What only an administrator may do. The permission layer (grants per app) narrows what an
// app may do further; this is the users' part of the policy.
const ADMIN_ONLY = new Set(['poweroff', 'reboot', 'see-all-apps', 'kill-any-app', 'end-any-session', 'useradd',
  'userdel', 'passwd-other', 'all-files']);

/** Whether `user` may do `action` (a name of ADMIN_ONLY, or anything else every user may). */
export function allowed(user, action) {
  return !ADMIN_ONLY.has(action) || user.role === 'admin';
}

/** A user's home directory: where their shell starts, and their files. */
export function homeOf(user) {
  return user.role === 'admin' ? '/' : `/disk/home/${user.name}`;
}

/**
 * What a user's session may do, as permissions (js/services/access/permissions.js):
 * `ceiling`, the most any app of the session may hold (the shell holds it; the user record's
 * `permissions`, else their role's), with the user's app quota (record's `apps`, else
 * USER_APPS for a user, none for an admin); and `auto`, what `run` gives an app without
 * asking on the console (their files and the environment). Both canonical, within `held`
 * (what the session manager's own app holds).
 */
export function sessionGrants(user, held) {
  const files = user.role === 'admin' ? ['/'] : ['/tmp', homeOf(user)];
  const role = user.role === 'admin' ? true : {
    net: { listen: ['1024-65535'], connect: ['*:*'] }, fs: { read: files, write: files }, spawn: true, env: true, console: true,
  };
  const asked = parse(user.permissions ?? role, `permissions of user '${user.name}'`);
  const apps = user.apps ?? (user.role === 'admin' ? undefined : USER_APPS);
  if (apps !== undefined) asked.quota = parse({ quota: { apps, group: `user:${user.name}` } }).quota;
  const ceiling = attenuate(held, asked).grant;
  const auto = attenuate(ceiling, parse({ fs: { read: files, write: files }, env: true, console: true })).grant;
  return { ceiling, auto };
}

function denied(user, what) {
  const err = new Error(`permission denied: user '${user.name}' (role ${user.role}) cannot ${what}: only an admin can`);
  err.code = 'EACCES';
  return err;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Input of a console goes to its port's reader, which returns how many characters it took;
// what is left, or typed while there is no reader (the password being checked, the shell
// starting), waits for the next reader, as a terminal's type-ahead does. What is typed during
// the delay after a wrong password is dropped (dropInput).
function deliver(port, text) {
  port.pending += text;
  if (port.pending.length > MAX_TYPE_AHEAD) port.pending = port.pending.slice(-MAX_TYPE_AHEAD);
  while (port.pending !== '' && port.reader) port.pending = port.pending.slice(port.reader(port.pending));
}

function setReader(port, reader) {
  port.reader = reader;
  if (reader) deliver(port, '');
}

function dropInput(port) {
  port.reader = null;
  port.pending = '';
}

/**
 * Reads one line from a console port: Enter ends it, Backspace edits, Ctrl-U clears, escape
 * sequences are skipped; echoed or not. Resolves to the line, or null on Ctrl-D at an empty
 * line or Ctrl-C (and when the port is taken over by close()).
 */
function readLine(port, { echo }) {
  return new Promise((resolve) => {
    let line = '', escape = 0;
    const done = (value) => { port.reader = null; port.cancel = null; resolve(value); };
    port.cancel = () => done(null);
    setReader(port, (text) => {
      let i = 0;
      for (const ch of text) {
        i += ch.length;
        if (escape) { // ESC [ params final, or ESC x
          if (escape === 1) escape = ch === '[' || ch === 'O' ? 2 : 0;
          else if (ch >= '@' && ch <= '~') escape = 0;
          continue;
        }
        if (ch === '\r' || ch === '\n') { port.console.write('\n'); done(line); return i; }
        if (ch === CTRL_D && line === '') { port.console.write('\n'); done(null); return i; }
        if (ch === CTRL_C) { port.console.write('^C\n'); done(null); return i; }
        if (ch === ESC) { escape = 1; continue; }
        if (ch === '\x7f' || ch === '\b') {
          if (line.length) { line = line.slice(0, -1); if (echo) port.console.write('\b \b'); }
        } else if (ch === CTRL_U) {
          if (echo) port.console.write('\b \b'.repeat(line.length));
          line = '';
        } else if (ch >= ' ' && line.length < MAX_LINE) {
          line += ch;
          if (echo) port.console.write(ch);
        }
      }
      return i;
    });
  });
}

export class SessionManager {
  #users; #vfs; #net; #shell; #hostname; #backoffBase; #backoffMax; #power; #spawn; #confirmMs; #firstAdmin;
  #ports = new Map(); // console name -> port
  #sessions = new Map(); // id -> session
  #nextId = 1;
  #log;

  /**
   * @param {object} options
   * @param {import('./users.js').UserDb} options.users
   * @param {Promise<object>|object} [options.vfs] the file namespace sessions work in (init's)
   * @param {object} [options.net] the network service's interface (ifconfig, ping), if one runs
   * @param {string} [options.shell] the shell app
   * @param {string} [options.hostname]
   * @param {number} [options.backoffMs] the delay after the first wrong password (doubles, up to 30 s)
   * @param {{ off(): void, reboot(): void }} [options.power]
   * @param {(line: string) => void} [options.log] where session events are written (default: none)
   * @param {number} [options.confirmMs] how long a `run` confirmation waits for an answer
   * @param {true|string} [options.firstAdmin] true: with no users, the first console used
   *   creates the administrator; else why nobody can log in (a damaged users file)
   */
  constructor({ users, vfs = null, net = null, shell = SHELL, hostname = 'rtjs', backoffMs = BACKOFF_BASE_MS,
    power = { off: () => rt.powerOff(0), reboot: () => rt.reboot() }, log = () => {}, spawn = rt.spawn,
    confirmMs = CONFIRM_MS, firstAdmin = true } = {}) {
    this.#users = users;
    this.#vfs = vfs;
    this.#net = net;
    this.#shell = shell;
    this.#hostname = hostname;
    this.#backoffBase = backoffMs;
    this.#backoffMax = Math.max(backoffMs, BACKOFF_MAX_MS);
    this.#power = power;
    this.#log = log;
    this.#spawn = spawn;
    this.#confirmMs = confirmMs;
    this.#firstAdmin = firstAdmin;
  }

  /**
   * Puts a login prompt on `console` ({ name, columns, write(text), setInput(fn) }): a
   * login loop that runs until close(). Returns { close() }.
   */
  attach(console) {
    if (this.#ports.has(console.name)) throw new Error(`sessions: console '${console.name}' is already attached`);
    const port = { console, reader: null, pending: '', cancel: null, closed: false, failures: 0, session: null };
    this.#ports.set(console.name, port);
    console.setInput((text) => deliver(port, String(text)));
    this.#serve(port);
    return { close: () => this.closeConsole(console.name) };
  }

  /** The network service's interface, once it runs (ifconfig and ping in the shells). */
  setNetwork(net) { this.#net = net; }

  /** The console went away: its session ends and its prompt stops. */
  closeConsole(name) {
    const port = this.#ports.get(name);
    if (!port) return;
    port.closed = true;
    this.#ports.delete(name);
    port.console.setInput(null);
    if (port.cancel) port.cancel();
    if (port.session) this.#end(port.session);
  }

  /** Every live session: [{ id, user, console, shellId, since }]. */
  list() {
    return [...this.#sessions.values()].map((s) => ({
      id: s.id, user: s.user.name, role: s.user.role, console: s.console.name, shellId: s.handle?.id ?? null, since: s.since,
    }));
  }

  // The login loop of a console; a failure (a console whose write throws, say) is logged and
  // the prompt starts again, so no console can take the session manager down.
  async #serve(port) {
    while (!port.closed) {
      try {
        await this.#loginLoop(port);
      } catch (err) {
        this.#log(`sessions: console ${port.console.name}: ${err?.message ?? err}`);
        if (port.session) this.#end(port.session);
        dropInput(port);
        await sleep(BACKOFF_BASE_MS);
      }
    }
  }

  async #loginLoop(port) {
    const { console } = port;
    while (!port.closed) {
      if (this.#users.size === 0) {
        if (this.#firstAdmin === true) await this.#createAdmin(port);
        else {
          // Whoever reaches a console first must not become the administrator because the
          // users file was damaged.
          console.write(`\n${this.#hostname} ${console.name}: nobody can log in: ${this.#firstAdmin}.\nRepair /disk/etc/users.json or boot with a users file.\n`);
          await readLine(port, { echo: false });
        }
        continue;
      }
      console.write(`\n${this.#hostname} ${console.name}\n\n${this.#hostname} login: `);
      const name = await readLine(port, { echo: true });
      if (port.closed) return;
      if (!name) continue;
      console.write('Password: ');
      const password = await readLine(port, { echo: false });
      if (port.closed) return;
      if (password === null) continue;
      let user = null;
      try {
        user = await this.#users.verify(name.trim(), password);
      } catch (err) {
        console.write(`login: ${err.message}\n`);
      }
      if (port.closed) return;
      if (!user) {
        port.failures++;
        const delay = Math.min(this.#backoffMax, this.#backoffBase * 2 ** (port.failures - 1));
        this.#log(`sessions: failed login as ${JSON.stringify(name)} on ${console.name} (${port.failures} in a row)`);
        // Keys typed during the delay are dropped; other consoles go on.
        dropInput(port);
        console.write(`Login incorrect (try again in ${Math.ceil(delay / 1000)} s)\n`);
        await sleep(delay);
        dropInput(port);
        continue;
      }
      port.failures = 0;
      await this.#run(port, user);
    }
  }

  // A system with no users yet: whoever is at a console first creates the administrator.
  async #createAdmin(port) {
    const { console } = port;
    console.write(`\n${this.#hostname} ${console.name}: there are no users yet; create the administrator.\nName: `);
    const name = await readLine(port, { echo: true });
    if (port.closed || !name) return;
    console.write('Password: ');
    const first = await readLine(port, { echo: false });
    if (port.closed || !first) return;
    console.write('Retype password: ');
    const again = await readLine(port, { echo: false });
    if (port.closed) return;
    if (again !== first) { console.write('The passwords do not match.\n'); return; }
    if (this.#users.size !== 0) { console.write('Another console created the first user meanwhile.\n'); return; }
    try {
      const u = await this.#users.add(name.trim(), 'admin', first);
      this.#log(`sessions: first user '${u.name}' (admin) created on ${console.name}`);
      console.write(`User '${u.name}' (admin) created; log in.\n`);
    } catch (err) {
      console.write(`${err.message}\n`);
    }
  }

  // Starts the user's shell on the port's console; resolves when the session has ended.
  async #run(port, user) {
    const { console } = port;
    const session = {
      id: this.#nextId++, user, console, port, since: Date.now(), handle: null, input: null, ended: false,
      queued: [],
    };
    this.#sessions.set(session.id, session);
    port.session = session;
    this.#log(`sessions: ${user.name} logged in on ${console.name} (session ${session.id})`);
    // Typed before the shell is ready: kept for it, in order.
    const forward = (text) => {
      if (session.input) session.input(text).catch(() => {});
      else session.queued.push(text);
      return text.length;
    };
    setReader(port, forward);
    try {
      // The shell holds the user's ceiling; whatever it starts holds at most that.
      const { ceiling, auto } = sessionGrants(user, parse(rt.permissions.held()));
      const heapMb = user.heapMb ?? (user.role === 'admin' ? undefined : USER_HEAP_MB);
      session.handle = this.#spawn(this.#shell, {
        name: `shell:${user.name}@${console.name}`,
        permissions: JSON.parse(stringify(ceiling)),
        ...(heapMb === undefined ? {} : { heapLimitMb: heapMb }),
        grant: {
          session: this.#api(session), user: { name: user.name, uid: user.uid, role: user.role },
          auto: JSON.parse(stringify(auto)), console: console.name, columns: console.columns, hostname: this.#hostname,
          // A shell (or an app it started) still writing after its session ended writes nowhere.
          write: (text) => { if (!session.ended) console.write(String(text)); },
        },
      });
    } catch (err) {
      console.write(`login: cannot start the shell: ${err.message}\n`);
      this.#sessions.delete(session.id);
      port.session = null;
      dropInput(port);
      return;
    }
    session.handle.interface.then((iface) => {
      session.input = iface.input;
      for (const text of session.queued.splice(0)) forward(text);
    }, () => {});
    const exit = await session.handle.exited;
    this.#end(session);
    if (exit.reason !== 'exit' && exit.reason !== 'killed') console.write(`\n[shell ended: ${exit.reason}, code ${exit.code}]\n`);
    console.write('\n');
  }

  // Writes back what the file systems hold (/disk syncs on its own shortly after a change,
  // but a power-off can come sooner); a failure is logged and the power-off goes on.
  async #syncFiles() {
    try {
      const vfs = await this.#vfs;
      if (vfs) await vfs.sync();
    } catch (err) {
      this.#log(`sessions: writing the files back before power-off failed: ${err.message}`);
    }
  }

  #end(session) {
    if (session.ended) return;
    session.ended = true;
    this.#sessions.delete(session.id);
    if (session.port.session === session) {
      session.port.session = null;
      dropInput(session.port); // typed at a shell that is going away
    }
    // The shell's descendants are killed with it.
    if (session.handle) session.handle.kill();
    this.#log(`sessions: ${session.user.name} logged out of ${session.console.name} (session ${session.id})`);
  }

  // The apps of a session: its shell and the shell's descendants.
  #appsOf(session, all = rt.apps()) {
    const ids = new Set();
    if (!session.handle) return ids;
    ids.add(session.handle.id);
    let grew = true;
    while (grew) {
      grew = false;
      for (const a of all) if (!ids.has(a.id) && ids.has(a.parentId)) { ids.add(a.id); grew = true; }
    }
    return ids;
  }

  #owner(appId, all) {
    for (const s of this.#sessions.values()) if (this.#appsOf(s, all).has(appId)) return s;
    return null;
  }

  // Runs fn(ask) with the session's console taken from its shell: ask(prompt) reads a line
  // there, unechoed unless asked, that the shell never sees (passwords). The shell gets the
  // console back after.
  async #dialog(session, fn) {
    const { port } = session;
    if (session.ended || port.session !== session) throw new Error('sessions: the session has ended');
    const shellReader = port.reader;
    const ask = async (text, { echo = false } = {}) => {
      if (session.ended) throw new Error('sessions: the session has ended');
      port.console.write(text);
      return readLine(port, { echo });
    };
    try {
      return await fn(ask);
    } finally {
      if (!session.ended && port.session === session) setReader(port, shellReader);
    }
  }

  static async #newPassword(ask, who) {
    const first = await ask(`New password for ${who}: `);
    if (!first) throw new Error('no password given; nothing changed');
    const again = await ask('Retype new password: ');
    if (again !== first) throw new Error('the passwords do not match; nothing changed');
    return first;
  }

  #network() {
    if (!this.#net) throw Object.assign(new Error('there is no network service in this system'), { code: 'ENETDOWN' });
    return this.#net;
  }

  async #userVfs(session, vfs) {
    const { user } = session;
    if (allowed(user, 'all-files')) return vfs;
    // A user's home on the disk is made at their first use of files.
    if (vfs.mounts().some((m) => m.path === '/disk')) await vfs.mkdir(`/disk/home/${user.name}`, { recursive: true }).catch(() => {});
    return vfs.restrict(`${user.name} (session ${session.id})`, [
      { path: '/tmp', access: 'rw' },
      { path: `/disk/home/${user.name}`, access: 'rw' },
    ]);
  }

  // The functions a session's shell is granted: each knows its session.
  #api(session) {
    const { user } = session;
    const users = this.#users;
    const live = () => { if (session.ended) throw new Error('sessions: the session has ended'); };
    const require = (action, what) => { live(); if (!allowed(user, action)) throw denied(user, what); };
    let files = null;
    const fsView = async () => {
      if (!this.#vfs) throw Object.assign(new Error('sessions: there is no file system in this system'), { code: 'ENOSYS' });
      files ??= await this.#userVfs(session, await this.#vfs);
      return files;
    };
    const fsCall = (name) => async (...args) => { live(); return (await fsView())[name](...args); };
    return {
      whoami: () => ({ name: user.name, uid: user.uid, role: user.role, session: session.id, console: session.console.name }),
      /**
       * Asks `question` on the session's console and resolves whether the answer was yes.
       * No answer within the confirmation time, Ctrl-C/Ctrl-D, or the session ending is a no.
       */
      confirm: async (question) => {
        live();
        return this.#dialog(session, async (ask) => {
          const timer = setTimeout(() => {
            if (session.port.cancel) { session.port.console.write('(no answer)\n'); session.port.cancel(); }
          }, this.#confirmMs);
          try {
            const answer = await ask(`${String(question)} [y/N] `, { echo: true });
            return typeof answer === 'string' && /^\s*y(es)?\s*$/i.test(answer);
          } finally {
            clearTimeout(timer);
          }
        }).catch(() => false);
      },
      /** Apps this user may see: all for an admin, their own sessions' for a user. */
      apps: () => {
        live();
        const all = rt.apps();
        const mine = new Set();
        for (const s of this.#sessions.values()) if (s.user.name === user.name) for (const id of this.#appsOf(s, all)) mine.add(id);
        const seeAll = allowed(user, 'see-all-apps');
        return all.filter((a) => seeAll || mine.has(a.id)).map((a) => {
          const owner = this.#owner(a.id, all);
          return { ...a, user: owner ? owner.user.name : 'system', session: owner ? owner.id : null };
        });
      },
      kill: (id) => {
        live();
        const n = Number(id);
        if (!Number.isInteger(n) || n <= 0) throw new TypeError(`kill: not an app id: ${id}`);
        const all = rt.apps();
        const target = all.find((a) => a.id === n);
        if (!target) throw Object.assign(new Error(`kill: no app ${n}`), { code: 'ESRCH' });
        if (n === INIT_APP_ID) throw Object.assign(new Error('kill: app 1 is init, the system itself (use poweroff or reboot)'), { code: 'EPERM' });
        const owner = this.#owner(n, all);
        if (!(owner && owner.user.name === user.name)) require('kill-any-app', `kill app ${n} ('${target.name}') of ${owner ? `user '${owner.user.name}'` : 'the system'}`);
        return binding.kill(n);
      },
      who: () => { live(); return this.list().map(({ user: u, console, since }) => ({ user: u, console, since })); },
      sessions: () => {
        live();
        const seeAll = allowed(user, 'see-all-apps');
        return this.list().filter((s) => seeAll || s.user === user.name);
      },
      endSession: (id) => {
        live();
        const s = this.#sessions.get(Number(id));
        if (!s) throw Object.assign(new Error(`sessions: no session ${id}`), { code: 'ESRCH' });
        if (s.user.name !== user.name) require('end-any-session', `end session ${id} of user '${s.user.name}'`);
        this.#end(s);
        return true;
      },
      logout: () => { this.#end(session); },
      poweroff: async () => {
        require('poweroff', 'power the machine off');
        this.#log(`sessions: ${user.name} powers off`);
        await this.#syncFiles();
        this.#power.off();
      },
      reboot: async () => {
        require('reboot', 'reboot the machine');
        this.#log(`sessions: ${user.name} reboots`);
        await this.#syncFiles();
        this.#power.reboot();
      },
      passwd: async (name = user.name) => {
        live();
        if (name !== user.name) require('passwd-other', `set the password of '${name}'`);
        if (!users.get(name)) throw Object.assign(new Error(`passwd: no user '${name}'`), { code: 'ENOENT' });
        const password = await this.#dialog(session, async (ask) => {
          if (name === user.name && !(await users.verify(name, (await ask('Current password: ')) ?? ''))) {
            throw Object.assign(new Error('wrong password; nothing changed'), { code: 'EACCES' });
          }
          return SessionManager.#newPassword(ask, name);
        });
        await users.setPassword(name, password);
        return `password of '${name}' changed`;
      },
      useradd: async (name, role = 'user') => {
        require('useradd', 'add users');
        if (users.get(name)) throw Object.assign(new Error(`useradd: '${name}' already exists`), { code: 'EEXIST' });
        return users.add(name, role, await this.#dialog(session, (ask) => SessionManager.#newPassword(ask, name)));
      },
      userdel: async (name) => {
        require('userdel', 'remove users');
        if (name === user.name) throw new Error('userdel: you cannot remove yourself');
        await users.remove(name);
        for (const s of [...this.#sessions.values()]) if (s.user.name === name) this.#end(s);
        return `user '${name}' removed`;
      },
      users: () => { live(); return users.list(); },
      ifconfig: async () => {
        live();
        const net = this.#network();
        return { interfaces: await net.interfaces(), routes: await net.routes() };
      },
      ping: async (host, options = {}) => {
        live();
        const { size, timeoutMs } = options ?? {};
        return this.#network().ping(String(host), { ...(size !== undefined ? { size: Number(size) } : {}), ...(timeoutMs !== undefined ? { timeoutMs: Number(timeoutMs) } : {}) });
      },
      fs: {
        list: async (path) => { live(); return (await (await fsView()).readdir(path, { withFileTypes: true })).map((e) => ({ name: e.name, type: e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : 'file' })); },
        readdir: fsCall('readdir'), readFile: fsCall('readFile'), writeFile: fsCall('writeFile'),
        appendFile: fsCall('appendFile'), stat: fsCall('stat'), mkdir: fsCall('mkdir'), rm: fsCall('rm'),
        rename: fsCall('rename'), copyFile: fsCall('copyFile'), mounts: async () => { live(); return (await fsView()).mounts(); },
      },
    };
  }
}
