// Results, counts and the status Node's runner gives: passing, failing, skipped and todo
// tests, suites, subtests, callback tests and diagnostics. The order the test bodies run
// in goes to stderr (the report goes to stdout).
const { test, describe, it } = require('node:test');
const assert = require('node:assert');

const log = (text) => process.stderr.write(`${text}\n`);
log('declared first');
test('passes', (t) => {
  log('passes runs');
  t.diagnostic('a note');
});
log('declared second');
test('subtests', async (t) => {
  await t.test('awaited', () => log('awaited runs'));
  t.test('not awaited', () => log('not awaited runs'));
});
test('skipped by option', { skip: 'not here' }, () => log('never'));
test.skip('skipped by shorthand', () => log('never'));
test('skipped at run time', (t) => {
  t.skip('found out late');
  log('skipped at run time still runs');
});
test('todo fails', { todo: 'later' }, () => {
  throw new Error('not yet');
});
test.todo('todo passes');
test('fails', () => {
  assert.strictEqual(1 + 1, 3);
});
test('rejects', async () => {
  throw new TypeError('bad type');
});
test('callback', (t, done) => {
  setTimeout(() => {
    log('callback done');
    done();
  }, 5);
});
test('callback with error', (t, done) => {
  setImmediate(() => done(new RangeError('out')));
});
describe('suite', () => {
  log('suite body runs');
  it('one', () => log('one runs'));
  it('two fails', () => {
    throw new Error('two');
  });
  describe('inner', () => {
    it('deep', () => log('deep runs'));
  });
  it.todo('todo in suite');
});
describe.skip('skipped suite', () => {
  it('never', () => log('never'));
});
test('timeout', { timeout: 30 }, (t) => new Promise((resolve) => {
  const timer = setTimeout(resolve, 60000);
  t.signal.addEventListener('abort', () => clearTimeout(timer));
}));
test('returns before its subtest fails', async (t) => {
  await t.test('inner fails', () => {
    throw new Error('inner');
  });
});
test({ skip: true });
test(function named() {});
log('declared all');
