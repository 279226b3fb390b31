// node:fs: the callback API over the app's namespace, with descriptor numbers, streams,
// fs.promises, and the *Sync calls where a file system answers at once (fs/sync.js: tmpfs and
// the boot files; a disk answers when its interrupt arrives, which the event loop a
// synchronous call would block delivers, so there they throw ENOTSUP; docs/filesystems.md).

import * as promises from './fs/promises.js';
import { handleOf, releaseFd, checkFd } from '../services/vfs/namespace.js';
import { validPath, encodingOf, checkOwner, bufferList, fileMode, truncateLength } from './fs/promises.js';
import { constants, Stats, Dirent } from '../services/vfs/vfs.js';
import { ReadStream as ReadStreamClass, WriteStream as WriteStreamClass } from './fs/streams.js';
import syncCalls from './fs/sync.js';
import { watch, watchFile, unwatchFile } from './fs/watch.js';
import { callableClass } from '../internal/callable-class.js';

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
    (value) => queueMicrotask(() => (spread ? cb(null, ...value) : value === undefined ? cb(null) : cb(null, value))),
    (err) => queueMicrotask(() => cb(err)));
}

// What a call checks before it starts (Node throws these at once, never through the
// callback): paths (by argument name) and descriptors.
const PATH = ['path'];
const FD = ['fd'];
function checkArgs(names, args) {
  names.forEach((name, i) => {
    if (name === 'fd') checkFd(args[i]);
    else if (name === 'path|fd') { if (typeof args[i] === 'number') checkFd(args[i]); else validPath(args[i], 'path'); }
    else if (name === 'options') encodingOf(args[i]);
    else if (name === 'owner') checkOwner(args[i], args[i + 1]);
    else if (name === 'buffers') bufferList(args[i]);
    else if (name === 'mode') fileMode(args[i]);
    else if (name === 'len') truncateLength(args[i]);
    else if (name) validPath(args[i], name);
  });
}

const wrap = (fn, spread = false, names = []) => (...args) => {
  checkArgs(names, args.filter((a, i) => i < args.length - 1 || typeof a !== 'function'));
  const cb = callbackOf(args);
  let promise;
  try { promise = Promise.resolve(fn(...args)); } catch (err) { promise = Promise.reject(err); }
  settle(promise, cb, spread);
};

export const readFile = wrap(promises.readFile, false, ['path|fd', 'options']);
export const mkdtemp = wrap(promises.mkdtemp, false, ['prefix', 'options']);
export const cp = wrap(async (...a) => { await promises.cp(...a); }, false, ['src', 'dest']);
export const opendir = wrap(promises.opendir, false, PATH);
export const lutimes = wrap(async (...a) => { await promises.lutimes(...a); }, false, PATH);

/** fs.exists(path, cb): cb(true | false), no error argument (deprecated in Node, still used). */
export function exists(path, cb) {
  promises.access(path).then(() => queueMicrotask(() => cb(true)), () => queueMicrotask(() => cb(false)));
}

/** fs.createReadStream(path, options): a Readable of the file (start, end, highWaterMark, encoding, fd, flags). */
export function createReadStream(path, options) { return new ReadStreamClass(path, options); }

/** fs.createWriteStream(path, options): a Writable into the file (flags, start, encoding, fd). */
export function createWriteStream(path, options) { return new WriteStreamClass(path, options); }
export const writeFile = wrap(async (...a) => { await promises.writeFile(...a); }, false, ['path|fd', '', 'options']);
export const appendFile = wrap(async (...a) => { await promises.appendFile(...a); }, false, ['path|fd', '', 'options']);
export const stat = wrap(promises.stat, false, PATH);
export const lstat = wrap(promises.lstat, false, PATH);
export const access = wrap(async (...a) => { await promises.access(...a); }, false, PATH);
export const readdir = wrap(promises.readdir, false, ['path', 'options']);
export const mkdir = wrap(promises.mkdir, false, PATH);
export const rmdir = wrap(async (...a) => { await promises.rmdir(...a); }, false, PATH);
export const rm = wrap(async (...a) => { await promises.rm(...a); }, false, PATH);
export const unlink = wrap(async (...a) => { await promises.unlink(...a); }, false, PATH);
export const rename = wrap(async (...a) => { await promises.rename(...a); }, false, ['oldPath', 'newPath']);
export const truncate = wrap(async (...a) => { await promises.truncate(...a); }, false, ['path', 'len']);
export const symlink = wrap(async (...a) => { await promises.symlink(...a); }, false, ['target', 'path']);
export const readlink = wrap(promises.readlink, false, ['path', 'options']);
export const realpath = wrap(promises.realpath, false, ['path', 'options']);
export const utimes = wrap(async (...a) => { await promises.utimes(...a); }, false, PATH);
export const copyFile = wrap(async (...a) => { await promises.copyFile(...a); }, false, ['src', 'dest']);

/** fs.open(path[, flags[, mode]], cb): cb(err, fd). */
export const open = wrap(async (path, flags, mode) => (await promises.open(path, flags, mode)).fd, false, ['path', '', 'mode']);

export const close = wrap(async (fd) => {
  const h = handleOf(fd, 'close');
  releaseFd(fd);
  await h.close();
}, false, FD);

/** fs.read(fd, buffer, offset, length, position, cb): cb(err, bytesRead, buffer). */
export const read = wrap(async (fd, buffer, offset, length, position) => {
  const { bytesRead } = await handleOf(fd, 'read').read(buffer, offset, length, position);
  return [bytesRead, buffer];
}, true, FD);

/** fs.write(fd, buffer[, offset[, length[, position]]], cb) or (fd, string[, position[, encoding]], cb): cb(err, written, buffer). */
export const write = wrap(async (fd, buffer, offset, length, position) => {
  const h = handleOf(fd, 'write');
  if (typeof buffer === 'string') {
    const { bytesWritten } = await h.write(buffer, typeof offset === 'number' ? offset : null, typeof length === 'string' ? length : undefined);
    return [bytesWritten, buffer];
  }
  const { bytesWritten } = await h.write(buffer, offset, length, position);
  return [bytesWritten, buffer];
}, true, FD);

/** fs.readv(fd, buffers[, position], cb): cb(err, bytesRead, buffers). */
export const readv = wrap(async (fd, buffers, position) => {
  const { bytesRead } = await handleOf(fd, 'read').readv(buffers, position);
  return [bytesRead, buffers];
}, true, ['fd', 'buffers']);

/** fs.writev(fd, buffers[, position], cb): cb(err, bytesWritten, buffers). */
export const writev = wrap(async (fd, buffers, position) => {
  const { bytesWritten } = await handleOf(fd, 'write').writev(buffers, position);
  return [bytesWritten, buffers];
}, true, ['fd', 'buffers']);

export const chown = wrap(promises.chown, false, ['path', 'owner']);
export const lchown = wrap(promises.lchown, false, ['path', 'owner']);
export const fchown = wrap(async (fd, uid, gid) => handleOf(fd, 'fchown').chown(uid, gid), false, ['fd', 'owner']);

// util.promisify of the calls that answer with two values gives an object of them, as Node's.
const promisifyAs = (fn, names) => {
  Object.defineProperty(fn, Symbol.for('nodejs.util.promisify.custom'), {
    value: (...args) => new Promise((resolve, reject) => {
      fn(...args, (err, a, b) => (err ? reject(err) : resolve({ [names[0]]: a, [names[1]]: b })));
    }),
  });
};
promisifyAs(read, ['bytesRead', 'buffer']);
promisifyAs(write, ['bytesWritten', 'buffer']);
promisifyAs(readv, ['bytesRead', 'buffers']);
promisifyAs(writev, ['bytesWritten', 'buffers']);

export const fstat = wrap(async (fd, options) => handleOf(fd, 'fstat').stat(options), false, FD);
export const ftruncate = wrap(async (fd, len) => { await handleOf(fd, 'ftruncate').truncate(truncateLength(len)); }, false, ['fd', 'len']);
export const fsync = wrap(async (fd) => { await handleOf(fd, 'fsync').sync(); }, false, FD);
export const fdatasync = wrap(async (fd) => { await handleOf(fd, 'fdatasync').datasync(); }, false, FD);
export const futimes = wrap(async (fd, atime, mtime) => { await handleOf(fd, 'futime').utimes(atime, mtime); }, false, FD);

// Node's stream constructors are plain functions: fs.ReadStream(path) without new works.
const ReadStream = callableClass(ReadStreamClass);
const WriteStream = callableClass(WriteStreamClass);

export { promises, constants, Stats, Dirent, ReadStream, WriteStream, watch, watchFile, unwatchFile };
export const { F_OK, R_OK, W_OK, X_OK } = constants;
export const { Dir } = promises;

export default {
  readFile, writeFile, appendFile, stat, lstat, access, readdir, mkdir, rmdir, rm, unlink, rename, truncate,
  symlink, readlink, realpath, utimes, lutimes, copyFile, open, close, read, write, readv, writev, chown, lchown, fchown, fstat, ftruncate, fsync, fdatasync,
  futimes, mkdtemp, cp, opendir, exists, createReadStream, createWriteStream, promises, constants, Stats, Dirent,
  Dir, ReadStream, WriteStream, F_OK, R_OK, W_OK, X_OK, watch, watchFile, unwatchFile, ...syncCalls,
};
