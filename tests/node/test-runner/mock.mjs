// mock.fn, mock.method, mock.getter/setter: recorded calls, implementations, `times`,
// restoring, t.mock's mocks restored after their test. Results go to stdout as TAP.
import { test, mock } from 'node:test';
import assert from 'node:assert';

test('mock.fn records calls', () => {
  const fn = mock.fn((a, b) => a + b);
  assert.strictEqual(fn(1, 2), 3);
  assert.strictEqual(fn.call('self', 3, 4), 7);
  assert.strictEqual(fn.mock.callCount(), 2);
  assert.deepStrictEqual(fn.mock.calls[1].arguments, [3, 4]);
  assert.strictEqual(fn.mock.calls[1].result, 7);
  assert.strictEqual(fn.mock.calls[1].this, 'self');
  assert.strictEqual(fn.mock.calls[0].target, undefined);
  assert.ok(fn.mock.calls[0].stack instanceof Error);
  fn.mock.resetCalls();
  assert.strictEqual(fn.mock.callCount(), 0);
});

test('mock.fn records errors and constructions', () => {
  const boom = new Error('boom');
  const fn = mock.fn(() => { throw boom; });
  assert.throws(() => fn(), boom);
  assert.strictEqual(fn.mock.calls[0].error, boom);
  assert.strictEqual(fn.mock.calls[0].result, undefined);
  class Point { constructor(x) { this.x = x; } }
  const P = mock.fn(Point);
  const p = new P(5);
  assert.strictEqual(p.x, 5);
  assert.ok(p instanceof Point);
  assert.strictEqual(P.mock.calls[0].this, p);
  assert.strictEqual(P.mock.calls[0].target, Point);
});

test('implementations: once, on a call number, times, and a default no-op', () => {
  const noop = mock.fn();
  assert.strictEqual(noop(1), undefined);
  const fn = mock.fn(() => 'original', () => 'mocked', { times: 2 });
  assert.deepStrictEqual([fn(), fn(), fn()], ['mocked', 'mocked', 'original']);
  const g = mock.fn(() => 'a');
  g.mock.mockImplementationOnce(() => 'once');
  g.mock.mockImplementationOnce(() => 'third', 2);
  assert.deepStrictEqual([g(), g(), g(), g()], ['once', 'a', 'third', 'a']);
  g.mock.mockImplementation(() => 'b');
  assert.strictEqual(g(), 'b');
  assert.throws(() => g.mock.mockImplementationOnce(() => 1, 1), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => mock.fn('x'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => mock.fn(() => {}, { times: 0 }), { code: 'ERR_OUT_OF_RANGE' });
});

test('mock.method replaces and restores, on the object or its prototype', () => {
  const obj = { base: 10, add(n) { return this.base + n; } };
  const m = mock.method(obj, 'add', function (n) { return this.base * n; });
  assert.strictEqual(obj.add(3), 30);
  assert.strictEqual(m.mock.calls[0].this, obj);
  assert.strictEqual(obj.add.mock.callCount(), 1);
  m.mock.restore();
  assert.strictEqual(obj.add(3), 13);
  class Base { greet() { return 'hi'; } }
  const b = new Base();
  const spy = mock.method(b, 'greet');
  assert.strictEqual(b.greet(), 'hi');
  assert.strictEqual(spy.mock.callCount(), 1);
  assert.ok(Object.hasOwn(b, 'greet'));
  spy.mock.restore();
  assert.strictEqual(b.greet(), 'hi');
  assert.strictEqual(b.greet.mock, undefined);
  assert.throws(() => mock.method(obj, 'base'), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => mock.method(obj, 'missing'), { code: 'ERR_INVALID_ARG_VALUE' });
});

test('getters and setters', () => {
  let stored = 0;
  const obj = {
    get value() { return stored; },
    set value(v) { stored = v; },
  };
  const g = mock.getter(obj, 'value', () => 42);
  assert.strictEqual(obj.value, 42);
  assert.strictEqual(g.mock.callCount(), 1);
  mock.restoreAll();
  assert.strictEqual(obj.value, 0);
  const s = mock.setter(obj, 'value', function (v) { stored = v * 2; });
  obj.value = 5;
  assert.strictEqual(stored, 10);
  assert.deepStrictEqual(s.mock.calls[0].arguments, [5]);
  s.mock.restore();
  obj.value = 5;
  assert.strictEqual(obj.value, 5);
});

const shared = { now() { return 'real'; } };
test('t.mock is restored when its test ends', (t) => {
  t.mock.method(shared, 'now', () => 'mocked');
  assert.strictEqual(shared.now(), 'mocked');
});
test('after the test that mocked it', () => {
  assert.strictEqual(shared.now(), 'real');
});
