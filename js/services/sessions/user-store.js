// Where the users live (docs/sessions.md, "Users"): /disk/etc/users.json when the machine
// has a FAT32 disk, else the image's users file, kept in memory.
//
// A users file on the disk that cannot be used (not JSON, a bad record, too large) must not
// lock the machine up or hand it to whoever reaches a console first. Recovery: its error is
// logged, the image's users file (the one named on init's command line: the configured
// administrator) is used in memory, and the damaged file stays on the disk untouched until an
// administrator changes a user; that save first moves it to users.json.bad, so nothing is
// lost. With no image users file either, nobody can log in (the first-boot prompt that makes
// an administrator is not offered), and the consoles say why.
import { UserDb } from './users.js';

export const DISK_USERS = '/disk/etc/users.json';
const DISK_NEW = `${DISK_USERS}.new`; // written first, then renamed over the old one
const DISK_DAMAGED = `${DISK_USERS}.bad`;
const MAX_USERS_FILE = 1 << 20; // 1 MiB: thousands of users; a larger file is refused unread

function tooLarge(path, size) {
  return Object.assign(new Error(`users: ${path} is ${size} bytes, more than the ${MAX_USERS_FILE} a users file may be`),
    { code: 'ERR_USERS_FILE' });
}

async function readText(vfs, path) {
  const st = await vfs.stat(path);
  if (st.size > MAX_USERS_FILE) throw tooLarge(path, st.size);
  return new TextDecoder().decode(await vfs.readFile(path));
}

/**
 * Opens the user database. `seed`: the image's users file as text (or undefined), named
 * `seedName` in messages; `hash`, `params`: UserDb's. Resolves to { db, where, firstAdmin,
 * damaged }: `firstAdmin` false when the first-boot prompt must not be offered, `damaged` the
 * disk file's error when recovering.
 */
export async function openUsers(vfs, { seed, seedName = 'the image', hash, params, log = () => {} } = {}) {
  const options = { hash, ...(params ? { params } : {}) };
  const onDisk = vfs.mounts().some((m) => m.path === '/disk');
  if (!onDisk) {
    const db = new UserDb({ store: null, ...options });
    if (seed !== undefined) db.loadJson(seed);
    return { db, where: seed !== undefined ? `${seedName} (in memory)` : 'memory', firstAdmin: true, damaged: null };
  }
  let damaged = null;
  const store = {
    load: async () => {
      try { return await readText(vfs, DISK_USERS); } catch (err) {
        if (err.code !== 'ENOENT') throw err;
      }
      // A save that stopped between removing the old file and renaming the new one.
      try { return await readText(vfs, DISK_NEW); } catch (err) {
        if (err.code !== 'ENOENT') throw err;
      }
      return seed ?? null;
    },
    save: async (text) => {
      await vfs.mkdir('/disk/etc', { recursive: true });
      if (damaged) {
        await vfs.rename(DISK_USERS, DISK_DAMAGED).catch((err) => { if (err.code !== 'ENOENT') throw err; });
        log(`login: the damaged ${DISK_USERS} is kept as ${DISK_DAMAGED}`);
        damaged = null;
      }
      await vfs.writeFile(DISK_NEW, text);
      await vfs.rename(DISK_NEW, DISK_USERS);
      await vfs.sync();
    },
  };
  const db = new UserDb({ store, ...options });
  try {
    await db.load();
    return { db, where: DISK_USERS, firstAdmin: true, damaged: null };
  } catch (err) {
    damaged = err;
    const fallback = new UserDb({ store, ...options });
    let from = 'no users';
    if (seed !== undefined) {
      try { fallback.loadJson(seed); from = `the users of ${seedName}`; } catch (e) { log(`login: ${seedName}: ${e.message}`); }
    }
    log(`login: ${DISK_USERS} cannot be used (${err.message}); recovering with ${from}, in memory until an administrator changes a user (the damaged file is then kept as ${DISK_DAMAGED})`);
    return { db: fallback, where: `${seedName} (recovery: ${DISK_USERS} is damaged)`, firstAdmin: false, damaged: err };
  }
}
