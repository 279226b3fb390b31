// The REPL on the platform console: what `rtjs` runs when it is given no app (and standard
// input is a terminal, or -i). Errors from timers and rejected promises are printed by the
// REPL, which goes on; console output from them redraws the line being edited. Results are
// coloured on a terminal unless NO_COLOR is set (https://no-color.org).
import binding from 'rtjs:binding';
import { setConsoleSink } from './console.js';
import { readInput } from './input.js';
import { createRepl } from './repl.js';

const DEFAULT_COLUMNS = 80;   // a VT100's width, when the terminal does not say
const terminal = binding.isTerminal();
const noColor = binding.getenv('NO_COLOR');
// Input first: the terminal is in raw mode before the prompt invites typing.
let repl = null;
// The terminal's width is asked at each keystroke: a resized window reflows the line being
// edited at the next key (a poll, not SIGWINCH: the kernel's console has no signals).
let columns = terminal ? binding.terminalColumns() || DEFAULT_COLUMNS : DEFAULT_COLUMNS;
readInput((bytes) => {
  const now = terminal ? binding.terminalColumns() || DEFAULT_COLUMNS : DEFAULT_COLUMNS;
  if (now !== columns) { columns = now; repl.setColumns(columns); }
  repl.feed(bytes);
}, () => repl.end(), { raw: terminal });
repl = createRepl({
  columns,
  write: (text) => binding.print(1, text),
  writeError: (text) => binding.print(2, text),
  terminal,
  colors: terminal && (noColor === undefined || noColor === ''),
  history: true,
});
setConsoleSink((stream, text) => repl.print(stream, text));
binding.setHooks({ onUncaught: (error, rejection) => repl.uncaught(error, rejection) });
