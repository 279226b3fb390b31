// The read-eval-print loop, for any console: the terminal (repl-main.js), a serial line or
// the VGA screen (the console service). Input is evaluated as a classic script in the app's
// global scope, so declarations persist between lines. On a terminal the line editor gives
// history and editing; on a dumb input (a pipe), lines are read as they come, unechoed, and
// only results are printed.
import binding from 'rtjs:binding';
import { inspect } from './inspect.js';
import { LineEditor } from './line-editor.js';

const { evalScript } = binding;
const PROMPT = '> ';
const CONTINUATION = '... ';
// V8's messages for input that is fine so far but not finished.
const INCOMPLETE = /^(Unexpected end of input|Unterminated template literal|Unterminated string constant)/;

function describeError(err) {
  if (err instanceof Error && typeof err.stack === 'string') {
    // Frames inside the REPL's own machinery say nothing to the user.
    return err.stack.split('\n').filter((l) => !l.includes('rtjs:internal/')).join('\n');
  }
  return inspect(err);
}

/**
 * A REPL bound to one console.
 * @param {object} io
 * @param {(text: string) => void} io.write results and prompts
 * @param {(text: string) => void} [io.writeError] errors (default: write)
 * @param {boolean} io.terminal edit lines (VT100) rather than read plain lines
 * @param {number} [io.columns=80]
 * @param {(code: number) => void} [io.exit] leaving (.exit, Ctrl-D); default rt.exit
 * @returns {{ feed(bytes: Uint8Array|string): void, end(): void }}
 */
export function createRepl({ write, writeError = write, terminal, columns = 80, exit = (code) => rt.exit(code) }) {
  let pendingSource = '';
  const commands = {
    '.help': () => write('.exit   leave the REPL\n.help   this text\nCtrl-D  leave; Ctrl-C twice on an empty line: leave\n'),
    '.exit': () => exit(0),
  };

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
      writeError('Uncaught ' + describeError(err) + '\n');
      return true;
    }
    pendingSource = '';
    write(inspect(result, { colors: false }) + '\n');
    return true;
  }

  if (terminal) {
    const editor = new LineEditor({ write, prompt: PROMPT, continuationPrompt: CONTINUATION, columns });
    let entryLines = 0;
    editor.onLine = (line) => {
      entryLines++;
      const done = evaluate(line);
      // A statement typed over several lines is one history entry, recalled whole.
      if (done && entryLines > 1 && editor.history.length >= entryLines) {
        const parts = editor.history.splice(-entryLines, entryLines);
        editor.history.push(parts.join(' '));
      }
      if (done) entryLines = 0;
      editor.setPrompt(done ? PROMPT : CONTINUATION);
    };
    // The first Ctrl-C clears the line (and any unfinished statement); a second one leaves.
    editor.onCancel = () => {
      if (pendingSource === '') write('(To exit, press Ctrl-C again or Ctrl-D, or type .exit)\n');
      pendingSource = '';
      entryLines = 0;
    };
    editor.onInterrupt = () => exit(0);
    editor.onEof = () => { write('\n'); exit(0); };
    editor.start();
    return { feed: (bytes) => editor.feed(bytes), end: () => exit(0) };
  }

  const decoder = new TextDecoder();
  let buffered = '';
  return {
    feed(bytes) {
      buffered += typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true });
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).replace(/\r$/, '');
        buffered = buffered.slice(nl + 1);
        evaluate(line);
      }
    },
    end() {
      if (buffered !== '') evaluate(buffered);
      exit(0);
    },
  };
}
