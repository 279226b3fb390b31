// The read-eval-print loop on the console. Input is evaluated as a classic script in the
// app's global scope, so declarations persist between lines. On a terminal the line editor
// gives history and editing; from a pipe or file, lines are read as they come, unechoed.
import binding from 'rtjs:binding';
import { inspect } from './inspect.js';
import { LineEditor } from './line-editor.js';
import { readInput } from './input.js';

const { print, evalScript, isTerminal } = binding;
const PROMPT = '> ';
const CONTINUATION = '... ';
// V8's messages for input that is fine so far but not finished.
const INCOMPLETE = /^(Unexpected end of input|Unterminated template literal|Unterminated string constant)/;

function out(text) { print(1, text); }

function describeError(err) {
  if (err instanceof Error && typeof err.stack === 'string') {
    // Frames inside the REPL's own machinery say nothing to the user.
    return err.stack.split('\n').filter((l) => !l.includes('rtjs:internal/')).join('\n');
  }
  return inspect(err);
}

const commands = {
  '.help': () => out('.exit   leave the REPL\n.help   this text\nCtrl-D  leave; Ctrl-C twice on an empty line: leave\n'),
  '.exit': () => rt.exit(0),
};

let pendingSource = '';

/** Evaluates one line; returns false when more input is needed to finish a statement. */
function evaluate(line) {
  const trimmed = line.trim();
  if (pendingSource === '' && commands[trimmed]) {
    commands[trimmed]();
    return true;
  }
  const source = pendingSource === '' ? line : pendingSource + '\n' + line;
  if (source.trim() === '') return true;
  let result;
  try {
    // Try an expression first so that `{ a: 1 }` is an object, not a block.
    const wrapped = /^\s*\{/.test(source) && !/;\s*$/.test(source) ? `(${source}\n)` : null;
    try {
      result = wrapped ? evalScript(wrapped, 'REPL') : evalScript(source, 'REPL');
    } catch (err) {
      if (!wrapped || !(err instanceof SyntaxError)) throw err;
      result = evalScript(source, 'REPL');
    }
  } catch (err) {
    if (err instanceof SyntaxError && INCOMPLETE.test(err.message)) {
      pendingSource = source;
      return false;
    }
    pendingSource = '';
    print(2, 'Uncaught ' + describeError(err) + '\n');
    return true;
  }
  pendingSource = '';
  out(inspect(result, { colors: false }) + '\n');
  return true;
}

function startTerminal() {
  const editor = new LineEditor({ write: out, prompt: PROMPT, continuationPrompt: CONTINUATION });
  editor.onLine = (line) => {
    const done = evaluate(line);
    editor.setPrompt(done ? PROMPT : CONTINUATION);
  };
  // The first Ctrl-C clears the line (and any unfinished statement); a second one leaves.
  editor.onCancel = () => {
    if (pendingSource === '') out('(To exit, press Ctrl-C again or Ctrl-D, or type .exit)\n');
    pendingSource = '';
  };
  editor.onInterrupt = () => rt.exit(0);
  editor.onEof = () => { out('\n'); rt.exit(0); };
  readInput((bytes) => editor.feed(bytes), () => rt.exit(0), { raw: true });
  editor.start();
}

function startPiped() {
  const decoder = new TextDecoder();
  let buffered = '';
  readInput((bytes) => {
    buffered += decoder.decode(bytes, { stream: true });
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).replace(/\r$/, '');
      buffered = buffered.slice(nl + 1);
      evaluate(line);
    }
  }, () => {
    if (buffered !== '') evaluate(buffered);
    rt.exit(0);
  });
}

if (isTerminal()) startTerminal(); else startPiped();
