// The console object: Node's and the browsers' common surface, formatted by inspect.js.
import binding from 'rtjs:binding';
import { formatArgs, inspect } from './inspect.js';
import primordials from './primordials.js';

const {
  ArrayPrototypeJoin, ArrayPrototypeMap, Map, StringPrototypeRepeat, StringPrototypeSplit,
} = primordials;

const { print, now } = binding;
const STDOUT = 1;
const STDERR = 2;

let indent = '';
// Where console output goes: the platform console unless the app's console was redirected
// (a REPL on the VGA screen, an app spawned from it: see setConsoleSink).
let sink = print;

/**
 * Sends this app's console output to `fn(stream, text)` (stream 1: out, 2: err) instead of
 * the platform console; `null` restores it. Internal: the console service and the IPC layer
 * use it so that an app started from a console writes to that console.
 */
export function setConsoleSink(fn) {
  sink = fn === null ? print : fn;
}

function write(stream, args) {
  let text = formatArgs(args);
  if (indent) {
    const lines = StringPrototypeSplit(text, '\n');
    text = ArrayPrototypeJoin(ArrayPrototypeMap(lines, (l) => indent + l), '\n');
  }
  sink(stream, text + '\n');
}

const counts = new Map();
const timers = new Map();

export const console = {
  log(...args) { write(STDOUT, args); },
  info(...args) { write(STDOUT, args); },
  debug(...args) { write(STDOUT, args); },
  warn(...args) { write(STDERR, args); },
  error(...args) { write(STDERR, args); },
  trace(...args) {
    const err = { name: 'Trace', message: formatArgs(args) };
    Error.captureStackTrace(err, console.trace);
    write(STDERR, [err.stack]);
  },
  dir(value, options) { sink(STDOUT, indent + inspect(value, options) + '\n'); },
  assert(condition, ...args) {
    if (!condition) write(STDERR, ['Assertion failed' + (args.length ? ':' : ''), ...args]);
  },
  count(label = 'default') {
    const n = (counts.get(label) || 0) + 1;
    counts.set(label, n);
    write(STDOUT, [`${label}: ${n}`]);
  },
  countReset(label = 'default') { counts.delete(label); },
  time(label = 'default') { timers.set(label, now()); },
  timeEnd(label = 'default') {
    const start = timers.get(label);
    if (start === undefined) return;
    timers.delete(label);
    write(STDOUT, [`${label}: ${(now() - start).toFixed(3)}ms`]);
  },
  timeLog(label = 'default', ...args) {
    const start = timers.get(label);
    if (start !== undefined) write(STDOUT, [`${label}: ${(now() - start).toFixed(3)}ms`, ...args]);
  },
  group(...args) {
    if (args.length) write(STDOUT, args);
    indent += '  ';
  },
  groupEnd() { indent = StringPrototypeRepeat(' ', Math.max(0, indent.length - 2)); },
};
console.groupCollapsed = console.group;
/** Prints `data` as a table (Node's layout); what is not an object is logged as it is. */
console.table = function table(data, properties = undefined) {
  const text = binding.importSync('rtjs:internal/console-table.js').renderTable(data, properties);
  if (text === null) write(STDOUT, [data]);
  else sink(STDOUT, indent + text + '\n');
};
