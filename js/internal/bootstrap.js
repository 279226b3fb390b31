// Runs first in every app: builds the globals an app sees. Apps get the web-platform
// basics (console, timers, queueMicrotask, performance.now) and `rt`, the runtime's own
// object (docs/api.md); nothing else from the native side is reachable.
import binding from 'rtjs:binding';
import { AbortController, AbortSignal } from './abort.js';
import * as apps from './apps.js';
import { atob, btoa } from './base64.js';
import { console } from './console.js';
import { crypto, Crypto, CryptoKey, SubtleCrypto } from './crypto.js';
import { DOMException } from './dom-exception.js';
import { CustomEvent, Event, EventTarget } from './events.js';
import { TextDecoder, TextEncoder } from './encoding.js';
import { hw, onIrq } from './hw.js';
import { inspect, setInspectHooks } from './inspect.js';
import { onInput } from './input.js';
import { performance, PerformanceEntry, PerformanceMark, PerformanceMeasure } from './performance.js';
import { reportError } from './report-error.js';
import { structuredClone } from './structured-clone.js';
import * as timers from './timers.js';
import { URL, URLSearchParams } from './url.js';

const { enqueueMicrotask } = binding;
const ObjectDefineProperty = Object.defineProperty;
const ObjectFreeze = Object.freeze;
const TypeErrorCtor = TypeError;

function defineGlobal(name, value) {
  ObjectDefineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

function queueMicrotask(callback) {
  if (typeof callback !== 'function') {
    throw new TypeErrorCtor(`The "callback" argument must be a function (got ${typeof callback})`);
  }
  enqueueMicrotask(callback);
}

defineGlobal('console', console);
defineGlobal('setTimeout', timers.setTimeout);
defineGlobal('setInterval', timers.setInterval);
defineGlobal('clearTimeout', timers.clearTimeout);
defineGlobal('clearInterval', timers.clearInterval);
defineGlobal('queueMicrotask', queueMicrotask);
defineGlobal('TextEncoder', TextEncoder);
defineGlobal('TextDecoder', TextDecoder);
// The web platform (docs/api.md): one module each under js/internal/.
defineGlobal('setImmediate', timers.setImmediate);
defineGlobal('clearImmediate', timers.clearImmediate);
defineGlobal('performance', performance);
defineGlobal('PerformanceEntry', PerformanceEntry);
defineGlobal('PerformanceMark', PerformanceMark);
defineGlobal('PerformanceMeasure', PerformanceMeasure);
defineGlobal('atob', atob);
defineGlobal('btoa', btoa);
defineGlobal('structuredClone', structuredClone);
defineGlobal('reportError', reportError);
defineGlobal('DOMException', DOMException);
defineGlobal('Event', Event);
defineGlobal('EventTarget', EventTarget);
defineGlobal('CustomEvent', CustomEvent);
defineGlobal('AbortController', AbortController);
defineGlobal('AbortSignal', AbortSignal);
defineGlobal('URL', URL);
defineGlobal('URLSearchParams', URLSearchParams);
defineGlobal('crypto', crypto);
defineGlobal('Crypto', Crypto);
defineGlobal('CryptoKey', CryptoKey);
defineGlobal('SubtleCrypto', SubtleCrypto);
defineGlobal('navigator', ObjectFreeze({ hardwareConcurrency: binding.engineCount, userAgent: 'rtjs' }));

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
    const n = Number(status);
    binding.powerOff(Number.isInteger(n) ? n | 0 : 1);
  },
  /** Reboots the machine (FADT reset register, else the keyboard controller). Only init. */
  reboot() { binding.reboot(); },
  /** Apps and IPC (docs/api-apps.md). */
  spawn: apps.spawn,
  export: apps.exportInterface,
  grants: apps.grants,
  self: apps.self,
  apps: apps.apps,
  transfer: apps.transfer,
};
defineGlobal('rt', ObjectFreeze(rt));

// Node's globals, loaded on first use (most apps never touch them).
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
const builtin = (name) => binding.importSync(`rtjs:node/${name}.js`);
defineLazyGlobal('process', () => builtin('process').default);
defineLazyGlobal('setImmediate', () => builtin('timers').setImmediate);
defineLazyGlobal('clearImmediate', () => builtin('timers').clearImmediate);
defineGlobal('global', globalThis);
// The app module loader (Node's resolution, CommonJS), compiled when an app first imports.
let loader;
const moduleLoader = () => (loader ??= binding.importSync('rtjs:internal/modules/loader.js'));
binding.setModuleHooks((specifier, referrer, type) => moduleLoader().resolve(specifier, referrer, type),
  (name) => moduleLoader().load(name));
setInspectHooks({ promiseState: binding.promiseState, proxyTarget: binding.proxyTarget });
binding.setHooks({ onTimer: timers.onTimer, onInput, inspect, onIrq, onMessage: apps.onMessage, onAppExit: apps.onAppExit });
