// Node's module system: node_modules lookup, package.json main/exports/imports/type,
// conditions, CommonJS (require, module, exports, cycles, require.cache, createRequire),
// CommonJS imported from ES modules (default plus the names cjs-module-lexer finds),
// JSON modules, import.meta, and Node's error codes. fixtures/pkgs/expected.json is what
// `node --no-experimental-require-module fixtures/pkgs/entry.mjs` prints, except that
// rtjs matches its own "rtjs" export condition before "node".
import { test, assertEqual, assertMatch } from './harness.js';
import { result } from './fixtures/pkgs/entry.mjs';
import expected from './fixtures/pkgs/expected.json' with { type: 'json' };

for (const key of Object.keys(expected)) {
  test(`modules as Node resolves and runs them: ${key}`, () => {
    assertEqual(JSON.parse(JSON.stringify(result[key])), expected[key]);
  });
}

test('built-in modules load under node: and bare names, with default and named exports', async () => {
  const path = await import('node:path');
  const bare = await import('path');
  assertEqual(path === bare, true, 'one module for both names');
  assertEqual(path.default.join('/a/b', '../c'), '/a/c');
  assertEqual(path.basename('/x/y.js', '.js'), 'y');
});

test('process is a global with argv, env, platform, hrtime and nextTick', async () => {
  assertEqual(process.platform, 'linux');
  assertMatch(process.argv[1], /\/node-modules\.test\.js$/);
  assertEqual(typeof process.env, 'object');
  const [s, ns] = process.hrtime();
  assertEqual(Number.isInteger(s) && Number.isInteger(ns) && ns < 1e9, true);
  assertEqual(typeof process.hrtime.bigint(), 'bigint');
  const order = [];
  await new Promise((resolve) => {
    process.nextTick(() => order.push('tick'));
    setTimeout(() => { order.push('timer'); resolve(); }, 0);
  });
  assertEqual(order, ['tick', 'timer']);
  assertEqual(process.memoryUsage().heapUsed > 0, true);
});

test('node:net and node:https in an app granted no network: EACCES naming the app', async () => {
  const net = await import('node:net');
  assertEqual([net.isIP('10.0.2.15'), net.isIP('::1'), net.isIP('10.0.2.256')], [4, 6, 0]);
  // A child, not init: init, with no parent to grant it one, starts its own network.
  const child = rt.spawn({ source: `
    const net = await import('node:net');
    const https = await import('node:https');
    const conn = await new Promise((resolve) => net.connect(80, '10.0.2.2').on('error', resolve));
    const listen = await new Promise((resolve) => net.createServer().listen(80).on('error', resolve));
    const get = await new Promise((resolve) => https.get('https://10.0.2.2/').on('error', resolve));
    rt.export({ errors: () => [[conn.code, conn.syscall, conn.message], [listen.code], [get.code, get.syscall]] });
  ` }, { name: 'ungranted' });
  const [conn, listen, get] = await (await child.interface).errors();
  assertEqual(conn.slice(0, 2), ['EACCES', 'connect']);
  assertMatch(conn[2], /app 'ungranted' \(id \d+\) was not granted the network/);
  assertEqual(listen, ['EACCES']);
  assertEqual(get, ['EACCES', 'connect']);
  child.kill();
  await child.exited;
});

test('a CommonJS syntax error is a SyntaxError naming the importer', async () => {
  try {
    await import('./fixtures/pkgs/lib/bad.cjs');
    throw new Error('import succeeded');
  } catch (err) {
    assertEqual(err.name, 'SyntaxError');
    assertMatch(err.message, /imported from .*node-modules\.test\.js/);
  }
});
