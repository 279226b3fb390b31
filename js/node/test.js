// node:test, Node 20's test runner (nodejs.org/api/test.html) for the file it runs in:
// test/it, describe/suite, the hooks, subtests (t.test), skip/todo/only, timeouts,
// callback tests, mocks (js/internal/test-mock.js) and a TAP report on stdout, with
// process.exitCode 1 when a test failed. Only the name `node:test` loads it, as in Node.
//
// Tests run as Node runs them: top-level tests start once the main module's synchronous
// code is done, one at a time in the order they were declared (the `concurrency` option
// lets more run at once); a suite's body runs when describe() is called, its tests when
// its turn comes. Which test a test(), it() or hook call belongs to follows the
// asynchronous context (AsyncLocalStorage), as in Node. The summary is written when the
// app would end (process 'beforeExit'): tests still waiting then are cancelled.
import process from './process.js';
import { AsyncLocalStorage } from './async_hooks.js';
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType } from '../internal/node-errors.js';
import { inspect } from '../internal/inspect.js';
import * as realTimers from '../internal/timers.js';
import { MockTracker } from '../internal/test-mock.js';
import assertModule from './assert.js';

// What t.assert offers: node:assert's functions (not its classes or `strict`).
const ASSERT_NAMES = ['deepEqual', 'deepStrictEqual', 'doesNotMatch', 'doesNotReject', 'doesNotThrow', 'equal',
  'fail', 'ifError', 'match', 'notDeepEqual', 'notDeepStrictEqual', 'notEqual', 'notStrictEqual', 'rejects',
  'strictEqual', 'throws', 'ok'];

// Node's limit for options.timeout (a timer's longest delay, 2^31-1 ms).
const TIMEOUT_MAX = 2 ** 31 - 1;
// The largest options.concurrency (validateUint32).
const CONCURRENCY_MAX = 2 ** 32 - 1;
const HERE = import.meta.url;
const now = () => performance.now();

const storage = new AsyncLocalStorage();
const counts = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
let root = null;
let started = 0;
let reported = 0; // top-level tests written so far
let headerWritten = false;
let onlyWarned = false;

function write(text) { process.stdout.write(text); }

function failure(error, failureType, message) {
  const err = codedError(Error, 'ERR_TEST_FAILURE', message ?? (error && error.message) ?? String(error));
  err.failureType = failureType;
  err.cause = error;
  return err;
}

// Where a test was declared: the first frame of the stack outside this module.
function callSite() {
  const stack = new Error().stack.split('\n').slice(1);
  for (const line of stack) {
    if (line.includes(HERE) || line.includes('node/test.js')) continue;
    const m = /\(?((?:file:\/\/)?\/[^()\s]*):(\d+):(\d+)\)?\s*$/.exec(line);
    if (m) return `${m[1].replace(/^file:\/\//, '')}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'Object', options);
  const { timeout, concurrency } = options;
  if (timeout != null && timeout !== Infinity) {
    if (typeof timeout !== 'number') throw invalidArgType('options.timeout', 'number', timeout);
    if (!(timeout >= 0 && timeout <= TIMEOUT_MAX)) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "options.timeout" is out of range. It must be >= 0 && <= ${TIMEOUT_MAX}. Received ${inspect(timeout)}`);
    }
  }
  if (typeof concurrency === 'number') {
    if (!Number.isInteger(concurrency)) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "options.concurrency" is out of range. It must be an integer. Received ${inspect(concurrency)}`);
    }
    if (concurrency < 1 || concurrency > CONCURRENCY_MAX) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "options.concurrency" is out of range. It must be >= 1 && <= ${CONCURRENCY_MAX}. Received ${inspect(concurrency)}`);
    }
  } else if (concurrency != null && typeof concurrency !== 'boolean') {
    throw invalidArgType('options.concurrency', ['boolean', 'number'], concurrency);
  }
  if (options.signal !== undefined && (options.signal === null || typeof options.signal !== 'object' || !('aborted' in options.signal))) {
    throw invalidArgType('options.signal', 'AbortSignal', options.signal);
  }
}

// test(name?, options?, fn?) in any of its shapes.
function parseArgs(args) {
  let [name, options, fn] = args;
  if (typeof name === 'function') {
    fn = name;
    name = fn.name || '<anonymous>';
    options = {};
  } else if (name !== null && typeof name === 'object') {
    fn = options;
    options = name;
    name = typeof fn === 'function' && fn.name ? fn.name : '<anonymous>';
  } else {
    if (typeof options === 'function') {
      fn = options;
      options = {};
    }
    if (name === undefined) name = typeof fn === 'function' && fn.name ? fn.name : '<anonymous>';
  }
  options ??= {};
  checkOptions(options);
  if (fn !== undefined && typeof fn !== 'function') throw invalidArgType('fn', 'function', fn);
  return { name: String(name), options, fn: fn ?? (() => {}) };
}

function hookRunner(kind) {
  return function hook(fn, options = {}) {
    if (typeof fn !== 'function') throw invalidArgType('fn', 'function', fn);
    checkOptions(options);
    const owner = storage.getStore() ?? getRoot();
    owner.hooks[kind].push({ fn, timeout: options.timeout ?? Infinity, owner });
  };
}

// Runs fn(...args) as a test body or a hook: a returned promise or the done callback
// (when fn takes one more parameter than `args`), within `timeout` ms.
function invoke(fn, thisArg, args, timeout, context) {
  let timer;
  const body = new Promise((resolve, reject) => {
    if (fn.length > args.length) {
      let called = false;
      const done = (err) => {
        if (called) return;
        called = true;
        if (err) reject(err);
        else resolve();
      };
      const result = storage.run(context, () => Reflect.apply(fn, thisArg, [...args, done]));
      if (result && typeof result.then === 'function') {
        result.then(() => {}, () => {});
        reject(failure(null, 'callbackAndPromisePresent', 'passed a callback but also returned a Promise'));
      }
    } else {
      resolve(storage.run(context, () => Reflect.apply(fn, thisArg, args)));
    }
  });
  if (!(timeout < Infinity)) return body;
  const expired = new Promise((resolve, reject) => {
    // Unref'd as Node's: a test waiting on nothing else is cancelled rather than timed out.
    timer = realTimers.setTimeout(() => reject(failure(null, 'testTimeoutFailure', `test timed out after ${timeout}ms`)), timeout);
    timer.unref();
  });
  return Promise.race([body, expired]).finally(() => realTimers.clearTimeout(timer));
}

class SuiteContext {
  #test;
  constructor(test) { this.#test = test; }
  get name() { return this.#test.name; }
  get signal() { return this.#test.controller.signal; }
  get filePath() { return process.argv[1]; }
  get fullName() { return this.#test.fullName; }
}

class TestContext {
  #test;
  constructor(test) { this.#test = test; }
  get name() { return this.#test.name; }
  get fullName() { return this.#test.fullName; }
  get filePath() { return process.argv[1]; }
  get signal() { return this.#test.controller.signal; }
  get mock() { return (this.#test.mock ??= new MockTracker()); }
  get assert() {
    const test = this.#test;
    if (!test.assert) {
      // Each call counts toward t.plan().
      test.assert = {};
      for (const name of ASSERT_NAMES) {
        const fn = assertModule[name];
        test.assert[name] = function (...args) {
          test.assertions++;
          return Reflect.apply(fn, this, args);
        };
      }
    }
    return test.assert;
  }

  plan(count) {
    if (typeof count !== 'number') throw invalidArgType('count', 'number', count);
    if (!Number.isInteger(count) || count < 1) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "count" is out of range. It must be >= 1 && <= ${Number.MAX_SAFE_INTEGER}. Received ${count}`);
    }
    if (this.#test.planned !== undefined) throw codedError(Error, 'ERR_TEST_FAILURE', 'cannot set plan more than once');
    this.#test.planned = count;
  }
  diagnostic(message) { this.#test.diagnostics.push(String(message)); }
  skip(message) { this.#test.skipReason = message === undefined ? '' : String(message); }
  todo(message) { this.#test.todoReason = message === undefined ? '' : String(message); }
  runOnly() {}
  test(...args) { return this.#test.subtest(Test, args); }
  before(fn, options) { this.#hook('before', fn, options); }
  after(fn, options) { this.#hook('after', fn, options); }
  beforeEach(fn, options) { this.#hook('beforeEach', fn, options); }
  afterEach(fn, options) { this.#hook('afterEach', fn, options); }
  #hook(kind, fn, options = {}) {
    if (typeof fn !== 'function') throw invalidArgType('fn', 'function', fn);
    checkOptions(options);
    this.#test.hooks[kind].push({ fn, timeout: options.timeout ?? Infinity, owner: this.#test });
  }
}

class Test {
  constructor(parent, name, options, fn) {
    this.parent = parent;
    this.name = name;
    this.fn = fn;
    this.nesting = parent ? parent.nesting + 1 : -1;
    this.location = callSite();
    this.timeout = options.timeout ?? Infinity;
    const { concurrency } = options;
    this.concurrency = concurrency === true ? Infinity : typeof concurrency === 'number' ? concurrency : 1;
    this.skipReason = options.skip ? (typeof options.skip === 'string' ? options.skip : '') : undefined;
    this.todoReason = options.todo ? (typeof options.todo === 'string' ? options.todo : '') : undefined;
    this.staticSkip = this.skipReason !== undefined;
    this.controller = new AbortController();
    if (options.signal) {
      const outer = options.signal;
      if (outer.aborted) this.controller.abort(outer.reason);
      else outer.addEventListener('abort', () => this.controller.abort(outer.reason), { once: true });
    }
    this.hooks = { before: [], after: [], beforeEach: [], afterEach: [] };
    this.subtests = [];
    this.queue = [];
    this.active = 0;
    this.running = false;
    this.finished = false;
    this.error = null;
    this.diagnostics = [];
    this.mock = undefined;
    this.assert = undefined;
    this.assertions = 0; // t.assert calls, for t.plan()
    this.planned = undefined;
    this.lines = null; // the report, once finished
    this.context = new TestContext(this);
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
    if (options.only && !onlyWarned) {
      onlyWarned = true;
      getRoot().diagnostics.push("'only' and 'runOnly' require the --test-only command-line option.");
    }
  }

  get fullName() {
    const names = [];
    for (let t = this; t && t.parent; t = t.parent) names.unshift(t.name);
    return names.join(' > ');
  }

  get isSuite() { return false; }

  /** Declares a test of kind `Kind` under this one; its promise settles when it ends. */
  subtest(Kind, args) {
    const { name, options, fn } = parseArgs(args);
    const child = new Kind(this, name, options, fn);
    this.subtests.push(child);
    if (this.finished) {
      child.fail(failure(null, 'parentAlreadyFinished', 'test could not be started because its parent finished'));
      child.finish();
    } else {
      this.queue.push(child);
      this.pump();
    }
    return child.done.then(() => undefined);
  }

  // Starts queued subtests while fewer than `concurrency` run (only once this test runs).
  pump() {
    if (!this.running) return;
    while (this.queue.length > 0 && this.active < this.concurrency) {
      const child = this.queue.shift();
      this.active++;
      child.start().then(() => {
        this.active--;
        this.onChildDone(child);
        this.pump();
      });
    }
  }

  onChildDone() {}

  fail(error) {
    if (this.error === null) this.error = error;
  }

  // The beforeEach hooks of the ancestors (outermost first), or their afterEach hooks
  // (innermost first), run for this test.
  async runEachHooks(kind) {
    const owners = [];
    for (let t = this.parent; t; t = t.parent) owners.unshift(t);
    if (kind === 'afterEach') owners.reverse();
    for (const owner of owners) {
      for (const hook of owner.hooks[kind]) await this.runHook(hook, this.context);
    }
  }

  async runHook(hook, context) {
    try {
      await invoke(hook.fn, undefined, [context], hook.timeout, hook.owner);
    } catch (err) {
      this.fail(err && err.failureType ? err : failure(err, 'hookFailed'));
      throw err;
    }
  }

  async runOwnHooks(kind, context) {
    for (const hook of this.hooks[kind]) await this.runHook(hook, context);
  }

  async start() {
    started++;
    this.startTime = now();
    if (this.staticSkip) return this.finish();
    this.running = true;
    try {
      // A test's own before hooks (t.before) run before its first subtest.
      const { parent } = this;
      if (parent !== root && !parent.isSuite) {
        parent.beforeRan ??= parent.runOwnHooks('before', parent.context).then(() => true, () => false);
        if (!(await parent.beforeRan)) throw failure(parent.error, 'hookFailed', 'failed running before hook');
      }
      await this.runEachHooks('beforeEach');
      if (this.error === null) await this.body();
    } catch (err) {
      this.fail(err && err.failureType ? err : failure(err, 'testCodeFailure'));
    }
    await this.waitForSubtests();
    // As Node: the ancestors' afterEach hooks, then the test's own after hooks.
    try {
      await this.runEachHooks('afterEach');
    } catch {}
    try {
      await this.runOwnHooks('after', this.context);
    } catch {}
    return this.finish();
  }

  async body() {
    await invoke(this.fn, this.context, [this.context], this.timeout, this);
  }

  async waitForSubtests() {
    // Subtests declared while others were waiting join the end of the list.
    for (let i = 0; i < this.subtests.length; i++) await this.subtests[i].done;
  }

  finish() {
    if (this.finished) return this.done;
    this.finished = true;
    this.running = false;
    this.duration = now() - (this.startTime ?? now());
    this.mock?.reset();
    if (this.error === null && this.planned !== undefined) {
      // A plan counts the test's t.assert calls and its subtests.
      const received = this.assertions + this.subtests.length;
      if (received !== this.planned) {
        this.fail(failure(null, 'testCodeFailure', `plan expected ${this.planned} assertions but received ${received}`));
      }
    }
    if (this.error === null) {
      const failed = this.subtests.filter((t) => t.error !== null && t.todoReason === undefined).length;
      if (failed > 0) {
        this.fail(failure(null, 'subtestsFailed', `${failed} subtest${failed === 1 ? '' : 's'} failed`));
      }
    }
    this.controller.abort();
    this.count();
    this.lines = this.report();
    this.resolveDone(this);
    if (this.parent === root) flushRoot();
    return this.done;
  }

  count() {
    // Suites are counted apart: pass, fail and the rest count tests only.
    if (this.isSuite) {
      counts.suites++;
      return;
    }
    counts.tests++;
    // Node counts a test ended by its timeout as cancelled, not failed.
    const type = this.error && this.error.failureType;
    if (type === 'cancelledByParent' || type === 'testTimeoutFailure') counts.cancelled++;
    else if (this.skipReason !== undefined) counts.skipped++;
    else if (this.todoReason !== undefined) counts.todo++;
    else if (this.error) counts.fail++;
    else counts.pass++;
  }

  // This test's TAP lines (unindented; the parent indents them): its subtests, plan,
  // result line, YAML block and diagnostics.
  report() {
    const lines = [`# Subtest: ${this.name}`];
    this.subtests.forEach((child, i) => {
      for (const line of child.resultLines(i + 1).join('\n').split('\n')) lines.push(`    ${line}`);
    });
    if (this.subtests.length > 0) lines.push(`    1..${this.subtests.length}`);
    return lines;
  }

  resultLines(number) {
    const lines = [...this.lines];
    let directive = '';
    if (this.skipReason !== undefined) directive = ` # SKIP${this.skipReason ? ` ${escape(this.skipReason)}` : ''}`;
    else if (this.todoReason !== undefined) directive = ` # TODO${this.todoReason ? ` ${escape(this.todoReason)}` : ''}`;
    lines.push(`${this.error ? 'not ok' : 'ok'} ${number} - ${escape(this.name)}${directive}`);
    lines.push('  ---');
    lines.push(`  duration_ms: ${roundMs(this.duration)}`);
    if (this.isSuite) lines.push("  type: 'suite'");
    if (this.error) lines.push(...errorYaml(this.error, this.location));
    lines.push('  ...');
    for (const d of this.diagnostics) lines.push(`# ${d}`);
    return lines;
  }
}

class Suite extends Test {
  constructor(parent, name, options, fn) {
    super(parent, name, options, fn);
    this.suiteContext = new SuiteContext(this);
    if (this.staticSkip) {
      this.built = Promise.resolve();
      return;
    }
    try {
      const result = storage.run(this, () => Reflect.apply(fn, this.suiteContext, [this.suiteContext]));
      this.built = Promise.resolve(result).catch((err) => this.fail(failure(err, 'testCodeFailure')));
    } catch (err) {
      this.fail(failure(err, 'testCodeFailure'));
      this.built = Promise.resolve();
    }
  }

  get isSuite() { return true; }

  async start() {
    started++;
    this.startTime = now();
    if (this.staticSkip) {
      for (const child of this.subtests) child.skipReason ??= '';
      return this.finish();
    }
    await this.built;
    if (this.error === null) {
      try {
        await this.runOwnHooks('before', this.suiteContext);
      } catch {}
    }
    if (this.error !== null) {
      // The suite's tests do not run after its body or its before hook failed.
      for (const child of this.queue) {
        child.fail(failure(null, 'cancelledByParent', 'test did not finish before its parent and was cancelled'));
        child.finish();
      }
      this.queue = [];
    }
    this.running = true;
    this.pump();
    await this.waitForSubtests();
    try {
      await this.runOwnHooks('after', this.suiteContext);
    } catch {}
    return this.finish();
  }
}

class RootTest extends Test {
  constructor() {
    super(null, '<root>', {}, () => {});
    this.afterRan = false;
  }

  onChildDone() {
    if (this.queue.length > 0 || this.active > 0) return;
    // The root's after hooks run once no test is left, checked again after the
    // immediates so that tests declared from timers of those finishing still count.
    realTimers.setImmediate(() => {
      if (this.queue.length > 0 || this.active > 0 || this.afterRan) return;
      this.afterRan = true;
      this.runOwnHooks('after', this.context).catch((err) => rootFailure(err));
    });
  }
}

function getRoot() {
  if (root !== null) return root;
  root = new RootTest();
  process.on('beforeExit', summary);
  process.on('uncaughtException', (err) => {
    const test = storage.getStore();
    if (test && test !== root && !test.finished) test.fail(failure(err, 'uncaughtException'));
    else rootFailure(err);
  });
  // The top-level tests start once the main module has run its synchronous code, after
  // the root's before hooks.
  process.nextTick(async () => {
    try {
      await root.runOwnHooks('before', root.context);
    } catch (err) {
      rootFailure(err);
    }
    root.running = true;
    root.pump();
  });
  return root;
}

function rootFailure(err) {
  counts.fail++;
  const text = err && err.stack ? err.stack : String(err);
  header();
  for (const line of `Error: ${text}`.split('\n')) write(`# ${line}\n`);
}

function header() {
  if (!headerWritten) {
    headerWritten = true;
    write('TAP version 13\n');
  }
}

// Writes the top-level tests that have finished, in the order they were declared.
function flushRoot() {
  while (reported < root.subtests.length && root.subtests[reported].finished) {
    header();
    const test = root.subtests[reported];
    reported++;
    write(`${test.resultLines(reported).join('\n')}\n`);
  }
}

function cancelPending(test) {
  for (const child of test.subtests) cancelPending(child);
  if (!test.finished && test !== root) {
    test.fail(failure(null, 'cancelledByParent', 'Promise resolution is still pending but the event loop has already resolved'));
    test.finish();
  }
}

function summary() {
  if (root === null || root.summarized) return;
  cancelPending(root);
  flushRoot();
  root.summarized = true;
  header();
  write(`${root.diagnostics.map((d) => `# ${d}\n`).join('')}1..${root.subtests.length}\n`);
  const duration = roundMs(now());
  write(`# tests ${counts.tests}\n# suites ${counts.suites}\n# pass ${counts.pass}\n# fail ${counts.fail}\n` +
    `# cancelled ${counts.cancelled}\n# skipped ${counts.skipped}\n# todo ${counts.todo}\n# duration_ms ${duration}\n`);
  if (counts.fail > 0 || counts.cancelled > 0) process.exitCode = 1;
}

function roundMs(ms) { return Math.round(ms * 1e6) / 1e6; }

// A test name or directive in a TAP line: '#' and '\' escaped, line breaks written out.
function escape(text) {
  return String(text).replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

// A YAML value, written right after its key's colon (a mapping starts on the next line).
function yamlValue(value, indent) {
  const space = ' ';
  if (typeof value === 'string') {
    if (value.includes('\n')) return `${space}|-\n${value.split('\n').map((l) => `${indent}  ${l}`).join('\n')}`;
    return `${space}'${value.replace(/'/g, "''")}'`;
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    // A mapping, one key a line, as Node's reporter writes an assertion's expected object.
    return `\n${Object.entries(value).map(([k, v]) => `${indent}  ${k}:${yamlValue(v, `${indent}  `)}`).join('\n')}`;
  }
  const shown = inspect(value, { depth: 3, breakLength: Infinity });
  return shown.includes('\n') ? `${space}|-\n${shown.split('\n').map((l) => `${indent}  ${l}`).join('\n')}` : `${space}${shown}`;
}

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function errorYaml(error, location) {
  const lines = [];
  if (location) lines.push(`  location:${yamlValue(location, '  ')}`);
  lines.push(`  failureType: '${error.failureType ?? 'testCodeFailure'}'`);
  const cause = error.cause ?? null;
  const shown = cause !== null && cause !== undefined ? cause : error;
  const message = shown instanceof Error ? shown.message : inspect(shown);
  lines.push(`  error:${yamlValue(message, '  ')}`);
  lines.push(`  code: '${(shown && shown.code) || 'ERR_TEST_FAILURE'}'`);
  if (shown instanceof Error && shown.name !== 'Error') lines.push(`  name:${yamlValue(shown.name, '  ')}`);
  if (shown && shown.name === 'AssertionError') {
    lines.push(`  expected:${yamlValue(shown.expected, '  ')}`);
    lines.push(`  actual:${yamlValue(shown.actual, '  ')}`);
    lines.push(`  operator:${yamlValue(shown.operator, '  ')}`);
  }
  if (shown !== error && shown instanceof Error && typeof shown.stack === 'string') {
    // The test's own frames: those of the runtime's modules (the runner, assert) are left out.
    const frames = shown.stack.split('\n').filter((l) => /^\s+at /.test(l) && !l.includes('rtjs:'))
      .map((l) => l.replace(/^\s+at /, ''));
    if (frames.length > 0) lines.push(`  stack: |-\n${frames.map((f) => `    ${f}`).join('\n')}`);
  }
  return lines;
}

function declare(Kind, args, overrides) {
  const parent = storage.getStore() ?? getRoot();
  const parsed = [...args];
  if (overrides) {
    // test.skip(name, options, fn) and the like: the shorthand's option wins.
    const { name, options, fn } = parseArgs(parsed);
    return parent.subtest(Kind, [name, { ...options, ...overrides }, fn]);
  }
  return parent.subtest(Kind, parsed);
}

export function test(...args) { return declare(Test, args); }
export function describe(...args) {
  declare(Suite, args);
  return Promise.resolve();
}
test.skip = (...args) => declare(Test, args, { skip: true });
test.todo = (...args) => declare(Test, args, { todo: true });
test.only = (...args) => declare(Test, args, { only: true });
describe.skip = (...args) => describe.call(null, ...withOption(args, { skip: true }));
describe.todo = (...args) => describe.call(null, ...withOption(args, { todo: true }));
describe.only = (...args) => describe.call(null, ...withOption(args, { only: true }));

function withOption(args, extra) {
  const { name, options, fn } = parseArgs(args);
  return [name, { ...options, ...extra }, fn];
}

export const it = test;
export const suite = describe;
export const before = hookRunner('before');
export const after = hookRunner('after');
export const beforeEach = hookRunner('beforeEach');
export const afterEach = hookRunner('afterEach');
export const mock = new MockTracker();

/** run() starts test files in processes of their own, which rtjs does not do. */
export function run() {
  throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
    'node:test run() is not supported on rtjs: it runs files in child processes; run each test file as an app');
}

Object.assign(test, { test, it, describe, suite, before, after, beforeEach, afterEach, mock, run });
export default test;
