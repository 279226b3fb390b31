// File grants: which subtrees an app may read and write, and the authorisation hook the VFS
// asks on every check of a call. A grant is the access vocabulary's file part,
// `{ read: ['/disk/photos'], write: ['/tmp'] }` (subtrees; write implies read); the older
// list form `[{ path, access: 'ro' | 'rw' }]` is read too.
//
// A hook is `authorize(app, op, path, need)`: `app` names the caller, `op` is the call as
// Node names it ('open', 'scandir', 'rename', ...), `path` is canonical (absolute, no '.',
// '..' or symbolic link left), and `need` is 'read', 'write' or 'traverse' (walking through
// a directory, or stat'ing one, on the way to a grant). It returns when the access is
// allowed and throws EACCES naming the app, the path and the grant that would allow it.

import { fsError } from './errors.js';

/** The absolute, lexically normalized form of `path` (no '.', '..', or repeated '/'). */
export function normalize(path) {
  const out = [];
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return `/${out.join('/')}`;
}

/** True if `path` is `root` or lies below it (both normalized). */
export function within(path, root) {
  return root === '/' || path === root || path.startsWith(`${root}/`);
}

function badGrant(why) {
  const err = new TypeError(`invalid file grant: ${why}`);
  err.code = 'ERR_INVALID_ARG_VALUE';
  return err;
}

function subtrees(list, field) {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw badGrant(`${field} must be an array of absolute paths`);
  return list.map((p) => {
    if (typeof p !== 'string' || !p.startsWith('/') || p.includes('\0')) {
      throw badGrant(`${field} entry ${JSON.stringify(p)} is not an absolute path`);
    }
    return normalize(p);
  });
}

/**
 * A grant in its checked form: `{ read: [subtrees], write: [subtrees] }`, every path
 * normalized, and every written subtree readable too. Throws a TypeError naming the bad entry.
 */
export function fileGrant(grant) {
  if (Array.isArray(grant)) {
    const read = [];
    const write = [];
    for (const g of grant) {
      if (!g || typeof g.path !== 'string') throw badGrant('a list entry needs a path');
      (g.access === 'rw' ? write : read).push(g.path);
    }
    return fileGrant({ read, write });
  }
  if (grant === null || typeof grant !== 'object') throw badGrant('expected { read: [...], write: [...] }');
  const write = subtrees(grant.write, 'write');
  const read = [...new Set([...subtrees(grant.read, 'read'), ...write])];
  return Object.freeze({ read: Object.freeze(read), write: Object.freeze(write) });
}

/** True if `grant` (checked) allows `need` on the canonical `path`. */
export function allows(grant, path, need) {
  const list = need === 'write' ? grant.write : grant.read;
  if (list.some((root) => within(path, root))) return true;
  // The directories above a grant can be walked through: '/' and '/disk' on the way to /disk/a.
  return need === 'traverse' && grant.read.some((root) => within(root, path));
}

/** The EACCES a denied check throws: the app, the path and how to grant it. */
export function accessDenied(app, op, path, need) {
  const what = need === 'write' ? 'write' : 'read';
  const reason = `app ${app} has no ${what} access to ${path}: grant it with fs: { ${what}: ['${path}'] }`;
  const err = fsError('EACCES', op, path, undefined, reason);
  err.reason = reason; // the VFS names the path the app passed with the same reason
  return err;
}

/**
 * The default hook: a table of grants by app (any key: an app id, or the name a service
 * handed an interface to). An app with no entry is refused everything.
 */
export class GrantTable {
  #grants = new Map();
  #names = new Map();

  /** Sets what `app` may reach (`name` is how errors call it). */
  set(app, grant, name = String(app)) {
    this.#grants.set(app, fileGrant(grant));
    this.#names.set(app, name);
  }

  /** What `app` holds (checked form), or undefined. */
  get(app) { return this.#grants.get(app); }

  /** Forgets `app`: it is refused everything from now on. */
  delete(app) {
    this.#grants.delete(app);
    this.#names.delete(app);
  }

  /** The hook: returns if allowed, throws EACCES otherwise. */
  authorize = (app, op, path, need) => {
    const grant = this.#grants.get(app);
    if (grant && allows(grant, path, need)) return;
    throw accessDenied(`'${this.#names.get(app) ?? app}'`, op, path, need);
  };
}
