'use strict';
// Node's test/common/tmpdir: a scratch directory the test may fill (under the host's temporary
// directory in Node, under /tmp, tmpfs, in rtjs).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');

const tmpPath = path.join(os.tmpdir(), `.node-test.${process.pid}`);

function refresh() {
  fs.rmSync(tmpPath, { recursive: true, force: true });
  fs.mkdirSync(tmpPath, { recursive: true });
  if (typeof process.on === 'function' && !process.env.NODE_TEST_KEEP_TMPDIR) {
    process.on('exit', () => { try { fs.rmSync(tmpPath, { recursive: true, force: true }); } catch {} });
  }
}

module.exports = {
  path: tmpPath,
  refresh,
  resolve: (...parts) => path.resolve(tmpPath, ...parts),
  fileURL: (...parts) => pathToFileURL(path.join(tmpPath, ...parts)),
  hasEnoughSpace: () => true,
};
