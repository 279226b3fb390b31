// Runs first in every app: builds the globals an app sees. Apps get the web-platform
// basics (console, timers, queueMicrotask, performance.now) and `rt`, the runtime's own
// object (docs/api.md); nothing else from the native side is reachable.
// First: the built-ins are captured before any other module (or app) can change them.
import primordials, { captureLateGlobals } from './primordials.js';
import binding from 'rtjs:binding';
import * as apps from './apps.js';
import { console } from './console.js';
import { TextDecoder, TextEncoder } from './encoding.js';
import { hw, onIrq } from './hw.js';
import { inspect, setInspectHooks } from './inspect.js';
import { onInput } from './input.js';
import * as timers from './timers.js';
import { currentContext, runInContext } from './async-context.js';

const { ObjectDefineProperty, ObjectFreeze, ObjectKeys, TypeError } = primordials;

const { enqueueMicrotask } = binding;

function defineGlobal(name, value) {
  ObjectDefineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

function queueMicrotask(callback) {
  if (typeof callback !== 'function') {
    throw new TypeError(`The "callback" argument must be a function (got ${typeof callback})`);
  }
  // V8 carries the asynchronous context into promise reactions, not into a queued
  // function: this one runs in the context it was queued in (AsyncLocalStorage).
  const context = currentContext();
  enqueueMicrotask(context === undefined ? callback : () => runInContext(context, callback, undefined, []));
}

// Node 20 has Symbol.dispose and Symbol.asyncDispose (explicit resource management:
// timers, streams) before V8 11.3 does; the same registered symbols as its.
for (const [name, key] of [['dispose', 'nodejs.dispose'], ['asyncDispose', 'nodejs.asyncDispose']]) {
  if (Symbol[name] === undefined) ObjectDefineProperty(Symbol, name, { value: Symbol.for(key) });
}

defineGlobal('console', console);
defineGlobal('setTimeout', timers.setTimeout);
defineGlobal('setInterval', timers.setInterval);
defineGlobal('clearTimeout', timers.clearTimeout);
defineGlobal('clearInterval', timers.clearInterval);
defineGlobal('queueMicrotask', queueMicrotask);
defineGlobal('TextEncoder', TextEncoder);
defineGlobal('TextDecoder', TextDecoder);
// The web platform (docs/api.md), one module each under js/internal/. Each is loaded when
// its global is first used (defineLazyGlobal, below): an app pays at start-up only for what
// it touches. setImmediate is node:timers' (Immediate objects) on internal/timers.js.
const LAZY = {
  'performance.js': ['performance', 'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure', 'PerformanceObserver',
    'PerformanceObserverEntryList', 'PerformanceResourceTiming'],
  'base64.js': ['atob', 'btoa'],
  'structured-clone.js': ['structuredClone'],
  'report-error.js': ['reportError'],
  'dom-exception.js': ['DOMException'],
  'events.js': ['Event', 'EventTarget', 'CustomEvent'],
  'abort.js': ['AbortController', 'AbortSignal'],
  'url.js': ['URL', 'URLSearchParams'],
  'crypto.js': ['crypto', 'Crypto', 'CryptoKey', 'SubtleCrypto'],
  'blob.js': ['Blob', 'File'],
  'form-data.js': ['FormData'],
  'streams.js': ['ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
    'ReadableStreamDefaultController', 'ReadableByteStreamController', 'WritableStream',
    'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'TransformStream',
    'TransformStreamDefaultController', 'CountQueuingStrategy', 'ByteLengthQueuingStrategy'],
  'encoding-streams.js': ['TextEncoderStream', 'TextDecoderStream'],
  'message-channel.js': ['MessageChannel', 'MessagePort', 'MessageEvent', 'BroadcastChannel'],
  'compression.js': ['CompressionStream', 'DecompressionStream'],
  'fetch.js': ['fetch', 'Headers', 'Request', 'Response'],
  'websocket.js': ['WebSocket', 'CloseEvent'],
};
for (const file of ObjectKeys(LAZY)) {
  for (const name of LAZY[file]) defineLazyGlobal(name, () => binding.importSync(`rtjs:internal/${file}`)[name]);
}

/** Throws ERR_ACCESS_DENIED unless this app holds `kind` (an app with no limits holds all). */
function checkOwn(kind, target) {
  if (binding.permissionsOf(binding.appId) !== '') apps.broker().check(binding.appId, kind, target);
}

// A global loaded on first use; it becomes a plain value then (or when the app assigns to
// it), as Node's lazily loaded globals do.
function defineLazyGlobal(name, load) {
  ObjectDefineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get() {
      const value = load();
      defineGlobal(name, value);
      return value;
    },
    set(value) { defineGlobal(name, value); },
  });
}
// Node's globals, loaded on first use (most apps never touch them).
const builtin = (name) => binding.importSync(`rtjs:node/${name}.js`);
defineLazyGlobal('process', () => builtin('process').default);
defineLazyGlobal('Buffer', () => builtin('buffer').Buffer);
defineLazyGlobal('setImmediate', () => builtin('timers').setImmediate);
defineLazyGlobal('clearImmediate', () => builtin('timers').clearImmediate);
defineGlobal('global', globalThis);
// The app module loader (Node's resolution, CommonJS), compiled when an app first imports.
let loader;
const moduleLoader = () => (loader ??= binding.importSync('rtjs:internal/modules/loader.js'));
setInspectHooks({ promiseState: binding.promiseState, proxyTarget: binding.proxyTarget });

// What differs between apps (its arguments, id, grants, the runtime's hooks into it) is read
// here, not while the module evaluates: the module's evaluation is the same for every app and
// is done once for all of them, into the startup snapshot (docs/design.md, "Apps start from a
// startup snapshot"). The runtime calls this once, before any app code runs.
export function startApp() {
  captureLateGlobals();
  apps.startApp();
  // Init's own grant comes from the command line and its manifest, before any app code runs.
  // A bad option or manifest is a usage error, as a bad --budget is (status 2).
  if (binding.parentId === 0 && apps.initHasPermissions()) {
    try {
      apps.broker().initGrant(binding.permissionFlags, binding.mainPath);
    } catch (err) {
      console.error(`rtjs: ${err.message}`);
      binding.exit(2);
    }
  }

  const rt = {
    /** The app's arguments (what followed the app's path on the command line). */
    argv: ObjectFreeze([...binding.argv]),
    /** Ends the app at once with `code` (default 0); pending timers and callbacks never run. */
    exit(code = 0) {
      const n = Number(code);
      binding.exit(Number.isInteger(n) ? n | 0 : 1);
    },
    /** Hardware capabilities: ports, physical memory, IRQs, DMA (docs/api.md). */
    hw,
    /** Powers the machine off with `status` (0: ACPI S5). Only init may; others get an Error. */
    powerOff(status = 0) {
      checkOwn('power');
      const n = Number(status);
      binding.powerOff(Number.isInteger(n) ? n | 0 : 1);
    },
    /** Reboots the machine (FADT reset register, else the keyboard controller). Only init. */
    reboot() { checkOwn('power'); binding.reboot(); },
    /** Apps and IPC (docs/api-apps.md). */
    spawn: apps.spawn,
    export: apps.exportInterface,
    grants: apps.grants,
    self: apps.self,
    apps: apps.apps,
    transfer: apps.transfer,
    /** Calls another app's function without waiting for (or getting) its result. */
    notify: (fn, ...args) => apps.notify(fn, args),
    /** The id of the app whose call to one of this app's functions is running (undefined
     *  outside such a call, and after an `await` in it): who is asking, as the runtime saw it. */
    get caller() { return apps.caller(); },
    /** Permissions (docs/api-apps.md): this app's, its children's, the audit log. */
    permissions: ObjectFreeze({
      held: () => apps.broker().held(),
      allows: (kind, target) => apps.broker().allowed(apps.self.id, kind, target),
      revoke: (id, what) => apps.broker().revoke(id, what),
      spawn: (target, options, confirm) => apps.broker().spawnConfirmed(
        typeof target === 'string' ? apps.resolveTarget(target) : target, options, confirm, apps.spawn),
      auditLog: () => apps.broker().auditLog(),
    }),
  };
  defineGlobal('rt', ObjectFreeze(rt));
  defineGlobal('navigator', ObjectFreeze({ hardwareConcurrency: binding.cpuCount, userAgent: 'rtjs' }));
  binding.setModuleHooks((specifier, referrer, type) => moduleLoader().resolve(specifier, referrer, type),
    (name) => moduleLoader().load(name));
  binding.setHooks({ onTimer: timers.onTimer, onInput, inspect, onIrq, onMessage: apps.onMessage, onAppExit: apps.onAppExit });
}
