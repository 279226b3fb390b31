// The shell: one per session (js/services/sessions/manager.js starts it after a login).
// It is the JavaScript REPL (history, Tab completion, top-level await) on the session's
// console, plus commands that are plain functions: `ls('/disk')`, or typed as a command
// line, `ls /disk`, which the shell turns into the call. Everything it reaches outside its
// own app comes from the session's grant: the console, the files the user may see, the
// apps of the user's sessions, and (for an admin) the machine.
import binding from 'rtjs:binding';
import { createRepl } from '../internal/repl.js';
import { setConsoleSink } from '../internal/console.js';
import { formatTable, formatBytes, resolvePath, parseCommandLine } from './shell-format.js';
import { spawnConfirmed } from '../services/access/broker.js';
import { attenuate, parse } from '../services/access/permissions.js';

const { session, user, auto, console: tty, columns = 80, hostname = 'rtjs', write } = rt.grants ?? {};
if (!session || typeof write !== 'function') {
  console.error('shell: start me from the session manager (a login), not directly');
  rt.exit(2);
}

const out = (text) => { write(text).catch(() => {}); };
const print = (text = '') => console.log(text);
const fs = session.fs;
const home = user.role === 'admin' ? '/' : `/disk/home/${user.name}`;
let cwd = '/';
const path = (p = '.') => resolvePath(cwd, String(p));

// Flags of a command line ('-r', '-rf') apart from its operands.
function flags(args) {
  const set = new Set(), rest = [];
  for (const a of args) {
    if (typeof a === 'string' && /^-[a-zA-Z]+$/.test(a)) for (const c of a.slice(1)) set.add(c);
    else rest.push(a);
  }
  return { set, rest };
}

const commands = {
  help() {
    print([
      'Commands (call them, ls("/disk"), or type them, ls /disk):',
      '  ls [dir]  cd [dir]  pwd  cat file...  cp src dst  mv src dst  rm [-r] path...  mkdir [-p] dir...',
      '  run app [args]   start an app in this session (its output comes here)',
      '  apps  kill id  mem  top [seconds]      the apps you may see (an admin: all)',
      '  who  sessions  whoami  logout (or Ctrl-D)  passwd [user]',
      '  ifconfig  ping host [count]      when the network service runs',
      '  admin only: useradd name [admin|user]  userdel name  users  reboot  poweroff',
      'Anything else is JavaScript.',
    ].join('\n'));
  },
  pwd() { print(cwd); },
  async cd(dir = home) {
    const target = path(dir);
    const st = await fs.stat(target);
    if (!(st.mode & 0o40000)) throw Object.assign(new Error(`cd: not a directory: ${target}`), { code: 'ENOTDIR' });
    cwd = target;
  },
  async ls(...args) {
    const { set, rest } = flags(args);
    for (const dir of rest.length ? rest : ['.']) {
      const target = path(dir);
      if (rest.length > 1) print(`${target}:`);
      const entries = await fs.list(target);
      const names = entries.map((e) => (e.type === 'directory' ? `${e.name}/` : e.name))
        .filter((n) => set.has('a') || !n.startsWith('.')).sort();
      if (names.length) print(names.join('  '));
    }
  },
  async cat(...files) {
    for (const f of files) {
      const text = new TextDecoder().decode(await fs.readFile(path(f)));
      print(text.endsWith('\n') ? text.slice(0, -1) : text);
    }
  },
  async cp(src, dst) { await fs.copyFile(path(src), await intoDir(src, dst)); },
  async mv(src, dst) { await fs.rename(path(src), await intoDir(src, dst)); },
  async rm(...args) {
    const { set, rest } = flags(args);
    for (const p of rest) await fs.rm(path(p), { recursive: set.has('r') || set.has('R'), force: set.has('f') });
  },
  async mkdir(...args) {
    const { set, rest } = flags(args);
    for (const p of rest) await fs.mkdir(path(p), { recursive: set.has('p') });
  },
  // The app gets what its manifest asks for within this session's grant, after the user
  // confirms on the console whatever goes beyond what the session gives without asking
  // (`auto`: the user's files, the environment); with no manifest, just that.
  async run(app, ...args) {
    if (!app) throw new TypeError('run: which app? run /path/to/app.js [args]');
    const main = String(app).startsWith('rtjs:') ? String(app) : path(app);
    const name = main.slice(main.lastIndexOf('/') + 1);
    const source = `import 'rtjs:apps/session-run.js';\nawait import(${JSON.stringify(main)});\n`;
    const given = parse(auto ?? {}, 'the session\'s grant');
    const confirm = async (_app, asked, cut) => {
      if (cut.length) print(`run: ${name} asks for more than ${user.name} may have; it will not get: ${Array.prototype.join.call(cut, '; ')}`);
      const extra = attenuate(given, parse(asked)).cut;
      if (extra.length === 0) return true;
      return session.confirm(`run: ${name} asks for: ${Array.prototype.join.call(extra, '; ')}\nAllow?`);
    };
    // Its output goes through the REPL, which redraws the line being typed around it.
    const options = { name, args: args.map(String), grant: { write: (text) => repl.print(1, String(text)) }, permissions: auto ?? {} };
    const h = await spawnConfirmed(main, options, confirm, (_main, o) => rt.spawn({ source }, o));
    h.exited.then(({ code, reason }) => print(`[${h.id}] ${name} ended (${reason}, code ${code})`));
    print(`[${h.id}] ${name} started`);
  },
  async apps() {
    const list = await session.apps();
    print(formatTable(list.map((a) => ({
      id: a.id, parent: a.parentId, user: a.user, engine: a.cpu, state: a.state, memory: formatBytes(a.memoryUsed), name: a.name,
    }))));
  },
  async kill(...ids) {
    for (const id of ids) if (!(await session.kill(id))) print(`kill: app ${id} had already ended`);
  },
  async mem() {
    const list = await session.apps();
    let total = 0;
    const rows = list.map((a) => {
      total += a.memoryUsed;
      return { id: a.id, name: a.name, heap: formatBytes(a.heapUsed), memory: formatBytes(a.memoryUsed), limit: `${a.heapLimitMb} MB` };
    });
    print(formatTable(rows));
    print(`${list.length} apps, ${formatBytes(total)} in all`);
  },
  // CPU: the share of the interval each app's tasks ran on its engine (busyMs); heap as sampled.
  async top(seconds = 1) {
    const interval = Math.max(0.2, Number(seconds) || 1) * 1000;
    const before = new Map((await session.apps()).map((a) => [a.id, a.busyMs]));
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, interval));
    const after = await session.apps();
    const elapsed = performance.now() - t0;
    const engines = new Map();
    const rows = after.map((a) => {
      const cpu = before.has(a.id) ? (a.busyMs - before.get(a.id)) / elapsed : a.busyMs / elapsed;
      const e = engines.get(a.cpu) ?? { apps: 0, cpu: 0, memory: 0 };
      e.apps++; e.cpu += cpu; e.memory += a.memoryUsed;
      engines.set(a.cpu, e);
      return { id: a.id, engine: a.cpu, cpu: `${(100 * cpu).toFixed(1)}%`, heap: formatBytes(a.heapUsed), memory: formatBytes(a.memoryUsed), user: a.user, name: a.name };
    }).sort((x, y) => parseFloat(y.cpu) - parseFloat(x.cpu));
    print(formatTable([...engines].sort(([a], [b]) => a - b).map(([id, e]) => ({
      engine: id, apps: e.apps, cpu: `${(100 * e.cpu).toFixed(1)}%`, memory: formatBytes(e.memory),
    }))));
    print(formatTable(rows));
  },
  async who() {
    print(formatTable((await session.who()).map((w) => ({ user: w.user, console: w.console, since: new Date(w.since).toISOString() }))));
  },
  async sessions() {
    print(formatTable((await session.sessions()).map((s) => ({
      id: s.id, user: s.user, role: s.role, console: s.console, shell: s.shellId, since: new Date(s.since).toISOString(),
    }))));
  },
  async ifconfig() {
    const { interfaces, routes } = await session.ifconfig();
    for (const i of interfaces) {
      print(`${i.name}: ${i.up ? 'up' : 'down'}, mtu ${i.mtu}${i.mac ? `, ether ${i.mac}` : ''}`);
      print(`    inet ${i.address}/${i.prefix}${i.broadcast && i.broadcast !== '0.0.0.0' ? ` broadcast ${i.broadcast}` : ''}`);
      const counts = ['rxFrames', 'rxBytes', 'txFrames', 'txBytes', 'rxDropped'].filter((k) => k in i);
      if (counts.length) print(`    ${counts.map((k) => `${k} ${i[k]}`).join(', ')}`);
    }
    print(formatTable(routes.map((r) => ({ destination: r.destination, gateway: r.gateway ?? '-', interface: r.interface }))));
  },
  async ping(host, count = 4) {
    if (!host) throw new TypeError('ping: which host? ping 10.0.2.2 [count]');
    const n = Math.max(1, Math.min(100, Number(count) || 4));
    let received = 0;
    for (let i = 1; i <= n; i++) {
      try {
        const r = await session.ping(String(host));
        received++;
        print(`reply from ${r.from}: seq=${i} time=${r.timeMs.toFixed(1)} ms`);
      } catch (err) {
        if (err.code !== 'ETIMEDOUT') throw err;
        print(`no reply: seq=${i}`);
      }
      if (i < n) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    print(`${host}: ${n} sent, ${received} received`);
  },
  async whoami() { const w = await session.whoami(); print(`${w.name} (uid ${w.uid}, ${w.role}) on ${w.console}, session ${w.session}`); },
  async users() { print(formatTable(await session.users())); },
  async passwd(name) { print(await session.passwd(...(name === undefined ? [] : [String(name)]))); },
  async useradd(name, role = 'user') { const u = await session.useradd(String(name), String(role)); print(`user '${u.name}' added (uid ${u.uid}, ${u.role})`); },
  async userdel(name) { print(await session.userdel(String(name))); },
  async endSession(id) { await session.endSession(id); },
  logout() { session.logout().catch(() => {}); },
  async reboot() { await session.reboot(); },
  async poweroff() { await session.poweroff(); },
};

// A path operand naming an existing directory means "into it", as cp and mv do.
async function intoDir(src, dst) {
  const target = path(dst);
  try {
    const st = await fs.stat(target);
    if (st.mode & 0o40000) return resolvePath(target, String(src).slice(String(src).lastIndexOf('/') + 1));
  } catch { /* a new name */ }
  return target;
}

// A command's failure is reported as its message (with its code), not as a stack through the
// session manager's frames; it still throws, so that JavaScript calling it can catch it.
const commandErrors = new WeakSet();
function reported(name, err) {
  if (!(err instanceof Error)) return err;
  const e = new Error(err.message.startsWith(`${name}:`) ? err.message : `${name}: ${err.message}`);
  commandErrors.add(e);
  if (err.code !== undefined) Object.defineProperty(e, 'code', { value: err.code, configurable: true, writable: true });
  return e;
}

// The session's own functions (whoami, apps, kill, fs.readFile, ...) for JavaScript typed here.
Object.defineProperty(globalThis, 'session', { value: session, writable: true, configurable: true, enumerable: false });

for (const [name, fn] of Object.entries(commands)) {
  const command = async function (...args) {
    try { return await fn(...args); } catch (err) { throw reported(name, err); }
  };
  Object.defineProperty(command, 'name', { value: name });
  commands[name] = command;
  Object.defineProperty(globalThis, name, { value: command, writable: true, configurable: true, enumerable: false });
}

const repl = createRepl({
  write: out,
  terminal: true,
  columns,
  prompt: `${user.name}@${hostname}${user.role === 'admin' ? '#' : '$'} `,
  // Ctrl-D and .exit end the session: the manager ends this app and its children.
  exit: () => commands.logout(),
  translate: (line) => parseCommandLine(line, (word) => Object.hasOwn(commands, word) && globalThis[word] === commands[word]),
  awaitResults: true,
  describeError: (e) => (commandErrors.has(e) ? `${e.message}${e.code ? ` (${e.code})` : ''}` : undefined),
});
setConsoleSink((stream, text) => repl.print(stream, text));
binding.setHooks({ onUncaught: (error, rejection) => repl.uncaught(error, rejection) });
rt.export({ input: (text) => repl.feed(String(text)) });
commands.cd(home).catch(() => commands.cd('/tmp').catch(() => {}));
void tty;
