// node:fs: the callback API over the app's namespace, with descriptor numbers, streams,
// fs.promises, and the *Sync calls where a file system answers at once (fs/sync.js: tmpfs and
// the boot files; a disk answers when its interrupt arrives, which the event loop a
// synchronous call would block delivers, so there they throw ENOTSUP; docs/filesystems.md).

import * as promises from './fs/promises.js';
import { handleOf, releaseFd } from '../services/vfs/namespace.js';
import { constants, Stats, Dirent } from '../services/vfs/vfs.js';
import { ReadStream, WriteStream } from './fs/streams.js';
import syncCalls from './fs/sync.js';
import { watch, watchFile, unwatchFile } from './fs/watch.js';

export * from './fs/sync.js';

function callbackOf(args) {
  const cb = args.pop();
  if (typeof cb !== 'function') {
    const err = new TypeError(`The "cb" argument must be of type function. Received ${cb === undefined ? 'undefined' : typeof cb}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  return cb;
}

// Node calls back after the current operation, never synchronously.
function settle(promise, cb, spread) {
  promise.then(
    (value) => queueMicrotask(() => (spread ? cb(null, ...value) : cb(null, value))),
    (err) => queueMicrotask(() => cb(err)));
}

const wrap = (fn, spread = false) => (...args) => {
  const cb = callbackOf(args);
  let promise;
  try { promise = Promise.resolve(fn(...args)); } catch (err) { promise = Promise.reject(err); }
  settle(promise, cb, spread);
};

export const readFile = wrap(promises.readFile);
export const mkdtemp = wrap(promises.mkdtemp);
export const cp = wrap(async (...a) => { await promises.cp(...a); });
export const opendir = wrap(promises.opendir);
export const lutimes = wrap(async (...a) => { await promises.lutimes(...a); });

/** fs.exists(path, cb): cb(true | false), no error argument (deprecated in Node, still used). */
export function exists(path, cb) {
  promises.access(path).then(() => queueMicrotask(() => cb(true)), () => queueMicrotask(() => cb(false)));
}

/** fs.createReadStream(path, options): a Readable of the file (start, end, highWaterMark, encoding, fd, flags). */
export function createReadStream(path, options) { return new ReadStream(path, options); }

/** fs.createWriteStream(path, options): a Writable into the file (flags, start, encoding, fd). */
export function createWriteStream(path, options) { return new WriteStream(path, options); }
export const writeFile = wrap(async (...a) => { await promises.writeFile(...a); });
export const appendFile = wrap(async (...a) => { await promises.appendFile(...a); });
export const stat = wrap(promises.stat);
export const lstat = wrap(promises.lstat);
export const access = wrap(async (...a) => { await promises.access(...a); });
export const readdir = wrap(promises.readdir);
export const mkdir = wrap(promises.mkdir);
export const rmdir = wrap(async (...a) => { await promises.rmdir(...a); });
export const rm = wrap(async (...a) => { await promises.rm(...a); });
export const unlink = wrap(async (...a) => { await promises.unlink(...a); });
export const rename = wrap(async (...a) => { await promises.rename(...a); });
export const truncate = wrap(async (...a) => { await promises.truncate(...a); });
export const symlink = wrap(async (...a) => { await promises.symlink(...a); });
export const readlink = wrap(promises.readlink);
export const realpath = wrap(promises.realpath);
export const utimes = wrap(async (...a) => { await promises.utimes(...a); });
export const copyFile = wrap(async (...a) => { await promises.copyFile(...a); });

/** fs.open(path[, flags[, mode]], cb): cb(err, fd). */
export const open = wrap(async (path, flags, mode) => (await promises.open(path, flags, mode)).fd);

export const close = wrap(async (fd) => {
  const h = handleOf(fd, 'close');
  releaseFd(fd);
  await h.close();
});

/** fs.read(fd, buffer, offset, length, position, cb): cb(err, bytesRead, buffer). */
export const read = wrap(async (fd, buffer, offset, length, position) => {
  const { bytesRead } = await handleOf(fd, 'read').read(buffer, offset, length, position);
  return [bytesRead, buffer];
}, true);

/** fs.write(fd, buffer[, offset[, length[, position]]], cb) or (fd, string[, position[, encoding]], cb): cb(err, written, buffer). */
export const write = wrap(async (fd, buffer, offset, length, position) => {
  const h = handleOf(fd, 'write');
  if (typeof buffer === 'string') {
    const { bytesWritten } = await h.write(buffer, typeof offset === 'number' ? offset : null, typeof length === 'string' ? length : undefined);
    return [bytesWritten, buffer];
  }
  const { bytesWritten } = await h.write(buffer, offset, length, position);
  return [bytesWritten, buffer];
}, true);

export const fstat = wrap(async (fd) => handleOf(fd, 'fstat').stat());
export const ftruncate = wrap(async (fd, len) => { await handleOf(fd, 'ftruncate').truncate(len); });
export const fsync = wrap(async (fd) => { await handleOf(fd, 'fsync').sync(); });
export const fdatasync = wrap(async (fd) => { await handleOf(fd, 'fdatasync').datasync(); });
export const futimes = wrap(async (fd, atime, mtime) => { await handleOf(fd, 'futime').utimes(atime, mtime); });

export { promises, constants, Stats, Dirent, ReadStream, WriteStream, watch, watchFile, unwatchFile };
export const { F_OK, R_OK, W_OK, X_OK } = constants;
export const { Dir } = promises;

export default {
  readFile, writeFile, appendFile, stat, lstat, access, readdir, mkdir, rmdir, rm, unlink, rename, truncate,
  symlink, readlink, realpath, utimes, lutimes, copyFile, open, close, read, write, fstat, ftruncate, fsync, fdatasync,
  futimes, mkdtemp, cp, opendir, exists, createReadStream, createWriteStream, promises, constants, Stats, Dirent,
  Dir, ReadStream, WriteStream, F_OK, R_OK, W_OK, X_OK, watch, watchFile, unwatchFile, ...syncCalls,
};
