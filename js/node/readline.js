// node:readline: line-by-line reading of a readable stream (process.stdin: the console),
// with question(), prompt() and async iteration over lines. Line editing on a terminal is
// the console's own (the REPL's editor); this module reads what arrives.
import { EventEmitter } from './events.js';
import process from './process.js';
import { codedError } from '../internal/modules/errors.js';
import { invalidArgType, invalidArgValue } from '../internal/node-errors.js';

const LINE_END = /\r?\n|\r(?!\n)/;

export class Interface extends EventEmitter {
  #input;
  #output;
  #buffer = '';
  #questions = [];
  #closed = false;
  #prompt = '> ';
  #onData;
  #onEnd;
  constructor(input, output, completer, terminal) {
    super();
    const options = input && input.input !== undefined ? input : { input, output, completer, terminal };
    this.#input = options.input;
    this.#output = options.output;
    this.terminal = Boolean(options.terminal);
    this.line = '';
    if (options.prompt !== undefined) this.#prompt = String(options.prompt);
    const decoder = new TextDecoder();
    this.#onData = (chunk) => {
      this.#buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      this.#drain();
    };
    this.#onEnd = () => {
      if (this.#buffer.length > 0) {
        const last = this.#buffer;
        this.#buffer = '';
        this.#emitLine(last);
      }
      this.close();
    };
    this.#input.on('data', this.#onData);
    this.#input.on('end', this.#onEnd);
    if (typeof this.#input.resume === 'function') this.#input.resume();
  }

  #drain() {
    let match;
    while (!this.#closed && (match = LINE_END.exec(this.#buffer)) !== null) {
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      this.#emitLine(line);
    }
  }

  #emitLine(line) {
    const question = this.#questions.shift();
    if (question) question(line);
    else this.emit('line', line);
  }

  setPrompt(prompt) { this.#prompt = String(prompt); }
  getPrompt() { return this.#prompt; }
  prompt() { if (this.#output && !this.#closed) this.#output.write(this.#prompt); }
  write(data) { if (typeof data === 'string') this.#onData(data); }

  question(query, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    if (this.#closed) {
      const err = new Error('readline was closed');
      err.code = 'ERR_USE_AFTER_CLOSE';
      throw err;
    }
    if (this.#output) this.#output.write(String(query));
    this.#questions.push((answer) => cb(answer));
  }

  pause() { if (typeof this.#input.pause === 'function') this.#input.pause(); this.emit('pause'); return this; }
  resume() { if (typeof this.#input.resume === 'function') this.#input.resume(); this.emit('resume'); return this; }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#input.removeListener('data', this.#onData);
    this.#input.removeListener('end', this.#onEnd);
    if (typeof this.#input.pause === 'function') this.#input.pause();
    this.emit('close');
  }

  get closed() { return this.#closed; }

  // One iterator per interface, as Node's: a loop inside a loop over the same interface
  // takes the lines the outer one has not.
  #iterator = null;

  [Symbol.asyncIterator]() {
    if (this.#iterator === null) this.#iterator = this.#makeIterator();
    return this.#iterator;
  }

  #makeIterator() {
    const lines = [];
    const waiting = [];
    let done = this.#closed;
    const push = (item) => { const w = waiting.shift(); if (w) w(item); else lines.push(item); };
    this.on('line', (line) => push({ value: line, done: false }));
    this.on('close', () => { done = true; while (waiting.length) waiting.shift()({ value: undefined, done: true }); });
    return {
      next: () => (lines.length ? Promise.resolve(lines.shift())
        : done ? Promise.resolve({ value: undefined, done: true }) : new Promise((resolve) => waiting.push(resolve))),
      return: () => { this.close(); return Promise.resolve({ value: undefined, done: true }); },
      [Symbol.asyncIterator]() { return this; },
    };
  }
}

export function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

// Cursor and erase control sequences (ECMA-48 8.3: CSI is ESC [; CHA, CUP, CUU/CUD/CUF/CUB,
// EL, ED), written to `stream` as Node's readline writes them for a terminal.
const CSI = '\x1b[';
const CLEAR_TO_LINE_BEGINNING = `${CSI}1K`; // EL 1
const CLEAR_TO_LINE_END = `${CSI}0K`; // EL 0
const CLEAR_LINE = `${CSI}2K`; // EL 2
const CLEAR_SCREEN_DOWN = `${CSI}0J`; // ED 0

function checkCallback(callback) {
  if (callback !== undefined && typeof callback !== 'function') throw invalidArgType('callback', 'Function', callback);
}

// Nothing to write (no stream, no movement): the callback still runs, as Node's does.
function nothing(callback) {
  if (callback) process.nextTick(callback, null);
  return true;
}

/** Clears the current line of a terminal: to the left of the cursor (dir < 0), to its right (> 0), or all. */
export function clearLine(stream, dir, callback) {
  checkCallback(callback);
  if (stream === null || stream === undefined) return nothing(callback);
  const type = dir < 0 ? CLEAR_TO_LINE_BEGINNING : dir > 0 ? CLEAR_TO_LINE_END : CLEAR_LINE;
  return stream.write(type, callback);
}

/** Clears a terminal from the cursor down. */
export function clearScreenDown(stream, callback) {
  checkCallback(callback);
  if (stream === null || stream === undefined) return nothing(callback);
  return stream.write(CLEAR_SCREEN_DOWN, callback);
}

/** Moves a terminal's cursor to column x (0-based), and row y when given. */
export function cursorTo(stream, x, y, callback) {
  if (typeof y === 'function') {
    callback = y;
    y = undefined;
  }
  checkCallback(callback);
  if (Number.isNaN(x)) throw invalidArgValue('x', x);
  if (Number.isNaN(y)) throw invalidArgValue('y', y);
  if (stream === null || stream === undefined || (typeof x !== 'number' && typeof y !== 'number')) return nothing(callback);
  if (typeof x !== 'number') throw codedError(TypeError, 'ERR_INVALID_CURSOR_POS', 'Cannot set cursor row without setting its column');
  const data = typeof y !== 'number' ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`;
  return stream.write(data, callback);
}

/** Moves a terminal's cursor by dx columns and dy rows. */
export function moveCursor(stream, dx, dy, callback) {
  checkCallback(callback);
  if (stream === null || stream === undefined || !(dx || dy)) return nothing(callback);
  let data = '';
  if (dx < 0) data += `${CSI}${-dx}D`;
  else if (dx > 0) data += `${CSI}${dx}C`;
  if (dy < 0) data += `${CSI}${-dy}A`;
  else if (dy > 0) data += `${CSI}${dy}B`;
  return stream.write(data, callback);
}
export function emitKeypressEvents() {}

export const promises = {
  Interface,
  createInterface(...args) {
    const rl = new Interface(...args);
    const question = rl.question.bind(rl);
    rl.question = (query, options) => new Promise((resolve) => question(query, options, resolve));
    return rl;
  },
};

export default { Interface, createInterface, clearLine, clearScreenDown, cursorTo, moveCursor, emitKeypressEvents, promises };
