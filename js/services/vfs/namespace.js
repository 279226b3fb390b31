// The file namespace an app's node:fs sees: tmpfs at '/' with /tmp, plus either the file
// service's mounts (/disk, ...) when the app was granted one (rt.grants.fs, or setFiles), or
// /disk when the app can reach a virtio-blk disk itself (init, or an app granted the PCI
// configuration ports and the disk's resources) holding a FAT32 volume. Made on first use,
// one per app, with the table of descriptor numbers Node's callback API hands out.
//
// /disk syncs on its own shortly after each change (and is marked clean once synced), so an
// app that ends by itself leaves everything on the disk; an app that calls rt.exit() or
// rt.powerOff() right after writing should fsync (or sync) first.

import { Vfs } from './vfs.js';
import { Tmpfs } from './tmpfs.js';
import { fsError } from './errors.js';
import { Fat32 } from './fat32/fat32.js';
import { PciBus } from '../../drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../drivers/virtio/index.js';
import { VirtioBlk } from '../../drivers/virtio-blk.js';
import { RemoteFiles } from './remote.js';
import { BootFs } from './bootfs.js';
import binding from 'rtjs:binding';
import { within, normalize } from './grants.js';
import { invalidArgType, outOfRange } from '../../internal/node-errors.js';

const FIRST_FD = 3; // 0-2 are the standard streams in Node
const MAX_FD = 2 ** 31 - 1; // descriptors are C ints (Node's validateInt32)
const PCI_CONFIG = [0xcf8, 8]; // configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2)
const VIRTIO_ID_BLOCK = 2; // OASIS VIRTIO 1.2, 5
const DMA_PROBE = 4096; // one page
const DISK_SYNC_MS = 100; // how soon /disk writes back after a change
const DISK_IDLE_MS = 50; // how long the disk stays started with nothing in flight
const BOOT_FILE = 1; // binding.bootStat's kind of a regular file (binding-files.cc)
let ready = null; // the whole namespace, a promise
let whole = null; // the whole namespace, once ready
let own = null; // the app's own part, made at once: tmpfs at '/', /tmp, the app's directory
let service = null;
const fds = new Map();

/** The app's namespace (a promise: mounting /disk reads the disk). */
export function appVfs() {
  if (!ready) {
    ready = build();
    ready.then((ns) => { whole = ns; }, () => {});
  }
  return ready;
}

/**
 * The namespace as it is now, for Node's *Sync calls: the whole one once it is ready, else
 * the app's own part, where a path under /disk (still being mounted, and never reachable
 * synchronously) is refused with ENOTSUP rather than reported missing.
 */
export function appVfsSync(syscall, path) {
  if (whole) return whole;
  appVfs();
  if (typeof path === 'string' && within(normalize(path), '/disk')) {
    throw fsError('ENOTSUP', syscall, path, undefined, 'a disk answers only asynchronously: use fs.promises or the callback API');
  }
  return ownPart().vfs;
}

function ownPart() {
  if (!own) {
    const root = new Tmpfs();
    root.create(root.root(), 'tmp', { type: 'directory', mode: 0o1777 });
    const vfs = new Vfs(root);
    own = { root, vfs, appDir: mountAppDirectory(vfs) };
  }
  return own;
}

/**
 * Makes `files` (a file service's interface, service.js forApp) where this app's node:fs
 * reaches the service's mounts, instead of a disk of its own; for the app that started the
 * service. Other apps are granted it as rt.grants.fs.
 */
export function setFiles(files) {
  service = files;
  ready = null;
  whole = null;
}

async function build() {
  const { root, vfs, appDir } = ownPart();
  const files = service ?? globalThis.rt?.grants?.fs;
  let remote = null;
  if (files) {
    remote = await new RemoteFiles(files).connect();
    // The service's mounts win over the app's directory where they meet.
    if (appDir && remote.roots.some((p) => within(appDir, p) || within(p, appDir))) await vfs.unmount(appDir);
    for (const r of remote.roots) await vfs.mkdir(r, { recursive: true });
  }
  if (remote) return new SplitNamespace(vfs, remote);
  try {
    const fat = await findDisk();
    if (fat) {
      root.create(root.root(), 'disk', { type: 'directory', mode: 0o755 });
      await vfs.mount('/disk', fat);
    }
  } catch (err) {
    console.error(`rtjs: /disk is not mounted: ${err.message}`);
  }
  return vfs;
}

// The package around the app's main module (the nearest directory with a package.json, as
// `./rtjs run` carries it: node_modules and files a package reads, such as yargs's locales),
// below /tmp, else the module's own directory, read-only at its own path (the boot files: the
// host's hosted, the initrd's on the kernel), unless it is '/' or would hide /tmp or a disk
// (a directory inside the app's own /tmp is mounted there: it hides only that subtree).
// Mounted at once, so that a *Sync call made when the app starts finds the app's files.
// Returns the path mounted, or undefined.
function mountAppDirectory(vfs, disks = ['/disk']) {
  const main = binding.mainPath ? binding.realpath(binding.mainPath) : undefined;
  if (typeof main !== 'string' || !main.startsWith('/')) return; // an app made from source text
  const dir = packageAround(main.slice(0, main.lastIndexOf('/')));
  if (dir === '' || within('/tmp', dir) || disks.some((p) => within(dir, p) || within(p, dir))) return;
  try {
    const fs = new BootFs(dir);
    vfs.mkdirSync(dir, { recursive: true });
    vfs.mountSync(dir, fs);
    return dir;
  } catch (err) {
    console.error(`rtjs: the app's directory ${dir} is not mounted: ${err.message}`);
  }
}

// The search stops below /tmp and '/', as `./rtjs run`'s does: a package.json left there by
// anyone would otherwise claim every app under it (and /tmp is never mounted over).
function packageAround(dir) {
  for (let d = dir; d !== '' && !within('/tmp', d); d = d.slice(0, d.lastIndexOf('/'))) {
    const s = binding.bootStat(`${d}/package.json`);
    if (Array.isArray(s) && s[0] === BOOT_FILE) return d;
  }
  return dir;
}

// The first virtio-blk disk this app can reach, mounted as FAT32; null if there is none.
async function findDisk() {
  if (typeof rt === 'undefined') return null;
  let ports;
  try {
    // A disk driver needs DMA memory: where there is none to have (the runtime run as a
    // plain Linux program) there is no machine and no disk, and its ports are not to be touched.
    rt.hw.dma(DMA_PROBE);
    ports = rt.hw.ports(...PCI_CONFIG);
  } catch {
    return null; // no DMA, or this app was not granted the PCI configuration space
  }
  const pci = new PciBus(ports);
  const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_BLOCK);
  if (!fn) return null;
  const name = `virtio-blk ${fn.bus}:${fn.device}.${fn.function}`;
  // INTx, and the device reset whenever nothing is in flight for a moment: an attached
  // interrupt keeps an app alive, and an app that is done with /disk should be able to end.
  const disk = new VirtioBlk(new VirtioPciTransport(pci, fn, name), { msix: false, suspendWhenIdleMs: DISK_IDLE_MS });
  return Fat32.mount(disk, { syncDelayMs: DISK_SYNC_MS });
}

/** Gives `handle` the lowest free descriptor number (as POSIX open does). */
export function allocateFd(handle) {
  let fd = FIRST_FD;
  while (fds.has(fd)) fd++;
  fds.set(fd, handle);
  handle.fd = fd;
  return fd;
}

/** `fd` checked as Node checks a descriptor argument (an int32 >= 0) before any work starts. */
export function checkFd(fd) {
  if (typeof fd !== 'number') throw invalidArgType('fd', 'number', fd);
  if (!Number.isInteger(fd)) throw outOfRange('fd', 'an integer', fd);
  if (fd < 0 || fd > MAX_FD) throw outOfRange('fd', `>= 0 && <= ${MAX_FD}`, fd);
  return fd;
}

/** The open FileHandle behind `fd` (checked as checkFd does), or EBADF for `syscall`. */
export function handleOf(fd, syscall) {
  const h = fds.get(checkFd(fd));
  if (!h || h.closed) throw fsError('EBADF', syscall);
  return h;
}

/** Forgets `fd` (after close). */
export function releaseFd(fd) { fds.delete(fd); }

const EXDEV = (syscall, from, to) => fsError('EXDEV', syscall, from, to);

/**
 * The namespace of an app using a file service: paths under the service's mounts go to the
 * service, the others to the app's own tmpfs. A rename between the two is EXDEV, as between
 * two mounts; a copy between them reads and writes.
 */
class SplitNamespace {
  #local; #remote;
  constructor(local, remote) {
    this.#local = local;
    this.#remote = remote;
  }

  #side(path) { return this.#remote.serves(path) ? this.#remote : this.#local; }

  symlink(target, path) { return this.#side(path).symlink(target, path); }
  symlinkSync(target, path) { return this.#syncSide(path, 'symlink').symlinkSync(target, path); }

  rename(from, to) {
    const a = this.#side(from);
    if (a !== this.#side(to)) return Promise.reject(EXDEV('rename', from, to));
    return a.rename(from, to);
  }

  async copyFile(from, to, mode = 0) {
    const a = this.#side(from);
    const b = this.#side(to);
    if (a === b) return a.copyFile(from, to, mode);
    return b.writeFile(to, await a.readFile(from), { flag: mode & 1 ? 'wx' : 'w' }); // COPYFILE_EXCL = 1
  }

  renameSync(from, to) {
    const a = this.#syncSide(from, 'rename');
    if (a !== this.#syncSide(to, 'rename')) throw EXDEV('rename', from, to);
    return a.renameSync(from, to);
  }

  copyFileSync(from, to, mode = 0) {
    this.#syncSide(from, 'copyfile');
    this.#syncSide(to, 'copyfile');
    return this.#local.copyFileSync(from, to, mode);
  }

  // The local side for a *Sync call; the service answers only asynchronously.
  #syncSide(path, syscall) {
    if (!this.#remote.serves(path)) return this.#local;
    throw fsError('ENOTSUP', syscall, path, undefined, 'the file service answers only asynchronously: use fs.promises or the callback API');
  }

  sync() { return this.#local.sync(); }
  mounts() { return [...this.#local.mounts(), ...this.#remote.roots.map((path) => ({ path, fs: 'service', readOnly: false }))]; }

  // The calls on one path go where the path is.
  static {
    for (const op of ['open', 'readFile', 'writeFile', 'appendFile', 'stat', 'lstat', 'access', 'readdir', 'mkdir', 'rmdir',
      'rm', 'unlink', 'truncate', 'readlink', 'realpath', 'utimes']) {
      this.prototype[op] = function call(path, ...rest) { return this.#side(path)[op](path, ...rest); };
      this.prototype[`${op}Sync`] = function callSync(path, ...rest) { return this.#syncSide(path, op)[`${op}Sync`](path, ...rest); };
    }
  }
}
