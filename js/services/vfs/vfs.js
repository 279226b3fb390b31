// The virtual file system: one namespace of mounted file systems, path resolution, open
// files with offsets, and the calls of Node's fs/promises on top. Errors are Node's
// (errors.js). A view made with restrict() sees only the subtrees it was granted.
//
// A file system is an object with the methods below (docs/filesystems.md); a node is
// whatever object the file system uses for a file, a directory or a symbolic link. Any of
// them may return a promise. Failures are thrown as FsFault(code), which the VFS names
// with the call and the path.
//   name, readOnly, root(), typeOf(node) -> 'file' | 'directory' | 'symlink'
//   lookup(dir, name) -> node | null     readdir(dir) -> [{ name, type }]
//   stat(node) -> { type, mode, ino, nlink, size, blksize, blocks, atimeMs, mtimeMs, ctimeMs, birthtimeMs }
//   create(dir, name, { type: 'file' | 'directory', mode }) -> node
//   remove(dir, name, node)              rename(srcDir, srcName, node, dstDir, dstName)
//   read(node, u8, offset, length, position) -> bytes read
//   write(node, u8, offset, length, position) -> bytes written
//   truncate(node, size)   setTimes(node, atimeMs, mtimeMs)   sync(node?)   unmount()
//   optional: symlink(dir, name, target), readlink(node), open(node), close(node), statfs()

import { fsError, rethrow, ERRNO_CODES } from './errors.js';
import { normalize, within, fileGrant, allows, accessDenied } from './grants.js';

export { normalize };

const MAX_SYMLINKS = 40; // Linux's MAXSYMLINKS: ELOOP past it
const MAX_NAME = 255; // NAME_MAX
const MAX_OPEN = 1024; // open files per view (EMFILE past it)

// Each call is written once, as a generator that yields what the file system returns.
// runAsync awaits every step (fs/promises, the callback API); runSync takes every step's
// value as it is (Node's *Sync calls). A *Sync call may reach only the file systems that
// answer at once (tmpfs, the boot files: `synchronous` true): one on a device answers when
// the device's interrupt arrives, which the event loop a synchronous call blocks delivers,
// so it is refused with ENOTSUP naming the file system, before any step has changed anything.
const STEPS = ['read', 'write', 'stat', 'lstat', 'truncate', 'sync', 'utimes', 'readFile', 'writeFile', 'appendFile',
  'close', 'open', 'access', 'readdir', 'mkdir', 'rmdir', 'unlink', 'rm', 'rename', 'symlink', 'readlink', 'realpath',
  'copyFile', 'mount'];
const G = Object.freeze(Object.fromEntries(STEPS.map((name) => [name, Symbol(name)])));
let syncCalls = 0; // how many *Sync calls are running (nested: rm, copyFile)

async function runAsync(steps) {
  let r = steps.next();
  while (!r.done) {
    let value;
    let failed = false;
    try { value = await r.value; } catch (e) { value = e; failed = true; }
    r = failed ? steps.throw(value) : steps.next(value);
  }
  return r.value;
}

function runSync(steps) {
  syncCalls++;
  try {
    let r = steps.next();
    while (!r.done) {
      if (r.value !== null && typeof r.value === 'object' && typeof r.value.then === 'function') {
        // reach() keeps this from happening: a file system marked synchronous returned a promise.
        r.value.then(undefined, () => {});
        throw new Error('a file system marked synchronous answered with a promise');
      }
      r = steps.next(r.value);
    }
    return r.value;
  } finally {
    syncCalls--;
  }
}

// Throws ENOTSUP when a *Sync call is about to use a file system that answers asynchronously.
function reach(mount, syscall, path) {
  if (syncCalls > 0 && !mount.fs.synchronous) {
    throw fsError('ENOTSUP', syscall, path, undefined,
      `${mount.fs.name} at ${mount.path} answers only asynchronously: use fs.promises or the callback API`);
  }
}

// Defines `name` (a promise) and `nameSync` (the value) on cls for each of its steps.
function expose(cls) {
  for (const name of STEPS) {
    const steps = cls.prototype[G[name]];
    if (!steps) continue;
    Object.defineProperty(cls.prototype, name, {
      value: function call(...args) { return runAsync(steps.apply(this, args)); }, writable: true, configurable: true,
    });
    Object.defineProperty(cls.prototype, `${name}Sync`, {
      value: function callSync(...args) { return runSync(steps.apply(this, args)); }, writable: true, configurable: true,
    });
  }
}

// open(2) flags, Linux x86_64 values (asm-generic/fcntl.h), as Node's fs.constants.
export const constants = Object.freeze({
  O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 0o100, O_EXCL: 0o200, O_TRUNC: 0o1000,
  O_APPEND: 0o2000, O_SYNC: 0o4010000, O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000,
  S_IFMT: 0o170000, S_IFREG: 0o100000, S_IFDIR: 0o040000, S_IFLNK: 0o120000,
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
  COPYFILE_EXCL: 1, COPYFILE_FICLONE: 2, COPYFILE_FICLONE_FORCE: 4,
});
const C = constants;
const ACCESS_MODE = 3;

// Node's string flags (lib/internal/fs/utils.js stringToFlags).
const FLAGS = {
  r: C.O_RDONLY, rs: C.O_RDONLY | C.O_SYNC, sr: C.O_RDONLY | C.O_SYNC,
  'r+': C.O_RDWR, 'rs+': C.O_RDWR | C.O_SYNC, 'sr+': C.O_RDWR | C.O_SYNC,
  w: C.O_TRUNC | C.O_CREAT | C.O_WRONLY, wx: C.O_TRUNC | C.O_CREAT | C.O_WRONLY | C.O_EXCL,
  xw: C.O_TRUNC | C.O_CREAT | C.O_WRONLY | C.O_EXCL,
  'w+': C.O_TRUNC | C.O_CREAT | C.O_RDWR, 'wx+': C.O_TRUNC | C.O_CREAT | C.O_RDWR | C.O_EXCL,
  'xw+': C.O_TRUNC | C.O_CREAT | C.O_RDWR | C.O_EXCL,
  a: C.O_APPEND | C.O_CREAT | C.O_WRONLY, ax: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_EXCL,
  xa: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_EXCL, as: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_SYNC,
  sa: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_SYNC,
  'a+': C.O_APPEND | C.O_CREAT | C.O_RDWR, 'ax+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_EXCL,
  'xa+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_EXCL, 'as+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_SYNC,
  'sa+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_SYNC,
};

/** Node's flags argument (a string such as 'r+' or a number of O_* bits) as O_* bits. */
export function parseFlags(flags = 'r') {
  if (typeof flags === 'number' && Number.isInteger(flags)) return flags;
  if (typeof flags === 'string' && Object.prototype.hasOwnProperty.call(FLAGS, flags)) return FLAGS[flags];
  const err = new TypeError(`The argument 'flags' is invalid. Received ${received(flags)}`);
  err.code = 'ERR_INVALID_ARG_VALUE';
  throw err;
}

/** Node's fs.Stats: the numbers, Dates and the is*() tests. */
export class Stats {
  constructor(s, dev) {
    this.dev = dev;
    this.mode = s.mode;
    this.nlink = s.nlink;
    this.uid = 0;
    this.gid = 0;
    this.rdev = 0;
    this.blksize = s.blksize;
    this.ino = s.ino;
    this.size = s.size;
    this.blocks = s.blocks;
    this.atimeMs = s.atimeMs;
    this.mtimeMs = s.mtimeMs;
    this.ctimeMs = s.ctimeMs;
    this.birthtimeMs = s.birthtimeMs;
    this.atime = new Date(s.atimeMs);
    this.mtime = new Date(s.mtimeMs);
    this.ctime = new Date(s.ctimeMs);
    this.birthtime = new Date(s.birthtimeMs);
  }

  isFile() { return (Number(this.mode) & C.S_IFMT) === C.S_IFREG; }
  isDirectory() { return (Number(this.mode) & C.S_IFMT) === C.S_IFDIR; }
  isSymbolicLink() { return (Number(this.mode) & C.S_IFMT) === C.S_IFLNK; }
  isBlockDevice() { return false; }
  isCharacterDevice() { return false; }
  isFIFO() { return false; }
  isSocket() { return false; }
}

/** Node's fs.Dirent. */
export class Dirent {
  #type;
  constructor(name, type, parentPath) {
    this.name = name;
    this.parentPath = parentPath;
    this.path = parentPath;
    this.#type = type;
  }

  isFile() { return this.#type === 'file'; }
  isDirectory() { return this.#type === 'directory'; }
  isSymbolicLink() { return this.#type === 'symlink'; }
  isBlockDevice() { return false; }
  isCharacterDevice() { return false; }
  isFIFO() { return false; }
  isSocket() { return false; }
}

// How Node's argument errors show the value they got.
function received(v) {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'function') return `function ${v.name}`;
  if (typeof v === 'object') return v.constructor && v.constructor.name ? `an instance of ${v.constructor.name}` : 'type object';
  if (typeof v === 'string') return `'${v.replace(/\0/g, '\\x00')}'`;
  return `type ${typeof v} (${String(v)})`;
}

function checkPath(path, syscall) {
  if (typeof path !== 'string') {
    const err = new TypeError(`The "path" argument must be of type string or an instance of Buffer or URL. Received ${received(path)}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  if (path.includes('\0')) {
    const err = new TypeError(`The argument 'path' must be a string, Uint8Array, or URL without null bytes. Received ${received(path)}`);
    err.code = 'ERR_INVALID_ARG_VALUE';
    throw err;
  }
  if (path === '') throw fsError('ENOENT', syscall, path);
}


function join(parent, name) { return parent === '/' ? `/${name}` : `${parent}/${name}`; }

// One step of a resolved path: the name, and the file system and node it reached.
class Step {
  constructor(name, mount, node) {
    this.name = name;
    this.mount = mount;
    this.node = node;
  }
}

// The state every view of one namespace shares: the mount table and the device numbers.
class Namespace {
  mounts = new Map(); // canonical path -> { fs, readOnly, dev, path }
  nextDev = 1;
}

// A closed handle leaves its Vfs's open set (module-private: the set is #private).
let forgetHandle;

/**
 * One open file: a node, the access mode and the offset that read/write without a
 * position move. It stays usable after its path is renamed or unlinked.
 */
export class FileHandle {
  #vfs; #mount; #node; #flags; #path;
  /** The descriptor number Node's callback API knows it by (set by js/node/fs.js), or -1. */
  fd = -1;
  #position = 0;
  #closed = false;

  constructor(vfs, mount, node, flags, path) {
    this.#vfs = vfs;
    this.#mount = mount;
    this.#node = node;
    this.#flags = flags;
    this.#path = path;
  }

  get path() { return this.#path; }
  get closed() { return this.#closed; }
  get flags() { return this.#flags; }

  #live(syscall) {
    if (this.#closed) throw fsError('EBADF', syscall);
    reach(this.#mount, syscall, this.#path);
  }

  #canRead() { return (this.#flags & ACCESS_MODE) !== C.O_WRONLY; }
  #canWrite() { return (this.#flags & ACCESS_MODE) !== C.O_RDONLY; }

  /**
   * Reads up to `length` bytes into `buffer` at `offset`, from `position` (or the handle's
   * offset, which then advances). Resolves to { bytesRead, buffer }; 0 at the end.
   */
  *[G.read](buffer, offset = 0, length = buffer.byteLength - offset, position = null) {
    this.#live('read');
    if (!this.#canRead()) throw fsError('EBADF', 'read');
    const fs = this.#mount.fs;
    if (fs.typeOf(this.#node) === 'directory') throw fsError('EISDIR', 'read');
    const u8 = toBytes(buffer);
    checkRange(u8, offset, length);
    const at = position === null || position === undefined || position < 0 ? this.#position : position;
    let n;
    try { n = yield fs.read(this.#node, u8, offset, length, at); } catch (e) { rethrow(e, 'read', this.#path); }
    if (position === null || position === undefined || position < 0) this.#position = at + n;
    return { bytesRead: n, buffer };
  }

  /**
   * Writes `length` bytes of `buffer` from `offset` at `position` (or at the handle's offset,
   * or at the end when opened for appending). Resolves to { bytesWritten, buffer }.
   */
  *[G.write](buffer, offset = 0, length, position = null) {
    this.#live('write');
    if (!this.#canWrite()) throw fsError('EBADF', 'write');
    const u8 = typeof buffer === 'string' ? new TextEncoder().encode(buffer) : toBytes(buffer);
    if (typeof buffer === 'string') { offset = 0; length = u8.length; }
    if (length === undefined) length = u8.byteLength - offset;
    checkRange(u8, offset, length);
    const fs = this.#mount.fs;
    const append = (this.#flags & C.O_APPEND) !== 0;
    const implicit = position === null || position === undefined || position < 0;
    let at = implicit ? this.#position : position;
    let n;
    try {
      if (append) at = (yield fs.stat(this.#node)).size;
      n = yield fs.write(this.#node, u8, offset, length, at);
      if (this.#flags & C.O_SYNC) yield fs.sync(this.#node);
    } catch (e) { rethrow(e, 'write', this.#path); }
    if (implicit) this.#position = at + n;
    return { bytesWritten: n, buffer };
  }

  /** Node's filehandle.stat(). */
  *[G.stat]() {
    this.#live('fstat');
    try { return new Stats(yield this.#mount.fs.stat(this.#node), this.#mount.dev); } catch (e) { rethrow(e, 'fstat', this.#path); }
  }

  /** Sets the file's size to `len` (zero-filled when it grows). */
  *[G.truncate](len = 0) {
    this.#live('ftruncate');
    if (!this.#canWrite()) throw fsError('EINVAL', 'ftruncate'); // Linux: ftruncate(2) on a read-only descriptor
    if (!Number.isInteger(len) || len < 0) throw fsError('EINVAL', 'ftruncate', this.#path);
    try { yield this.#mount.fs.truncate(this.#node, len); } catch (e) { rethrow(e, 'ftruncate', this.#path); }
  }

  /** Writes what the file system holds dirty for this file (and its metadata) to the device. */
  *[G.sync]() {
    this.#live('fsync');
    try { yield this.#mount.fs.sync(this.#node); } catch (e) { rethrow(e, 'fsync', this.#path); }
  }

  datasync() { return this.sync(); }
  datasyncSync() { return this.syncSync(); }

  *[G.utimes](atime, mtime) {
    this.#live('futime');
    try { yield this.#mount.fs.setTimes(this.#node, toMs(atime), toMs(mtime)); } catch (e) { rethrow(e, 'futime', this.#path); }
  }

  /** The whole file from the current offset (Node's filehandle.readFile). */
  *[G.readFile](options) {
    const size = (yield* this[G.stat]()).size;
    const chunks = [];
    let total = 0;
    for (;;) {
      // At most 16 MB a read: the size is what the file system says (a damaged volume may
      // claim 4 GB), and an app's memory is bounded; the loop reads until the end anyway.
      const want = Math.min(Math.max(size - total, 65536), 1 << 24);
      const { bytesRead, buffer } = yield* this[G.read](new Uint8Array(want), 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return decode(concat(chunks, total), options);
  }

  *[G.writeFile](data, options) {
    const bytes = encode(data, options);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = yield* this[G.write](bytes, done, bytes.length - done, null);
      done += bytesWritten;
    }
  }

  /** Closes the handle; later calls on it are EBADF. Closing twice is harmless. */
  *[G.close]() {
    if (this.#closed) return;
    reach(this.#mount, 'close', this.#path);
    this.#closed = true;
    forgetHandle(this.#vfs, this);
    const fs = this.#mount.fs;
    try { if (fs.close) yield fs.close(this.#node); } catch (e) { rethrow(e, 'close', this.#path); }
  }
}
expose(FileHandle);

export function toBytes(buffer) {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  const err = new TypeError('The "buffer" argument must be a TypedArray, DataView or ArrayBuffer');
  err.code = 'ERR_INVALID_ARG_TYPE';
  throw err;
}

export function checkRange(u8, offset, length) {
  if (!Number.isInteger(offset) || offset < 0 || offset > u8.byteLength ||
      !Number.isInteger(length) || length < 0 || offset + length > u8.byteLength) {
    const err = new RangeError(`offset ${offset} and length ${length} do not fit a buffer of ${u8.byteLength} bytes`);
    err.code = 'ERR_OUT_OF_RANGE';
    throw err;
  }
}

function toMs(t) {
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'number') return t * 1000; // Node's utimes takes seconds
  if (typeof t === 'string' && t !== '' && Number.isFinite(Number(t))) return Number(t) * 1000;
  const err = new TypeError(`invalid time: ${String(t)}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  throw err;
}

export function concat(chunks, total) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

function encodingOf(options) {
  return typeof options === 'string' ? options : options && options.encoding;
}

export function decode(bytes, options) {
  const encoding = encodingOf(options);
  if (!encoding || encoding === 'buffer') return bytes;
  if (encoding === 'utf8' || encoding === 'utf-8') return new TextDecoder().decode(bytes);
  if (encoding === 'latin1' || encoding === 'binary') return String.fromCharCode(...bytes);
  throw fsError('EINVAL', 'read', undefined, undefined, `unsupported encoding ${encoding}`);
}

export function encode(data, options) {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  return toBytes(data);
}

/**
 * A view of the namespace. The first one (new Vfs(rootFs)) sees everything; restrict()
 * makes one that sees only granted subtrees.
 */
export class Vfs {
  #ns; #app;
  #check = null; // (op, canonical path, need) -> throws when refused; null: everything is allowed
  #handles = new Set();

  /**
   * @param {object|Namespace} root the file system mounted at '/' (or, internally, a namespace to share)
   * @param {{ app?: string, grants?: object, authorize?: Function }} [policy] see restrict() and view()
   */
  constructor(root, { app, grants, authorize } = {}) {
    if (root instanceof Namespace) {
      this.#ns = root;
    } else {
      this.#ns = new Namespace();
      this.#ns.mounts.set('/', { fs: root, readOnly: false, dev: this.#ns.nextDev++, path: '/' });
    }
    this.#app = app;
    if (grants) {
      const grant = fileGrant(grants);
      this.#check = (op, path, need) => {
        if (!allows(grant, path, need)) throw accessDenied(`'${app}'`, op, path, need);
      };
    } else if (authorize) {
      this.#check = authorize;
    }
  }

  /**
   * A view for `app` that sees only `grants` (grants.js: `{ read: [subtrees], write: [subtrees] }`,
   * or `[{ path, access: 'ro' | 'rw' }]`): any other path is EACCES naming the app and the
   * path; '..' and symbolic links never lead out.
   */
  restrict(app, grants) {
    return new Vfs(this.#ns, { app, grants });
  }

  /**
   * A view whose every check asks `authorize(op, canonicalPath, need)` (need: 'read', 'write'
   * or 'traverse'; grants.js), which throws to refuse. `app` names the view in EPERM errors.
   */
  view(app, authorize) {
    return new Vfs(this.#ns, { app, authorize });
  }

  // --- mounts ---

  /** Mounts `fs` at the existing directory `path`. Only the unrestricted view may. */
  *[G.mount](path, fs, { readOnly = false } = {}) {
    this.#admin('mount', path);
    const { canonical, mount, node } = yield* this.#walk(path, 'mount');
    if (mount.fs.typeOf(node) !== 'directory') throw fsError('ENOTDIR', 'mount', path);
    if (this.#ns.mounts.has(canonical)) throw fsError('EBUSY', 'mount', path);
    this.#ns.mounts.set(canonical, { fs, readOnly: readOnly || fs.readOnly, dev: this.#ns.nextDev++, path: canonical });
  }

  /** Writes back and detaches the file system mounted at `path`. */
  async unmount(path) {
    this.#admin('umount', path);
    const canonical = normalize(path);
    const m = this.#ns.mounts.get(canonical);
    if (!m || canonical === '/') throw fsError('EINVAL', 'umount', path);
    for (const other of this.#ns.mounts.keys()) {
      if (other !== canonical && within(other, canonical)) throw fsError('EBUSY', 'umount', path);
    }
    this.#ns.mounts.delete(canonical);
    try { await m.fs.unmount(); } catch (e) { rethrow(e, 'umount', path); }
  }

  /** The mount table: [{ path, fs: name, readOnly }]. */
  mounts() {
    return [...this.#ns.mounts.values()].map((m) => ({ path: m.path, fs: m.fs.name, readOnly: m.readOnly }));
  }

  /** Writes back every mounted file system (sync(2)). */
  async sync() {
    for (const m of this.#ns.mounts.values()) {
      try { await m.fs.sync(); } catch (e) { rethrow(e, 'sync', m.path); }
    }
  }

  #admin(syscall, path) {
    if (this.#check) throw fsError('EPERM', syscall, path, undefined, `app '${this.#app}' may not change mounts`);
  }

  // --- resolution ---

  // The steps from '/' to what `path` names, following symbolic links (the last one only
  // if `follow`). With `parent`, stops at the directory holding the last name and also
  // returns that name. Mount points are crossed by the canonical path of each step.
  *#walk(path, syscall, { follow = true, parent = false } = {}) {
    checkPath(path, syscall);
    this.#allowed(normalize(path), syscall, path, 'r', true);
    const root = this.#ns.mounts.get('/');
    reach(root, syscall, path);
    let stack = [new Step('', root, yield root.fs.root())];
    const parts = path.split('/').filter((c) => c !== '' && c !== '.');
    let last = null;
    if (parent) {
      last = parts.pop();
      if (last === undefined || last === '..') throw fsError(last === undefined ? 'EEXIST' : 'EINVAL', syscall, path);
      if (path.endsWith('/') || path.endsWith('/.')) last = { name: last, dirOnly: true };
      else last = { name: last, dirOnly: false };
    }
    let links = 0;
    while (parts.length) {
      const name = parts.shift();
      if (name === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      const top = stack[stack.length - 1];
      const fs = top.mount.fs;
      if (fs.typeOf(top.node) !== 'directory') throw fsError('ENOTDIR', syscall, path);
      if (name.length > MAX_NAME) throw fsError('ENAMETOOLONG', syscall, path);
      let node;
      try { node = yield fs.lookup(top.node, name); } catch (e) { rethrow(e, syscall, path); }
      if (!node) throw fsError('ENOENT', syscall, path);
      const canonical = join(pathOf(stack), name);
      this.#allowed(canonical, syscall, path, 'r', true);
      const mounted = this.#ns.mounts.get(canonical);
      if (mounted) {
        reach(mounted, syscall, path);
        stack.push(new Step(name, mounted, yield mounted.fs.root()));
        continue;
      }
      if (fs.typeOf(node) === 'symlink' && (parts.length > 0 || follow || parent)) {
        if (++links > MAX_SYMLINKS) throw fsError('ELOOP', syscall, path);
        let target;
        try { target = yield fs.readlink(node); } catch (e) { rethrow(e, syscall, path); }
        if (target.startsWith('/')) stack = [stack[0]];
        parts.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
        continue;
      }
      stack.push(new Step(name, top.mount, node));
    }
    const top = stack[stack.length - 1];
    const canonical = pathOf(stack);
    if (parent) {
      if (top.mount.fs.typeOf(top.node) !== 'directory') throw fsError('ENOTDIR', syscall, path);
      return { canonical, mount: top.mount, node: top.node, name: last.name, dirOnly: last.dirOnly };
    }
    if (path.endsWith('/') && top.mount.fs.typeOf(top.node) !== 'directory') throw fsError('ENOTDIR', syscall, path);
    this.#allowed(canonical, syscall, path, 'r');
    return { canonical, mount: top.mount, node: top.node };
  }

  // The directory that will hold `path`'s last name, the name, and what it names now (or
  // null). Mount points are seen as the mounted root. `need` is the access the call needs.
  *#entry(path, syscall, need, { follow = false } = {}) {
    const dir = yield* this.#walk(path, syscall, { parent: true });
    const { mount, node, name } = dir;
    const full = join(dir.canonical, name);
    if (name.length > MAX_NAME) throw fsError('ENAMETOOLONG', syscall, path);
    this.#allowed(full, syscall, path, need);
    let child;
    try { child = yield mount.fs.lookup(node, name); } catch (e) { rethrow(e, syscall, path); }
    const mounted = this.#ns.mounts.get(full);
    if (mounted) reach(mounted, syscall, path);
    if (child && follow && !mounted && mount.fs.typeOf(child) === 'symlink') {
      let target;
      try { target = yield* this.#walk(path, syscall); } catch (e) {
        if (e.code !== 'ENOENT') throw e;
        target = null;
      }
      if (target) return { ...dir, full: target.canonical, child: target.node, childMount: target.mount, viaLink: true };
      throw fsError('ENOENT', syscall, path);
    }
    return { ...dir, full, child: mounted ? yield mounted.fs.root() : child, childMount: mounted || mount, mounted: !!mounted };
  }

  // Throws EACCES unless `canonical` lies in a granted subtree (a read-write one for 'w').
  // The directories above a grant may be walked through and stat'ed, never listed or
  // opened: '/' on the way to /data.
  #allowed(canonical, syscall, path, need, through = syscall !== 'scandir' && syscall !== 'open') {
    if (!this.#check) return;
    try {
      this.#check(syscall, canonical, need === 'w' ? 'write' : through ? 'traverse' : 'read');
    } catch (e) {
      // The hook names the canonical path; Node's error names the one the app passed.
      if (e && e.code === 'EACCES' && typeof e.reason === 'string') throw fsError('EACCES', syscall, path, undefined, e.reason);
      throw e;
    }
  }

  #writable(mount, syscall, path) {
    if (mount.readOnly) throw fsError('EROFS', syscall, path);
  }

  static { forgetHandle = (vfs, handle) => vfs.#handles.delete(handle); }

  // --- Node's fs/promises ---

  /** Opens `path` with Node's flags; resolves to a FileHandle. */
  *[G.open](path, flags = 'r', mode = 0o666) {
    const bits = parseFlags(flags);
    if (this.#handles.size >= MAX_OPEN) throw fsError('EMFILE', 'open', path);
    const writing = (bits & ACCESS_MODE) !== C.O_RDONLY || (bits & C.O_TRUNC) !== 0;
    let mount;
    let node;
    let canonical;
    if (bits & C.O_CREAT) {
      const e = yield* this.#entry(path, 'open', writing ? 'w' : 'r', { follow: !(bits & C.O_EXCL) });
      if (e.child && (bits & C.O_EXCL)) throw fsError('EEXIST', 'open', path);
      if (e.child) {
        ({ childMount: mount, child: node, full: canonical } = e);
        if (writing) this.#allowed(canonical, 'open', path, 'w');
      } else {
        mount = e.mount;
        this.#writable(mount, 'open', path);
        if (e.dirOnly) throw fsError('EISDIR', 'open', path);
        try { node = yield mount.fs.create(e.node, e.name, { type: 'file', mode: mode & 0o7777 }); } catch (err) { rethrow(err, 'open', path); }
        canonical = e.full;
      }
    } else {
      ({ mount, node, canonical } = yield* this.#walk(path, 'open', { follow: !(bits & C.O_NOFOLLOW) }));
      if (writing) this.#allowed(canonical, 'open', path, 'w');
    }
    const type = mount.fs.typeOf(node);
    if (type === 'symlink') throw fsError('ELOOP', 'open', path);
    if (type === 'directory' && writing) throw fsError('EISDIR', 'open', path);
    if (type !== 'directory' && (bits & C.O_DIRECTORY)) throw fsError('ENOTDIR', 'open', path);
    if (writing) this.#writable(mount, 'open', path);
    try {
      if (mount.fs.open) yield mount.fs.open(node);
      if ((bits & C.O_TRUNC) && type === 'file') yield mount.fs.truncate(node, 0);
    } catch (e) { rethrow(e, 'open', path); }
    const handle = new FileHandle(this, mount, node, bits, path);
    this.#handles.add(handle);
    return handle;
  }

  *[G.stat](path) {
    const { mount, node } = yield* this.#walk(path, 'stat');
    try { return new Stats(yield mount.fs.stat(node), mount.dev); } catch (e) { rethrow(e, 'stat', path); }
  }

  *[G.lstat](path) {
    const e = yield* this.#entryOrRoot(path, 'lstat');
    try { return new Stats(yield e.childMount.fs.stat(e.child), e.childMount.dev); } catch (err) { rethrow(err, 'lstat', path); }
  }

  // Like #entry, but '/' (which has no parent) is itself.
  *#entryOrRoot(path, syscall) {
    checkPath(path, syscall);
    if (normalize(path) === '/') {
      const { mount, node, canonical } = yield* this.#walk(path, syscall);
      return { childMount: mount, child: node, full: canonical };
    }
    const e = yield* this.#entry(path, syscall, 'r');
    if (!e.child) throw fsError('ENOENT', syscall, path);
    return e;
  }

  /** Tests that `path` exists (and, for W_OK, that it may be written). */
  *[G.access](path, mode = C.F_OK) {
    const { mount, canonical } = yield* this.#walk(path, 'access');
    if (mode & C.W_OK) {
      this.#allowed(canonical, 'access', path, 'w');
      this.#writable(mount, 'access', path);
    }
  }

  /** The names in a directory (sorted), or Dirents with { withFileTypes: true }. */
  *[G.readdir](path, options = {}) {
    const { mount, node, canonical } = yield* this.#walk(path, 'scandir');
    this.#allowed(canonical, 'scandir', path, 'r');
    if (mount.fs.typeOf(node) !== 'directory') throw fsError('ENOTDIR', 'scandir', path);
    let list;
    try { list = yield mount.fs.readdir(node); } catch (e) { rethrow(e, 'scandir', path); }
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (options && options.withFileTypes) return list.map((d) => new Dirent(d.name, d.type, path));
    return list.map((d) => d.name);
  }

  /** Makes a directory; with { recursive: true } its missing parents too (resolves to the first made). */
  *[G.mkdir](path, options = {}) {
    const recursive = typeof options === 'object' && options !== null && options.recursive;
    const mode = (typeof options === 'number' ? options : options && options.mode) ?? 0o777;
    if (recursive) return yield* this.#mkdirp(path, mode);
    const e = yield* this.#entry(path, 'mkdir', 'w');
    if (e.child) throw fsError('EEXIST', 'mkdir', path);
    this.#writable(e.mount, 'mkdir', path);
    try { yield e.mount.fs.create(e.node, e.name, { type: 'directory', mode: mode & 0o7777 }); } catch (err) { rethrow(err, 'mkdir', path); }
    return undefined;
  }

  *#mkdirp(path, mode) {
    checkPath(path, 'mkdir');
    const parts = normalize(path).split('/').filter(Boolean);
    let first;
    for (let i = 1; i <= parts.length; i++) {
      const sub = `/${parts.slice(0, i).join('/')}`;
      const e = yield* this.#entry(sub, 'mkdir', i === parts.length ? 'w' : 'r', { follow: true });
      if (e.child) {
        if (e.childMount.fs.typeOf(e.child) !== 'directory') throw fsError('ENOTDIR', 'mkdir', path);
        continue;
      }
      this.#allowed(e.full, 'mkdir', path, 'w');
      this.#writable(e.mount, 'mkdir', path);
      try { yield e.mount.fs.create(e.node, e.name, { type: 'directory', mode: mode & 0o7777 }); } catch (err) { rethrow(err, 'mkdir', path); }
      if (first === undefined) first = sub;
    }
    return first;
  }

  *[G.rmdir](path) {
    const e = yield* this.#entry(path, 'rmdir', 'w');
    if (!e.child) throw fsError('ENOENT', 'rmdir', path);
    if (e.mounted) throw fsError('EBUSY', 'rmdir', path);
    const fs = e.mount.fs;
    if (fs.typeOf(e.child) !== 'directory') throw fsError('ENOTDIR', 'rmdir', path);
    this.#writable(e.mount, 'rmdir', path);
    try {
      if ((yield fs.readdir(e.child)).length) throw fsError('ENOTEMPTY', 'rmdir', path);
      yield fs.remove(e.node, e.name, e.child);
    } catch (err) { rethrow(err, 'rmdir', path); }
  }

  *[G.unlink](path) {
    const e = yield* this.#entry(path, 'unlink', 'w');
    if (!e.child) throw fsError('ENOENT', 'unlink', path);
    if (e.mounted || e.mount.fs.typeOf(e.child) === 'directory') throw fsError('EISDIR', 'unlink', path);
    this.#writable(e.mount, 'unlink', path);
    try { yield e.mount.fs.remove(e.node, e.name, e.child); } catch (err) { rethrow(err, 'unlink', path); }
  }

  /** Removes a file, or with { recursive: true } a tree; { force: true } ignores a missing path. */
  *[G.rm](path, { recursive = false, force = false } = {}) {
    let st;
    try { st = yield* this[G.lstat](path); } catch (e) {
      if (force && e.code === 'ENOENT') return;
      throw e;
    }
    if (!st.isDirectory()) return yield* this[G.unlink](path);
    if (!recursive) throw pathIsDirectory('rm', path, 'is a directory');
    for (const name of yield* this[G.readdir](path)) yield* this[G.rm](join(normalize(path), name), { recursive, force });
    return yield* this[G.rmdir](path);
  }

  /** Renames `from` to `to`, replacing a file there (or an empty directory, for a directory). */
  *[G.rename](from, to) {
    const src = yield* this.#entry(from, 'rename', 'w');
    const dst = yield* this.#entry(to, 'rename', 'w');
    if (!src.child) throw fsError('ENOENT', 'rename', from, to);
    if (src.mounted || dst.mounted) throw fsError('EBUSY', 'rename', from, to);
    if (src.mount !== dst.mount) throw fsError('EXDEV', 'rename', from, to);
    const fs = src.mount.fs;
    this.#writable(src.mount, 'rename', from);
    if (src.full === dst.full) return;
    const isDir = fs.typeOf(src.child) === 'directory';
    if (isDir && within(dst.full, src.full)) throw fsError('EINVAL', 'rename', from, to);
    try {
      if (dst.child) {
        const dstDir = fs.typeOf(dst.child) === 'directory';
        if (isDir && !dstDir) throw fsError('ENOTDIR', 'rename', from, to);
        if (!isDir && dstDir) throw fsError('EISDIR', 'rename', from, to);
        if (dstDir && (yield fs.readdir(dst.child)).length) throw fsError('ENOTEMPTY', 'rename', from, to);
        if (dst.child === src.child) return;
        yield fs.remove(dst.node, dst.name, dst.child);
      }
      yield fs.rename(src.node, src.name, src.child, dst.node, dst.name);
    } catch (err) { rethrow(err, 'rename', from, to); }
  }

  *[G.truncate](path, len = 0) {
    const h = yield* this[G.open](path, 'r+');
    try { yield* h[G.truncate](len); } finally { yield* h[G.close](); }
  }

  *[G.symlink](target, path) {
    const e = yield* this.#entry(path, 'symlink', 'w');
    if (e.child) throw fsError('EEXIST', 'symlink', target, path);
    this.#writable(e.mount, 'symlink', path);
    if (!e.mount.fs.symlink) throw fsError('EPERM', 'symlink', target, path, `${e.mount.fs.name} has no symbolic links`);
    try { yield e.mount.fs.symlink(e.node, e.name, String(target)); } catch (err) { rethrow(err, 'symlink', target, path); }
  }

  *[G.readlink](path) {
    const e = yield* this.#entryOrRoot(path, 'readlink');
    if (e.childMount.fs.typeOf(e.child) !== 'symlink') throw fsError('EINVAL', 'readlink', path);
    try { return yield e.childMount.fs.readlink(e.child); } catch (err) { rethrow(err, 'readlink', path); }
  }

  /** The canonical path: absolute, symbolic links followed. */
  *[G.realpath](path) {
    return (yield* this.#walk(path, 'realpath')).canonical;
  }

  *[G.utimes](path, atime, mtime) {
    const { mount, node, canonical } = yield* this.#walk(path, 'utime');
    this.#allowed(canonical, 'utime', path, 'w');
    this.#writable(mount, 'utime', path);
    try { yield mount.fs.setTimes(node, toMs(atime), toMs(mtime)); } catch (e) { rethrow(e, 'utime', path); }
  }

  *[G.readFile](path, options) {
    const flag = (options && typeof options === 'object' && options.flag) || 'r';
    const h = yield* this[G.open](path, flag);
    try {
      if ((yield* h[G.stat]()).isDirectory()) throw fsError('EISDIR', 'read'); // as Node: read(2) names no path
      return yield* h[G.readFile](options);
    } finally { yield* h[G.close](); }
  }

  *[G.writeFile](path, data, options) {
    const flag = (options && typeof options === 'object' && options.flag) || 'w';
    const h = yield* this[G.open](path, flag, (options && options.mode) ?? 0o666);
    try { yield* h[G.writeFile](data, options); } finally { yield* h[G.close](); }
  }

  *[G.appendFile](path, data, options) {
    const flag = (options && typeof options === 'object' && options.flag) || 'a';
    return yield* this[G.writeFile](path, data, { ...(typeof options === 'object' ? options : {}), flag });
  }

  /** Copies a file's bytes (COPYFILE_EXCL: not over an existing file); errors name both paths as copyfile's. */
  *[G.copyFile](from, to, mode = 0) {
    try {
      const data = yield* this[G.readFile](from);
      yield* this[G.writeFile](to, data, { flag: mode & C.COPYFILE_EXCL ? 'wx' : 'w' });
    } catch (e) {
      if (e && typeof e.syscall === 'string' && e.code in ERRNO_CODES) throw fsError(e.code, 'copyfile', from, to);
      throw e;
    }
  }
}

expose(Vfs);

/**
 * Node's ERR_FS_EISDIR (a SystemError): `Path is a directory: rm returned EISDIR (why) path`.
 */
export function pathIsDirectory(syscall, path, why) {
  const err = new Error(`Path is a directory: ${syscall} returned EISDIR (${why}) ${path}`);
  Object.assign(err, { code: 'ERR_FS_EISDIR', errno: -21, syscall, path });
  return err;
}

function pathOf(stack) {
  return stack.length === 1 ? '/' : stack.slice(1).map((s) => `/${s.name}`).join('');
}
