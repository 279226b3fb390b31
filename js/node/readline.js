// node:readline: line-by-line reading of a readable stream (process.stdin: the console),
// with question(), prompt() and async iteration over lines. Line editing on a terminal is
// the console's own (the REPL's editor); this module reads what arrives.
import { EventEmitter } from './events.js';

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

  [Symbol.asyncIterator]() {
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

export function clearLine(stream, dir, callback) { if (callback) queueMicrotask(callback); return true; }
export function clearScreenDown(stream, callback) { if (callback) queueMicrotask(callback); return true; }
export function cursorTo(stream, x, y, callback) { if (typeof y === 'function') y(); else if (callback) queueMicrotask(callback); return true; }
export function moveCursor(stream, dx, dy, callback) { if (callback) queueMicrotask(callback); return true; }
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
