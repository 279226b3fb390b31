// fs.watchFile/unwatchFile and fs.watch: changes made through node:fs reach the listeners
// as Node reports them (waiting for the events, never for a time).
import { test, assertEqual } from './harness.js';
import fs from 'node:fs';
import * as fsp from 'node:fs/promises';

const nextEvent = (emitter, name) => new Promise((resolve) => emitter.once(name, (...args) => resolve(args)));

test('watchFile: the listener gets the new and the previous stats; unwatchFile stops it', async () => {
  await fsp.writeFile('/tmp/watched.txt', 'one');
  const seen = [];
  const done = new Promise((resolve) => {
    fs.watchFile('/tmp/watched.txt', { interval: 20 }, (curr, prev) => {
      seen.push([curr.size, prev.size]);
      if (seen.length === 1) fsp.unlink('/tmp/watched.txt');
      else resolve();
    });
  });
  // The first look takes the stats changes are compared with; write until one is seen.
  while (seen.length === 0) {
    await fsp.writeFile('/tmp/watched.txt', 'three');
    await new Promise((r) => setTimeout(r, 30));
  }
  await done;
  assertEqual(seen, [[5, 3], [0, 5]]);
  fs.unwatchFile('/tmp/watched.txt');
});

test('watch on a directory: rename for a name added or removed, change for a file written', async () => {
  await fsp.mkdir('/tmp/wd');
  await fsp.writeFile('/tmp/wd/a', 'x');
  const w = fs.watch('/tmp/wd');
  const events = [];
  w.on('change', (type, name) => events.push(`${type} ${name}`));
  const want = async (event, act) => {
    while (!events.includes(event)) {
      await act();
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  await fsp.writeFile('/tmp/wd/b', 'new');
  await want('rename b', async () => {});
  let n = 0;
  await want('change a', () => fsp.writeFile('/tmp/wd/a', 'longer '.repeat(++n)));
  assertEqual(events.includes('change b'), false);
  events.length = 0;
  await fsp.unlink('/tmp/wd/b');
  await want('rename b', async () => {});
  const closed = nextEvent(w, 'close');
  w.close();
  await closed;
});

test('watch on a file that is removed: rename, then the watcher closes', async () => {
  await fsp.writeFile('/tmp/gone.txt', 'x');
  const w = fs.watch('/tmp/gone.txt', { persistent: true });
  const renamed = nextEvent(w, 'change');
  const closed = nextEvent(w, 'close');
  await fsp.unlink('/tmp/gone.txt');
  assertEqual(await renamed, ['rename', 'gone.txt']);
  await closed;
});

test('watch on a path that does not exist throws ENOENT at once, as Node', () => {
  let err;
  try { fs.watch('/tmp/no-such-thing'); } catch (e) { err = e; }
  assertEqual(err && err.code, 'ENOENT');
});
