'use strict';
// Paths into Node's test/fixtures (next to test/common in the checkout the oracle runs).
const path = require('path');

const fixturesDir = path.join(__dirname, '..', 'fixtures');
module.exports = {
  fixturesDir,
  path: (...parts) => path.join(fixturesDir, ...parts),
  fileURL: (...parts) => require('url').pathToFileURL(path.join(fixturesDir, ...parts)),
  readSync: (parts, encoding) => require('fs').readFileSync(path.join(fixturesDir, ...[].concat(parts)), encoding),
  readKey: (name, encoding) => require('fs').readFileSync(path.join(fixturesDir, 'keys', name), encoding),
};
