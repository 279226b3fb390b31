// The file service: the VFS of the app holding the disks, as functions other apps call
// (their node:fs goes through js/services/vfs/remote.js). Every check of every call goes
// through one authorisation hook, authorize(app, op, canonicalPath, need) (grants.js), so
// neither '..' nor a symbolic link leads out of what the caller was granted. File data moves
// between the apps with rt.transfer, never copied twice; an app's open files are closed when
// it ends, killed or not.
//
// Who calls: the runtime's rt.caller (the calling app's id, stamped by the runtime); outside a
// remote call (the service's own app), the app the interface was made for (forApp).
import { onExitNotice } from 'rtjs:internal/ipc.js';
import { checkFile } from 'rtjs:services/access/broker.js';
import { GrantTable } from './grants.js';

const MAX_READ = 1 << 24; // bytes one read call moves at most (a short read; the client reads on)

// The calls on paths, as the Vfs has them; each takes the path first.
const PATH_CALLS = new Set(['stat', 'lstat', 'access', 'readdir', 'mkdir', 'rmdir', 'rm', 'unlink', 'rename',
  'truncate', 'symlink', 'readlink', 'realpath', 'utimes', 'copyFile', 'readFile', 'writeFile', 'appendFile', 'open']);

// The plain shape of an error, as it crosses to the caller (which rebuilds it: remote.js).
function errorInfo(e) {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const info = { name: e.name, message: e.message };
  for (const k of ['code', 'errno', 'syscall', 'path', 'dest', 'sector', 'status']) if (e[k] !== undefined) info[k] = e[k];
  return info;
}

function typeOf(d) {
  if (d.isDirectory()) return 'directory';
  return d.isSymbolicLink() ? 'symlink' : 'file';
}

const moved = (u8) => (typeof rt !== 'undefined' ? rt.transfer(u8) : u8);

/**
 * @param {Vfs} vfs the namespace to serve (its unrestricted view)
 * @param {{ authorize?: (app, op, path, need) => void }} [options] the hook; by default each
 *   interface's own grant (forApp) decides
 * @returns {{ forApp, revoke, openFiles }}
 */
export function fileService(vfs, { authorize } = {}) {
  const table = new GrantTable();
  const clients = new Map(); // who (an app id, or the record an interface was made for) -> client

  // The caller of the running call: the runtime's word where it gives it, else the record.
  const who = (record) => {
    const id = globalThis.rt?.caller;
    return typeof id === 'number' ? id : record;
  };

  function clientOf(key, record) {
    let c = clients.get(key);
    if (!c) {
      // By default both must allow: the grant the interface was made with, and what the
      // calling app holds by the access broker (rt.caller; an app without limits holds all).
      const hook = authorize
        ? (op, path, need) => authorize(key === record ? record.app : key, op, path, need)
        : (op, path, need) => {
          table.authorize(record, op, path, need);
          if (typeof key === 'number') checkFile(key, path, need);
        };
      c = { view: vfs.view(record.name, hook), handles: new Map(), nextHandle: 1, appId: typeof key === 'number' ? key : undefined };
      clients.set(key, c);
    }
    return c;
  }

  function handleOf(c, h, syscall) {
    const fh = c.handles.get(h);
    if (!fh) {
      const err = new Error(`EBADF: bad file descriptor, ${syscall}`);
      Object.assign(err, { code: 'EBADF', errno: -9, syscall });
      throw err;
    }
    return fh;
  }

  async function run(c, op, args) {
    if (PATH_CALLS.has(op)) {
      const v = c.view;
      switch (op) {
        case 'open': {
          const fh = await v.open(...args);
          const h = c.nextHandle++;
          c.handles.set(h, fh);
          return h;
        }
        case 'readdir': {
          const [path, options] = args;
          if (!(options && options.withFileTypes)) return v.readdir(path);
          return (await v.readdir(path, { withFileTypes: true })).map((d) => ({ name: d.name, type: typeOf(d) }));
        }
        case 'readFile': {
          // One answer for a file up to MAX_READ; past that the first part, and the handle
          // the caller reads the rest from (and closes): the service never holds a whole
          // large file for one caller.
          const [path, options] = args;
          const fh = await v.open(path, (options && options.flag) || 'r');
          let keep = false;
          try {
            if ((await fh.stat()).isDirectory()) throw Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR', errno: -21, syscall: 'read' });
            const size = (await fh.stat()).size;
            const n = Math.min(Math.max(size, 0), MAX_READ);
            const { bytesRead, buffer } = await fh.read(new Uint8Array(n), 0, n, null);
            const answer = { bytes: moved(buffer.subarray(0, bytesRead)) };
            if (bytesRead === MAX_READ) {
              keep = true;
              answer.more = c.nextHandle++;
              c.handles.set(answer.more, fh);
            }
            return answer;
          } finally {
            if (!keep) await fh.close();
          }
        }
        case 'stat': case 'lstat':
          return { ...(await v[op](...args)) };
        default:
          return v[op](...args);
      }
    }
    const [h, ...rest] = args;
    switch (op) {
      case 'read': {
        const [length, position] = rest;
        const n = Math.min(Math.max(0, Math.trunc(Number(length)) || 0), MAX_READ);
        const { bytesRead, buffer } = await handleOf(c, h, 'read').read(new Uint8Array(n), 0, n, position);
        return { bytesRead, bytes: moved(buffer) };
      }
      case 'write': {
        const [bytes, position] = rest;
        return (await handleOf(c, h, 'write').write(bytes, 0, undefined, position)).bytesWritten;
      }
      case 'fstat': return { ...(await handleOf(c, h, 'fstat').stat()) };
      case 'ftruncate': return handleOf(c, h, 'ftruncate').truncate(rest[0]);
      case 'fsync': return handleOf(c, h, 'fsync').sync();
      case 'futimes': return handleOf(c, h, 'futime').utimes(rest[0], rest[1]);
      case 'close': {
        const fh = handleOf(c, h, 'close');
        c.handles.delete(h);
        return fh.close();
      }
      default: {
        const err = new TypeError(`the file service has no call '${String(op)}'`);
        err.code = 'ERR_INVALID_ARG_VALUE';
        throw err;
      }
    }
  }

  async function closeAll(c) {
    const open = [...c.handles.values()];
    c.handles.clear();
    for (const fh of open) await fh.close().catch(() => {});
  }

  // An app that ended (by itself, killed, or out of memory) leaves no open file behind.
  onExitNotice((id) => {
    for (const [key, c] of clients) {
      if (key === id || c.appId === id) {
        clients.delete(key);
        closeAll(c);
      }
    }
  });

  return {
    /**
     * The interface to hand to one app: `grant` is what it may reach (grants.js; used unless
     * the service has its own hook), `app` how errors name it (a name, or { id, name }).
     * The interface has hello(appId) -> { roots } and call(op, args) -> { v } | { e }.
     */
    forApp(app, grant = { read: [], write: [] }) {
      const name = typeof app === 'object' && app !== null ? String(app.name ?? app.id) : String(app);
      const record = { app: typeof app === 'object' && app !== null ? (app.id ?? name) : app, name };
      table.set(record, grant, name);
      let boundId = typeof app === 'object' && app !== null && typeof app.id === 'number' ? app.id : undefined;
      return {
        // The client says which app it is, once; that only decides whose files close when
        // that app ends (a client naming another app only has its own files closed early).
        hello(appId) {
          if (boundId === undefined && Number.isInteger(appId)) boundId = appId;
          const c = clientOf(who(record), record);
          if (c.appId === undefined) c.appId = boundId;
          return { roots: vfs.mounts().map((m) => m.path).filter((p) => p !== '/') };
        },
        async call(op, args) {
          const c = clientOf(who(record), record);
          if (c.appId === undefined) c.appId = boundId;
          try {
            return { v: await run(c, String(op), Array.isArray(args) ? args : []) };
          } catch (e) {
            return { e: errorInfo(e) };
          }
        },
      };
    },

    /** Closes the open files of `app` (an app id) and forgets its views: after a revocation. */
    async revoke(app) {
      for (const [key, c] of clients) {
        if (key === app || c.appId === app) {
          clients.delete(key);
          await closeAll(c);
        }
      }
    },

    /** How many files `app` (an app id) has open. */
    openFiles(app) {
      let n = 0;
      for (const [key, c] of clients) if (key === app || c.appId === app) n += c.handles.size;
      return n;
    },
  };
}
