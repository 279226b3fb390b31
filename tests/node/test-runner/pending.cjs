// A test whose promise never settles is cancelled when nothing else is left to run, and
// the tests after it with it; the status is 1.
const { test } = require('node:test');

test('before it', () => {});
test('never settles', () => new Promise(() => {}));
test('after it', () => {});
