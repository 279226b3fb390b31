// Apps: spawning from files, directories and source text, exit codes and reasons, kill,
// identity (rt.self), the app list, and option checking (docs/api-apps.md).
import { test, assertEqual, assertMatch, assertThrows } from './harness.js';

const fixture = (name) => `fixtures/apps/${name}`;

// `promise`, or a failure naming `what` if it takes longer than `ms`.
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

test('an app that calls rt.exit(N) ends with code N, reason exit', async () => {
  const h = rt.spawn(fixture('exit-code.js'), { args: ['7'] });
  assertEqual(await h.exited, { code: 7, reason: 'exit' });
  const zero = rt.spawn(fixture('exit-code.js'), { args: ['0'] });
  assertEqual(await zero.exited, { code: 0, reason: 'exit' });
});

test('an app with nothing left to do ends by itself with code 0', async () => {
  const h = rt.spawn({ source: 'let x = 1 + 1;' }, { name: 'idle' });
  assertEqual(await h.exited, { code: 0, reason: 'exit' });
});

test('an app whose main module throws ends with code 1, reason error', async () => {
  const h = rt.spawn(fixture('throws.js'));
  assertEqual(await h.exited, { code: 1, reason: 'error' });
});

test('an unhandled rejection in an app ends it with reason error', async () => {
  const h = rt.spawn({ source: 'Promise.reject(new Error("nobody catches this"));' }, { name: 'rejects' });
  assertEqual(await h.exited, { code: 1, reason: 'error' });
});

test('a missing file ends the app with code 2, not the parent', async () => {
  const h = rt.spawn(fixture('no-such-app.js'));
  assertEqual((await h.exited).reason, 'error');
  assertEqual((await h.exited).code, 2);
});

test('the handle names the app; the name defaults to the file name', async () => {
  const h = rt.spawn(fixture('exit-code.js'), { args: ['0'] });
  assertEqual(h.name, 'exit-code.js');
  assertEqual(typeof h.id, 'number');
  if (h.id === rt.self.id) throw new Error('a child has its parent\'s id');
  const named = rt.spawn({ source: '' }, { name: 'quiet' });
  assertEqual(named.name, 'quiet');
  await Promise.all([h.exited, named.exited]);
});

test('a child sees its identity, arguments and parent in rt.self and rt.argv', async () => {
  const h = rt.spawn(fixture('echo.js'), { name: 'echo-self', args: ['a', 'b c'], cpu: 0 });
  const svc = await h.interface;
  assertEqual(await svc.self(), { id: h.id, name: 'echo-self', cpu: 0, parentId: rt.self.id });
  assertEqual(await svc.argv(), ['a', 'b c']);
  h.kill();
  await h.exited;
});

test('init is app 1 with no parent', () => {
  assertEqual(rt.self.id, 1);
  assertEqual(rt.self.parentId, 0);
  assertEqual(rt.grants, undefined);
  assertThrows(() => rt.export({}), /no parent/);
});

test('a directory app runs the main file its package.json names', async () => {
  const h = rt.spawn(fixture('dir-app'), { args: ['x'] });
  const iface = await h.interface;
  assertEqual(await iface.where(), 'dir-app/start.js');
  assertEqual(iface.argv, ['x']);
  h.kill();
  assertEqual(await h.exited, { code: 1, reason: 'killed' });
});

test('kill ends a running service with reason killed; a second kill returns false', async () => {
  const h = rt.spawn(fixture('echo.js'));
  await h.interface;
  assertEqual(h.kill(), true);
  assertEqual(await h.exited, { code: 1, reason: 'killed' });
  assertEqual(h.kill(), false);
});

test('kill right after spawn, before the app has started, ends it too', async () => {
  const h = rt.spawn(fixture('echo.js'));
  h.kill();
  // A kill that lands while the engine is still creating the isolate must not be lost.
  assertEqual(await within(h.exited, 5000, 'exit of an app killed while starting'), { code: 1, reason: 'killed' });
});

test('interface rejects when the app ends without exporting', async () => {
  const h = rt.spawn(fixture('exit-code.js'), { args: ['3'] });
  let error = null;
  try { await h.interface; } catch (err) { error = err; }
  assertMatch(String(error && error.message), /exit-code\.js' \(id \d+\) ended \(exit, code 3\) without calling rt\.export/);
});

test('rt.apps lists live apps with their CPU, state, heap and parent', async () => {
  const h = rt.spawn(fixture('echo.js'), { name: 'listed', cpu: rt.self.cpu });
  await h.interface;
  const list = rt.apps();
  const me = list.find((a) => a.id === rt.self.id);
  const child = list.find((a) => a.id === h.id);
  assertEqual(me.name, 'init');
  assertEqual({ name: child.name, cpu: child.cpu, state: child.state, parentId: child.parentId },
    { name: 'listed', cpu: rt.self.cpu, state: 'running', parentId: rt.self.id });
  if (!(child.heapUsed > 0)) throw new Error(`heapUsed ${child.heapUsed}`);
  h.kill();
  await h.exited;
  assertEqual(rt.apps().some((a) => a.id === h.id), false);
});

test('cpu: auto places apps on the least loaded engine', async () => {
  const count = rt.apps().length;
  const handles = [];
  for (let i = 0; i < 4; i++) handles.push(rt.spawn(fixture('echo.js'), { cpu: 'auto' }));
  await Promise.all(handles.map((h) => h.interface));
  const perCpu = new Map();
  for (const a of rt.apps()) perCpu.set(a.cpu, (perCpu.get(a.cpu) || 0) + 1);
  const cpus = rt.apps().map((a) => a.cpu);
  const spread = Math.max(...perCpu.values()) - Math.min(...perCpu.values());
  if (new Set(cpus).size > 1 && spread > 1) throw new Error(`apps per CPU: ${[...perCpu]}`);
  assertEqual(rt.apps().length, count + 4);
  handles.forEach((h) => h.kill());
  await Promise.all(handles.map((h) => h.exited));
});

test('bad targets and options throw at once, naming the option', () => {
  assertThrows(() => rt.spawn(42), /TypeError: rt.spawn: target must be a path/);
  assertThrows(() => rt.spawn({}), /TypeError: rt.spawn: target/);
  assertThrows(() => rt.spawn({ source: '' }, { cpu: 99 }), /RangeError: rt.spawn: options.cpu must be 'auto' or an integer/);
  assertThrows(() => rt.spawn({ source: '' }, { cpu: 0.5 }), /options.cpu/);
  assertThrows(() => rt.spawn({ source: '' }, { heapLimitMb: -1 }), /options.heapLimitMb must be a positive number/);
  assertThrows(() => rt.spawn({ source: '' }, { budgetMs: 'x' }), /options.budgetMs/);
  assertThrows(() => rt.spawn({ source: '' }, { args: 'x' }), /options.args must be an array/);
  assertThrows(() => rt.spawn({ source: '' }, { name: '' }), /options.name/);
  assertThrows(() => rt.spawn({ source: '' }, { grant: Symbol('x') }), /DataCloneError/);
});

test('rt.spawn, rt.self and the AppHandle cannot be changed', () => {
  assertThrows(() => { 'use strict'; rt.spawn = null; }, /TypeError/);
  assertThrows(() => { 'use strict'; rt.self.id = 5; }, /TypeError/);
});
