// node:worker_threads over rtjs apps: Worker, parentPort, workerData, MessageChannel,
// isMainThread; a worker's lifetime, errors and exit codes as Node reports them.
import { test, assertEqual, assertThrows } from './harness.js';
import { Worker, isMainThread, parentPort, workerData, MessageChannel, threadId } from 'node:worker_threads';
import { once } from 'node:events';

const fixture = (name) => new URL(`./fixtures/workers/${name}`, import.meta.url);

test('the main thread', () => {
  assertEqual([isMainThread, parentPort, workerData], [true, null, null]);
  assertEqual(Number.isInteger(threadId), true);
});

test('messages both ways, in order, with workerData; the worker ends when it stops listening', async () => {
  const w = new Worker(fixture('echo.mjs'), { workerData: { tag: 'w1', list: [1, 2] } });
  const online = once(w, 'online');
  const replies = [];
  w.on('message', (m) => replies.push(m));
  for (let n = 1; n <= 20; n++) w.postMessage(n);
  await online;
  while (replies.length < 20) await new Promise((r) => setTimeout(r, 5));
  assertEqual(replies.map((r) => r.square), Array.from({ length: 20 }, (_, i) => (i + 1) ** 2));
  assertEqual(replies[0].isMainThread, false);
  assertEqual(replies[0].workerData, { tag: 'w1', list: [1, 2] });
  assertEqual(replies[0].threadId, w.threadId);
  assertEqual(w.threadId !== threadId, true);
  const exit = once(w, 'exit');
  w.postMessage('stop');
  assertEqual(await exit, [0]);
});

test('a CommonJS worker with no listener posts and ends by itself; argv and env reach it', async () => {
  const w = new Worker(decodeURIComponent(fixture('sum.cjs').pathname), {
    workerData: { numbers: [1, 2, 3, 4.5] }, argv: ['--fast', 3], env: { WORKER_MODE: 'batch' },
  });
  const exit = new Promise((resolve) => w.on('exit', resolve));
  const [message] = await once(w, 'message');
  assertEqual(message, { sum: 10.5, argv: ['--fast', '3'], env: 'batch' });
  assertEqual(await exit, 0);
});

test('an uncaught error in a worker is its Worker\'s error event, then exit code 1', async () => {
  const w = new Worker(fixture('fail.mjs'));
  const error = once(w, 'error');
  const exit = new Promise((resolve) => w.on('exit', resolve)); // emitted right after 'error'
  w.postMessage(42);
  const [err] = await error;
  assertEqual([err instanceof RangeError, err.message, err.code], [true, 'bad input 42', 'ERR_BAD_INPUT']);
  assertEqual(await exit, 1);
});

test('a MessagePort sent to a worker; process.exit in the worker is its exit code', async () => {
  const w = new Worker(fixture('port.mjs'));
  const { port1, port2 } = new MessageChannel();
  w.postMessage({ port: port2 }, [port2]);
  port1.postMessage('hello');
  const reply = once(port1, 'message');
  port1.start();
  const exit = new Promise((resolve) => w.on('exit', resolve));
  const [data] = await reply; // once() on a MessagePort gives the data, as Node's
  assertEqual(data, 'via port: hello');
  assertEqual(await exit, 7);
});

test('terminate() ends a listening worker: exit code 1', async () => {
  const w = new Worker(fixture('echo.mjs'));
  w.postMessage(3);
  assertEqual((await once(w, 'message'))[0].square, 9);
  assertEqual(await w.terminate(), 1);
});

test('an eval worker is a CommonJS script; it gets process.env as the parent has it now', async () => {
  process.env.WORKER_THREADS_TEST = 'set after start';
  const seen = new Promise((resolve) => process.once('worker', resolve));
  const w = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    parentPort.postMessage([typeof module.exports, __filename.endsWith('[worker eval]'), workerData * 2,
      process.env.WORKER_THREADS_TEST]);
  `, { eval: true, workerData: 21 });
  assertEqual(await seen === w, true);
  assertEqual(await once(w, 'message'), [['object', true, 42, 'set after start']]);
  delete process.env.WORKER_THREADS_TEST;
});

test('a worker file that does not exist: an error event, then exit code 1', async () => {
  const w = new Worker('/no/such/worker.js');
  const exit = new Promise((resolve) => w.on('exit', resolve));
  const [err] = await once(w, 'error');
  assertEqual([err.code, err.message], ['ERR_MODULE_NOT_FOUND', "Cannot find module '/no/such/worker.js'"]);
  assertEqual(await exit, 1);
});

test('bad filenames are Node\'s errors', () => {
  assertThrows(() => new Worker('worker.js'), /ERR_WORKER_PATH|absolute path or a relative path/);
  assertThrows(() => new Worker(new URL('http://example.com/w.js')), /file: scheme/);
  assertThrows(() => new Worker(42), /filename/);
});
