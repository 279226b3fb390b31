// fs.watchFile/unwatchFile and fs.watch by polling the app's namespace. watchFile polls in
// Node too (stat every `interval` ms). fs.watch has no inotify to ask here: the namespace's
// file systems are the app's own (tmpfs), read-only (the boot files), or shared through a
// disk or the file service, whose other writers no event would reach; so it compares a
// stat (and, for a directory, its listing) every WATCH_INTERVAL_MS and reports what changed
// as Node's 'change' and 'rename' events.
import EventEmitter from '../events.js';
import { stat, readdir, validPath, bigintStats, encodingOf } from './promises.js';
import { Stats } from '../../services/vfs/vfs.js';
import { Buffer } from '../buffer.js';
import { invalidArgType } from '../../internal/node-errors.js';
import { statSync, readdirSync } from './sync.js';

const WATCH_FILE_INTERVAL_MS = 5007; // Node's default for fs.watchFile
const WATCH_INTERVAL_MS = 100; // how often fs.watch looks

// Node's Stats of a file that is not there: every number 0, the dates at the epoch.
function absent() {
  return new Stats({ mode: 0, nlink: 0, ino: 0, size: 0, blksize: 0, blocks: 0, atimeMs: 0, mtimeMs: 0, ctimeMs: 0, birthtimeMs: 0 }, 0);
}

const changed = (a, b) => a.mtimeMs !== b.mtimeMs || a.ctimeMs !== b.ctimeMs || a.size !== b.size ||
  a.ino !== b.ino || a.mode !== b.mode || a.nlink !== b.nlink;

// Calls `tick` every `ms`, one call at a time; the timer holds the app unless unref'd.
class Poller {
  #timer = null;
  #busy = false;
  #ref = true;

  start(ms, tick) {
    this.#timer = setInterval(async () => {
      if (this.#busy) return;
      this.#busy = true;
      try { await tick(); } finally { this.#busy = false; }
    }, ms);
    if (!this.#ref) this.#timer.unref();
  }

  stop() { clearInterval(this.#timer); this.#timer = null; }
  ref() { this.#ref = true; this.#timer?.ref(); }
  unref() { this.#ref = false; this.#timer?.unref(); }
}

/** Node's StatWatcher: 'change'(current, previous) when a stat of the file differs. */
class StatWatcher extends EventEmitter {
  #poller = new Poller();
  #bigint;

  constructor(path, { persistent = true, interval = WATCH_FILE_INTERVAL_MS, bigint = false }) {
    super();
    this.#bigint = bigint;
    if (!persistent) this.#poller.unref();
    let previous = null;
    const look = async () => {
      let current;
      try { current = await stat(path); } catch { current = absent(); }
      if (previous && changed(current, previous)) {
        this.emit('change', ...[current, previous].map((s) => (this.#bigint ? bigintStats(s) : s)));
      }
      previous = current;
    };
    look();
    this.#poller.start(interval, look);
  }

  stop() {
    this.#poller.stop();
    this.emit('stop');
  }

  ref() { this.#poller.ref(); return this; }
  unref() { this.#poller.unref(); return this; }
}

const statWatchers = new Map(); // path -> StatWatcher

/** fs.watchFile(filename[, options], listener): listener(current, previous) on each change. */
export function watchFile(filename, options, listener) {
  if (typeof options === 'function') { listener = options; options = {}; }
  if (typeof listener !== 'function') throw invalidArgType('listener', 'Function', listener);
  const path = validPath(filename, 'filename');
  let watcher = statWatchers.get(path);
  if (!watcher) {
    watcher = new StatWatcher(path, options ?? {});
    statWatchers.set(path, watcher);
  }
  watcher.on('change', listener);
  return watcher;
}

/** fs.unwatchFile(filename[, listener]): stops one listener, or all; the polling ends with the last. */
export function unwatchFile(filename, listener) {
  const path = validPath(filename, 'filename');
  const watcher = statWatchers.get(path);
  if (!watcher) return;
  if (typeof listener === 'function') watcher.removeListener('change', listener);
  else watcher.removeAllListeners('change');
  if (watcher.listenerCount('change') === 0) {
    watcher.stop();
    statWatchers.delete(path);
  }
}

/** Node's FSWatcher: 'change'(eventType, filename) with 'rename' or 'change'; 'close'. */
class FSWatcher extends EventEmitter {
  #poller = new Poller();
  #closed = false;

  constructor(path, { persistent = true, encoding = 'utf8' }) {
    super();
    if (!persistent) this.#poller.unref();
    const base = path.replace(/\/+$/, '').split('/').pop();
    const name = (n) => (encoding === 'buffer' ? Buffer.from(n) : n);
    let before = null; // { self: Stats, entries: Map(name -> Stats) | null }
    const snapshot = async () => {
      const self = await stat(path);
      if (!self.isDirectory()) return { self, entries: null };
      const entries = new Map();
      for (const entry of await readdir(path)) {
        try { entries.set(entry, await stat(`${path}/${entry}`)); } catch { /* gone meanwhile */ }
      }
      return { self, entries };
    };
    // The first look is taken at once where the file system answers at once (so a change
    // right after fs.watch is seen, and a missing path throws, as in Node); else at the first poll.
    try {
      const self = statSync(path);
      const entries = self.isDirectory() ? new Map() : null;
      if (entries) {
        for (const entry of readdirSync(path)) {
          const st = statSync(`${path}/${entry}`, { throwIfNoEntry: false });
          if (st) entries.set(entry, st);
        }
      }
      before = { self, entries };
    } catch (err) {
      if (err.code !== 'ENOTSUP') throw err;
    }
    const look = async () => {
      let now;
      try {
        now = await snapshot();
      } catch (err) {
        if (this.#closed) return;
        if (before && err.code === 'ENOENT') this.emit('change', 'rename', name(base));
        else this.emit('error', err);
        this.close();
        return;
      }
      if (this.#closed) return;
      if (before) this.#compare(before, now, base, name);
      before = now;
    };
    this.#poller.start(WATCH_INTERVAL_MS, look);
  }

  #compare(before, now, base, name) {
    if (!now.entries) {
      if (now.self.ino !== before.self.ino) this.emit('change', 'rename', name(base));
      else if (changed(now.self, before.self)) this.emit('change', 'change', name(base));
      return;
    }
    const old = before.entries ?? new Map();
    for (const [entry, st] of now.entries) {
      const was = old.get(entry);
      if (!was || was.ino !== st.ino) this.emit('change', 'rename', name(entry));
      else if (changed(st, was)) this.emit('change', 'change', name(entry));
    }
    for (const entry of old.keys()) if (!now.entries.has(entry)) this.emit('change', 'rename', name(entry));
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#poller.stop();
    queueMicrotask(() => this.emit('close'));
  }

  ref() { this.#poller.ref(); return this; }
  unref() { this.#poller.unref(); return this; }
}

/** fs.watch(filename[, options][, listener]): an FSWatcher; listener(eventType, filename). */
export function watch(filename, options, listener) {
  if (typeof options === 'function') { listener = options; options = {}; }
  if (typeof options === 'string') options = { encoding: options };
  encodingOf(options);
  const watcher = new FSWatcher(validPath(filename, 'filename'), options ?? {});
  if (typeof listener === 'function') watcher.on('change', listener);
  return watcher;
}
