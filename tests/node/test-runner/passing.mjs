// Every test passes: status 0. Options are checked as Node checks them.
import test, { it, describe, suite } from 'node:test';
import assert from 'node:assert';
import { createRequire } from 'node:module';

test('aliases', () => {
  assert.strictEqual(test.test, test);
  assert.strictEqual(test.it, it);
  assert.strictEqual(describe, suite);
  assert.strictEqual(typeof test.mock.fn, 'function');
});

test('only node:test names the runner', () => {
  const require = createRequire(import.meta.url);
  assert.strictEqual(require('node:test'), test);
  assert.throws(() => require('test'), { code: 'MODULE_NOT_FOUND' });
});

test('option checks', () => {
  assert.throws(() => test({ timeout: '1' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => test({ timeout: -1 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => test({ concurrency: 0 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => test({ concurrency: 'x' }), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('a context knows its name and signal', async (t) => {
  assert.strictEqual(t.name, 'a context knows its name and signal');
  assert.strictEqual(t.signal.aborted, false);
  let inner;
  await t.test('child', (c) => { inner = c; });
  assert.strictEqual(inner.signal.aborted, true);
});

describe('concurrency', { concurrency: 2 }, () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  it('waits for the next', () => gate);
  it('runs beside the first', () => release());
});
