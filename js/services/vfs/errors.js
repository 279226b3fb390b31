// File-system errors as Node reports them: `CODE: description, syscall 'path'`, with
// `code`, `errno` (Linux's negative number, as Node on Linux), `syscall` and `path`
// (and `dest` for two-path calls). Every layer of the VFS throws these and nothing else
// for a failed operation, so an app sees the same errors as under Node.

// errno values: Linux asm-generic/errno-base.h and errno.h; texts: strerror (glibc) in
// the lower case Node (libuv) uses.
const ERRORS = {
  EPERM: [1, 'operation not permitted'],
  ENOENT: [2, 'no such file or directory'],
  EIO: [5, 'i/o error'],
  EBADF: [9, 'bad file descriptor'],
  EACCES: [13, 'permission denied'],
  EBUSY: [16, 'resource busy or locked'],
  EEXIST: [17, 'file already exists'],
  EXDEV: [18, 'cross-device link not permitted'],
  ENOTDIR: [20, 'not a directory'],
  EISDIR: [21, 'illegal operation on a directory'],
  EINVAL: [22, 'invalid argument'],
  EMFILE: [24, 'too many open files'],
  EFBIG: [27, 'file too large'],
  ENOSPC: [28, 'no space left on device'],
  EROFS: [30, 'read-only file system'],
  ENAMETOOLONG: [36, 'name too long'],
  ENOTEMPTY: [39, 'directory not empty'],
  ELOOP: [40, 'too many symbolic links encountered'],
  ENOSYS: [38, 'function not implemented'],
  ENOTSUP: [95, 'operation not supported on socket'],
};

/** The codes fsError knows, as a set-like object (`code in ERRNO_CODES`). */
export const ERRNO_CODES = Object.freeze(Object.fromEntries(Object.keys(ERRORS).map((k) => [k, true])));

/**
 * Makes a Node-shaped file-system error.
 * @param {string} code one of the keys above (ENOENT, EEXIST, ...)
 * @param {string} syscall the operation, as Node names it ('open', 'mkdir', ...)
 * @param {string} [path] the path the operation was given
 * @param {string} [dest] the second path (rename, link, symlink)
 * @param {string} [detail] why, when the code alone does not say (corrupt volumes)
 * @returns {Error}
 */
export function fsError(code, syscall, path, dest, detail) {
  const [errno, text] = ERRORS[code] || [0, 'unknown error'];
  let message = `${code}: ${text}${detail ? ` (${detail})` : ''}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  const err = new Error(message);
  err.errno = -errno;
  err.code = code;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  if (dest !== undefined) err.dest = dest;
  return err;
}

/**
 * The error a file system raises below the VFS, before it knows the path or the call:
 * the VFS turns it into an fsError naming both (see rethrow).
 */
export class FsFault extends Error {
  /** @param {string} code  @param {string} [detail] */
  constructor(code, detail) {
    super(detail ? `${code}: ${detail}` : code);
    this.code = code;
    this.detail = detail;
  }
}

/**
 * Turns an FsFault, or a device's I/O error (a `code` and no `syscall`: the virtio-blk
 * driver's, naming the sectors and the status), into the fsError for `syscall` on `path`;
 * other errors pass unchanged.
 */
export function rethrow(err, syscall, path, dest) {
  if (err instanceof FsFault) throw fsError(err.code, syscall, path, dest, err.detail);
  if (err instanceof Error && typeof err.code === 'string' && err.code in ERRORS && err.syscall === undefined) {
    const e = fsError(err.code, syscall, path, dest, err.message);
    if (err.sector !== undefined) e.sector = err.sector;
    if (err.status !== undefined) e.status = err.status;
    throw e;
  }
  throw err;
}
