// The user database: name, uid, role ('admin' or 'user'), a password hash and optionally
// the user's own permissions (the ceiling of their sessions, instead of their role's), app
// quota and heap limit per app, kept as JSON (docs/sessions.md):
//   { "users": [ { "name": "root", "uid": 0, "role": "admin", "password": "scrypt$16384$8$1$SALT$KEY" },
//                { "name": "bob", "uid": 1000, "role": "user", "password": "...", "apps": 8,
//                  "permissions": { "net": { "connect": ["*:443"] }, "spawn": true } } ] }
// Passwords are hashed with scrypt (RFC 7914) through the OpenSSL binding, a random 16-byte
// salt per user, and compared in constant time; the parameters travel in each record, so
// stronger ones can be introduced without invalidating older hashes. An unknown name costs
// the same hash as a known one, so timing does not tell which names exist.

import { randomBytes, scryptSync, timingSafeEqual } from '../../node/crypto.js';
import { parse } from '../access/permissions.js';

// RFC 7914 section 2's recommendation for interactive logins, and Node's defaults.
export const SCRYPT_DEFAULTS = Object.freeze({ N: 16384, r: 8, p: 1 });
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// scrypt needs 128 * N * r bytes; 64 MiB covers N up to 2^16 with r = 8.
const SCRYPT_MAXMEM = 64 * 1024 * 1024;
const MAX_SCRYPT_P = 16; // parallel passes: each costs a whole hash more
const NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const MAX_APPS = 64; // apps alive at once (kMaxApps, src/core/engine/apps.h)
const MIN_HEAP_MB = 16, MAX_HEAP_MB = 4096; // a shell needs about 10 MB; 4 GB is past any machine
export const ROLES = Object.freeze(['admin', 'user']);

const b64 = (u8) => btoa(String.fromCharCode(...u8));
const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** scrypt on this engine: what the session manager's hasher app runs. */
export function scryptHash(password, salt, { N, r, p }) {
  return new Uint8Array(scryptSync(password, salt, KEY_BYTES, { N, r, p, maxmem: SCRYPT_MAXMEM }));
}

function usersError(message, code) {
  const err = new Error(message);
  err.code = code;
  return err;
}

/** Parses "scrypt$N$r$p$salt$key"; throws on anything else. */
function parseHash(text, who) {
  const parts = typeof text === 'string' ? text.split('$') : [];
  const [alg, N, r, p, salt, key] = parts;
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  if (parts.length !== 6 || alg !== 'scrypt' || !Number.isInteger(params.N) || params.N < 2 || (params.N & (params.N - 1)) !== 0
      || !Number.isInteger(params.r) || params.r < 1 || !Number.isInteger(params.p) || params.p < 1) {
    throw usersError(`users: the password of '${who}' is not "scrypt$N$r$p$salt$key"`, 'ERR_USERS_FILE');
  }
  // A record whose cost would stall the hasher (or need more memory than it may take) is
  // refused when the file is read, not at the login it would hold up.
  if (128 * params.N * params.r > SCRYPT_MAXMEM || params.p > MAX_SCRYPT_P) {
    throw usersError(`users: the password of '${who}' asks scrypt for N=${params.N}, r=${params.r}, p=${params.p}: more than ${SCRYPT_MAXMEM / 1048576} MiB or p over ${MAX_SCRYPT_P}`, 'ERR_USERS_FILE');
  }
  return { params, salt: unb64(salt), key: unb64(key) };
}

export class UserDb {
  #users = new Map(); #store; #hash; #params; #dummy;

  /**
   * @param {{ store: { load(): Promise<string|null>, save(text: string): Promise<void> } | null,
   *   hash?: (password: string, salt: Uint8Array, params: object) => Promise<Uint8Array>|Uint8Array,
   *   params?: { N, r, p } }} options where the JSON lives (null: in memory only), how to hash
   *   (default: scrypt on this engine), and the parameters of new hashes.
   */
  constructor({ store = null, hash = scryptHash, params = SCRYPT_DEFAULTS } = {}) {
    this.#store = store;
    this.#hash = hash;
    this.#params = { ...params };
  }

  /** Reads the users from the store; a missing file is an empty database. */
  async load() {
    const text = this.#store ? await this.#store.load() : null;
    this.#users.clear();
    if (text === null || text === undefined) return this;
    this.loadJson(text);
    return this;
  }

  /** Replaces the users by those of a JSON text; throws a clear error for a bad one. */
  loadJson(text) {
    let data;
    try { data = JSON.parse(text); } catch (e) { throw usersError(`users: not JSON (${e.message})`, 'ERR_USERS_FILE'); }
    if (!data || !Array.isArray(data.users)) throw usersError('users: expected { "users": [...] }', 'ERR_USERS_FILE');
    const users = new Map();
    for (const u of data.users) {
      if (!u || !NAME.test(u.name)) throw usersError(`users: bad user name ${JSON.stringify(u?.name)}`, 'ERR_USERS_FILE');
      if (users.has(u.name)) throw usersError(`users: '${u.name}' is listed twice`, 'ERR_USERS_FILE');
      if (!ROLES.includes(u.role)) throw usersError(`users: '${u.name}' has role ${JSON.stringify(u.role)}, not admin or user`, 'ERR_USERS_FILE');
      if (!Number.isInteger(u.uid) || u.uid < 0) throw usersError(`users: '${u.name}' has no integer uid`, 'ERR_USERS_FILE');
      parseHash(u.password, u.name);
      const record = { name: u.name, uid: u.uid, role: u.role, password: u.password };
      if (u.apps !== undefined) {
        if (!Number.isInteger(u.apps) || u.apps < 1 || u.apps > MAX_APPS) throw usersError(`users: '${u.name}' has apps ${JSON.stringify(u.apps)}, not an integer from 1 to ${MAX_APPS}`, 'ERR_USERS_FILE');
        record.apps = u.apps;
      }
      if (u.heapMb !== undefined) {
        if (!Number.isInteger(u.heapMb) || u.heapMb < MIN_HEAP_MB || u.heapMb > MAX_HEAP_MB) throw usersError(`users: '${u.name}' has heapMb ${JSON.stringify(u.heapMb)}, not an integer from ${MIN_HEAP_MB} to ${MAX_HEAP_MB}`, 'ERR_USERS_FILE');
        record.heapMb = u.heapMb;
      }
      if (u.permissions !== undefined) {
        try { parse(u.permissions, `users: '${u.name}'.permissions`); } catch (err) { throw usersError(err.message, 'ERR_USERS_FILE'); }
        record.permissions = u.permissions;
      }
      users.set(u.name, record);
    }
    this.#users = users;
  }

  toJson() {
    return `${JSON.stringify({ users: [...this.#users.values()] }, null, 2)}\n`;
  }

  get size() { return this.#users.size; }

  /** [{ name, uid, role }] */
  list() { return [...this.#users.values()].map(({ name, uid, role }) => ({ name, uid, role })); }

  /** { name, uid, role } (and `apps`, `heapMb`, `permissions` when the record has them) or null. */
  get(name) {
    const u = this.#users.get(name);
    if (!u) return null;
    const out = { name: u.name, uid: u.uid, role: u.role };
    if (u.apps !== undefined) out.apps = u.apps;
    if (u.heapMb !== undefined) out.heapMb = u.heapMb;
    if (u.permissions !== undefined) out.permissions = structuredClone(u.permissions);
    return out;
  }

  /** The "scrypt$..." record of a new hash of `password`. */
  async hashPassword(password) {
    if (typeof password !== 'string' || password === '') throw usersError('users: the password must be a non-empty string', 'ERR_INVALID_ARG_VALUE');
    const salt = new Uint8Array(randomBytes(SALT_BYTES));
    const key = await this.#hash(password, salt, this.#params);
    const { N, r, p } = this.#params;
    return `scrypt$${N}$${r}$${p}$${b64(salt)}$${b64(key)}`;
  }

  /** The user { name, uid, role } when `password` is theirs, else null. */
  async verify(name, password) {
    const u = typeof name === 'string' ? this.#users.get(name) : undefined;
    if (typeof password !== 'string') password = '';
    // An unknown name is checked against a hash of its own, at the same cost.
    this.#dummy ??= await this.hashPassword('\u0000no such user');
    const { params, salt, key } = parseHash(u ? u.password : this.#dummy, name);
    const got = await this.#hash(password, salt, params);
    const same = got.length === key.length && timingSafeEqual(got, key);
    return same && u ? this.get(name) : null;
  }

  /** Adds a user with the next free uid (from 1000 for users, as Debian numbers them). */
  async add(name, role, password) {
    if (typeof name !== 'string' || !NAME.test(name)) throw usersError(`users: bad user name ${JSON.stringify(name)} (lower-case letters, digits, _ and -, at most 32)`, 'ERR_INVALID_ARG_VALUE');
    if (this.#users.has(name)) throw usersError(`users: '${name}' already exists`, 'EEXIST');
    if (!ROLES.includes(role)) throw usersError(`users: role must be 'admin' or 'user', not ${JSON.stringify(role)}`, 'ERR_INVALID_ARG_VALUE');
    const password_ = await this.hashPassword(password);
    let uid = this.#users.size === 0 && role === 'admin' ? 0 : 1000;
    const taken = new Set([...this.#users.values()].map((u) => u.uid));
    while (taken.has(uid)) uid++;
    this.#users.set(name, { name, uid, role, password: password_ });
    await this.save();
    return this.get(name);
  }

  async setPassword(name, password) {
    const u = this.#users.get(name);
    if (!u) throw usersError(`users: no user '${name}'`, 'ENOENT');
    u.password = await this.hashPassword(password);
    await this.save();
  }

  async remove(name) {
    if (!this.#users.delete(name)) throw usersError(`users: no user '${name}'`, 'ENOENT');
    await this.save();
  }

  async save() {
    if (this.#store) await this.#store.save(this.toJson());
  }
}
