// The read-eval-print loop, for any console: the terminal (repl-main.js), a serial line or
// the VGA screen (the console service). Input is evaluated as a classic script in the app's
// global scope, so declarations persist between lines; input that uses `await` at the top
// level runs in an async function and the REPL waits for it. The last result is `_`, the
// last error `_error`. On a terminal the line editor gives history, editing and Tab
// completion, with the history kept across sessions (repl-files.js); on a dumb input (a
// pipe), lines are read as they come, unechoed, and only results are printed.
import binding from 'rtjs:binding';
import { completionsFor, noteDeclarations } from './repl-complete.js';
import { inspect } from './inspect.js';
import { LineEditor } from './line-editor.js';
import { readText, writeText, historyPath } from './repl-files.js';
import primordials from './primordials.js';

const { ObjectDefineProperty } = primordials;

const { evalScript } = binding;
const DEFAULT_PROMPT = '> ';
const CONTINUATION = '... ';
const EDITOR_BANNER = '// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)\n';
// V8's messages for input that is fine so far but not finished.
const INCOMPLETE = /^(Unexpected end of input|Unterminated template literal|Unterminated string constant|missing \) after argument list)/;
// V8's message for `await` outside an async function: the line is retried in one.
const AWAIT_OUTSIDE = /await is only valid in async functions|Unexpected reserved word|Cannot use keyword 'await'/;
const SIMPLE_DECLARATION = /^\s*(?:let|const|var)\s+([A-Za-z_$][\w$]*)\s*=\s*([\s\S]+?)\s*;?\s*$/;

function describeError(err) {
  // Frames inside the REPL's own machinery say nothing to the user.
  return inspect(err).split('\n').filter((l) => !l.includes('rtjs:internal/')).join('\n');
}

// `_` and `_error` as Node has them: the last result and the last error, until the user
// assigns to them, which makes them ordinary variables.
function defineMagic(name, note) {
  let value;
  let magic = true;
  ObjectDefineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get: () => value,
    set: (v) => {
      if (magic) {
        magic = false;
        note(`Expression assignment to ${name} now disabled.\n`);
      }
      ObjectDefineProperty(globalThis, name, { value: v, writable: true, configurable: true, enumerable: false });
    },
  });
  return (v) => { if (magic) value = v; };
}

// History across sessions: the file's lines (oldest first) are loaded under what was typed
// meanwhile, and each entry is appended as it is accepted. A file grown past twice the
// editor's limit is rewritten with the newest entries. Failures leave history in memory.
let historyFile = null;
let historySaved = null; // the newest entry written, so an unchanged history writes nothing
let historyWrites = Promise.resolve();

function keepHistory(editor) {
  historyPath().then(async (path) => {
    if (path === null) return;
    let lines = [];
    try { lines = (await readText(path)).split('\n').filter((l) => l !== ''); } catch { /* a new file */ }
    editor.history.unshift(...lines.slice(-editor.historySize));
    editor.history.splice(0, Math.max(0, editor.history.length - editor.historySize));
    historySaved = editor.history[editor.history.length - 1] ?? null;
    historyFile = path;
    if (lines.length > 2 * editor.historySize) await writeText(path, editor.history.join('\n') + '\n');
  }).catch(() => { historyFile = null; });
}

function saveHistory(editor) {
  const newest = editor.history[editor.history.length - 1];
  if (historyFile === null || newest === undefined || newest === historySaved) return;
  historySaved = newest;
  const path = historyFile;
  historyWrites = historyWrites.then(() => writeText(path, newest.replace(/\n/g, ' ') + '\n', true)).catch(() => {});
}

/**
 * A REPL bound to one console.
 * @param {object} io
 * @param {(text: string) => void} io.write results and prompts
 * @param {(text: string) => void} [io.writeError] errors (default: write)
 * @param {boolean} io.terminal edit lines (VT100) rather than read plain lines
 * @param {boolean} [io.colors=false] colour results as Node's inspect does
 * @param {number} [io.columns=80]
 * @param {(code: number) => void} [io.exit] leaving (.exit, Ctrl-D); default rt.exit
 * @param {string} [io.prompt='> ']
 * @param {(line: string) => string} [io.translate] rewrites each complete input before it is
 *   evaluated (the shell turns `ls /disk` into `ls("/disk")`)
 * @param {(error: unknown) => string|undefined} [io.describeError] the line shown for an
 *   uncaught error (undefined: 'Uncaught ' and inspect's text)
 * @param {boolean} [io.history=false] keep the line history across sessions (repl-files.js)
 * @param {boolean} [io.awaitResults=false] a promise result is awaited and its value shown,
 *   and an `undefined` result is not shown (the shell's commands print their own output)
 * @returns {{ feed(bytes: Uint8Array|string): void, end(): void, print(stream: number, text: string): void,
 *   setColumns(columns: number): void, uncaught(error: unknown, rejection: boolean): boolean }}
 */
export function createRepl({
  write, writeError = write, terminal, colors = false, columns = 80, exit = (code) => rt.exit(code),
  prompt: PROMPT = DEFAULT_PROMPT, translate = (line) => line, awaitResults = false, describeError: describe = () => undefined,
  history = false,
}) {
  let pendingSource = '';
  let editorMode = null; // lines typed in .editor mode, or null
  let busy = false; // an evaluation with top-level await is running
  const queued = []; // lines that arrived meanwhile (dumb input)
  let editor = null;
  let out = write;
  let err = writeError;
  const setLast = defineMagic('_', (t) => out(t));
  const setLastError = defineMagic('_error', (t) => out(t));

  const session = []; // the statements evaluated so far, for .save
  const commands = {
    '.help': () => out([
      '.break    Sometimes you get stuck, this gets you out',
      '.clear    Alias for .break',
      '.editor   Enter editor mode',
      '.exit     Exit the REPL',
      '.help     Print this help message',
      '.load     Load JS from a file into the REPL session',
      '.save     Save all evaluated commands in this REPL session to a file',
      '',
      'Press Ctrl+C to abort current expression, Ctrl+D to exit the REPL',
      '',
    ].join('\n')),
    '.load': (file) => {
      if (!file) return out('.load needs a file name\n');
      // The file's text runs as one input, as if typed in editor mode.
      runAsync(readText(file).then((source) => {
        session.push(source);
        const r = attempt(source);
        if (r.incomplete) throw new SyntaxError(`Unexpected end of input in ${file}`);
        if ('error' in r) throw r.error;
        return 'promise' in r ? r.promise : r.value;
      }), show, (e) => (e instanceof Error && /^cannot read/.test(e.message) ? out(`Failed to load: ${file} (${e.message})\n`) : showError(e)));
    },
    '.save': (file) => {
      if (!file) return out('.save needs a file name\n');
      runAsync(writeText(file, session.join('\n') + '\n'), () => out(`Session saved to: ${file}\n`),
        (e) => out(`Failed to save: ${file} (${e.message})\n`));
    },
    '.exit': () => exit(0),
    '.break': () => { pendingSource = ''; },
    '.clear': () => { pendingSource = ''; },
    '.editor': () => {
      editorMode = [];
      out(EDITOR_BANNER);
    },
  };

  function show(result) {
    if (awaitResults && result instanceof Promise) {
      awaitResult(result);
      return;
    }
    setLast(result);
    if (awaitResults && result === undefined) return;
    out(inspect(result, { colors }) + '\n');
  }

  function showError(e) {
    setLastError(e);
    err((describe(e) ?? 'Uncaught ' + describeError(e)) + '\n');
  }

  function run(source) {
    return evalScript(source, 'REPL', true);
  }

  // Compiles and runs `source`: { value } done, { promise } awaiting, { incomplete }.
  function attempt(source) {
    try {
      // Try an expression first so that `{ a: 1 }` is an object, not a block.
      const wrapped = /^\s*\{/.test(source) && !/;\s*$/.test(source) ? `(${source}\n)` : null;
      try {
        return { value: wrapped ? run(wrapped) : run(source) };
      } catch (e) {
        if (!wrapped || !(e instanceof SyntaxError)) throw e;
        return { value: run(source) };
      }
    } catch (e) {
      if (e instanceof SyntaxError && INCOMPLETE.test(e.message)) return { incomplete: true };
      if (e instanceof SyntaxError && AWAIT_OUTSIDE.test(e.message) && /\bawait\b/.test(source)) return withAwait(source);
      return { error: e };
    }
  }

  // Top-level await: the input runs in an async function. A simple `let x = await ...`
  // becomes a global (as Node keeps such declarations); an expression yields its value.
  function withAwait(source) {
    const decl = SIMPLE_DECLARATION.exec(source);
    const tries = decl
      ? [[`(async () => (${decl[2]}\n))()`, decl[1]]]
      : [[`(async () => (${source}\n))()`, null], [`(async () => { ${source}\n })()`, null]];
    let last;
    for (const [code, name] of tries) {
      try {
        const promise = run(code);
        return { promise: name === null ? promise : promise.then((v) => { globalThis[name] = v; return undefined; }) };
      } catch (e) {
        last = e;
        if (!(e instanceof SyntaxError)) break;
      }
    }
    return { error: last };
  }

  /** Evaluates one line; returns false when more input is needed to finish a statement. */
  function evaluate(line) {
    if (editorMode !== null) {
      editorMode.push(line);
      return true;
    }
    const trimmed = line.trim();
    const [word, ...rest] = trimmed.split(/\s+/);
    if (pendingSource === '' && word.startsWith('.') && Object.hasOwn(commands, word)) {
      commands[word](rest.join(' '));
      return true;
    }
    if (pendingSource !== '' && (trimmed === '.break' || trimmed === '.clear')) {
      pendingSource = '';
      return true;
    }
    const source = pendingSource === '' ? translate(line) : pendingSource + '\n' + line;
    if (source.trim() === '') return true;
    const r = attempt(source);
    if (r.incomplete) {
      pendingSource = source;
      return false;
    }
    pendingSource = '';
    session.push(source);
    noteDeclarations(source);
    if ('error' in r) showError(r.error);
    else if ('promise' in r) awaitResult(r.promise);
    else show(r.value);
    return true;
  }

  function awaitResult(promise) {
    runAsync(promise, show, showError);
  }

  // Input waits (the editor paused, piped lines queued) until `promise` settles.
  function runAsync(promise, onValue, onError) {
    busy = true;
    if (editor) editor.pause();
    promise.then(onValue, onError).then(() => {
      busy = false;
      if (editor) {
        editor.resume();
      } else {
        while (queued.length && !busy) evaluate(queued.shift());
        if (ended && !busy) exit(0);
      }
    });
  }

  // An uncaught error from a timer or a rejected promise: printed, and the REPL goes on.
  function uncaught(e, rejection) {
    void rejection;
    showError(e);
    return true;
  }

  let ended = false;
  if (terminal) {
    editor = new LineEditor({
      write: (t) => write(t), prompt: PROMPT, continuationPrompt: CONTINUATION, columns,
      onComplete: (before) => completionsFor(before),
    });
    // While the editor shows a line, output from elsewhere redraws it.
    out = (t) => (editor.print ? editor.print(t.endsWith('\n') ? t.slice(0, -1) : t) : write(t));
    err = (t) => out(t);
    let entryLines = 0;
    editor.onLine = (line) => {
      entryLines++;
      const done = evaluate(line);
      // A statement typed over several lines is one history entry, recalled whole.
      if (done && entryLines > 1 && editor.history.length >= entryLines) {
        const parts = editor.history.splice(-entryLines, entryLines);
        editor.history.push(parts.join(' '));
      }
      if (done && history) saveHistory(editor);
      if (done) entryLines = 0;
      editor.setPrompt(editorMode !== null ? '' : done ? PROMPT : CONTINUATION);
    };
    // The first Ctrl-C clears the line (and any unfinished statement); a second one leaves.
    editor.onCancel = () => {
      if (editorMode !== null) {
        editorMode = null;
        editor.setPrompt(PROMPT);
        return;
      }
      if (pendingSource === '') out('(To exit, press Ctrl+C again or Ctrl+D or type .exit)\n');
      pendingSource = '';
      entryLines = 0;
      editor.setPrompt(PROMPT);
    };
    editor.onInterrupt = () => (editorMode !== null ? editor.onCancel() : exit(0));
    editor.onEof = () => {
      if (editorMode !== null) {
        const source = editorMode.join('\n');
        editorMode = null;
        editor.setPrompt(PROMPT);
        const r = attempt(source);
        if ('error' in r) showError(r.error);
        else if ('promise' in r) awaitResult(r.promise);
        else if (!r.incomplete) show(r.value);
        else showError(new SyntaxError('Unexpected end of input'));
        return;
      }
      write('\n');
      exit(0);
    };
    if (history) keepHistory(editor);
    editor.start();
    return {
      feed: (bytes) => editor.feed(bytes),
      end: () => exit(0),
      print: (stream, text) => out(text),
      setColumns: (n) => editor.setColumns(n),
      uncaught,
    };
  }

  const decoder = new TextDecoder();
  let buffered = '';
  return {
    setColumns() {},   // plain lines: nothing is drawn
    feed(bytes) {
      buffered += typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true });
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).replace(/\r$/, '');
        buffered = buffered.slice(nl + 1);
        if (busy) queued.push(line);
        else evaluate(line);
      }
    },
    end() {
      if (buffered !== '') {
        if (busy) queued.push(buffered);
        else evaluate(buffered);
      }
      buffered = '';
      if (editorMode !== null) {
        const source = editorMode.join('\n');
        editorMode = null;
        const r = attempt(source);
        if ('error' in r) showError(r.error);
        else if ('promise' in r) awaitResult(r.promise);
        else if (!r.incomplete) show(r.value);
      }
      ended = true;
      if (!busy) exit(0);
    },
    print: (stream, text) => (stream === 2 ? writeError(text) : write(text)),
    uncaught,
  };
}
