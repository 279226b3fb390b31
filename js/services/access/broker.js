// The permission broker (docs/security.md, "Permissions"): every app's grant, and the checks
// services make against it.
//
// Where grants live: the runtime keeps each app's grant next to the app (apps_permissions in
// src/core/engine/apps.h), set when the app is spawned and changed only by the app itself or
// an ancestor; the text is what this module computed in the parent's runtime: what the parent
// holds, intersected with what rt.spawn's `permissions` and the child's manifest ask for. So
// the grant table is the runtime's registry, one lookup away for any service, ready before
// the child's first instruction runs, and gone with the app (ids are never reused).
//
// Services ask `check(rt.caller, kind, target)`: the caller comes from the runtime's record
// of the call, the grant from the registry; nothing in the call's arguments counts.
import binding from 'rtjs:binding';
import primordials from '../../internal/primordials.js';
import { onExitNotice } from '../../internal/ipc.js';
import {
  all, allows, attenuate, fromFlags, fromText, howToGrant, parse, stringify, view, without,
} from './permissions.js';

const {
  ArrayIsArray, Error: ErrorCtor, JSONParse, JSONStringify, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet, ObjectDefineProperty,
  ObjectFreeze, SafeMap, SafeSet, SetPrototypeAdd, SetPrototypeHas, String: StringCtor, StringPrototypeIndexOf, StringPrototypeLastIndexOf,
  StringPrototypeSlice, StringPrototypeStartsWith,
} = primordials;

const self = binding.appId;
const cache = new SafeMap(); // app id -> { text, grant }: parsed once per text
onExitNotice((id) => MapPrototypeDelete(cache, id));

// App `id`'s grant (canonical), or null when there is no such app. Not exported: an app can
// import this module, and the cached grants are what this app's own checks read.
function grantOf(id) {
  const text = binding.permissionsOf(id);
  return text === undefined ? null : parsed(id, text);
}

function parsed(id, text) {
  const known = MapPrototypeGet(cache, id);
  if (known !== undefined && known.text === text) return known.grant;
  const grant = fromText(text);
  MapPrototypeSet(cache, id, { __proto__: null, text, grant });
  return grant;
}

function nameOf(id) {
  const list = binding.apps();
  for (let i = 0; i < list.length; i++) if (list[i].id === id) return list[i].name;
  return '?';
}

const VERBS = {
  __proto__: null,
  'net.listen': (t) => `listen on port ${t}`,
  'net.connect': (t) => `connect to ${typeof t === 'string' ? t : `${t.host}:${t.port}`}`,
  'net.raw': () => 'send or receive raw frames',
  'net.ping': (t) => `ping ${t.host}`,
  'fs.read': (t) => `read ${t}`,
  'fs.write': (t) => `write ${t}`,
  env: (t) => `read the environment variable ${t}`,
  spawn: () => 'start apps',
  power: () => 'power the machine off or reboot it',
  console: () => 'use the console',
  audit: () => 'read the audit log',
};

function describe(kind, t) {
  const verb = VERBS[kind];
  if (verb !== undefined) return verb(t);
  return `use ${kind === 'hw.pci' ? `PCI function ${t.id}` : `${kind} ${ArrayIsArray(t) ? `[${t[0]}, ${t[1]}]` : StringCtor(t)}`}`;
}

function resourceText(kind, t) {
  if (kind === 'net.ping') return StringCtor(t.host);
  if (kind === 'net.connect' && typeof t === 'object') return `${t.host}:${t.port}`;
  if (ArrayIsArray(t)) return `[${t[0]}, ${t[1]}]`;
  if (kind === 'hw.pci') return StringCtor(t.id);
  return t === undefined ? '' : StringCtor(t);
}

/**
 * The Error for app `id` not being allowed `kind` on `target`: code ERR_ACCESS_DENIED (as
 * Node's permission model), naming the app, the permission and how to grant it. Recorded in
 * the audit log.
 */
export function denial(id, kind, target) {
  const who = `app '${nameOf(id)}' (id ${id})`;
  const err = new ErrorCtor(`${who} may not ${describe(kind, target)} (permission ${kind}): grant it with ${howToGrant(kind, resourceText(kind, target))}`);
  const props = { code: 'ERR_ACCESS_DENIED', permission: kind, resource: resourceText(kind, target), app: id };
  const keys = ['code', 'permission', 'resource', 'app'];
  for (let i = 0; i < keys.length; i++) {
    ObjectDefineProperty(err, keys[i], { value: props[keys[i]], writable: true, configurable: true, enumerable: true });
  }
  binding.audit(`denied ${kind} ${props.resource} to ${who}`);
  return err;
}

/** Does app `id` hold `kind` on `target`? (permissions.js's allows on its current grant) */
export function allowed(id, kind, target) {
  if (id === undefined) return false;
  const text = binding.permissionsOf(id);
  if (text === '') return true; // an app with no limits (no permission options anywhere above it)
  return text !== undefined && allows(grantOf(id), kind, target);
}

/**
 * Throws the denial unless app `id` holds `kind` on `target`. `id` undefined (not inside a
 * call: no caller) is denied too.
 */
export function check(id, kind, target) {
  if (!allowed(id, kind, target)) throw denial(id === undefined ? 0 : id, kind, target);
}

const FILE_NEEDS = { __proto__: null, read: 'fs.read', write: 'fs.write', traverse: 'fs.traverse' };

/**
 * The file service's check: app `id` may do `need` ('read', 'write' or 'traverse') on the
 * canonical `path` (absolute, links resolved: the path the file system will really use).
 */
export function checkFile(id, path, need) {
  const kind = FILE_NEEDS[need];
  if (kind === undefined) throw new ErrorCtor(`checkFile: unknown need '${StringCtor(need)}'`);
  // Walking through a directory is granted by reading below it: a refusal names fs.read.
  if (!allowed(id, kind, path)) throw denial(id, kind === 'fs.traverse' ? 'fs.read' : kind, path);
}

/** This app's own grant, as frozen plain objects (rt.permissions.held()). */
export function held() {
  return view(grantOf(self));
}

/** Records a line in the audit log (stamped by the runtime with this app's id and the time). */
export function audit(line) {
  binding.audit(StringCtor(line));
}

/** The audit log, oldest first; needs the `audit` permission. */
export function auditLog() {
  check(self, 'audit');
  return ObjectFreeze(binding.auditLog());
}

/**
 * Takes `what` (a permissions object: switches set to true, entries to remove) away from app
 * `id`, which must be this app or one of its descendants, and from that app's descendants.
 * Later checks fail; what an app
 * already opened is each service's to decide (docs/security.md).
 * @returns the app's grant after it
 */
export function revoke(id, what) {
  const g = grantOf(id);
  if (g === null) throw new ErrorCtor(`revoke: there is no app ${StringCtor(id)}`);
  const gone = parse(what, 'revoke');
  const after = without(g, gone);
  binding.setPermissions(id, stringify(after));
  // Its descendants lose it too (else a child spawned beforehand would keep what its parent
  // lost). A spawn racing this was computed from the old grant: the runtime refuses it.
  const list = binding.apps();
  const tree = new SafeSet();
  SetPrototypeAdd(tree, id);
  for (let grew = true; grew;) {
    grew = false;
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      if (SetPrototypeHas(tree, a.id) || !SetPrototypeHas(tree, a.parentId)) continue;
      SetPrototypeAdd(tree, a.id);
      grew = true;
      const held = grantOf(a.id);
      if (held !== null) binding.setPermissions(a.id, stringify(without(held, gone)));
    }
  }
  binding.audit(`revoked from app '${nameOf(id)}' (id ${id}): ${stringify(parse(what, 'revoke'))}`);
  return view(after);
}

// ---- spawning ---------------------------------------------------------------------------------

/** The "rtjs"."permissions" of the package.json of app path `file` (parsed), or undefined. */
export function manifestOf(file) {
  if (typeof file !== 'string' || StringPrototypeStartsWith(file, 'rtjs:')) return undefined;
  const slash = StringPrototypeLastIndexOf(file, '/');
  const dir = binding.fileKind(file) === 2 ? file : slash < 0 ? '.' : StringPrototypeSlice(file, 0, slash);
  const path = `${dir}/package.json`;
  const text = binding.readFile(path);
  if (text === undefined) return undefined;
  let pkg;
  try {
    pkg = JSONParse(text);
  } catch (e) {
    throw new ErrorCtor(`${path}: not valid JSON (${e.message})`);
  }
  const rtjs = pkg !== null && typeof pkg === 'object' ? pkg.rtjs : undefined;
  if (rtjs === null || typeof rtjs !== 'object' || rtjs.permissions === undefined) return undefined;
  return parse(rtjs.permissions, `${path}: rtjs.permissions`);
}

function refusal(name, cut) {
  let parts = '';
  for (let i = 0; i < cut.length; i++) parts = i === 0 ? cut[i] : `${parts}; ${cut[i]}`;
  const err = new ErrorCtor(`rt.spawn '${name}': app '${binding.appName}' (id ${self}) cannot grant what it does not hold: ${parts}`);
  ObjectDefineProperty(err, 'code', { value: 'ERR_ACCESS_DENIED', writable: true, configurable: true, enumerable: true });
  binding.audit(`refused to spawn '${name}': asked for ${parts}`);
  return err;
}

/**
 * The grant for a child (rt.spawn): { text, basis } (basis: this app's grant it was computed
 * from), or undefined when it inherits this app's grant (no
 * `permissions` option and no manifest). `permissions` asking for more than this app holds is
 * an ERR_ACCESS_DENIED error listing what it does not hold; a manifest asking for more is cut
 * down to what is held (the cut is audited). `resources` (hardware) must be within the grant.
 */
export function childGrant(name, file, permissions, resources) {
  // The grant this spawn is computed from: the runtime refuses the spawn if it changes before
  // the child is registered (a revocation racing it).
  const basis = binding.permissionsOf(self);
  const held = parsed(self, basis);
  if (basis !== '' && !allows(held, 'spawn')) throw denial(self, 'spawn');
  const manifest = manifestOf(file);
  if (permissions === undefined && manifest === undefined) {
    if (basis !== '') {
      checkResources(name, held, resources);
      checkQuota(name, held);
    }
    return undefined;
  }
  let grant = held;
  if (permissions !== undefined) {
    const r = attenuate(grant, parse(permissions, `rt.spawn '${name}': options.permissions`));
    if (r.cut.length !== 0) throw refusal(name, r.cut);
    grant = r.grant;
  }
  if (manifest !== undefined) {
    const r = attenuate(grant, manifest);
    if (r.cut.length !== 0) binding.audit(`manifest of '${name}' asked for more than granted: ${r.cut[0]}${r.cut.length > 1 ? ` and ${r.cut.length - 1} more` : ''}`);
    grant = r.grant;
  }
  checkResources(name, grant, resources);
  checkQuota(name, grant);
  return { __proto__: null, text: stringify(grant), basis };
}

// A grant with a quota: one more app of its group must stay within the count. Apps of one
// group spawning at the same instant on different engines can each pass this check, so the
// group may pass its count by at most one app per engine; the machine's own limit is native.
function checkQuota(name, grant) {
  const q = grant.quota;
  if (q === null) return;
  const needle = `"group":${JSONStringify(q.group)}`;
  const list = binding.apps();
  let live = 0;
  for (let i = 0; i < list.length; i++) {
    const text = binding.permissionsOf(list[i].id);
    if (text === undefined || StringPrototypeIndexOf(text, needle) < 0) continue;
    const g = parsed(list[i].id, text);
    if (g.quota !== null && g.quota.group === q.group) live++;
  }
  if (live < q.apps) return;
  const err = new ErrorCtor(`rt.spawn '${name}': the apps of '${q.group}' are at their quota (${live} running, at most ${q.apps}): end one first (kill)`);
  const props = { code: 'ERR_QUOTA_EXCEEDED', group: q.group, limit: q.apps };
  const keys = ['code', 'group', 'limit'];
  for (let i = 0; i < keys.length; i++) {
    ObjectDefineProperty(err, keys[i], { value: props[keys[i]], writable: true, configurable: true, enumerable: true });
  }
  binding.audit(`refused to spawn '${name}': ${q.group} at its quota of ${q.apps} apps`);
  throw err;
}

function checkResources(name, grant, resources) {
  if (resources === null || typeof resources !== 'object') return;
  const kinds = ['ports', 'memory', 'irqs'];
  for (let i = 0; i < kinds.length; i++) {
    const list = resources[kinds[i]];
    if (!ArrayIsArray(list)) continue;
    for (let j = 0; j < list.length; j++) {
      if (!allows(grant, `hw.${kinds[i]}`, list[j])) {
        throw refusal(name, [`hw.${kinds[i]} ${ArrayIsArray(list[j]) ? `[${list[j][0]}, ${list[j][1]}]` : StringCtor(list[j])} (its permissions do not include it)`]);
      }
    }
  }
}

let initGranted = false;

/**
 * Init's own grant, from the command line's permission options and its manifest (undefined:
 * unrestricted). Set once at boot, before the app's code runs.
 */
export function initGrant(flags, main) {
  // Once, in init, while it holds everything (at boot, before its code runs): anything else
  // could only be an app trying to set its own grant.
  if (binding.parentId !== 0 || initGranted || binding.permissionsOf(self) !== '') {
    throw new ErrorCtor('initGrant: only init, once, at boot');
  }
  initGranted = true;
  const fromCommandLine = fromFlags(flags);
  const manifest = manifestOf(main);
  if (fromCommandLine === undefined && manifest === undefined) return;
  const base = fromCommandLine === undefined ? all() : fromCommandLine;
  const grant = manifest === undefined ? base : attenuate(base, manifest).grant;
  binding.setPermissions(self, stringify(grant));
}

// ---- confirmation ------------------------------------------------------------------------------

/**
 * Spawns `target` with what its manifest asks for (within this app's grant) once `confirm`
 * agrees: `confirm({ name, path }, asked, cut)` gets the permissions the app would hold (plain
 * frozen objects) and what of its manifest this app cannot grant, and resolves true (grant
 * them), false (refuse: ERR_ACCESS_DENIED) or a narrower permissions object. A session's shell
 * passes a function that asks its user on the console.
 */
export async function spawnConfirmed(target, options, confirm, spawn) {
  const name = options?.name ?? StringCtor(target);
  const manifest = typeof target === 'string' ? manifestOf(target) : undefined;
  const r = attenuate(grantOf(self), manifest === undefined ? parse(options?.permissions) : manifest);
  const answer = await confirm(ObjectFreeze({ name, path: target }), view(r.grant), ObjectFreeze(r.cut));
  if (answer === false || answer === undefined || answer === null) {
    const err = new ErrorCtor(`rt.permissions.spawn '${name}': the permissions it asks for were not confirmed`);
    ObjectDefineProperty(err, 'code', { value: 'ERR_ACCESS_DENIED', writable: true, configurable: true, enumerable: true });
    binding.audit(`not confirmed: spawning '${name}'`);
    throw err;
  }
  const permissions = answer === true ? JSONParse(stringify(r.grant)) : answer;
  return spawn(target, { ...options, permissions });
}
