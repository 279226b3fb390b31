// tmpfs: a file system in memory, the root of the namespace. Files are growable byte
// arrays, directories are Maps, symbolic links hold their target. It implements the file
// system contract of vfs.js (see docs/filesystems.md) synchronously; the VFS awaits every
// call, so a file system on a disk may answer with promises instead.

import { FsFault } from './errors.js';

const S_IFREG = 0o100000; // sys/stat.h file type bits
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const BLOCK = 4096; // the size stat reports as blksize

let nextIno = 1;

class Node {
  constructor(type, mode) {
    this.type = type;
    this.mode = mode;
    this.ino = nextIno++;
    this.nlink = type === 'directory' ? 2 : 1;
    const now = Date.now();
    this.atimeMs = this.mtimeMs = this.ctimeMs = this.birthtimeMs = now;
    this.children = type === 'directory' ? new Map() : null;
    this.data = type === 'file' ? new Uint8Array(0) : null;
    this.size = 0;
    this.target = '';
  }

  touch() { this.mtimeMs = this.ctimeMs = Date.now(); }
}

export class Tmpfs {
  #root = new Node('directory', 0o755);
  #limit;
  #used = 0;

  /** @param {{ maxBytes?: number }} [options] bytes of file data it may hold (ENOSPC past it) */
  constructor({ maxBytes = Infinity } = {}) {
    this.#limit = maxBytes;
  }

  get name() { return 'tmpfs'; }
  get readOnly() { return false; }
  get synchronous() { return true; } // every call answers at once (vfs.js: *Sync calls)
  root() { return this.#root; }
  typeOf(node) { return node.type; }

  lookup(dir, name) { return dir.children.get(name) || null; }

  stat(node) {
    const size = node.type === 'file' ? node.size : node.type === 'symlink' ? node.target.length : BLOCK;
    const bits = node.type === 'file' ? S_IFREG : node.type === 'directory' ? S_IFDIR : S_IFLNK;
    return {
      type: node.type, mode: bits | node.mode, ino: node.ino, nlink: node.nlink, size,
      blksize: BLOCK, blocks: Math.ceil(size / 512),
      atimeMs: node.atimeMs, mtimeMs: node.mtimeMs, ctimeMs: node.ctimeMs, birthtimeMs: node.birthtimeMs,
    };
  }

  readdir(dir) {
    return [...dir.children].map(([name, node]) => ({ name, type: node.type }));
  }

  create(dir, name, { type, mode }) {
    const node = new Node(type, mode & 0o7777);
    dir.children.set(name, node);
    if (type === 'directory') dir.nlink++;
    dir.touch();
    return node;
  }

  symlink(dir, name, target) {
    const node = this.create(dir, name, { type: 'symlink', mode: 0o777 });
    node.target = target;
    return node;
  }

  readlink(node) { return node.target; }

  remove(dir, name, node) {
    dir.children.delete(name);
    if (node.type === 'directory') dir.nlink--;
    node.nlink = 0;
    if (node.type === 'file') this.#used -= node.size;
    node.data = node.type === 'file' ? new Uint8Array(0) : null;
    node.size = 0;
    dir.touch();
  }

  rename(srcDir, srcName, node, dstDir, dstName) {
    srcDir.children.delete(srcName);
    dstDir.children.set(dstName, node);
    if (node.type === 'directory' && srcDir !== dstDir) { srcDir.nlink--; dstDir.nlink++; }
    srcDir.touch();
    dstDir.touch();
    node.ctimeMs = Date.now();
  }

  read(node, buffer, offset, length, position) {
    const n = Math.max(0, Math.min(length, node.size - position));
    buffer.set(node.data.subarray(position, position + n), offset);
    node.atimeMs = Date.now();
    return n;
  }

  write(node, buffer, offset, length, position) {
    const end = position + length;
    this.#reserve(node, end);
    if (position > node.size) node.data.fill(0, node.size, position);
    node.data.set(buffer.subarray(offset, offset + length), position);
    if (end > node.size) node.size = end;
    node.touch();
    return length;
  }

  truncate(node, size) {
    if (size > node.size) {
      this.#reserve(node, size);
      node.data.fill(0, node.size, size);
    } else {
      this.#used -= node.size - size;
    }
    node.size = size;
    node.touch();
  }

  setTimes(node, atimeMs, mtimeMs) {
    node.atimeMs = atimeMs;
    node.mtimeMs = mtimeMs;
    node.ctimeMs = Date.now();
  }

  sync() {}
  unmount() {}

  statfs() {
    const total = Number.isFinite(this.#limit) ? this.#limit : 2 ** 40;
    return { bsize: BLOCK, blocks: Math.floor(total / BLOCK), bfree: Math.floor((total - this.#used) / BLOCK) };
  }

  // Makes room for `size` bytes in the node (the array doubles), within the byte limit.
  #reserve(node, size) {
    if (size <= node.size) return;
    if (this.#used + (size - node.size) > this.#limit) throw new FsFault('ENOSPC');
    this.#used += size - node.size;
    if (size <= node.data.length) return;
    const grown = new Uint8Array(Math.max(size, Math.min(node.data.length * 2, size + (1 << 24)), 64));
    grown.set(node.data.subarray(0, node.size));
    node.data = grown;
  }
}
