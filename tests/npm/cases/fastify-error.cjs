// @fastify/error's own test suite, as the package ships it, on node:test (test, t.plan,
// t.assert): its TAP report without the durations, which differ from run to run.
// test/instanceof.test.js is left out: it forks a child process.
const { join } = require('node:path');

const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) =>
  write(String(chunk).split('\n').filter((line) => !line.includes('duration_ms')).join('\n'), ...rest);
const tests = join(__dirname, '..', 'node_modules', '@fastify', 'error', 'test');
require(join(tests, 'index.test.js'));
require(join(tests, 'rfc9457.test.js'));
