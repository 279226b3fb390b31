// node:readline on a terminal (keys, editing, history, completion) and readline/promises.
// Every expectation is what Node 20 gives: this file also runs under Node
// (`node node-readline.test.js`) and passes there.
import { test, assertEqual } from './harness.js';
import readline from 'node:readline';
import readlinePromises from 'node:readline/promises';
import { PassThrough, Readable } from 'node:stream';

// A terminal: keys go in through `input`; what readline draws collects in `output.text`.
function terminal(options = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  output.text = '';
  output.on('data', (d) => { output.text += d; });
  const rl = readline.createInterface({ input, output, terminal: true, ...options });
  const lines = [];
  rl.on('line', (l) => lines.push(l));
  return { input, output, rl, lines };
}

test('readline terminal: keys edit the line (motion, word and line deletion, yank, undo)', () => {
  const { input, rl, lines } = terminal();
  input.write('hello big world');
  input.write('\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D'); // left x5: before "world"
  input.write('\x17'); // ctrl+w deletes "big "
  assertEqual([rl.line, rl.cursor], ['hello world', 6]);
  input.write('\x01'); // ctrl+a: line start
  input.write('\x0b'); // ctrl+k kills the whole line
  assertEqual(rl.line, '');
  input.write('\x19'); // ctrl+y yanks it back
  assertEqual(rl.line, 'hello world');
  input.write('\x1b[1;5D'); // ctrl+left: word left
  assertEqual(rl.cursor, 6);
  input.write('\x1bd'); // meta+d deletes the word to the right
  assertEqual(rl.line, 'hello ');
  input.write('\x1f'); // ctrl+_ undoes
  assertEqual(rl.line, 'hello world');
  input.write('\r');
  assertEqual(lines, ['hello world']);
  rl.close();
});

test('readline terminal: history with prefix search, historySize and removeHistoryDuplicates', () => {
  const { input, rl, lines } = terminal({ historySize: 3, removeHistoryDuplicates: true });
  for (const l of ['git status', 'ls', 'git log', 'ls', 'make']) input.write(`${l}\r`);
  assertEqual(lines, ['git status', 'ls', 'git log', 'ls', 'make']);
  assertEqual(rl.history, ['make', 'ls', 'git log']);
  input.write('gi');
  input.write('\x1b[A'); // up: the newest entry starting with "gi"
  assertEqual(rl.line, 'git log');
  input.write('\x1b[B'); // down: back to what was typed
  assertEqual(rl.line, 'gi');
  rl.close();
});

test('readline terminal: tab completes the common prefix, a second tab lists the choices', () => {
  const { input, output, rl } = terminal({
    completer: (line) => [['alpha', 'alpine', 'beta'].filter((c) => c.startsWith(line)), line],
  });
  input.write('a');
  input.write('\t');
  assertEqual(rl.line, 'alp');
  output.text = '';
  input.write('\t');
  // No output width: one completion a row, then the prompt and line drawn again.
  assertEqual(output.text, '\r\nalpha\r\nalpine\r\n\r\n\x1b[1G\x1b[0J> alp\x1b[6G');
  output.columns = 20; // two 8-cell columns fit
  output.text = '';
  input.write('\t');
  assertEqual(output.text.startsWith('\r\nalpha   alpine\r\n\r\n'), true);
  rl.close();
});

test('readline terminal: the prompt is drawn, Ctrl+C without a SIGINT listener closes', () => {
  const { input, output, rl } = terminal({ prompt: '$ ' });
  let closed = 0;
  rl.on('close', () => closed++);
  rl.prompt();
  assertEqual(output.text, '\x1b[1G\x1b[0J$ \x1b[3G');
  input.write('\x03');
  assertEqual([closed, rl.closed], [1, true]);
});

test('readline: question() on a terminal, and readline/promises question() with an AbortSignal', async () => {
  const { input, output, rl } = terminal();
  const answer = new Promise((resolve) => rl.question('name? ', resolve));
  input.write('ada\r');
  assertEqual(await answer, 'ada');
  assertEqual(output.text.startsWith('\x1b[1G\x1b[0Jname? \x1b[7G'), true);
  rl.close();

  const pin = new PassThrough();
  const prl = readlinePromises.createInterface({ input: pin, output: new PassThrough() });
  const got = prl.question('x? ');
  pin.write('forty-two\n');
  assertEqual(await got, 'forty-two');
  const controller = new AbortController();
  const asked = prl.question('y? ', { signal: controller.signal });
  controller.abort();
  let error;
  try { await asked; } catch (err) { error = err; }
  assertEqual([error && error.name, error && error.code], ['AbortError', 'ABORT_ERR']);
  prl.close();
});

test('readline/promises Readline: actions wait for commit()', async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => { text += d; });
  const r = new readlinePromises.Readline(out);
  r.cursorTo(2, 1).moveCursor(-1, 0).clearLine(1).clearScreenDown();
  assertEqual(text, '');
  await r.commit();
  assertEqual(text, '\x1b[2;3H\x1b[1D\x1b[0K\x1b[0J');
});

test('readline: line iterator pauses its input past 1024 unread lines', async () => {
  const input = new Readable({ read() {} });
  input.push('x\n'.repeat(3000));
  input.push(null);
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const it = rl[Symbol.asyncIterator]();
  let count = 0;
  const paused = [];
  for await (const line of it) {
    if (count === 0) paused.push(input.isPaused());
    assertEqual(line, 'x');
    count++;
  }
  assertEqual([count, paused], [3000, [true]]);
});
