// node:fs/promises over the app's namespace (js/services/vfs/namespace.js). Every call is
// Node's, with Node's errors; data read comes back as a Buffer (or a string in the encoding
// asked for), as in Node. FileHandle has read, write, readFile, writeFile, appendFile, stat,
// truncate, sync, datasync, utimes and close.

import { appVfs, allocateFd, releaseFd } from '../../services/vfs/namespace.js';
import { constants, Stats, Dirent, normalize, pathIsDirectory } from '../../services/vfs/vfs.js';
import { fsError } from '../../services/vfs/errors.js';
import { Buffer } from '../buffer.js';
import { invalidArgType, invalidArgValue, outOfRange } from '../../internal/node-errors.js';
import { codedError } from '../../internal/modules/errors.js';

/** The encoding `options` name (a string, or { encoding }), or null; ERR_INVALID_ARG_VALUE for an unknown one. */
export function encodingOf(options) {
  const encoding = (typeof options === 'string' ? options : options && options.encoding) || null;
  if (encoding !== null && encoding !== 'buffer' && !Buffer.isEncoding(encoding)) {
    throw invalidArgValue('encoding', encoding, 'is invalid encoding');
  }
  return encoding;
}

/** Bytes read, as Node gives them: a Buffer, or a string in `options`' encoding. */
export function asRead(u8, options) {
  const buf = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
  const encoding = encodingOf(options);
  return encoding && encoding !== 'buffer' ? buf.toString(encoding) : buf;
}

/** Data to write: a string in `options`' encoding (utf8 by default) as bytes; bytes as they are. */
export function asWritten(data, options) {
  if (typeof data === 'string') {
    const encoding = encodingOf(options);
    return encoding && encoding !== 'utf8' && encoding !== 'utf-8' ? Buffer.from(data, encoding) : data;
  }
  if (ArrayBuffer.isView(data)) return data;
  const err = new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${data === null ? 'null' : typeof data}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  throw err;
}

/**
 * A path argument checked as Node checks it before any work starts (a string, a Buffer or a
 * file: URL; no NUL bytes), as a string; `name` is the argument's name in the error.
 */
export function validPath(path, name = 'path') {
  if (path && typeof path === 'object' && !(path instanceof Uint8Array) && path.href !== undefined && path.protocol !== 'file:') {
    throw codedError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  }
  const text = pathOf(path);
  if (typeof text !== 'string') throw invalidArgType(name, ['string', 'Buffer', 'URL'], path);
  if (text.includes('\0')) throw invalidArgValue(name, path, 'must be a string, Uint8Array, or URL without null bytes');
  return text;
}

// A path argument as Node takes it: a string, a Buffer (UTF-8) or a file: URL.
export function pathOf(path) {
  if (typeof path === 'string') return path;
  if (path instanceof Uint8Array) return Buffer.from(path.buffer, path.byteOffset, path.byteLength).toString();
  if (path && typeof path === 'object' && path.href !== undefined && path.protocol === 'file:') return decodeURIComponent(path.pathname);
  return path; // the VFS names what is wrong with it
}

/** readv/writev's `buffers`, checked as Node checks them. */
export function bufferList(buffers) {
  if (!Array.isArray(buffers)) throw invalidArgType('buffers', 'ArrayBufferView[]', buffers);
  buffers.forEach((b, i) => { if (!ArrayBuffer.isView(b)) throw invalidArgType(`buffers[${i}]`, 'ArrayBufferView', b); });
  return buffers;
}

/**
 * readv/writev over `io(view, position)` (a read or a write of one buffer, its count, or a
 * promise of it): each buffer in turn from `position` on (or the file's own position when
 * not a number), stopping at a short transfer. The total, or a promise of it when `io` is async.
 */
export function vectored(buffers, position, io) {
  const at = typeof position === 'number' ? position : null;
  let total = 0;
  let i = 0;
  const step = (n) => {
    total += n;
    return n === buffers[i++].byteLength;
  };
  const view = (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const first = buffers.length ? io(view(buffers[0]), at) : 0;
  if (typeof first === 'number') {
    if (buffers.length && step(first)) {
      while (i < buffers.length && step(io(view(buffers[i]), at === null ? null : at + total)));
    }
    return total;
  }
  return (async () => {
    if (await first.then(step)) {
      while (i < buffers.length && step(await io(view(buffers[i]), at === null ? null : at + total)));
    }
    return total;
  })();
}

const MAX_ID = 2 ** 32 - 1; // uid_t and gid_t are 32 bits; -1 means "leave it"

/** chown's uid and gid checked as Node checks them (integers from -1 to 2^32 - 1). */
export function checkOwner(uid, gid) {
  for (const [name, id] of [['uid', uid], ['gid', gid]]) {
    if (typeof id !== 'number') throw invalidArgType(name, 'number', id);
    if (!Number.isInteger(id)) throw outOfRange(name, 'an integer', id);
    if (id < -1 || id > MAX_ID) throw outOfRange(name, `>= -1 && <= ${MAX_ID}`, id);
  }
}

/**
 * What chown does to a file with stats `s`: files here have no owner to change (every file
 * is uid 0, gid 0, as Stats says), so only a call that changes nothing (-1, or the ids it
 * has) succeeds, and any other is EPERM, as Linux's vfat answers without its `quiet` option.
 */
export function chownOutcome(s, uid, gid, syscall, path) {
  if ((uid !== -1 && uid !== s.uid) || (gid !== -1 && gid !== s.gid)) {
    throw fsError('EPERM', syscall, path, undefined, 'files here have no owners to change');
  }
}

// Node's FileHandle calls added to the namespace's handle (local or the service's).
export function nodeHandle(handle) {
  allocateFd(handle);
  const { close, readFile, writeFile, write } = handle;
  // write(buffer[, offset[, length[, position]]]), write(buffer, { offset, length, position })
  // and write(string[, position[, encoding]]), as Node's FileHandle.
  handle.write = async (data, ...rest) => {
    if (typeof data !== 'string') {
      if (rest[0] !== null && typeof rest[0] === 'object') {
        const { offset = 0, length, position = null } = rest[0];
        return write.call(handle, data, offset, length, position);
      }
      return write.call(handle, data, ...rest);
    }
    const [position = null, encoding] = rest;
    const bytes = Buffer.from(data, typeof encoding === 'string' ? encoding : 'utf8');
    const { bytesWritten } = await write.call(handle, bytes, 0, bytes.length, position);
    return { bytesWritten, buffer: data };
  };
  handle.close = async () => {
    if (!handle.closed) releaseFd(handle.fd);
    return close.call(handle);
  };
  handle.readFile = async (options) => asRead(await readFile.call(handle), options);
  handle.writeFile = (data, options) => writeFile.call(handle, asWritten(data, options));
  handle.appendFile = handle.writeFile;
  const { stat: plainStat } = handle;
  handle.stat = async (options) => {
    const st = await plainStat.call(handle);
    return options && options.bigint ? bigintStats(st) : st;
  };
  handle.chown = async (uid, gid) => {
    checkOwner(uid, gid);
    chownOutcome(await plainStat.call(handle), uid, gid, 'fchown');
  };
  handle.readv = async (buffers, position) => {
    bufferList(buffers);
    const bytesRead = await vectored(buffers, position, async (v, at) => (await handle.read(v, 0, v.length, at)).bytesRead);
    return { bytesRead, buffers };
  };
  handle.writev = async (buffers, position) => {
    bufferList(buffers);
    const bytesWritten = await vectored(buffers, position, async (v, at) => (await write.call(handle, v, 0, v.length, at)).bytesWritten);
    return { bytesWritten, buffers };
  };
  return handle;
}

/** A file mode argument as Node takes it (an integer, or an octal string), or `fallback`. */
export function fileMode(value, fallback, name = 'mode') {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') {
    if (!/^[0-7]+$/.test(value)) throw invalidArgValue(name, value, 'must be a 32-bit unsigned integer or an octal string');
    return parseInt(value, 8);
  }
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < 0 || value > 2 ** 32 - 1) throw outOfRange(name, `>= 0 && <= ${2 ** 32 - 1}`, value);
  return value;
}

export async function open(path, flags = 'r', mode = 0o666) {
  path = validPath(path);
  mode = fileMode(mode, 0o666);
  return nodeHandle(await (await appVfs()).open(path, flags ?? 'r', mode));
}

const isHandle = (h) => h !== null && typeof h === 'object' && typeof h.read === 'function' && typeof h.fd === 'number';

export async function readFile(path, options) {
  encodingOf(options);
  if (isHandle(path)) return path.readFile(options);
  const flag = options && typeof options === 'object' ? options.flag : undefined;
  return asRead(await (await appVfs()).readFile(validPath(path), { flag }), options);
}

export async function writeFile(path, data, options) {
  if (isHandle(path)) return path.writeFile(data, options);
  return (await appVfs()).writeFile(validPath(path), asWritten(data, options), options);
}

export async function appendFile(path, data, options) {
  if (isHandle(path)) return path.writeFile(data, options);
  return (await appVfs()).appendFile(validPath(path), asWritten(data, options), options);
}

/** Node's BigIntStats: the same fields as BigInts, plus the times in nanoseconds. */
export function bigintStats(s) {
  const out = Object.create(Object.getPrototypeOf(s));
  for (const [k, v] of Object.entries(s)) out[k] = typeof v === 'number' ? BigInt(Math.trunc(v)) : v;
  for (const k of ['atime', 'mtime', 'ctime', 'birthtime']) out[`${k}Ns`] = BigInt(Math.trunc(s[`${k}Ms`])) * 1000000n;
  return out;
}

const statCall = (name) => async (path, options) => {
  const s = await (await appVfs())[name](validPath(path));
  return options && options.bigint ? bigintStats(s) : s;
};
export const stat = statCall('stat');
export const lstat = statCall('lstat');

const join = (dir, name) => (dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`);

/** readdir, with Node's withFileTypes and recursive (every name below, relative to `path`). */
export async function readdir(path, options) {
  encodingOf(options);
  const vfs = await appVfs();
  path = validPath(path);
  const o = typeof options === 'string' ? { encoding: options } : options || {};
  if (!o.recursive) return vfs.readdir(path, { withFileTypes: !!o.withFileTypes });
  const out = [];
  const walk = async (dir, prefix) => {
    for (const d of await vfs.readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${d.name}` : d.name;
      out.push(o.withFileTypes ? d : rel);
      if (d.isDirectory()) await walk(join(dir, d.name), rel);
    }
  };
  await walk(path, '');
  return out;
}

const onePath = (name) => async (path, ...rest) => (await appVfs())[name](validPath(path), ...rest);
const twoPaths = (name) => async (a, b, ...rest) => (await appVfs())[name](validPath(a), validPath(b), ...rest);

export const access = onePath('access');
export const mkdir = onePath('mkdir');
export const rmdir = onePath('rmdir');
export const rm = onePath('rm');
export const unlink = onePath('unlink');
export const rename = twoPaths('rename');
/** truncate's length checked as Node checks it (an integer; a negative one is 0). */
export function truncateLength(len) {
  if (len === undefined) return 0;
  if (typeof len !== 'number') throw invalidArgType('len', 'number', len);
  if (!Number.isInteger(len)) throw outOfRange('len', 'an integer', len);
  return Math.max(0, len);
}
const truncatePath = onePath('truncate');
export const truncate = async (path, len) => truncatePath(path, truncateLength(len));
export const symlink = twoPaths('symlink');
export const readlink = async (path, options) => { encodingOf(options); return onePath('readlink')(path); };
export const realpath = async (path, options) => { encodingOf(options); return onePath('realpath')(path); };
export const utimes = onePath('utimes');
export const lutimes = onePath('utimes');
export const copyFile = twoPaths('copyFile');

const TEMP_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const TEMP_TRIES = 100;

/** `prefix` and six random characters (mkdtemp(3)'s XXXXXX). */
function tempName(prefix) {
  let path = prefix;
  for (let j = 0; j < 6; j++) path += TEMP_CHARS[Math.floor(Math.random() * TEMP_CHARS.length)];
  return path;
}

/** mkdtemp's retries, for mkdtemp and mkdtempSync: `make(path)` (a promise or not) on new
 * names until one is not taken (EEXIST); the name made, in the same form. */
export function makeTemp(prefix, make, tries = TEMP_TRIES) {
  if (tries === 0) throw fsError('EEXIST', 'mkdtemp', `${prefix}XXXXXX`);
  const path = tempName(prefix);
  const retry = (e) => {
    if (e.code !== 'EEXIST') throw e;
    return makeTemp(prefix, make, tries - 1);
  };
  let made;
  try {
    made = make(path);
  } catch (e) {
    return retry(e);
  }
  return typeof made?.then === 'function' ? made.then(() => path, retry) : path;
}

/** Makes a new directory named `prefix` and six random characters (as mkdtemp(3)). */
export async function chown(path, uid, gid) {
  path = validPath(path);
  checkOwner(uid, gid);
  chownOutcome(await stat(path), uid, gid, 'chown', path);
}

export async function lchown(path, uid, gid) {
  path = validPath(path);
  checkOwner(uid, gid);
  chownOutcome(await lstat(path), uid, gid, 'lchown', path);
}

export async function mkdtemp(prefix, options) {
  encodingOf(options);
  const vfs = await appVfs();
  prefix = validPath(prefix, 'prefix');
  return makeTemp(prefix, (path) => vfs.mkdir(path, { mode: 0o700 }));
}

/** Copies a file, or with { recursive: true } a tree (Node's fs.cp: force, errorOnExist, filter). */
export async function cp(src, dest, options = {}) {
  const vfs = await appVfs();
  const { recursive = false, force = true, errorOnExist = false, filter } = options;
  src = pathOf(src);
  dest = pathOf(dest);
  const copy = async (from, to) => {
    if (filter && !(await filter(from, to))) return;
    const st = await vfs.lstat(from);
    if (st.isDirectory()) {
      if (!recursive) throw pathIsDirectory('cp', from, `${from} is a directory (not copied)`);
      await vfs.mkdir(to, { recursive: true });
      for (const name of await vfs.readdir(from)) await copy(join(from, name), join(to, name));
      return;
    }
    if (st.isSymbolicLink()) {
      await vfs.symlink(await vfs.readlink(from), to);
      return;
    }
    const exists = await vfs.lstat(to).then(() => true, () => false);
    if (exists && !force) {
      if (errorOnExist) {
        const err = fsError('EEXIST', 'cp', to);
        err.code = 'ERR_FS_CP_EEXIST';
        throw err;
      }
      return;
    }
    await vfs.copyFile(from, to);
  };
  if (normalize(dest) === normalize(src) || normalize(dest).startsWith(`${normalize(src)}/`)) {
    const err = fsError('EINVAL', 'cp', src, dest, 'cannot copy a directory into itself');
    err.code = 'ERR_FS_CP_EINVAL';
    throw err;
  }
  await copy(src, dest);
}

/** Node's fs.Dir: the entries of a directory, read once at opendir. */
export class Dir {
  #entries; #closed = false;
  constructor(path, entries) {
    this.path = path;
    this.#entries = entries;
  }

  async read() {
    if (this.#closed) throw Object.assign(new Error('Directory handle was closed'), { code: 'ERR_DIR_CLOSED' });
    return this.#entries.shift() ?? null;
  }

  async close() {
    if (this.#closed) throw Object.assign(new Error('Directory handle was closed'), { code: 'ERR_DIR_CLOSED' });
    this.#closed = true;
  }

  async* [Symbol.asyncIterator]() {
    try {
      while (this.#entries.length) yield this.#entries.shift();
    } finally {
      if (!this.#closed) this.#closed = true;
    }
  }
}

export async function opendir(path) {
  path = validPath(path);
  return new Dir(path, await (await appVfs()).readdir(path, { withFileTypes: true }));
}

export { constants, Stats, Dirent };

export default {
  open, readFile, writeFile, appendFile, stat, lstat, access, readdir, mkdir, rmdir, rm, unlink, rename,
  truncate, symlink, readlink, realpath, utimes, lutimes, copyFile, mkdtemp, cp, opendir, chown, lchown, constants,
};
