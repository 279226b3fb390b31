'use strict';
// The part of the `common` helper module that Node's test/parallel files use, written for
// running those files unchanged under rtjs and under Node (the reference) alike. Call-count
// checks run at process 'exit', as Node's own helper does; a failed check sets the status.
const assert = require('assert');
const { inspect } = require('util');

const checks = [];
let exitHooked = false;

function onExitCheck(check) {
  checks.push(check);
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const c of checks) {
      const problem = c();
      if (problem) {
        console.error(problem);
        process.exitCode = 1;
      }
    }
  });
}

function where() {
  const lines = (new Error().stack || '').split('\n');
  return lines.find((l) => l.includes('test-')) || lines[3] || '';
}

function countCalls(fn, expected, atLeast) {
  if (typeof fn === 'number') [fn, expected] = [noop, fn];
  if (fn === undefined) fn = noop;
  const place = where();
  let calls = 0;
  onExitCheck(() => {
    const ok = atLeast ? calls >= expected : calls === expected;
    if (!ok) return `Mismatched ${fn.name || '<anonymous>'} function calls. Expected ${atLeast ? 'at least' : 'exactly'} ${expected}, actual ${calls}.\n${place}`;
  });
  const wrapper = function(...args) {
    calls++;
    return Reflect.apply(fn, this, args);
  };
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
  return wrapper;
}

function noop() {}

function mustCall(fn, exact = 1) { return countCalls(fn, exact, false); }
function mustCallAtLeast(fn, minimum = 1) { return countCalls(fn, minimum, true); }

function mustNotCall(message = 'function should not have been called') {
  const place = where();
  return function mustNotCall(...args) {
    const shown = args.map((a) => inspect(a)).join(', ');
    assert.fail(`${message} at ${place.trim()}${shown ? `\ncalled with arguments: ${shown}` : ''}`);
  };
}

function mustSucceed(fn, exact) {
  return mustCall(function(err, ...args) {
    assert.ifError(err);
    if (typeof fn === 'function') return Reflect.apply(fn, this, args);
  }, exact);
}

function expectsError(validator, exact) {
  return mustCall((...args) => {
    if (args.length !== 1) assert.fail(`Expected one argument, got ${inspect(args)}`);
    const error = args[0];
    assert.throws(() => { throw error; }, validator);
    return true;
  }, exact);
}

// expectWarning(name, messages) / (name, [[message, code]...]) / ({ name: messages })
function expectWarning(nameOrMap, expected, code) {
  const wanted = new Map();
  const add = (name, list) => {
    if (typeof list === 'string') list = [[list, code]];
    else if (Array.isArray(list) && typeof list[0] === 'string' && list.length === 2 && /^[A-Z]+\d+$|^DEP\d+/.test(list[1])) list = [list];
    const queue = list.map((entry) => (Array.isArray(entry) ? entry : [entry, undefined]));
    wanted.set(name, queue);
  };
  if (typeof nameOrMap === 'object') for (const [name, list] of Object.entries(nameOrMap)) add(name, list);
  else add(nameOrMap, expected);
  process.on('warning', mustCall((warning) => {
    const queue = wanted.get(warning.name);
    assert.ok(queue, `unexpected warning ${warning.name}: ${warning.message}`);
    const [message, warningCode] = queue.shift();
    if (message instanceof RegExp) assert.match(warning.message, message);
    else assert.strictEqual(warning.message, message);
    if (warningCode !== undefined) assert.strictEqual(warning.code, warningCode);
  }, [...wanted.values()].reduce((n, q) => n + q.length, 0)));
}

// The " Received ..." tail of Node's ERR_INVALID_ARG_TYPE messages.
function invalidArgTypeHelper(input) {
  if (input == null) return ` Received ${input}`;
  if (typeof input === 'function') return ` Received function ${input.name}`;
  if (typeof input === 'object') {
    if (input.constructor && input.constructor.name) return ` Received an instance of ${input.constructor.name}`;
    return ` Received ${inspect(input, { depth: -1 })}`;
  }
  let shown = inspect(input, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof input} (${shown})`;
}

function skip(message) {
  console.log(`1..0 # Skipped: ${message}`);
  process.exit(0);
}

const arrayBufferViews = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
];

function getArrayBufferViews(buf) {
  const { buffer, byteOffset, byteLength } = buf;
  const out = [];
  for (const Type of arrayBufferViews) {
    const size = Type.BYTES_PER_ELEMENT || 1;
    if (byteLength % size === 0) out.push(new Type(buffer, byteOffset, byteLength / size));
  }
  return out;
}

function getBufferSources(buf) {
  return [...getArrayBufferViews(buf), new Uint8Array(buf).buffer];
}

function mustNotMutateObjectDeep(value) { return value; }

// Node scales its tests' waits on slow platforms; rtjs-sim on a loaded CI machine is one.
const PLATFORM_SLOWDOWN = 5;
function platformTimeout(ms) { return ms * PLATFORM_SLOWDOWN; }

module.exports = {
  mustCall, mustCallAtLeast, mustNotCall, mustSucceed, expectsError, expectWarning,
  invalidArgTypeHelper, skip, printSkipMessage: (m) => console.log(`1..0 # Skipped: ${m}`),
  skipIf32Bits() {}, skipIfInspectorDisabled() { skip('no inspector'); },
  skipIfSQLiteMissing() { skip('no sqlite'); }, skipIfDumbTerminal() {},
  getArrayBufferViews, getBufferSources, mustNotMutateObjectDeep, platformTimeout,
  allowGlobals() {}, enoughTestMem: Math.min(require('os').totalmem(), process.constrainedMemory?.() || Infinity) > 0x70000000, // Node's rule (1.75 GiB), of what the process may have
  hasIntl: true, hasCrypto: true, hasOpenSSL3: true,
  hasSQLite: false, hasIPv6: false, hasMultiLocalhost: () => false, isMainThread: true,
  isWindows: false, isLinux: true, isMacOS: false, isOSX: false, isAIX: false, isSunOS: false,
  isIBMi: false, isFreeBSD: false, isOpenBSD: false, isDumbTerminal: false, isDebug: false,
  isPi: false, isASan: false, PORT: 12346, localhostIPv4: '127.0.0.1',
  get localIPv6Hosts() { return ['localhost']; },
};
