// ES modules: static imports (with a cycle), dynamic import(), import.meta, errors.
import { test, assertEqual, assertMatch } from './harness.js';
import { a, callB } from './fixtures/modules/a.js';
import { b } from './fixtures/modules/b.js';
import { viaParent } from './fixtures/modules/nested/deep.js';

test('static imports resolve relative to the importing file, cycles included', () => {
  assertEqual([a, b, callB(), viaParent], ['a', 'b', 'ba', 'a']);
});

test('dynamic import() loads, evaluates and caches a module', async () => {
  const m1 = await import('./fixtures/modules/lazy.js');
  const m2 = await import('./fixtures/modules/lazy.js');
  assertEqual(m1.default('rtjs'), 'hello rtjs');
  assertEqual(m1 === m2, true, 'the same namespace both times');
  assertMatch(m1.url, /^file:\/\/.*\/tests\/js\/fixtures\/modules\/lazy\.js$/);
});

test('import.meta.url names this file', () => {
  assertMatch(import.meta.url, /^file:\/\/\/.*\/modules\.test\.js$/);
});

test('importing a missing file rejects with the path', async () => {
  try {
    await import('./fixtures/modules/does-not-exist.js');
    throw new Error('import succeeded');
  } catch (err) {
    assertEqual(err.code, 'ERR_MODULE_NOT_FOUND');
    assertMatch(err.message, /^Cannot find module '.*\/does-not-exist\.js' imported from .*\/modules\.test\.js$/);
  }
});

test('a module that throws while evaluating rejects the import with its error', async () => {
  try {
    await import('./fixtures/modules/throws.js');
    throw new Error('import succeeded');
  } catch (err) {
    assertEqual(err.message, 'evaluating throws.js failed');
  }
});

test('a syntax error in a statically imported file rejects import() naming both files', async () => {
  try {
    await import('./fixtures/modules/imports-bad.js');
    throw new Error('import succeeded');
  } catch (err) {
    assertEqual(err.name, 'SyntaxError');
    assertMatch(err.message, /^Unexpected token ';' \(imported from .*\/fixtures\/modules\/imports-bad\.js\)$/);
  }
});

test('a syntax error in the file import() names rejects naming the importer', async () => {
  try {
    await import('./fixtures/modules/bad-syntax.js');
    throw new Error('import succeeded');
  } catch (err) {
    assertEqual(err.name, 'SyntaxError');
    assertMatch(err.message, /\(imported from .*\/modules\.test\.js\)$/);
  }
});

test('a package that no node_modules holds is ERR_MODULE_NOT_FOUND naming the importer', async () => {
  try {
    await import('no-such-package-anywhere');
    throw new Error('import succeeded');
  } catch (err) {
    assertEqual(err.code, 'ERR_MODULE_NOT_FOUND');
    assertMatch(err.message, /^Cannot find package 'no-such-package-anywhere' imported from .*\/modules\.test\.js$/);
  }
});

test("the runtime's internal modules are not importable by apps", async () => {
  for (const spec of ['rtjs:binding', 'rtjs:internal/timers.js']) {
    try {
      await import(spec);
      throw new Error(`import of ${spec} succeeded`);
    } catch (err) {
      assertMatch(err.message, /internal to the runtime/);
    }
  }
});
