// Node's *Sync calls over the app's namespace. They reach the file systems that answer at
// once: tmpfs (/, /tmp) and the boot files (the app's own directory). A disk, or the file
// service, answers when the device's interrupt (or the service's message) arrives, which the
// event loop a synchronous call blocks delivers: there a *Sync call throws ENOTSUP naming the
// file system, before it has changed anything (docs/filesystems.md).

import { appVfsSync, allocateFd, releaseFd, handleOf, checkFd } from '../../services/vfs/namespace.js';
import { asRead, asWritten, bigintStats, nodeHandle, makeTemp, bufferList, vectored, encodingOf, checkOwner, chownOutcome, validPath, fileMode, truncateLength } from './promises.js';
import { Buffer } from '../buffer.js';

// The namespace for a call on `path` (before /disk is mounted, a path there is refused).
const ns = (syscall, path) => appVfsSync(syscall, path);

const join = (dir, name) => (dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`);
const flagOf = (options, fallback) => (options && typeof options === 'object' && options.flag) || fallback;

export function readFileSync(path, options) {
  encodingOf(options);
  if (typeof path === 'number') return asRead(handleOf(path, 'read').readFileSync(), options);
  path = validPath(path);
  return asRead(ns('open', path).readFileSync(path, { flag: flagOf(options, 'r') }), options);
}

export function writeFileSync(path, data, options) {
  if (typeof path === 'number') return handleOf(path, 'write').writeFileSync(asWritten(data, options));
  path = validPath(path);
  return ns('open', path).writeFileSync(path, asWritten(data, options), options);
}

export function appendFileSync(path, data, options) {
  if (typeof path === 'number') return handleOf(path, 'write').writeFileSync(asWritten(data, options));
  path = validPath(path);
  return ns('open', path).appendFileSync(path, asWritten(data, options), options);
}

// statSync/lstatSync: Node's { bigint, throwIfNoEntry } options.
const statCall = (name) => (path, options) => {
  path = validPath(path);
  let s;
  try {
    s = ns(name, path)[`${name}Sync`](path);
  } catch (e) {
    if (options && options.throwIfNoEntry === false && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return undefined;
    throw e;
  }
  return options && options.bigint ? bigintStats(s) : s;
};
export const statSync = statCall('stat');
export const lstatSync = statCall('lstat');

/** True if `path` names something; false for anything else, errors included (as Node's). */
export function existsSync(path) {
  try {
    path = validPath(path);
    ns('access', path).accessSync(path);
    return true;
  } catch {
    return false;
  }
}

/** readdirSync, with Node's withFileTypes and recursive (every name below, relative to `path`). */
export function readdirSync(path, options) {
  encodingOf(options);
  path = validPath(path);
  const vfs = ns('scandir', path);
  const o = typeof options === 'string' ? { encoding: options } : options || {};
  if (!o.recursive) return vfs.readdirSync(path, { withFileTypes: !!o.withFileTypes });
  const out = [];
  const walk = (dir, prefix) => {
    for (const d of vfs.readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${d.name}` : d.name;
      out.push(o.withFileTypes ? d : rel);
      if (d.isDirectory()) walk(join(dir, d.name), rel);
    }
  };
  walk(path, '');
  return out;
}

const onePath = (name, syscall = name) => (path, ...rest) => {
  path = validPath(path);
  return ns(syscall, path)[`${name}Sync`](path, ...rest);
};
const twoPaths = (name, syscall = name) => (a, b, ...rest) => {
  a = validPath(a);
  b = validPath(b);
  ns(syscall, b);
  return ns(syscall, a)[`${name}Sync`](a, b, ...rest);
};

export const accessSync = onePath('access');
export const mkdirSync = onePath('mkdir');
export const rmdirSync = onePath('rmdir');
export const rmSync = onePath('rm');
export const unlinkSync = onePath('unlink');
const truncatePlain = onePath('truncate');
export const truncateSync = (path, len) => truncatePlain(path, truncateLength(len));
const readlinkPlain = onePath('readlink');
const realpathPlain = onePath('realpath');
export const readlinkSync = (path, options) => { encodingOf(options); return readlinkPlain(path); };
export const realpathSync = (path, options) => { encodingOf(options); return realpathPlain(path); };
realpathSync.native = realpathSync;
export const utimesSync = onePath('utimes', 'utime');
export const lutimesSync = utimesSync;
export const renameSync = twoPaths('rename');
export const copyFileSync = twoPaths('copyFile', 'copyfile');

/** symlinkSync(target, path): `target` is stored as it is, `path` is where the link goes. */
export function symlinkSync(target, path) {
  path = validPath(path);
  return ns('symlink', path).symlinkSync(validPath(target), path);
}

/** Makes a new directory named `prefix` and six random characters (as mkdtemp(3)). */
export function mkdtempSync(prefix, options) {
  encodingOf(options);
  prefix = validPath(prefix, 'prefix');
  const vfs = ns('mkdtemp', prefix);
  return makeTemp(prefix, (path) => vfs.mkdirSync(path, { mode: 0o700 }));
}

// --- descriptors ---

/** openSync(path[, flags[, mode]]): the descriptor number. */
export function openSync(path, flags = 'r', mode = 0o666) {
  path = validPath(path);
  mode = fileMode(mode, 0o666);
  return nodeHandle(ns('open', path).openSync(path, flags ?? 'r', mode)).fd;
}

export function closeSync(fd) {
  const h = handleOf(fd, 'close');
  h.closeSync(); // refused (and the descriptor kept) on a file system that answers asynchronously
  releaseFd(fd);
}

// Node's (buffer, offset, length, position) or (buffer, { offset, length, position }).
function ranges(buffer, rest) {
  if (rest[0] !== null && typeof rest[0] === 'object') {
    const { offset = 0, length = buffer.byteLength - offset, position = null } = rest[0];
    return [offset, length, position];
  }
  const [offset = 0, length = buffer.byteLength - offset, position = null] = rest;
  return [offset, length, position];
}

/** readSync(fd, buffer, offset, length, position): the bytes read. */
export function readSync(fd, buffer, ...rest) {
  return handleOf(fd, 'read').readSync(buffer, ...ranges(buffer, rest)).bytesRead;
}

/** writeSync(fd, buffer[, offset[, length[, position]]]) or (fd, string[, position[, encoding]]): the bytes written. */
export function writeSync(fd, data, ...rest) {
  const h = handleOf(fd, 'write');
  if (typeof data === 'string') {
    const [position = null, encoding] = rest;
    const bytes = Buffer.from(data, typeof encoding === 'string' ? encoding : 'utf8');
    return h.writeSync(bytes, 0, bytes.length, position).bytesWritten;
  }
  return h.writeSync(data, ...ranges(data, rest)).bytesWritten;
}

export function chownSync(path, uid, gid) {
  path = validPath(path);
  checkOwner(uid, gid);
  chownOutcome(statSync(path), uid, gid, 'chown', path);
}

export function lchownSync(path, uid, gid) {
  path = validPath(path);
  checkOwner(uid, gid);
  chownOutcome(lstatSync(path), uid, gid, 'lchown', path);
}

export function fchownSync(fd, uid, gid) {
  checkFd(fd);
  checkOwner(uid, gid);
  const h = handleOf(fd, 'fchown');
  chownOutcome(h.statSync(), uid, gid, 'fchown');
}

/** readvSync(fd, buffers[, position]): the bytes read into the buffers, in turn. */
export function readvSync(fd, buffers, position) {
  const h = handleOf(fd, 'read');
  return vectored(bufferList(buffers), position, (v, at) => h.readSync(v, 0, v.length, at).bytesRead);
}

/** writevSync(fd, buffers[, position]): the bytes written from the buffers, in turn. */
export function writevSync(fd, buffers, position) {
  const h = handleOf(fd, 'write');
  return vectored(bufferList(buffers), position, (v, at) => h.writeSync(v, 0, v.length, at).bytesWritten);
}

export function fstatSync(fd, options) {
  const s = handleOf(fd, 'fstat').statSync();
  return options && options.bigint ? bigintStats(s) : s;
}

export const ftruncateSync = (fd, len) => {
  checkFd(fd);
  len = truncateLength(len);
  handleOf(fd, 'ftruncate').truncateSync(len);
};
export const fsyncSync = (fd) => { handleOf(fd, 'fsync').syncSync(); };
export const fdatasyncSync = (fd) => { handleOf(fd, 'fdatasync').datasyncSync(); };
export const futimesSync = (fd, atime, mtime) => { handleOf(fd, 'futime').utimesSync(atime, mtime); };

export default {
  readFileSync, writeFileSync, appendFileSync, statSync, lstatSync, existsSync, readdirSync, accessSync, mkdirSync,
  rmdirSync, rmSync, unlinkSync, truncateSync, readlinkSync, realpathSync, utimesSync, lutimesSync, renameSync,
  copyFileSync, symlinkSync, mkdtempSync, openSync, closeSync, readSync, writeSync, readvSync, writevSync, fstatSync, ftruncateSync,
  fsyncSync, fdatasyncSync, futimesSync, chownSync, lchownSync, fchownSync,
};
