// The client side of the file service (service.js): an app granted `fs` (the interface a
// service's forApp made for it) reaches the service's mounts (/disk, ...) through these
// objects, which have the calls of a Vfs and of its FileHandles. Errors come back with
// Node's fields and this app's stack; file data moves with rt.transfer where the bytes are
// the runtime's own (a string encoded for writing, what a read returns).
import { Stats, Dirent, toBytes, checkRange, normalize, concat } from './vfs.js';
import { within } from './grants.js';

const READ_CHUNK = 1 << 24; // what readFile asks per call (the service's largest read)
const WRITE_PART = 1 << 24; // the most bytes one call sends

function rebuild(info) {
  const Ctor = { TypeError, RangeError }[info.name] ?? Error;
  const err = new Ctor(info.message);
  for (const k of ['code', 'errno', 'syscall', 'path', 'dest', 'sector', 'status']) if (info[k] !== undefined) err[k] = info[k];
  if (Ctor === Error && info.name && info.name !== 'Error') err.name = info.name;
  return err;
}

const moved = (u8) => (typeof rt !== 'undefined' ? rt.transfer(u8) : u8);

// Bytes to send: a fresh buffer moves; the caller's own is copied (it keeps it).
function outgoing(data, offset, length) {
  if (typeof data === 'string') return moved(new TextEncoder().encode(data));
  const u8 = toBytes(data);
  if (offset === undefined) return u8;
  return moved(u8.slice(offset, offset + length));
}

/** One open file of the service, with a FileHandle's calls. */
export class RemoteFileHandle {
  #files; #h; #path;
  /** The descriptor number Node's callback API knows it by, or -1. */
  fd = -1;
  #closed = false;

  constructor(files, h, path) {
    this.#files = files;
    this.#h = h;
    this.#path = path;
  }

  get path() { return this.#path; }
  get closed() { return this.#closed; }

  #call(op, ...args) {
    if (this.#closed) return Promise.reject(Object.assign(new Error(`EBADF: bad file descriptor, ${op}`), { code: 'EBADF', errno: -9, syscall: op }));
    return this.#files.call(op, [this.#h, ...args]);
  }

  async read(buffer, offset = 0, length = buffer.byteLength - offset, position = null) {
    const u8 = toBytes(buffer);
    checkRange(u8, offset, length);
    const { bytesRead, bytes } = await this.#call('read', length, position);
    u8.set(bytes.subarray(0, bytesRead), offset);
    return { bytesRead, buffer };
  }

  async write(buffer, offset = 0, length, position = null) {
    if (typeof buffer === 'string') {
      const bytesWritten = await this.#call('write', outgoing(buffer), position);
      return { bytesWritten, buffer };
    }
    const u8 = toBytes(buffer);
    if (length === undefined) length = u8.byteLength - offset;
    checkRange(u8, offset, length);
    const bytesWritten = await this.#call('write', outgoing(u8, offset, length), position);
    return { bytesWritten, buffer };
  }

  async stat() {
    const s = await this.#call('fstat');
    return new Stats(s, s.dev);
  }

  truncate(len = 0) { return this.#call('ftruncate', len); }
  sync() { return this.#call('fsync'); }
  datasync() { return this.sync(); }
  utimes(atime, mtime) { return this.#call('futimes', atime, mtime); }

  /** The rest of the file, as bytes. */
  async readFile() {
    const chunks = [];
    let total = 0;
    for (;;) {
      const { bytesRead, bytes } = await this.#call('read', READ_CHUNK, null);
      if (bytesRead === 0) break;
      chunks.push(bytes.subarray(0, bytesRead));
      total += bytesRead;
    }
    return concat(chunks, total);
  }

  async writeFile(data) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : toBytes(data);
    for (let at = 0; at < bytes.length; at += WRITE_PART) await this.write(bytes, at, Math.min(WRITE_PART, bytes.length - at), null);
  }

  async close() {
    if (this.#closed) return;
    this.#closed = true;
    await this.#files.call('close', [this.#h]);
  }
}

/** The service's side of this app's namespace: the calls of a Vfs, made in the service. */
export class RemoteFiles {
  #iface;
  #roots = [];

  constructor(iface) { this.#iface = iface; }

  /** Introduces this app to the service; learns the paths the service holds. */
  async connect() {
    const self = globalThis.rt?.self;
    this.#roots = (await this.#iface.hello(self ? self.id : undefined)).roots;
    return this;
  }

  /** The mount points the service serves (/disk, ...). */
  get roots() { return this.#roots; }

  /** True if `path` lies under one of the service's mounts. */
  serves(path) {
    if (typeof path !== 'string') return false;
    const p = normalize(path);
    return this.#roots.some((r) => within(p, r));
  }

  async call(op, args) {
    const r = await this.#iface.call(op, args);
    if (r && 'e' in r) throw rebuild(r.e);
    return r.v;
  }

  async open(path, flags = 'r', mode = 0o666) {
    return new RemoteFileHandle(this, await this.call('open', [path, flags, mode]), path);
  }

  async stat(path) { const s = await this.call('stat', [path]); return new Stats(s, s.dev); }
  async lstat(path) { const s = await this.call('lstat', [path]); return new Stats(s, s.dev); }

  async readdir(path, options) {
    const withFileTypes = !!(options && options.withFileTypes);
    const list = await this.call('readdir', [path, { withFileTypes }]);
    return withFileTypes ? list.map((d) => new Dirent(d.name, d.type, path)) : list;
  }

  /** The whole file: one call, or for a large one its first part and the rest read by handle. */
  async readFile(path, options) {
    const { bytes, more } = await this.call('readFile', [path, { flag: options && typeof options === 'object' ? options.flag : undefined }]);
    if (more === undefined) return bytes;
    const rest = new RemoteFileHandle(this, more, path);
    try {
      const tail = await rest.readFile();
      return concat([bytes, tail], bytes.length + tail.length);
    } finally { await rest.close(); }
  }

  writeFile(path, data, options) { return this.#write('writeFile', 'w', path, data, options); }
  appendFile(path, data, options) { return this.#write('appendFile', 'a', path, data, options); }

  // Data up to a part's size goes in one call; more through a handle, a part at a time, so
  // that neither side holds a second copy of a large file at once.
  async #write(op, flag, path, data, options) {
    const o = options && typeof options === 'object' ? { flag: options.flag ?? flag, mode: options.mode } : { flag };
    const size = typeof data === 'string' ? data.length * 3 : toBytes(data).byteLength;
    if (size <= WRITE_PART) return this.call(op, [path, outgoing(data), o]);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : toBytes(data);
    const fh = await this.open(path, o.flag, o.mode ?? 0o666);
    try {
      for (let at = 0; at < bytes.length; at += WRITE_PART) {
        const n = Math.min(WRITE_PART, bytes.length - at);
        await fh.write(bytes, at, n, null);
      }
    } finally { await fh.close(); }
    return undefined;
  }
}

for (const op of ['access', 'mkdir', 'rmdir', 'rm', 'unlink', 'rename', 'truncate', 'symlink', 'readlink', 'realpath', 'utimes', 'copyFile']) {
  RemoteFiles.prototype[op] = function call(...args) { return this.call(op, args); };
}
