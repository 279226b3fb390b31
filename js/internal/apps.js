// Apps (docs/design.md, "Apps, engines and IPC") as JavaScript sees them: rt.spawn and its AppHandle, and in
// a child rt.grants, rt.export, rt.self; rt.apps lists every live app. Values crossing
// between apps go through ipc.js (structured clone, transfers, remote functions).
// docs/api-apps.md is the user's reference.
import binding from 'rtjs:binding';
import primordials from './primordials.js';
import { appEnvironment } from './environment.js';
import {
  KIND_EXPORT, abort, addLateLeafPrototypes, commit, encode, hasEnded, list, noteAppName, onExitNotice, onKind, revive,
  sendValue,
} from './ipc.js';

export { onAppExit, onMessage, transfer, notify, currentCaller as caller } from './ipc.js';

const {
  Array: ArrayCtor, ArrayFrom, ArrayIsArray, ReflectApply, Error: ErrorCtor, ObjectDefineProperty, MapPrototypeGet, MapPrototypeSet, MapPrototypeDelete, NumberIsFinite,
  NumberIsInteger, ObjectFreeze, Promise: PromiseCtor, PromisePrototypeCatch, RangeError: RangeErrorCtor,
  ObjectCreate, ObjectKeys, SafeMap, String: StringCtor, StringPrototypeIndexOf, StringPrototypeLastIndexOf, StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeError: TypeErrorCtor,
} = primordials;

// Who this app is: set by startApp, not while the module evaluates, because the runtime's
// modules are evaluated once for every app (docs/design.md, "Apps start from a startup
// snapshot").
let appId = 0, appName = '', parentId = 0;

/** This app: { id, name, cpu, parentId } (parentId 0 for init); set by startApp. */
export let self;

/** What the parent granted this app (functions in it are remote functions), or undefined. */
export let grants;

// The spawn payload: [parent's name, grant, hasRefs].
function readGrants() {
  const payload = binding.initPayload;
  if (!ArrayIsArray(payload)) return undefined;
  noteAppName(parentId, payload[0]);
  return revive(payload[1], payload[2]);
}

/** Takes this app's identity and its parent's grant from the binding; once, before app code. */
export function startApp() {
  addLateLeafPrototypes();
  ({ appId, appName, parentId } = binding);
  self = ObjectFreeze({ id: appId, name: appName, cpu: binding.cpu, parentId });
  noteAppName(appId, appName);
  grants = readGrants();
}

// ---- the parent's side ----------------------------------------------------------------

const children = new SafeMap(); // id -> { handle, settleExit, resolveInterface, rejectInterface }

function deferred() {
  let resolve, reject;
  const promise = new PromiseCtor((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

// Relative paths are relative to the directory of this app's main module (as its own
// imports are); an app made from source text resolves them against the working directory.
export function resolveTarget(path) {
  if (StringPrototypeStartsWith(path, '/') || StringPrototypeStartsWith(path, 'rtjs:')) return path;
  const main = binding.mainPath;
  if (typeof main !== 'string' || main === '' || StringPrototypeStartsWith(main, 'rtjs:')) return path;
  const slash = StringPrototypeLastIndexOf(main, '/');
  return slash < 0 ? path : `${StringPrototypeSlice(main, 0, slash + 1)}${path}`;
}

function positive(name, value) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !NumberIsFinite(value) || value <= 0) {
    throw new RangeErrorCtor(`rt.spawn: options.${name} must be a positive number (got ${StringCtor(value)})`);
  }
  return value;
}

function cpuOption(value) {
  if (value === undefined || value === 'auto') return -1;
  const { cpuCount } = binding;
  if (!NumberIsInteger(value) || value < 0 || value >= cpuCount) {
    throw new RangeErrorCtor(`rt.spawn: options.cpu must be 'auto' or an integer from 0 to ${cpuCount - 1} (got ${StringCtor(value)})`);
  }
  return value;
}

// A child's environment (its process.env): the given names with their values as strings,
// as Node's child_process takes `env`. Without it the child inherits this app's.
function envOption(env) {
  if (typeof env !== 'object' || env === null) throw new TypeErrorCtor('rt.spawn: options.env must be an object');
  const out = ObjectCreate(null);
  const names = ObjectKeys(env);
  for (let i = 0; i < names.length; i++) out[names[i]] = StringCtor(env[names[i]]);
  return out;
}

function spawnRequest(target, options) {
  const req = ObjectCreate(null); // read natively: no app getter on Object.prototype answers
  if (typeof target === 'string' && target !== '') {
    req.file = resolveTarget(target);
  } else if (typeof target === 'object' && target !== null && typeof target.source === 'string') {
    req.source = target.source;
  } else {
    throw new TypeErrorCtor("rt.spawn: target must be a path or { source: '...' }");
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeErrorCtor('rt.spawn: options must be an object');
  }
  const { name, args = [], heapLimitMb, budgetMs, resources, permissions } = options;
  if (name !== undefined) {
    if (typeof name !== 'string' || name === '') throw new TypeErrorCtor('rt.spawn: options.name must be a non-empty string');
    req.name = name;
  }
  if (!ArrayIsArray(args)) throw new TypeErrorCtor('rt.spawn: options.args must be an array of strings');
  req.args = list();
  for (let i = 0; i < args.length; i++) req.args[i] = StringCtor(args[i]);
  req.cpu = cpuOption(options.cpu);
  const heap = positive('heapLimitMb', heapLimitMb);
  if (heap !== undefined) req.heapLimitMb = heap;
  const budget = positive('budgetMs', budgetMs);
  if (budget !== undefined) req.budgetMs = budget;
  if (resources !== undefined) req.resources = resources;
  if (options.env !== undefined) req.env = envOption(options.env);
  // Inheriting: at most what this app's grant lets it see (all of it when it has no limits,
  // which the runtime copies natively).
  else if (binding.permissionsOf(appId) !== '') req.env = appEnvironment();
  return { req, permissions };
}

// The access broker, loaded on first use (an app that never spawns does not pay for it).
let brokerModule;
export const broker = () => (brokerModule ??= binding.importSync('rtjs:services/access/broker.js'));

/**
 * Whether init's permissions need working out at boot: a permission option was given, or the
 * app's package.json mentions permissions (the broker reads it then; most starts skip it).
 */
export function initHasPermissions() {
  return binding.permissionFlags.length !== 0 || mentionsPermissions(binding.mainPath);
}

// Whether the package.json of app path `main` mentions permissions: only then is the broker
// (two modules, a noticeable compile under QEMU's TCG) loaded to read it.
function mentionsPermissions(main) {
  if (typeof main !== 'string' || main === '' || StringPrototypeStartsWith(main, 'rtjs:')) return false;
  const slash = StringPrototypeLastIndexOf(main, '/');
  const dir = binding.fileKind(main) === 2 ? main : slash < 0 ? '.' : StringPrototypeSlice(main, 0, slash);
  const text = binding.readFile(`${dir}/package.json`);
  return typeof text === 'string' && StringPrototypeIndexOf(text, '"permissions"') >= 0;
}

function makeHandle(id, name, engine) {
  const exited = deferred();
  const iface = deferred();
  // Nobody has to look at `interface`: an app that never exports must not make its parent
  // fail with an unhandled rejection.
  PromisePrototypeCatch(iface.promise, () => {});
  const handle = ObjectFreeze({
    id,
    name,
    cpu: engine,
    exited: exited.promise,
    interface: iface.promise,
    /** Ends the app (reason 'killed'); false if it had already ended. */
    kill: () => binding.kill(id),
  });
  MapPrototypeSet(children, id, {
    handle, settleExit: exited.resolve, resolveInterface: iface.resolve, rejectInterface: iface.reject,
  });
  return handle;
}

/**
 * Starts an app. target: a path (file or directory; relative to this app's main module)
 * or { source }. options: { name, args, cpu: 'auto' | index, heapLimitMb, budgetMs, grant,
 * resources, permissions, env }. `env` is the child's environment (process.env; default
 * this app's). `grant` is any clonable value and may hold functions: the child
 * sees it as rt.grants. `permissions` (js/services/access/permissions.js) is what the child
 * may do, within this app's own; without it the child holds this app's permissions; either
 * way its package.json's "rtjs"."permissions", when there is one, narrows them.
 * Returns an AppHandle { id, name, cpu, exited, interface, kill() }.
 * Throws TypeError/RangeError for bad options, DataCloneError for an unclonable grant,
 * ERR_ACCESS_DENIED for permissions or resources beyond this app's.
 */
export function spawn(target, options = {}) {
  const { req, permissions } = spawnRequest(target, options);
  const name = req.name !== undefined ? req.name
    : req.file !== undefined ? StringPrototypeSlice(req.file, StringPrototypeLastIndexOf(req.file, '/') + 1)
      : 'app';
  req.name = name;
  // An app with no limits spawning without permissions and without a manifest: the child
  // inherits natively, and the broker is not loaded at all.
  const limited = permissions !== undefined || binding.permissionsOf(appId) !== '' || mentionsPermissions(req.file);
  const grant = limited ? broker().childGrant(name, req.file, permissions, req.resources) : undefined;
  if (grant !== undefined) {
    req.permissions = grant.text;
    req.permissionsBasis = grant.basis;
  }
  let out;
  if (options.grant !== undefined) {
    const encoded = encode(0, options.grant, (g, hasRefs) => [appName, g, hasRefs]);
    req.payload = encoded.message;
    out = encoded.out;
  }
  let result;
  try {
    result = binding.spawn(req);
  } catch (err) {
    if (out !== undefined) abort(out);
    throw err;
  }
  if (out !== undefined) commit(out, result.id);
  noteAppName(result.id, name);
  // A parent outlives its children, so that it can wait for them.
  binding.keepAlive(1);
  return makeHandle(result.id, name, result.cpu);
}

onKind(KIND_EXPORT, (from, value, hasRefs) => {
  const child = MapPrototypeGet(children, from);
  if (child !== undefined) child.resolveInterface(revive(value, hasRefs));
});

onExitNotice((id, code, reason) => {
  const child = MapPrototypeGet(children, id);
  if (child === undefined) return;
  MapPrototypeDelete(children, id);
  binding.keepAlive(-1);
  const err = new ErrorCtor(`app '${child.handle.name}' (id ${id}) ended (${reason}, code ${code}) without calling rt.export`);
  ObjectDefineProperty(err, 'code', { value: 'ERR_APP_ENDED', writable: true, configurable: true, enumerable: true });
  child.rejectInterface(err);
  child.settleExit(ObjectFreeze({ code, reason }));
});

// ---- the child's side -----------------------------------------------------------------

let exported = false;

/**
 * Publishes this app's service interface to its parent (handle.interface there). `value`
 * is any clonable value and may hold functions. Once per app; the app then stays alive
 * until it is killed or calls rt.exit. Throws if called twice or in init.
 */
export function exportInterface(value) {
  if (parentId === 0) throw new ErrorCtor('rt.export: this app has no parent (it is init)');
  if (exported) throw new ErrorCtor('rt.export: this app has already exported its interface');
  if (!hasEnded(parentId)) sendValue(parentId, KIND_EXPORT, value);
  exported = true;
  binding.keepAlive(1);
}

/** Every live app: [{ id, name, cpu, state, heapUsed, parentId }]. */
export function apps() {
  const list = binding.apps();
  // Array.from on a prototype-less array-like defines the elements (no index setter an app
  // put on Array.prototype runs, no iterator it replaced is used).
  return ReflectApply(ArrayFrom, ArrayCtor, [{ __proto__: null, length: list.length }, (_, i) => {
    const a = list[i];
    return ObjectFreeze({
      id: a.id, name: a.name, cpu: a.cpu, state: a.state, heapUsed: a.heapUsed, memoryUsed: a.memoryUsed,
      heapLimitMb: a.heapLimitMb, budgetMs: a.budgetMs, busyMs: a.busyMs, parentId: a.parentId,
    });
  }]);
}
