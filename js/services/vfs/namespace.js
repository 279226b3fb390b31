// The file namespace an app's node:fs sees: tmpfs at '/' with /tmp, and whatever the
// system mounts into it (/disk when a disk is present). One per app, made on first use,
// with the table of descriptor numbers Node's callback API hands out.

import { Vfs } from './vfs.js';
import { Tmpfs } from './tmpfs.js';
import { fsError } from './errors.js';

const FIRST_FD = 3; // 0-2 are the standard streams in Node
let vfs = null;
const fds = new Map();

/** The app's namespace. */
export function appVfs() {
  if (!vfs) {
    const root = new Tmpfs();
    root.create(root.root(), 'tmp', { type: 'directory', mode: 0o1777 });
    vfs = new Vfs(root);
  }
  return vfs;
}

/** Gives `handle` the lowest free descriptor number (as POSIX open does). */
export function allocateFd(handle) {
  let fd = FIRST_FD;
  while (fds.has(fd)) fd++;
  fds.set(fd, handle);
  handle.fd = fd;
  return fd;
}

/** The open FileHandle behind `fd`, or EBADF for `syscall`. */
export function handleOf(fd, syscall) {
  const h = Number.isInteger(fd) ? fds.get(fd) : undefined;
  if (!h || h.closed) throw fsError('EBADF', syscall);
  return h;
}

/** Forgets `fd` (after close). */
export function releaseFd(fd) { fds.delete(fd); }
