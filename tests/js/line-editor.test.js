// Tests of js/internal/line-editor.js: keys in, the exact bytes written out.
import { test, assertEqual } from './harness.js';
import { LineEditor } from '../../js/internal/line-editor.js';

const ESC = '\x1b';
const UP = `${ESC}[A`;
const DOWN = `${ESC}[B`;
const RIGHT = `${ESC}[C`;
const LEFT = `${ESC}[D`;
const EL = `${ESC}[K`;

/** An editor with its output and callbacks recorded. */
function makeEditor(options = {}) {
  const written = [];
  const events = [];
  const editor = new LineEditor({
    write: (text) => written.push(text),
    onLine: (line) => events.push(['line', line]),
    onCancel: () => events.push(['cancel']),
    onInterrupt: () => events.push(['interrupt']),
    onEof: () => events.push(['eof']),
    ...options,
  });
  editor.start();
  /** Everything written since the last call. */
  const output = () => written.splice(0).join('');
  output();
  return { editor, events, output };
}

const bytes = (...values) => new Uint8Array(values);

test('line editor: start writes the prompt', () => {
  const written = [];
  new LineEditor({ write: (t) => written.push(t), prompt: '$ ' }).start();
  assertEqual(written, ['$ '], 'prompt');
});

test('line editor: typed characters are echoed and Enter delivers the line', () => {
  const { editor, events, output } = makeEditor();
  editor.feed('1+1');
  assertEqual(output(), '1+1', 'echo');
  editor.feed('\r');
  assertEqual(output(), '\r\n> ', 'newline and prompt');
  assertEqual(events, [['line', '1+1']], 'onLine');
  assertEqual(editor.line, '', 'line is reset');
});

test('line editor: CR, LF and CR LF each end one line', () => {
  const { editor, events } = makeEditor();
  editor.feed('a\r\nb\nc\r');
  editor.feed('\nd\r');
  assertEqual(events, [['line', 'a'], ['line', 'b'], ['line', 'c'], ['line', 'd']], 'lines');
  editor.feed('\r\r');
  assertEqual(events.length, 6, 'two CRs are two lines');
});

test('line editor: bytes are accepted as Uint8Array, UTF-8 split across calls', () => {
  const { editor, events, output } = makeEditor();
  editor.feed(bytes(0x61, 0xe2));
  assertEqual(output(), 'a', 'incomplete sequence is held back');
  editor.feed(bytes(0x82));
  editor.feed(bytes(0xac, 0xf0, 0x9f, 0x98, 0x80));
  assertEqual(output(), '€😀', 'completed characters');
  editor.feed(bytes(0x0d));
  assertEqual(events, [['line', 'a€😀']], 'line');
});

test('line editor: invalid UTF-8 becomes U+FFFD', () => {
  const { editor, events } = makeEditor();
  // A lone continuation byte, an overlong "/", and a truncated sequence followed by "x".
  editor.feed(bytes(0x80, 0xc0, 0xaf, 0xe2, 0x82, 0x78, 0x0d));
  assertEqual(events, [['line', '\ufffd\ufffd\ufffd\ufffdx']], 'replacement characters');
});

test('line editor: Backspace (DEL and BS) erases before the cursor', () => {
  const { editor, output } = makeEditor();
  editor.feed('abc');
  output();
  editor.feed('\x7f');
  assertEqual(output(), `\b${EL}`, 'DEL at the end');
  editor.feed('\x08');
  assertEqual(output(), `\b${EL}`, 'BS at the end');
  assertEqual(editor.line, 'a', 'line');
  editor.feed('\x7f\x7f');
  assertEqual(editor.line, '', 'empty');
  assertEqual(output(), `\b${EL}`, 'nothing left to erase sends nothing');
});

test('line editor: Left/Right move the cursor; inserting in the middle redraws the tail', () => {
  const { editor, output } = makeEditor();
  editor.feed('ac');
  output();
  editor.feed(LEFT);
  assertEqual(output(), '\b', 'left by one');
  editor.feed('b');
  assertEqual(output(), 'bc\b', 'insert');
  assertEqual([editor.line, editor.cursor], ['abc', 2], 'state');
  editor.feed(RIGHT + RIGHT);
  assertEqual(output(), RIGHT, 'right stops at the end');
  editor.feed(`${ESC}OD${ESC}OD`);
  assertEqual(editor.cursor, 1, 'SS3 arrows');
});

test('line editor: Delete removes the character under the cursor', () => {
  const { editor, output } = makeEditor();
  editor.feed(`abc${LEFT}${LEFT}`);
  output();
  editor.feed(`${ESC}[3~`);
  assertEqual(output(), `c${EL}\b`, 'delete');
  assertEqual(editor.line, 'ac', 'line');
  editor.feed(`${ESC}[3~${ESC}[3~`);
  assertEqual([editor.line, output()], ['a', `${EL}`], 'delete at the end does nothing more');
});

test('line editor: every Home and End encoding', () => {
  const { editor, output } = makeEditor();
  editor.feed('abcd');
  output();
  const home = [`${ESC}[H`, `${ESC}OH`, `${ESC}[1~`, `${ESC}[7~`, '\x01'];
  const end = [`${ESC}[F`, `${ESC}OF`, `${ESC}[4~`, `${ESC}[8~`, '\x05'];
  for (let i = 0; i < home.length; i++) {
    editor.feed(home[i]);
    assertEqual([editor.cursor, output()], [0, `${ESC}[4D`], `home ${JSON.stringify(home[i])}`);
    editor.feed(end[i]);
    assertEqual([editor.cursor, output()], [4, `${ESC}[4C`], `end ${JSON.stringify(end[i])}`);
  }
});

test('line editor: Ctrl-K, Ctrl-U and Ctrl-W delete', () => {
  const { editor, output } = makeEditor();
  editor.feed(`let x = 1${LEFT}${LEFT}`);
  output();
  editor.feed('\x0b');
  assertEqual([editor.line, output()], ['let x =', EL], 'Ctrl-K kills to the end');
  editor.feed('\x17');
  assertEqual([editor.line, output()], ['let x ', `\b${EL}`], 'Ctrl-W deletes the word "="');
  editor.feed('\x17');
  assertEqual([editor.line, output()], ['let ', `${ESC}[2D${EL}`], 'Ctrl-W deletes "x "');
  editor.feed(`abc${LEFT}`);
  output();
  editor.feed('\x15');
  assertEqual([editor.line, editor.cursor, output()], ['c', 0, `${ESC}[6Dc${EL}\b`], 'Ctrl-U kills to the start');
});

test('line editor: word moves with Ctrl-arrows and Alt-b/f', () => {
  const { editor } = makeEditor();
  editor.feed('one two three');
  editor.feed(`${ESC}[1;5D`);
  assertEqual(editor.cursor, 8, 'Ctrl-Left');
  editor.feed(`${ESC}b`);
  assertEqual(editor.cursor, 4, 'Alt-b');
  editor.feed(`${ESC}f`);
  assertEqual(editor.cursor, 7, 'Alt-f');
  editor.feed(`${ESC}[1;5C`);
  assertEqual(editor.cursor, 13, 'Ctrl-Right');
  editor.feed(`${ESC}\x7f`);
  assertEqual(editor.line, 'one two ', 'Alt-Backspace');
});

test('line editor: Tab inserts two spaces', () => {
  const { editor, output } = makeEditor();
  editor.feed('\tx');
  assertEqual([editor.line, output()], ['  x', '  x'], 'tab');
});

test('line editor: Ctrl-L clears the screen and redraws the line', () => {
  const { editor, output } = makeEditor();
  editor.feed(`abc${LEFT}`);
  output();
  editor.feed('\x0c');
  assertEqual(output(), `${ESC}[H${ESC}[2J> abc\b`, 'clear');
});

test('line editor: Up/Down browse the history and come back to the draft', () => {
  const { editor, output } = makeEditor();
  editor.feed('first\rsecond\rdra');
  output();
  editor.feed(UP);
  assertEqual([editor.line, output()], ['second', `${ESC}[3Dsecond`], 'up');
  editor.feed(UP);
  assertEqual([editor.line, output()], ['first', `${ESC}[6Dfirst${EL}`], 'up again');
  editor.feed(UP);
  assertEqual([editor.line, output()], ['first', ''], 'oldest entry');
  editor.feed(DOWN + DOWN);
  assertEqual([editor.line, editor.cursor], ['dra', 3], 'back to the draft');
  editor.feed(DOWN);
  assertEqual(editor.line, 'dra', 'nothing below the draft');
  editor.feed('\x10');
  assertEqual(editor.line, 'second', 'Ctrl-P');
  editor.feed('\x0e');
  assertEqual(editor.line, 'dra', 'Ctrl-N');
});

test('line editor: history skips blank lines and consecutive duplicates, and is bounded', () => {
  const { editor } = makeEditor({ historySize: 3 });
  editor.feed('a\ra\r  \r\rb\ra\rc\r');
  assertEqual(editor.history, ['b', 'a', 'c'], 'history');
  editor.addHistory('c');
  editor.addHistory('d');
  assertEqual(editor.history, ['a', 'c', 'd'], 'addHistory');
});

test('line editor: autoHistory false leaves the history to the caller', () => {
  const { editor } = makeEditor({ autoHistory: false });
  editor.onLine = (line) => editor.addHistory(`joined ${line}`);
  editor.feed('x\r');
  assertEqual(editor.history, ['joined x'], 'history');
});

test('line editor: onLine may rewrite the history (a REPL joining a multi-line entry)', () => {
  const { editor } = makeEditor();
  editor.onLine = (line) => {
    if (line === '}') editor.history.splice(-2, 2, '{ }');
  };
  editor.feed('{\r}\r');
  assertEqual(editor.history, ['{ }'], 'joined');
  editor.feed(UP);
  assertEqual(editor.line, '{ }', 'recalled');
  editor.feed(UP + DOWN);
  assertEqual(editor.line, '', 'back to the new line');
});

test('line editor: feed() from inside onLine queues behind the current input', () => {
  const { editor, events } = makeEditor();
  editor.onLine = (line) => {
    events.push(['line', line]);
    if (line === 'a') editor.feed('c\r');
  };
  editor.feed('a\rb\r');
  assertEqual(events, [['line', 'a'], ['line', 'b'], ['line', 'c']], 'order');
});

test('line editor: a large paste arrives whole', () => {
  const { editor, events } = makeEditor();
  const text = 'x'.repeat(20000);
  editor.feed(`${text}\r${text}`);
  assertEqual(events.length, 1, 'one line');
  assertEqual(events[0][1].length, 20000, 'length');
  assertEqual(editor.line.length, 20000, 'second line being edited');
});

test('line editor: Ctrl-C clears the line, a second one on an empty line interrupts', () => {
  const { editor, events, output } = makeEditor();
  editor.feed('abc');
  output();
  editor.feed('\x03');
  assertEqual([editor.line, output()], ['', '^C\r\n> '], 'first Ctrl-C');
  assertEqual(events, [['cancel']], 'cancel');
  editor.feed('\x03');
  assertEqual(events, [['cancel'], ['interrupt']], 'second Ctrl-C');
  assertEqual(output(), '^C\r\n> ', 'second Ctrl-C output');
  editor.feed('\x03');
  assertEqual(events[2], ['cancel'], 'a third Ctrl-C starts over');
  editor.feed(`${LEFT}\x03`);
  assertEqual(events[3], ['cancel'], 'a key in between starts over');
});

test('line editor: Ctrl-C goes back to the primary prompt', () => {
  const { editor, output } = makeEditor();
  editor.onLine = () => editor.setPrompt(editor.continuationPrompt);
  editor.feed('{\r');
  assertEqual(output(), '{\r\n... ', 'continuation prompt');
  editor.feed('x\x03');
  assertEqual(output(), 'x^C\r\n> ', 'primary prompt again');
});

test('line editor: Ctrl-D ends input on an empty line and deletes otherwise', () => {
  const { editor, events, output } = makeEditor();
  editor.feed(`ab${LEFT}\x04`);
  assertEqual([editor.line, events], ['a', []], 'delete under the cursor');
  editor.feed('\x7f');
  output();
  editor.feed('\x04');
  assertEqual(events, [['eof']], 'eof');
  assertEqual(output(), '', 'eof writes nothing');
});

test('line editor: setPrompt during onLine sets the next prompt, while editing it redraws', () => {
  const { editor, output } = makeEditor();
  editor.onLine = () => editor.setPrompt('... ');
  editor.feed('if (x) {\r');
  assertEqual(output(), 'if (x) {\r\n... ', 'continuation');
  editor.feed('ab');
  output();
  editor.setPrompt('>> ');
  assertEqual(output(), `\r${EL}>> ab`, 'redraw with the new prompt');
});

test('line editor: an escape sequence may be split across feed() calls', () => {
  const { editor, output } = makeEditor();
  editor.feed('ab');
  output();
  editor.feed(ESC);
  editor.feed('[');
  editor.feed('D');
  assertEqual([editor.cursor, output()], [1, '\b'], 'left arrow in three pieces');
});

test('line editor: unknown sequences and control characters are ignored', () => {
  const { editor, output } = makeEditor();
  editor.feed(`a${ESC}[15~${ESC}[Z${ESC}[200~b${ESC}[201~\x07\x1c${ESC}x\u0085c`);
  assertEqual([editor.line, output()], ['abc', 'abc'], 'only text remains');
});

test('line editor: a long line scrolls horizontally within the terminal width', () => {
  const { editor, output } = makeEditor({ columns: 12 }); // 9 cells after "> ", one column kept free
  editor.feed('abcdefghi');
  assertEqual(output(), 'abcdefghi', 'fits');
  editor.feed('j');
  assertEqual(output(), `${ESC}[9Dfghij${EL}`, 'scrolled by half the width (4 cells)');
  editor.feed('\x01');
  assertEqual(output(), `${ESC}[5Dabcdefghi${ESC}[9D`, 'home shows the start');
  editor.feed('\x05');
  assertEqual(output(), `fghij${EL}`, 'end shows the end');
  editor.feed('\r');
  assertEqual(output(), '\r\n> ', 'enter');
});

test('line editor: setColumns redraws the line for the new width', () => {
  const { editor, output } = makeEditor({ columns: 40 });
  editor.feed('abcdefghijkl');
  output();
  editor.setColumns(12);
  assertEqual(output(), `\r${EL}> hijkl`, "scrolled: 9 cells of room, the cursor half a screen in");
});

test('line editor: the width of a colored prompt excludes its escape sequences', () => {
  const { editor, output } = makeEditor({ columns: 8, prompt: `${ESC}[32m> ${ESC}[39m` });
  editor.feed('abcde');
  assertEqual(output(), 'abcde', 'five cells fit after a two-cell prompt');
});

test('line editor: pause() queues input and holds the prompt until resume()', () => {
  const { editor, events, output } = makeEditor();
  editor.onLine = (line) => {
    events.push(['line', line]);
    editor.pause();
  };
  editor.feed('await x\rnext\r');
  assertEqual(events, [['line', 'await x']], 'one line while paused');
  assertEqual(output(), 'await x\r\n', 'no prompt while paused');
  editor.print('result');
  assertEqual(output(), 'result\r\n', 'output while paused');
  editor.resume();
  assertEqual(events, [['line', 'await x'], ['line', 'next']], 'queued line after resume');
  assertEqual(output(), '> next\r\n', 'prompt, then the queued input');
  editor.resume();
  assertEqual(output(), '> ', 'prompt after the second resume');
});

test('line editor: print() writes above the line being edited', () => {
  const { editor, output } = makeEditor();
  editor.feed(`abc${LEFT}`);
  output();
  editor.print('log\n');
  assertEqual(output(), `\r${EL}log\n> abc\b`, 'line redrawn below the output');
});

test('line editor: dumb mode writes no escape sequences, only the prompt and each line', () => {
  const { editor, events, output } = makeEditor({ dumb: true });
  editor.feed(`abd${LEFT}c\x7f\x7fcd${UP}\x0c`);
  assertEqual(output(), '', 'no echo while editing');
  editor.feed('\r');
  assertEqual(events, [['line', 'acdd']], 'edited line');
  assertEqual(output(), 'acdd\r\n> ', 'line echoed once');
  editor.feed('x\x03');
  assertEqual(output(), '^C\r\n> ', 'Ctrl-C');
  editor.feed(UP);
  assertEqual(editor.line, 'acdd', 'history works');
  editor.print('log');
  assertEqual(output(), '\r\nlog\r\n> ', 'print');
});

test('line editor: write is required', () => {
  let message = '';
  try {
    new LineEditor({});
  } catch (err) {
    message = err.message;
  }
  assertEqual(message, 'LineEditor needs a write(text) function', 'error');
});

/**
 * One terminal row as a VT100 shows it: enough to check what the editor draws.
 * Understands printable characters, CR, LF, BS, CSI n C/D, CSI K, CSI H, CSI 2J, SGR.
 */
class ScreenRow {
  constructor(columns) {
    this.columns = columns;
    this.cells = new Array(columns).fill(' ');
    this.column = 0;
  }

  write(text) {
    const chars = Array.from(text);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ESC) {
        let j = i + 2;
        let params = '';
        while (!/[@-~]/.test(chars[j])) params += chars[j++];
        this.csi(params, chars[j]);
        i = j;
      } else if (c === '\r') {
        this.column = 0;
      } else if (c === '\n') {
        this.cells.fill(' ');
      } else if (c === '\b') {
        this.column = Math.max(0, this.column - 1);
      } else {
        if (this.column >= this.columns) throw new Error(`wrote past the right margin: ${JSON.stringify(text)}`);
        this.cells[this.column++] = c;
      }
    }
  }

  csi(params, final) {
    const n = params === '' ? 1 : Number(params);
    if (final === 'C') this.column = Math.min(this.columns - 1, this.column + n);
    else if (final === 'D') this.column = Math.max(0, this.column - n);
    else if (final === 'K') this.cells.fill(' ', this.column);
    else if (final === 'J') this.cells.fill(' ');
    else if (final === 'H') this.column = 0;
  }

  get text() {
    return this.cells.join('').trimEnd();
  }
}

test('line editor: after any edit the screen shows the prompt and the line around the cursor', () => {
  const columns = 16;
  const prompt = '> ';
  const room = columns - 1 - prompt.length;
  const keys = ['a', 'b', 'é', '😀', ' ', '\x7f', '\x08', LEFT, RIGHT, `${ESC}[3~`, '\x01', '\x05', '\x0b',
    '\x15', '\x17', '\t', UP, DOWN, `${ESC}b`, `${ESC}f`, '\x0c', '\r'];
  let seed = 12345;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648; // the C standard's example LCG
    return seed % n;
  };
  const screen = new ScreenRow(columns);
  const editor = new LineEditor({ write: (t) => screen.write(t), prompt, columns });
  editor.start();
  for (let step = 0; step < 3000; step++) {
    const key = keys[random(keys.length)];
    // Mostly text, so that lines get long enough to scroll.
    editor.feed(random(3) === 0 ? key : 'xyz'[random(3)]);
    const line = Array.from(editor.line);
    const start = editor.cursor - (screen.column - prompt.length);
    const shown = line.slice(start, start + room).join('').trimEnd();
    const where = `step ${step} key ${JSON.stringify(key)} line ${JSON.stringify(editor.line)}`;
    assertEqual(screen.text, (prompt + shown).trimEnd(), `screen at ${where}`);
    assertEqual(start >= 0 && start <= editor.cursor && editor.cursor - start <= room, true, `cursor at ${where}`);
  }
});
