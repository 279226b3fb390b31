// node:fs/promises over the app's namespace (js/services/vfs/namespace.js). Every call is
// Node's, with Node's errors; data read comes back as a Buffer (or a string in the encoding
// asked for), as in Node. FileHandle has read, write, readFile, writeFile, appendFile, stat,
// truncate, sync, datasync, utimes and close.

import { appVfs, allocateFd, releaseFd } from '../../services/vfs/namespace.js';
import { constants, Stats, Dirent, normalize, pathIsDirectory } from '../../services/vfs/vfs.js';
import { fsError } from '../../services/vfs/errors.js';
import { Buffer } from '../buffer.js';

const encodingOf = (options) => (typeof options === 'string' ? options : options && options.encoding) || null;

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

// A path argument as Node takes it: a string, a Buffer (UTF-8) or a file: URL.
export function pathOf(path) {
  if (typeof path === 'string') return path;
  if (path instanceof Uint8Array) return Buffer.from(path.buffer, path.byteOffset, path.byteLength).toString();
  if (path && typeof path === 'object' && path.href !== undefined && path.protocol === 'file:') return decodeURIComponent(path.pathname);
  return path; // the VFS names what is wrong with it
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
  return handle;
}

export async function open(path, flags = 'r', mode = 0o666) {
  return nodeHandle(await (await appVfs()).open(pathOf(path), flags ?? 'r', mode ?? 0o666));
}

const isHandle = (h) => h !== null && typeof h === 'object' && typeof h.read === 'function' && typeof h.fd === 'number';

export async function readFile(path, options) {
  if (isHandle(path)) return path.readFile(options);
  const flag = options && typeof options === 'object' ? options.flag : undefined;
  return asRead(await (await appVfs()).readFile(pathOf(path), { flag }), options);
}

export async function writeFile(path, data, options) {
  if (isHandle(path)) return path.writeFile(data, options);
  return (await appVfs()).writeFile(pathOf(path), asWritten(data, options), options);
}

export async function appendFile(path, data, options) {
  if (isHandle(path)) return path.writeFile(data, options);
  return (await appVfs()).appendFile(pathOf(path), asWritten(data, options), options);
}

/** Node's BigIntStats: the same fields as BigInts, plus the times in nanoseconds. */
export function bigintStats(s) {
  const out = Object.create(Object.getPrototypeOf(s));
  for (const [k, v] of Object.entries(s)) out[k] = typeof v === 'number' ? BigInt(Math.trunc(v)) : v;
  for (const k of ['atime', 'mtime', 'ctime', 'birthtime']) out[`${k}Ns`] = BigInt(Math.trunc(s[`${k}Ms`])) * 1000000n;
  return out;
}

const statCall = (name) => async (path, options) => {
  const s = await (await appVfs())[name](pathOf(path));
  return options && options.bigint ? bigintStats(s) : s;
};
export const stat = statCall('stat');
export const lstat = statCall('lstat');

const join = (dir, name) => (dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`);

/** readdir, with Node's withFileTypes and recursive (every name below, relative to `path`). */
export async function readdir(path, options) {
  const vfs = await appVfs();
  path = pathOf(path);
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

const onePath = (name) => async (path, ...rest) => (await appVfs())[name](pathOf(path), ...rest);
const twoPaths = (name) => async (a, b, ...rest) => (await appVfs())[name](pathOf(a), pathOf(b), ...rest);

export const access = onePath('access');
export const mkdir = onePath('mkdir');
export const rmdir = onePath('rmdir');
export const rm = onePath('rm');
export const unlink = onePath('unlink');
export const rename = twoPaths('rename');
export const truncate = onePath('truncate');
export const symlink = twoPaths('symlink');
export const readlink = onePath('readlink');
export const realpath = onePath('realpath');
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
export async function mkdtemp(prefix) {
  const vfs = await appVfs();
  prefix = pathOf(prefix);
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
  path = pathOf(path);
  return new Dir(path, await (await appVfs()).readdir(path, { withFileTypes: true }));
}

export { constants, Stats, Dirent };

export default {
  open, readFile, writeFile, appendFile, stat, lstat, access, readdir, mkdir, rmdir, rm, unlink, rename,
  truncate, symlink, readlink, realpath, utimes, lutimes, copyFile, mkdtemp, cp, opendir, constants,
};
