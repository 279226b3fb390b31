// node:worker_threads on rtjs apps: a Worker is a child app (rt.spawn) running the worker's
// file in an isolate of its own, on whichever engine has the fewest apps. The two sides talk
// through functions the parent grants the child: the child posts by calling one, and while
// its parentPort has 'message' listeners it waits on another for the parent's next messages.
// That waiting call is what keeps the worker alive, as a ref'd parentPort does in Node: a
// worker with no listener ends when it has nothing left to do, and the parent then sees
// 'exit'. Messages are structured-cloned by rt IPC (MessagePorts inside them stay entangled
// across apps); a transferList is accepted, and ArrayBuffers in it are copied, not moved.
import EventEmitter from './events.js';
import process from './process.js';
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType } from '../internal/node-errors.js';
import binding from 'rtjs:binding';
import { resolve } from './path.js';

const GRANT_KEY = '\u0000rtjs:worker'; // where the worker's side of the channel travels in the grant
const KILLED_CODE = 1; // the exit code Node reports for a terminated worker
const BOOT_MISSING = new Set(['ENOENT', 'ENOTDIR']); // binding.bootStat's answers for no such file

const { MessageChannel, MessagePort, BroadcastChannel } = globalThis;
const granted = globalThis.rt?.grants?.[GRANT_KEY];

/** True in the app that was not started as a Worker. */
export const isMainThread = granted === undefined;
/** This app's id (as Node's thread ids, 0 nowhere: init is 1). */
export const threadId = globalThis.rt?.self?.id ?? 0;
/** The value the parent passed as `workerData`, cloned; null in the main thread. */
export const workerData = isMainThread ? null : granted.workerData;
export const resourceLimits = isMainThread ? {} : granted.resourceLimits;
export const SHARE_ENV = Symbol.for('nodejs.worker_threads.SHARE_ENV');

const environmentData = new Map(isMainThread ? [] : granted.environmentData);
export function getEnvironmentData(key) { return environmentData.get(key); }
export function setEnvironmentData(key, value) {
  if (value === undefined) environmentData.delete(key);
  else environmentData.set(key, value);
}
export function markAsUntransferable() {}
export function isMarkedAsUntransferable() { return false; }

/** Node's receiveMessageOnPort: messages between apps arrive as tasks, never synchronously. */
export function receiveMessageOnPort() {
  throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
    'receiveMessageOnPort() is not supported on rtjs: a message from another app arrives as a task');
}

// An uncaught error as data the other side rebuilds (name, message, code and stack).
function errorData(err) {
  if (!(err instanceof Error)) return { value: err };
  return { name: err.name, message: err.message, code: err.code, stack: err.stack };
}

function rebuild(data) {
  if ('value' in data) return data.value;
  const Ctor = { TypeError, RangeError, SyntaxError, ReferenceError }[data.name] ?? Error;
  const err = new Ctor(data.message);
  if (!(data.name in { TypeError: 1, RangeError: 1, SyntaxError: 1, ReferenceError: 1, Error: 1 })) err.name = data.name;
  if (data.code !== undefined) err.code = data.code;
  if (data.stack !== undefined) err.stack = data.stack;
  return err;
}

// The file a Worker runs: an absolute path, one starting with './' or '../' (from the
// working directory, as Node), or a file: URL.
function workerTarget(filename, options) {
  if (options.eval) {
    if (typeof filename !== 'string') throw invalidArgType('filename', 'string', filename);
    return { source: evalSource(filename) };
  }
  if (filename instanceof URL || (filename && typeof filename === 'object' && typeof filename.href === 'string')) {
    if (filename.protocol !== 'file:') {
      throw codedError(TypeError, 'ERR_WORKER_PATH', `The worker script URL must use the file: scheme. Received ${filename.href}`);
    }
    return decodeURIComponent(filename.pathname);
  }
  if (typeof filename !== 'string') throw invalidArgType('filename', 'string or an instance of URL', filename);
  if (filename.startsWith('/') || filename.startsWith('./') || filename.startsWith('../')) {
    return resolve(process.cwd(), filename);
  }
  throw codedError(TypeError, 'ERR_WORKER_PATH',
    `The worker script or module filename must be an absolute path or a relative path starting with './' or '../'. Received "${filename}"`);
}

// Node runs an eval worker's code as `node -e` runs its script: sloppy mode, with require,
// module, exports, __filename and __dirname as globals.
function evalSource(code) {
  return `import { createRequire } from 'node:module';
const filename = \`\${process.cwd()}/[worker eval]\`;
const module = { exports: {}, filename };
Object.assign(globalThis, { require: createRequire(filename), module, exports: module.exports,
  __filename: '[worker eval]', __dirname: process.cwd() });
(0, eval)(${JSON.stringify(code)});
`;
}

function missing(path) {
  try {
    return BOOT_MISSING.has(binding.bootStat(path));
  } catch {
    return false; // not a path the binding answers for: rt.spawn reports it
  }
}

// Runs `fn` (an event emission) so that a listener's throw is an uncaught exception, as in
// Node, rather than the rejection of the promise callback it runs from.
function uncaught(fn) {
  try {
    fn();
  } catch (err) {
    setTimeout(() => { throw err; }, 0);
  }
}

/** A worker: a child app running `filename` (Node's Worker, over rt.spawn). */
export class Worker extends EventEmitter {
  #app;
  #queue = [];
  #waiting = null; // the child's pending wait for messages: its resolve function
  #online = false;
  #exited = false;
  #error = null;

  constructor(filename, options = {}) {
    super();
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
    const target = workerTarget(filename, options);
    if (typeof target === 'string' && missing(target)) {
      // As Node: the Worker exists, then reports that its module was not found, and exits 1.
      this.threadId = -1;
      const err = codedError(Error, 'ERR_MODULE_NOT_FOUND', `Cannot find module '${target}'`);
      setTimeout(() => { this.#exited = true; this.emit('error', err); this.emit('exit', 1); }, 0);
      return;
    }
    const limits = options.resourceLimits ?? {};
    const channel = {
      workerData: options.workerData,
      resourceLimits: { ...limits },
      environmentData: [...environmentData],
      online: () => this.#markOnline(),
      post: (value) => {
        this.#markOnline();
        if (!this.#exited) uncaught(() => this.emit('message', value));
      },
      next: () => {
        this.#markOnline();
        if (this.#queue.length) return this.#queue.splice(0);
        return new Promise((resolve) => { this.#waiting = resolve; });
      },
      stop: () => this.#release([]),
      fail: (data) => { this.#error = rebuild(data); },
    };
    const spawnOptions = {
      name: typeof options.name === 'string' && options.name !== '' ? options.name : 'worker',
      args: Array.isArray(options.argv) ? options.argv.map(String) : [],
      grant: { [GRANT_KEY]: channel },
    };
    // The worker's process.env is a copy of the parent's as it is now (or of options.env).
    spawnOptions.env = { ...(options.env && options.env !== SHARE_ENV ? options.env : process.env) };
    if (limits.maxOldGenerationSizeMb > 0) spawnOptions.heapLimitMb = Math.ceil(limits.maxOldGenerationSizeMb);
    this.#app = globalThis.rt.spawn(target, spawnOptions);
    this.threadId = this.#app.id;
    this.resourceLimits = { ...limits };
    this.stdin = null;
    this.stdout = null;
    this.stderr = null;
    this.#app.exited.then(({ code, reason }) => uncaught(() => this.#ended(code, reason)));
    process.emit('worker', this);
  }

  #markOnline() {
    if (this.#online) return;
    this.#online = true;
    this.emit('online');
  }

  #release(batch) {
    const resolve = this.#waiting;
    this.#waiting = null;
    if (resolve) resolve(batch);
  }

  #ended(code, reason) {
    this.#exited = true;
    this.#release([]);
    this.#markOnline();
    let err = this.#error;
    if (!err && reason === 'out-of-memory') {
      err = codedError(Error, 'ERR_WORKER_OUT_OF_MEMORY', 'Worker terminated due to reaching memory limit: JS heap out of memory');
    } else if (!err && (reason === 'error' || reason === 'watchdog')) {
      err = codedError(Error, 'ERR_WORKER_FAILED', `The worker ended with ${reason === 'watchdog' ? 'a task past its budget' : 'an uncaught error'} (its message is on stderr)`);
    }
    if (err) this.emit('error', err);
    this.emit('exit', reason === 'killed' ? KILLED_CODE : code);
  }

  /** Sends `value` (structured-cloned) to the worker's parentPort. */
  postMessage(value, transferList = undefined) {
    if (this.#exited) return;
    this.#queue.push(value);
    if (this.#waiting) this.#release(this.#queue.splice(0));
  }

  /** Ends the worker now; resolves to its exit code. */
  terminate() {
    if (this.#exited) return Promise.resolve(undefined);
    const done = new Promise((resolve) => this.once('exit', resolve));
    this.#app.kill();
    return done;
  }

  /** The worker keeps its parent running while it runs: an app's children never outlive it. */
  ref() {}
  unref() {}
}

// The worker's end of the channel: Node's parentPort (an EventEmitter-style MessagePort).
class ParentPort extends EventEmitter {
  #channel;
  #waiting = false;
  #closed = false;
  #pending = []; // messages that arrived when the last listener had gone
  #wrapped = new WeakMap(); // addEventListener's functions -> their 'message' listeners

  constructor(channel) {
    super();
    this.#channel = channel;
    this.on('newListener', (event) => { if (event === 'message') queueMicrotask(() => this.#wait()); });
  }

  postMessage(value, transferList = undefined) {
    if (this.#closed) return;
    this.#channel.post(value).catch(() => {});
  }

  // While someone listens, one call is outstanding for the parent's next messages.
  async #wait() {
    if (this.#waiting) return;
    this.#waiting = true;
    try {
      while (!this.#closed && this.listenerCount('message') > 0) {
        if (this.#pending.length === 0) {
          try { this.#pending = await this.#channel.next(); } catch { break; } // the parent ended
        }
        while (this.#pending.length && this.listenerCount('message') > 0) this.#deliver(this.#pending.shift());
      }
    } finally {
      this.#waiting = false;
    }
  }

  // A listener's throw is the worker's uncaught exception, as from any task in Node.
  #deliver(value) {
    try {
      this.emit('message', value);
    } catch (err) {
      setTimeout(() => { throw err; }, 0);
    }
  }

  start() {}
  ref() {}
  unref() {}

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.stop().catch(() => {});
    this.emit('close');
  }

  // The EventTarget side: listeners get a MessageEvent-like { type, data, target }.
  addEventListener(type, fn) {
    if (typeof fn !== 'function' || this.#wrapped.has(fn)) return;
    const listener = (data) => fn.call(this, { type, data, target: this });
    this.#wrapped.set(fn, listener);
    this.on(type, listener);
  }

  removeEventListener(type, fn) {
    const listener = this.#wrapped.get(fn);
    if (listener) this.off(type, listener);
    this.#wrapped.delete(fn);
  }
}

/** In a worker, its end of the channel to the parent; null in the main thread. */
export const parentPort = isMainThread ? null : new ParentPort(granted);

if (!isMainThread) {
  granted.online().catch(() => {});
  // An uncaught error ends a worker with code 1, and the parent's Worker emits it as
  // 'error', unless the worker handles it itself.
  const report = (err) => {
    if (process.listenerCount('uncaughtException') > 1) return;
    granted.fail(errorData(err)).catch(() => {}).finally(() => process.exit(1));
  };
  process.on('uncaughtException', report);
}

export { MessageChannel, MessagePort, BroadcastChannel };

export default {
  isMainThread, threadId, workerData, resourceLimits, parentPort, Worker, MessageChannel, MessagePort,
  BroadcastChannel, SHARE_ENV, getEnvironmentData, setEnvironmentData, markAsUntransferable,
  isMarkedAsUntransferable, receiveMessageOnPort,
};
