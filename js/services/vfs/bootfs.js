// The boot files as a read-only file system: a directory of the files the runtime was started
// with (the host's, hosted; the initrd's, on the kernel), read through the runtime's
// read-only binding (src/core/engine/binding-files.cc). The namespace mounts an app's own
// directory this way at its own path, so a Node program reading a file next to its module
// (`new URL('./data.json', import.meta.url)`) finds it. Symbolic links are not shown (the
// binding never follows one), nor devices, FIFOs or sockets.
import binding from 'rtjs:binding';
import { FsFault } from './errors.js';

const { bootStat, bootList, bootRead } = binding;
const KINDS = { 1: 'file', 2: 'directory' }; // the binding's kinds served (3, links, and 0 are not)
const TYPE_BITS = { file: 0o100000, directory: 0o040000 }; // S_IFREG, S_IFDIR
const WRITE_BITS = 0o222;
const BLOCK = 4096; // st_blksize reported
const SECTOR = 512; // st_blocks counts 512-byte units (POSIX)
const READ_PART = 1 << 20; // the binding's largest read

const join = (dir, name) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

function stated(path) {
  const s = bootStat(path);
  if (typeof s === 'string') throw new FsFault(s, path);
  return s;
}

export class BootFs {
  name = 'bootfs';
  readOnly = true;
  synchronous = true; // the binding reads the boot files at once (vfs.js: *Sync calls)
  #root;

  /** @param {string} root the canonical absolute path of the directory served */
  constructor(root) {
    const s = stated(root);
    if (KINDS[s[0]] !== 'directory') throw new FsFault('ENOTDIR', root);
    this.#root = { path: root, type: 'directory' };
  }

  root() { return this.#root; }
  typeOf(node) { return node.type; }

  lookup(dir, name) {
    const path = join(dir.path, name);
    const s = bootStat(path);
    if (s === 'ENOENT' || s === 'ENOTDIR') return null;
    if (typeof s === 'string') throw new FsFault(s, path);
    const type = KINDS[s[0]];
    return type ? { path, type } : null;
  }

  readdir(dir) {
    const names = bootList(dir.path);
    if (typeof names === 'string') throw new FsFault(names, dir.path);
    const out = [];
    for (const name of names) {
      const node = this.lookup(dir, name);
      if (node) out.push({ name, type: node.type });
    }
    return out;
  }

  stat(node) {
    const [, size, mtimeMs, mode, ino] = stated(node.path);
    return {
      type: node.type, mode: TYPE_BITS[node.type] | (mode & 0o7777 & ~WRITE_BITS), ino, nlink: 1, size,
      blksize: BLOCK, blocks: Math.ceil(size / SECTOR), atimeMs: mtimeMs, mtimeMs, ctimeMs: mtimeMs, birthtimeMs: mtimeMs,
    };
  }

  read(node, u8, offset, length, position) {
    let done = 0;
    while (done < length) {
      const part = bootRead(node.path, position + done, Math.min(length - done, READ_PART));
      if (typeof part === 'string') throw new FsFault(part, node.path);
      if (part.byteLength === 0) break;
      u8.set(new Uint8Array(part), offset + done);
      done += part.byteLength;
    }
    return done;
  }

  #readOnly() { throw new FsFault('EROFS', 'the boot files are read-only'); }
  create() { this.#readOnly(); }
  remove() { this.#readOnly(); }
  rename() { this.#readOnly(); }
  write() { this.#readOnly(); }
  truncate() { this.#readOnly(); }
  setTimes() { this.#readOnly(); }
  sync() {}
  unmount() {}
}
