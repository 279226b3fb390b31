// The JavaScript test harness: runs inside rtjs-sim (and under Node, to compare).
//   test(name, fn)        registers a test; fn may be async
//   assertEqual(a, b, m)  deep strict equality, failing with what differed
//   assertMatch(s, re, m) s must match re
//   assertThrows(fn, re)  fn must throw an error whose "name: message" matches re
//   rejection(promise)    the error `promise` rejects with (fails if it resolves)
// Tests run one after another once the test file has been evaluated; the last line is
// "N passed, N failed" and the exit status is 1 if any failed. A file whose event loop runs
// dry first (a test awaiting a promise nothing will settle, or no test registered) ends with
// "ended without its summary line: ..." naming what was left, and status 1.
import { inspect } from '../../js/internal/inspect.js';

const tests = [];
let scheduled = false;
let finished = 0; // tests that have settled
let running = null; // the name of the test being awaited
let summarised = false;

const exit = (code) => (globalThis.rt ? globalThis.rt.exit(code) : globalThis.process.exit(code));

export function test(name, fn) {
  tests.push({ name, fn });
  if (!scheduled) {
    scheduled = true;
    setTimeout(runAll, 0);
  }
}

function isObject(v) { return typeof v === 'object' && v !== null; }

function deepEqual(a, b, seen = new Map()) {
  if (Object.is(a, b)) return true;
  if (!isObject(a) || !isObject(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (a instanceof Map || a instanceof Set) {
    if (a.size !== b.size) return false;
    const bEntries = [...b];
    return [...a].every((entry, i) => deepEqual(entry, bEntries[i], seen));
  }
  if (ArrayBuffer.isView(a)) {
    return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k], seen));
}

export function assertEqual(actual, expected, message = 'values differ') {
  if (!deepEqual(actual, expected)) {
    throw new Error(`${message}\n    expected: ${inspect(expected)}\n    actual:   ${inspect(actual)}`);
  }
}

export function assertMatch(string, regexp, message = 'no match') {
  if (typeof string !== 'string' || !regexp.test(string)) {
    throw new Error(`${message}\n    expected to match: ${regexp}\n    actual: ${inspect(string)}`);
  }
}

/** The error `promise` rejects with; throws if it resolves. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

export function assertThrows(fn, regexp, message = 'expected an exception') {
  try {
    fn();
  } catch (err) {
    const text = `${err && err.name}: ${err && err.message}`;
    if (regexp && !regexp.test(text)) throw new Error(`${message}\n    thrown: ${text}\n    expected to match: ${regexp}`);
    return err;
  }
  throw new Error(`${message}: nothing was thrown`);
}

// The app ends by itself when nothing is left to run: the exit event says what never finished.
globalThis.process.on('exit', () => {
  if (summarised) return;
  const what = tests.length === 0 ? 'no test registered'
    : `${tests.length - finished} pending${running === null ? '' : `, '${running}' never settled`}`;
  console.log(`ended without its summary line: ${what}`);
  globalThis.process.exitCode = 1;
});

async function runAll() {
  let failed = 0;
  for (const { name, fn } of tests) {
    running = name;
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (err) {
      failed++;
      console.log(`FAIL - ${name}\n  ${err && err.stack ? err.stack : inspect(err)}`);
    }
    finished++;
  }
  running = null;
  summarised = true;
  console.log(`${tests.length - failed} passed, ${failed} failed`);
  exit(failed ? 1 : 0);
}
