// The order hooks run in: the root's before/after and beforeEach/afterEach, a suite's
// own, nested suites' (beforeEach outermost first, afterEach innermost first), a test's
// own t.before/t.after/t.beforeEach for its subtests, and hooks taking a callback.
import { test, describe, it, before, after, beforeEach, afterEach } from 'node:test';

const log = (text) => process.stderr.write(`${text}\n`);
before(() => log('root before'));
after(() => log('root after'));
beforeEach((t) => log(`root beforeEach ${t.name}`));
afterEach((t) => log(`root afterEach ${t.name}`));

test('first', () => log('first runs'));

describe('outer', () => {
  before(() => log('outer before'));
  after((t, done) => {
    log('outer after (callback)');
    setImmediate(done);
  });
  beforeEach((t) => log(`outer beforeEach ${t.name}`));
  afterEach(async (t) => {
    await null;
    log(`outer afterEach ${t.name}`);
  });
  it('a', () => log('a runs'));
  describe('inner', () => {
    beforeEach((t) => log(`inner beforeEach ${t.name}`));
    afterEach((t) => log(`inner afterEach ${t.name}`));
    it('b', () => log('b runs'));
  });
});

test('with subtests', async (t) => {
  t.before(() => log('t.before'));
  t.beforeEach((t2) => log(`t.beforeEach ${t2.name}`));
  t.afterEach((t2) => log(`t.afterEach ${t2.name}`));
  t.after(() => log('t.after'));
  await t.test('sub 1', () => log('sub 1 runs'));
  await t.test('sub 2', () => log('sub 2 runs'));
});

describe('before fails', () => {
  before(() => {
    throw new Error('setup broke');
  });
  it('not run', () => log('never'));
});

test('beforeEach of a suite does not reach a later test', () => log('last runs'));
