// node:fs/promises over the app's namespace (js/services/vfs/namespace.js). Every call is
// Node's, with Node's errors; FileHandle has read, write, readFile, writeFile, stat,
// truncate, sync, datasync, utimes and close.

import { appVfs, allocateFd, releaseFd } from '../../services/vfs/namespace.js';
import { constants } from '../../services/vfs/vfs.js';

const call = (name) => async (...args) => (await appVfs())[name](...args);

export async function open(path, flags = 'r', mode = 0o666) {
  const handle = await (await appVfs()).open(path, flags, mode);
  allocateFd(handle);
  const close = handle.close.bind(handle);
  handle.close = async () => {
    releaseFd(handle.fd);
    return close();
  };
  return handle;
}

export const readFile = call('readFile');
export const writeFile = call('writeFile');
export const appendFile = call('appendFile');
export const stat = call('stat');
export const lstat = call('lstat');
export const access = call('access');
export const readdir = call('readdir');
export const mkdir = call('mkdir');
export const rmdir = call('rmdir');
export const rm = call('rm');
export const unlink = call('unlink');
export const rename = call('rename');
export const truncate = call('truncate');
export const symlink = call('symlink');
export const readlink = call('readlink');
export const realpath = call('realpath');
export const utimes = call('utimes');
export const copyFile = call('copyFile');
export { constants };

export default {
  open, readFile, writeFile, appendFile, stat, lstat, access, readdir, mkdir, rmdir, rm, unlink, rename,
  truncate, symlink, readlink, realpath, utimes, copyFile, constants,
};
