// The REPL on the platform console: what `rtjs` runs when it is given no app.
import binding from 'rtjs:binding';
import { readInput } from './input.js';
import { createRepl } from './repl.js';

const terminal = binding.isTerminal();
const repl = createRepl({
  write: (text) => binding.print(1, text),
  writeError: (text) => binding.print(2, text),
  terminal,
});
readInput((bytes) => repl.feed(bytes), () => repl.end(), { raw: terminal });
