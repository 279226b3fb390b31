// Boots to a login: six virtual consoles on the VGA screen (Alt+F1..F6) and one on COM1,
// each with a login prompt; a login starts a shell session (docs/sessions.md). Run it as
// init:
//   ./rtjs rtjs:apps/login.js [USERS.json]          (rtjs-sim; a window when there is a display)
//   ./rtjs run --window rtjs:apps/login.js          (the kernel in QEMU)
// Users are read from /disk/etc/users.json when the machine has a FAT32 disk (created from
// USERS.json, or by the first login, when missing there; USERS.json, in memory, when that
// file is damaged), else from USERS.json, kept in memory. Options: --no-vga, --no-serial, --consoles N (1-9), --backoff MS, --hostname NAME,
// --net (start the network service: DHCP on the first virtio-net device), --net-console PORT
// (logins over TCP on PORT; implies --net).
import binding from 'rtjs:binding';
import { ResourceManager } from '../services/resources.js';
import { ISA } from '../services/system.js';
import { VgaText } from '../drivers/vga-text.js';
import { Ps2Keyboard } from '../drivers/ps2-keyboard.js';
import { SerialDriver } from '../drivers/serial.js';
import { VirtualConsoles, serialConsole } from '../services/sessions/vt.js';
import { UserDb } from '../services/sessions/users.js';
import { openUsers } from '../services/sessions/user-store.js';
import { SessionManager } from '../services/sessions/manager.js';
import { appVfs } from '../services/vfs/namespace.js';
import { startNetwork } from '../services/net/launch.js';
import { listenConsoles } from '../services/sessions/net-console.js';

function options(argv) {
  const o = { vga: true, serial: true, consoles: 6, backoffMs: undefined, hostname: 'rtjs', usersFile: null, net: false, netConsole: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-vga') o.vga = false;
    else if (a === '--no-serial') o.serial = false;
    else if (a === '--consoles') o.consoles = Math.max(1, Math.min(9, Number(argv[++i]) | 0));
    else if (a === '--backoff') o.backoffMs = Math.max(0, Number(argv[++i]) || 0);
    else if (a === '--hostname') o.hostname = String(argv[++i]);
    else if (a === '--net') o.net = true;
    else if (a === '--net-console') { o.net = true; o.netConsole = Number(argv[++i]); }
    else if (a.startsWith('--')) { console.error(`login: unknown option ${a}`); rt.exit(2); }
    else o.usersFile = a;
  }
  return o;
}

const o = options(rt.argv);
const hasher = await rt.spawn('rtjs:services/sessions/hasher.js', { name: 'hasher' }).interface;
const vfs = await appVfs();
const log = (line) => console.log(line);
const seed = o.usersFile ? binding.readFile(o.usersFile) : undefined;
if (o.usersFile && seed === undefined) console.error(`login: cannot read ${o.usersFile}; starting with no users`);
let opened;
try {
  opened = await openUsers(vfs, { seed, seedName: o.usersFile ?? 'the image', hash: (pw, salt, params) => hasher.hash(pw, salt, params), log });
} catch (err) {
  // The image's own users file is bad (on a machine with no disk): nobody can log in.
  console.error(`login: ${err.message}`);
  opened = { db: null, where: 'nowhere', firstAdmin: false, damaged: err };
}
const { where, firstAdmin, damaged } = opened;
const users = opened.db ?? new UserDb();
const manager = new SessionManager({
  users, vfs, hostname: o.hostname, backoffMs: o.backoffMs, log,
  firstAdmin: firstAdmin ? true : `the users file cannot be used (${damaged?.message ?? 'damaged'})`,
});

const resources = new ResourceManager(rt.hw);
const attached = [];
if (o.vga) {
  try {
    const screen = new VgaText(resources.memory('vga', 0xb8000, 4000), resources.ports('vga', 0x3d4, 2));
    screen.clear();
    const keyboard = new Ps2Keyboard(resources.ports('keyboard', 0x60, 1), resources.ports('keyboard', 0x64, 1),
      resources.irq('keyboard', ISA.keyboard.irqs[0]));
    const vts = new VirtualConsoles({ surface: screen, keyboard, count: o.consoles });
    for (const c of vts.consoles) attached.push(manager.attach(c));
  } catch (err) {
    console.error(`login: no VGA consoles: ${err.message}`);
  }
}
if (o.serial) {
  try {
    const uart = new SerialDriver(resources.ports('com1', 0x3f8, 8), resources.irq('com1', ISA.com1.irqs[0]));
    attached.push(manager.attach(serialConsole(uart)));
  } catch (err) {
    console.error(`login: no serial console: ${err.message}`);
  }
}
if (attached.length === 0 && o.netConsole === null) rt.exit(1);
console.log(`login: ${attached.length} consoles, ${users.size} users from ${where}`);
// The network comes up after the local consoles: waiting for a DHCP server that may never
// answer must not keep anyone from logging in.
if (o.net) {
  try {
    const { net } = await startNetwork();
    manager.setNetwork(net);
    const [eth0] = (await net.interfaces()).filter((i) => i.name !== 'lo');
    console.log(`login: network up${eth0 ? `, ${eth0.name} ${eth0.address}/${eth0.prefix}` : ''}`);
    if (o.netConsole !== null) {
      const { port } = await listenConsoles(net, manager, { port: o.netConsole, log });
      console.log(`login: consoles over TCP on port ${port}`);
    }
  } catch (err) {
    console.error(`login: no network: ${err.message}`);
    if (attached.length === 0) rt.exit(1);
  }
}
