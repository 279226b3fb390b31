// node:process and the `process` global (nodejs.org/api/process.html), on rtjs's own
// services. platform is 'linux': rtjs offers POSIX paths, '\n' line ends and the Linux
// system-call surface its runtime was built for, and packages branch on known platform
// names (an unknown name sends many down untested paths). env holds only what the app was
// given, never a host's environment.
import binding from 'rtjs:binding';
import { codedError } from '../internal/modules/errors.js';
import { readInput, stopInput } from '../internal/input.js';
import { appEnvironment } from '../internal/environment.js';
import { queueTick } from '../internal/ticks.js';
import { EventEmitter } from './events.js';

const startMs = binding.now();
const NS_PER_MS = 1e6;

/** A minimal writable stream over the console (fd 1 or 2). */
class ConsoleWriter extends EventEmitter {
  #fd;
  constructor(fd) {
    super();
    this.#fd = fd;
    this.fd = fd;
    this.isTTY = false;
    this.writable = true;
  }

  write(chunk, encoding, callback) {
    const cb = typeof encoding === 'function' ? encoding : callback;
    let text = chunk;
    if (typeof chunk !== 'string') {
      if (chunk instanceof Uint8Array) text = new TextDecoder().decode(chunk);
      else throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array.');
    }
    binding.print(this.#fd, text);
    if (typeof cb === 'function') queueMicrotask(cb);
    return true;
  }

  end(chunk, encoding, callback) {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') this.write(chunk, encoding);
    const cb = [chunk, encoding, callback].find((f) => typeof f === 'function');
    if (cb) queueMicrotask(cb);
    return this;
  }

  cork() {}
  uncork() {}
  setDefaultEncoding() { return this; }
  get columns() { return 80; }
}

/**
 * process.stdin: the console's input as a readable stream (flowing when a 'data' listener
 * is added or resume() is called; async-iterable). Chunks are Buffers, or strings after
 * setEncoding().
 */
class ConsoleReader extends EventEmitter {
  #flowing = false;
  #ended = false;
  #decoder = null;
  constructor() {
    super();
    this.fd = 0;
    this.isTTY = false;
    this.readable = true;
    this.on('newListener', (event) => {
      if (event === 'data' || event === 'end' || event === 'readable') queueMicrotask(() => this.resume());
    });
  }

  setEncoding(encoding = 'utf8') {
    this.#decoder = new TextDecoder(encoding === 'utf8' || encoding === 'utf-8' ? 'utf-8' : encoding);
    return this;
  }

  resume() {
    if (this.#flowing || this.#ended) return this;
    this.#flowing = true;
    readInput((bytes) => {
      let chunk = bytes;
      if (this.#decoder) chunk = this.#decoder.decode(bytes, { stream: true });
      else if (globalThis.Buffer) chunk = globalThis.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.emit('data', chunk);
    }, () => {
      this.#flowing = false;
      this.#ended = true;
      this.readable = false;
      this.emit('end');
      this.emit('close');
    });
    return this;
  }

  pause() {
    if (this.#flowing) {
      this.#flowing = false;
      stopInput();
    }
    return this;
  }

  isPaused() { return !this.#flowing; }
  setRawMode() { return this; }
  ref() { return this; }
  unref() { return this; }
  destroy() { this.pause(); this.#ended = true; this.emit('close'); return this; }

  [Symbol.asyncIterator]() {
    const chunks = [];
    const waiting = [];
    let done = false;
    const push = (item) => { const w = waiting.shift(); if (w) w(item); else chunks.push(item); };
    this.on('data', (chunk) => push({ value: chunk, done: false }));
    this.on('end', () => { done = true; push({ value: undefined, done: true }); });
    return {
      next: () => (chunks.length ? Promise.resolve(chunks.shift())
        : done ? Promise.resolve({ value: undefined, done: true }) : new Promise((resolve) => waiting.push(resolve))),
      return: () => { this.pause(); return Promise.resolve({ value: undefined, done: true }); },
      [Symbol.asyncIterator]() { return this; },
    };
  }
}

function hrtime(previous) {
  const ns = binding.now() * NS_PER_MS;
  let sec = Math.floor(ns / 1e9);
  let nsec = Math.floor(ns - sec * 1e9);
  if (previous !== undefined) {
    if (!Array.isArray(previous) || previous.length !== 2) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "time" argument must be an instance of Array.');
    }
    sec -= previous[0];
    nsec -= previous[1];
    if (nsec < 0) { sec -= 1; nsec += 1e9; }
  }
  return [sec, nsec];
}
hrtime.bigint = () => BigInt(Math.floor(binding.now() * NS_PER_MS));

function memoryUsage() {
  const [rss, heapTotal, heapUsed, external] = binding.heapStats();
  return { rss, heapTotal, heapUsed, external, arrayBuffers: external };
}
memoryUsage.rss = () => binding.heapStats()[0];

/**
 * process.env as Node has it: an ordinary object of the app's environment whose
 * assignments store strings (`env.N = 1` stores '1'; a Symbol value is a TypeError, as
 * Node's ToString makes it).
 */
function environment() {
  const toText = (value) => `${value}`;
  return new Proxy(Object.assign({}, appEnvironment()), {
    set(target, name, value) {
      target[name] = toText(value);
      return true;
    },
    defineProperty(target, name, desc) {
      if (!('value' in desc) || desc.get || desc.set) {
        throw codedError(TypeError, 'ERR_INVALID_OBJECT_DEFINE_PROPERTY',
          `'process.env' only accepts a configurable, writable, and enumerable data descriptor`);
      }
      return Reflect.defineProperty(target, name, {
        value: toText(desc.value), writable: true, enumerable: true, configurable: true,
      });
    },
  });
}

const process = new EventEmitter();
const mainPath = binding.mainPath;
const evaluated = mainPath === 'rtjs:internal/eval-main.js';
Object.assign(process, {
  title: 'rtjs',
  // As Node's: code given with -e/-p has no script in argv, and the flag with its code is in
  // execArgv (where parseArgs and option parsers look to know where the arguments start).
  argv: ['/bin/rtjs', ...(mainPath && !evaluated ? [binding.realpath(mainPath) || mainPath] : []), ...binding.argv],
  argv0: 'rtjs',
  execArgv: evaluated ? [binding.printEval ? '-p' : '-e', binding.evalSource] : [],
  execPath: '/bin/rtjs',
  env: environment(),
  pid: binding.appId || 1,
  ppid: 0,
  platform: 'linux',
  arch: 'x64',
  version: 'v20.19.0',
  versions: Object.freeze({ node: '20.19.0', v8: binding.v8Version, rtjs: '0.1.0', modules: '115' }),
  release: Object.freeze({ name: 'node', lts: 'Iron' }),
  features: Object.freeze({ inspector: false, ipv6: false, tls: false, typescript: false }),
  config: Object.freeze({ variables: {} }),
  exitCode: undefined,
  stdout: new ConsoleWriter(1),
  stderr: new ConsoleWriter(2),
  hrtime,
  memoryUsage,
  // The app's memory limit (heap and ArrayBuffers, `--heap-limit` or its spawner's
  // heapLimitMb) is the constraint Node reads from a cgroup: what the app can have, however
  // much the machine has (os.totalmem()).
  constrainedMemory() { return binding.appMemory()[0]; },
  availableMemory() { const [limit, used] = binding.appMemory(); return Math.max(0, limit - used); },
  uptime() { return (binding.now() - startMs) / 1000; },
  cwd() { return binding.cwd(); },
  chdir() { throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', 'process.chdir() is not supported on rtjs'); },
  umask() { return 0o22; },
  getuid() { return 0; },
  geteuid() { return 0; },
  getgid() { return 0; },
  getegid() { return 0; },
  cpuUsage() { const us = Math.floor((binding.now() - startMs) * 1000); return { user: us, system: 0 }; },
  resourceUsage() { return { userCPUTime: 0, systemCPUTime: 0, maxRSS: Math.floor(binding.heapStats()[0] / 1024) }; },
  emitWarning(warning, type, code) {
    let w = warning;
    if (typeof warning === 'string') {
      w = new Error(warning);
      w.name = (type && typeof type === 'object' ? type.type : type) || 'Warning';
      if (typeof code === 'string') w.code = code;
    }
    queueMicrotask(() => {
      process.emit('warning', w);
      binding.print(2, `(rtjs:${process.pid}) ${w.code ? `[${w.code}] ` : ''}${w.name}: ${w.message}\n`);
    });
  },
  nextTick(callback, ...args) {
    if (typeof callback !== 'function') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "callback" argument must be of type function. Received ${typeof callback}`);
    }
    // Node drops ticks queued once the process is exiting (from an 'exit' listener).
    if (process._exiting) return;
    queueTick(callback, args);
  },
  exit(code) {
    if (code !== undefined) process.exitCode = code;
    const status = Number(process.exitCode ?? 0);
    if (!process._exiting) {
      process._exiting = true;
      process.emit('exit', status);
    }
    binding.exit(Number.isInteger(status) ? status | 0 : 1);
  },
  abort() { binding.exit(134); },
  kill() { throw codedError(Error, 'ENOSYS', 'process.kill() is not supported on rtjs: use rt.apps and app ids'); },
  binding() { throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', 'process.binding() is not supported on rtjs'); },
});
process._exiting = false;
let stdin = null;
Object.defineProperty(process, 'stdin', {
  enumerable: true,
  configurable: true,
  get() { return (stdin ??= new ConsoleReader()); },
});

// The runtime asks here what to do with an uncaught error or rejection (a listener
// handles it and the app goes on) and tells when the app is about to end by itself.
// As Node's default --unhandled-rejections=throw: a rejection no 'unhandledRejection'
// listener takes is raised as an uncaught exception of origin 'unhandledRejection'.
function uncaught(error, origin) {
  if (process.listenerCount('uncaughtException') === 0) return false;
  process.emit('uncaughtExceptionMonitor', error, origin);
  process.emit('uncaughtException', error, origin);
  return true;
}
binding.setProcessHook((event, value, extra) => {
  switch (event) {
    case 'uncaughtException':
      return uncaught(value, extra);
    case 'unhandledRejection':
      if (process.listenerCount('unhandledRejection') === 0) return uncaught(value, 'unhandledRejection');
      process.emit('unhandledRejection', value, extra);
      return true;
    case 'beforeExit':
      process.emit('beforeExit', Number(process.exitCode ?? 0));
      return false;
    case 'fatalException': {
      // As Node, an error nobody took still runs the 'exit' listeners, with status 1 (or
      // the exitCode they set).
      if (!process._exiting) {
        process._exiting = true;
        process.exitCode = 1;
        process.emit('exit', 1);
      }
      const final = Number(process.exitCode ?? 1);
      return Number.isInteger(final) ? final | 0 : 1;
    }
    case 'exit': {
      const status = Number(process.exitCode ?? 0);
      if (!process._exiting) {
        process._exiting = true;
        process.emit('exit', status);
      }
      const final = Number(process.exitCode ?? status);
      return Number.isInteger(final) ? final | 0 : 1;
    }
    default:
      return false;
  }
});
Object.defineProperty(process, Symbol.toStringTag, { value: 'process', configurable: true });

export default process;

// `import { memoryUsage } from 'node:process'`: process's members as named exports, as Node's
// ES module of it has them (values as at load; the methods bound to process).
const bound = (name) => process[name].bind(process);
export const {
  title, argv, argv0, execArgv, execPath, env, pid, ppid, platform, arch, version, versions, release,
  features, config,
} = process;
export { hrtime, memoryUsage };
export const uptime = bound('uptime');
export const cwd = bound('cwd');
export const chdir = bound('chdir');
export const umask = bound('umask');
export const getuid = bound('getuid');
export const geteuid = bound('geteuid');
export const getgid = bound('getgid');
export const getegid = bound('getegid');
export const cpuUsage = bound('cpuUsage');
export const resourceUsage = bound('resourceUsage');
export const emitWarning = bound('emitWarning');
export const nextTick = bound('nextTick');
export const exit = bound('exit');
export const abort = bound('abort');
export const kill = bound('kill');
export const { stdout, stderr } = process;
