// node:readline: lines from a readable stream, as Node's readline.
//
// An Interface reads its input one of two ways. Without a terminal it decodes the input's
// data as UTF-8 and splits it into lines (CR LF, LF, CR, U+2028, U+2029). On a terminal
// (`terminal: true`, or an output that is a TTY) it sets the input raw, decodes keys
// (emitKeypressEvents) and edits the line itself, as Node's readline does: cursor motion,
// word and line deletion, history with prefix search, undo, a kill ring, tab completion,
// drawn on the output with ECMA-48 sequences. The editing methods keep Node's underscore
// names (`_ttyWrite`, `_refreshLine`, `_writeToOutput`...), which packages override.
import { EventEmitter, on as eventsOn } from './events.js';
import process from './process.js';
import { StringDecoder } from './string_decoder.js';
import { inspect, stripVTControlCharacters } from './util.js';
import { codedError, abortError } from '../internal/modules/errors.js';
import { invalidArgType, invalidArgValue, outOfRange } from '../internal/node-errors.js';
import {
  emitKeypressEvents, charLengthAt, charLengthLeft, commonPrefix, getStringWidth, ESCAPE_CODE_TIMEOUT,
} from '../internal/readline-keys.js';
import { kFirstEventParam } from '../internal/event-symbols.js';

export { emitKeypressEvents };

// Node's defaults: 30 history entries; a CR followed by LF within 100 ms is one line end.
const HISTORY_SIZE = 30;
const MIN_CRLF_DELAY = 100;
const TAB_SIZE = 8;
const MAX_UNDO = 2048;
const MAX_KILL_RING = 32;
// Lines the async iterator queues before it pauses the input (Node's figure).
const ITERATOR_HIGH_WATER_MARK = 1024;

// The ends of a line: CR LF, LF, a CR not followed by LF, LINE and PARAGRAPH SEPARATOR.
const LINE_ENDING = /\r?\n|\r(?!\n)|\u2028|\u2029/g;

const NO_KEY = Object.freeze({});

// Shared with readline/promises' Interface, out of the public names.
const kQuestion = Symbol('question');
const kQuestionCancel = Symbol('questionCancel');
const kQuestionReject = Symbol('questionReject');
const kTabCompleter = Symbol('tabCompleter');

function useAfterClose() {
  return codedError(Error, 'ERR_USE_AFTER_CLOSE', 'readline was closed');
}

class ReadlineInterface extends EventEmitter {
  #decoder = null;
  #lineBuffer = '';
  #sawReturnAt = 0;
  #questionCallback = null;
  #oldPrompt = '';
  #prompt = '> ';
  #previousKey = null;
  #substringSearch = null;
  #undoStack = [];
  #redoStack = [];
  #killRing = [];
  #killRingCursor = 0;
  #yanking = false;
  #lineIterator;

  constructor(input, output, completer, terminal) {
    super();
    this.isCompletionEnabled = true;
    this.escapeCodeTimeout = ESCAPE_CODE_TIMEOUT;
    this.tabSize = TAB_SIZE;
    let historySize;
    let history;
    let removeHistoryDuplicates = false;
    let crlfDelay;
    let prompt = '> ';
    let signal;
    if (input && input.input) {
      const options = input;
      output = options.output;
      completer = options.completer;
      terminal = options.terminal;
      history = options.history;
      historySize = options.historySize;
      signal = options.signal;
      removeHistoryDuplicates = Boolean(options.removeHistoryDuplicates);
      if (options.tabSize !== undefined) {
        if (!Number.isInteger(options.tabSize)) throw invalidArgType('tabSize', 'number', options.tabSize);
        if (options.tabSize < 1 || options.tabSize > 0xffffffff) {
          throw outOfRange('tabSize', '>= 1 && <= 4294967295', options.tabSize);
        }
        this.tabSize = options.tabSize;
      }
      if (options.prompt !== undefined) prompt = options.prompt;
      if (options.escapeCodeTimeout !== undefined) {
        if (!Number.isFinite(options.escapeCodeTimeout)) {
          throw invalidArgValue('input.escapeCodeTimeout', this.escapeCodeTimeout);
        }
        this.escapeCodeTimeout = options.escapeCodeTimeout;
      }
      if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
        throw invalidArgType('options.signal', 'AbortSignal', signal);
      }
      crlfDelay = options.crlfDelay;
      input = options.input;
    }
    if (history === undefined) history = [];
    else if (!Array.isArray(history)) throw invalidArgType('history', 'Array', history);
    if (historySize === undefined) historySize = HISTORY_SIZE;
    if (typeof historySize !== 'number' || Number.isNaN(historySize) || historySize < 0) {
      throw codedError(RangeError, 'ERR_INVALID_ARG_VALUE',
        `The argument 'historySize' is invalid. Received ${inspect(historySize)}`);
    }
    if (completer !== undefined && typeof completer !== 'function') throw invalidArgValue('completer', completer);
    if (terminal === undefined && output !== null && output !== undefined) terminal = Boolean(output.isTTY);

    this.line = '';
    this.cursor = 0;
    this.output = output;
    this.input = input;
    this.history = history;
    this.historySize = historySize;
    this.historyIndex = -1;
    this.removeHistoryDuplicates = removeHistoryDuplicates;
    this.crlfDelay = crlfDelay ? Math.max(MIN_CRLF_DELAY, crlfDelay) : MIN_CRLF_DELAY;
    this.completer = completer;
    this.setPrompt(prompt);
    this.terminal = Boolean(terminal);
    this.closed = false;
    this.paused = false;

    const onError = (err) => this.emit('error', err);
    input.on('error', onError);
    if (!this.terminal) {
      const onData = (data) => this._normalWrite(data);
      const onEnd = () => {
        if (this.#lineBuffer.length > 0) this.emit('line', this.#lineBuffer);
        this.close();
      };
      input.on('data', onData);
      input.on('end', onEnd);
      this.once('close', () => {
        input.removeListener('data', onData);
        input.removeListener('error', onError);
        input.removeListener('end', onEnd);
      });
      this.#decoder = new StringDecoder('utf8');
    } else {
      const onKeypress = (s, key) => {
        this._ttyWrite(s, key);
        // Half of a surrogate pair arrived alone: redraw once the character is whole.
        const first = key && key.sequence ? key.sequence.codePointAt(0) : 0;
        if (first >= 0xd800 && first <= 0xdfff) this._refreshLine();
      };
      const onTermEnd = () => {
        if (typeof this.line === 'string' && this.line.length > 0) this.emit('line', this.line);
        this.close();
      };
      const onResize = () => this._refreshLine();
      emitKeypressEvents(input, this);
      input.on('keypress', onKeypress);
      input.on('end', onTermEnd);
      this._setRawMode(true);
      if (output !== null && output !== undefined) output.on('resize', onResize);
      this.once('close', () => {
        input.removeListener('keypress', onKeypress);
        input.removeListener('error', onError);
        input.removeListener('end', onTermEnd);
        if (output !== null && output !== undefined) output.removeListener('resize', onResize);
      });
    }
    if (signal) {
      const onAbort = () => this.close();
      if (signal.aborted) {
        process.nextTick(onAbort);
      } else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.once('close', () => signal.removeEventListener('abort', onAbort));
      }
    }
    if (process.env.TERM === 'dumb') this._ttyWrite = dumbTtyWrite;
    input.resume();
  }

  /** Terminal width: the output's, or unlimited. */
  get columns() {
    if (this.output && this.output.columns) return this.output.columns;
    return Infinity;
  }

  setPrompt(prompt) { this.#prompt = prompt; }
  getPrompt() { return this.#prompt; }

  _setRawMode(mode) {
    const wasRaw = this.input.isRaw;
    if (typeof this.input.setRawMode === 'function') this.input.setRawMode(mode);
    return wasRaw;
  }

  /** Writes the prompt; on a terminal, redraws the line with it. */
  prompt(preserveCursor) {
    if (this.paused) this.resume();
    if (this.terminal && process.env.TERM !== 'dumb') {
      if (!preserveCursor) this.cursor = 0;
      this._refreshLine();
    } else {
      this._writeToOutput(this.#prompt);
    }
  }

  question(query, options, cb) {
    cb = typeof options === 'function' ? options : cb;
    if (options !== null && typeof options === 'object' && options.signal !== undefined) {
      const { signal } = options;
      if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
        throw invalidArgType('options.signal', 'AbortSignal', signal);
      }
      if (signal.aborted) return;
      const onAbort = () => this[kQuestionCancel]();
      signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal.removeEventListener('abort', onAbort);
      const original = cb;
      cb = typeof original === 'function' ? (answer) => { cleanup(); return original(answer); } : cleanup;
    }
    if (typeof cb === 'function') this[kQuestion](query, cb);
  }

  [kQuestion](query, cb) {
    if (this.closed) throw useAfterClose();
    if (this.#questionCallback) {
      this.prompt();
    } else {
      this.#oldPrompt = this.#prompt;
      this.setPrompt(query);
      this.#questionCallback = cb;
      this.prompt();
    }
  }

  [kQuestionCancel]() {
    if (this.#questionCallback) {
      this.#questionCallback = null;
      this.setPrompt(this.#oldPrompt);
      this.clearLine();
    }
  }

  _onLine(line) {
    if (this.#questionCallback) {
      const cb = this.#questionCallback;
      this.#questionCallback = null;
      this.setPrompt(this.#oldPrompt);
      cb(line);
    } else {
      this.emit('line', line);
    }
  }

  _writeToOutput(stringToWrite) {
    if (typeof stringToWrite !== 'string') throw invalidArgType('stringToWrite', 'string', stringToWrite);
    if (this.output !== null && this.output !== undefined) this.output.write(stringToWrite);
  }

  _addHistory() {
    if (this.line.length === 0) return '';
    if (this.historySize === 0) return this.line;
    if (this.line.trim().length === 0) return this.line;
    if (this.history.length === 0 || this.history[0] !== this.line) {
      if (this.removeHistoryDuplicates) {
        const at = this.history.indexOf(this.line);
        if (at !== -1) this.history.splice(at, 1);
      }
      this.history.unshift(this.line);
      if (this.history.length > this.historySize) this.history.pop();
    }
    this.historyIndex = -1;
    // A 'history' listener may take the entry out again (a password): answer what is left.
    const line = this.history[0];
    this.emit('history', this.history);
    return line;
  }

  /** Redraws prompt and line from the first row they take, and puts the cursor back. */
  _refreshLine() {
    const line = this.#prompt + this.line;
    const end = this._getDisplayPos(line);
    const cursorPos = this.getCursorPos();
    const prevRows = this.prevRows || 0;
    if (prevRows > 0) moveCursor(this.output, 0, -prevRows);
    cursorTo(this.output, 0);
    clearScreenDown(this.output);
    this._writeToOutput(line);
    // At the last column the terminal has not moved to the next row yet: a space makes it.
    if (end.cols === 0) this._writeToOutput(' ');
    cursorTo(this.output, cursorPos.cols);
    const diff = end.rows - cursorPos.rows;
    if (diff > 0) moveCursor(this.output, 0, -diff);
    this.prevRows = cursorPos.rows;
  }

  close() {
    if (this.closed) return;
    this.pause();
    if (this.terminal) this._setRawMode(false);
    this.closed = true;
    this.emit('close');
  }

  pause() {
    if (this.closed) throw useAfterClose();
    if (this.paused) return undefined;
    this.input.pause();
    this.paused = true;
    this.emit('pause');
    return this;
  }

  resume() {
    if (this.closed) throw useAfterClose();
    if (!this.paused) return undefined;
    this.input.resume();
    this.paused = false;
    this.emit('resume');
    return this;
  }

  /** Feeds `d` (or the key `key`) as if typed. */
  write(d, key) {
    if (this.closed) throw useAfterClose();
    if (this.paused) this.resume();
    if (this.terminal) this._ttyWrite(d, key);
    else this._normalWrite(d);
  }

  _normalWrite(b) {
    if (b === undefined) return;
    let string = this.#decoder.write(b);
    if (this.#sawReturnAt && Date.now() - this.#sawReturnAt <= this.crlfDelay) {
      if (string.codePointAt(0) === 10) string = string.slice(1); // the LF of a CR LF split across chunks
      this.#sawReturnAt = 0;
    }
    if (!string) return;
    const lines = string.split(LINE_ENDING);
    const last = lines.length - 1;
    if (last === 0) {
      this.#lineBuffer += string;
      return;
    }
    this.#sawReturnAt = string.endsWith('\r') ? Date.now() : 0;
    const first = this.#lineBuffer + lines[0];
    this.#lineBuffer = lines[last];
    this._onLine(first);
    for (let i = 1; i < last && !this.closed; i++) this._onLine(lines[i]);
  }

  _insertString(c) {
    this.#beforeEdit();
    if (this.cursor < this.line.length) {
      this.line = this.line.slice(0, this.cursor) + c + this.line.slice(this.cursor);
      this.cursor += c.length;
      this._refreshLine();
    } else {
      const oldPos = this.getCursorPos();
      this.line += c;
      this.cursor += c.length;
      const newPos = this.getCursorPos();
      if (oldPos.rows < newPos.rows) this._refreshLine();
      else this._writeToOutput(c);
    }
  }

  // Callback completers, as readline's (readline/promises awaits one returning a promise).
  _tabComplete(lastKeypressWasTab) {
    this.pause();
    const string = this.line.slice(0, this.cursor);
    this.completer(string, (err, value) => {
      this.resume();
      if (err) {
        this._writeToOutput(`Tab completion error: ${inspect(err)}`);
        return;
      }
      this[kTabCompleter](lastKeypressWasTab, value);
    });
  }

  /** Applies a completer's answer [completions, the text completed]. */
  [kTabCompleter](lastKeypressWasTab, value) {
    const completions = value ? value[0] : undefined;
    const completeOn = value ? value[1] : undefined;
    if (!completions || completions.length === 0) return;
    const prefix = commonPrefix(completions.filter((e) => e !== ''));
    if (prefix.startsWith(completeOn) && prefix.length > completeOn.length) {
      this._insertString(prefix.slice(completeOn.length));
      return;
    }
    if (!completeOn.startsWith(prefix)) {
      this.line = this.line.slice(0, this.cursor - completeOn.length) + prefix + this.line.slice(this.cursor);
      this.cursor = this.cursor - completeOn.length + prefix.length;
      this._refreshLine();
      return;
    }
    if (!lastKeypressWasTab) return; // the second tab lists what the first could not decide
    this.#beforeEdit();
    // In columns as wide as the widest completion and two spaces; '' starts a new group.
    const widths = completions.map((e) => getStringWidth(e));
    const width = Math.max(...widths) + 2;
    let maxColumns = Math.floor(this.columns / width) || 1;
    if (maxColumns === Infinity) maxColumns = 1;
    let out = '\r\n';
    let column = 0;
    let pad = 0;
    for (let i = 0; i < completions.length; i++) {
      const completion = completions[i];
      if (completion === '' || column === maxColumns) {
        out += '\r\n';
        column = 0;
        pad = 0;
      } else {
        out += ' '.repeat(pad);
      }
      if (completion !== '') {
        out += completion;
        pad = width - widths[i];
        column++;
      } else {
        out += '\r\n';
      }
    }
    if (column !== 0) out += '\r\n\r\n';
    this._writeToOutput(out);
    this._refreshLine();
  }

  _wordLeft() {
    if (this.cursor > 0) this._moveCursor(-wordBefore(this.line.slice(0, this.cursor)));
  }

  _wordRight() {
    if (this.cursor < this.line.length) {
      const match = /^(?:\s+|[^\w\s]+|\w+)\s*/.exec(this.line.slice(this.cursor));
      this._moveCursor(match[0].length);
    }
  }

  _deleteLeft() {
    if (this.cursor > 0 && this.line.length > 0) {
      this.#beforeEdit();
      const size = charLengthLeft(this.line, this.cursor);
      this.line = this.line.slice(0, this.cursor - size) + this.line.slice(this.cursor);
      this.cursor -= size;
      this._refreshLine();
    }
  }

  _deleteRight() {
    if (this.cursor < this.line.length) {
      this.#beforeEdit();
      const size = charLengthAt(this.line, this.cursor);
      this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + size);
      this._refreshLine();
    }
  }

  _deleteWordLeft() {
    if (this.cursor > 0) {
      this.#beforeEdit();
      const leading = this.line.slice(0, this.cursor);
      const kept = leading.slice(0, leading.length - wordBefore(leading));
      this.line = kept + this.line.slice(this.cursor);
      this.cursor = kept.length;
      this._refreshLine();
    }
  }

  _deleteWordRight() {
    if (this.cursor < this.line.length) {
      this.#beforeEdit();
      const trailing = this.line.slice(this.cursor);
      const match = /^(?:\s+|\W+|\w+)\s*/.exec(trailing);
      this.line = this.line.slice(0, this.cursor) + trailing.slice(match[0].length);
      this._refreshLine();
    }
  }

  _deleteLineLeft() {
    this.#beforeEdit();
    const deleted = this.line.slice(0, this.cursor);
    this.line = this.line.slice(this.cursor);
    this.cursor = 0;
    this.#pushToKillRing(deleted);
    this._refreshLine();
  }

  _deleteLineRight() {
    this.#beforeEdit();
    const deleted = this.line.slice(this.cursor);
    this.line = this.line.slice(0, this.cursor);
    this.#pushToKillRing(deleted);
    this._refreshLine();
  }

  #pushToKillRing(deleted) {
    if (!deleted || deleted === this.#killRing[0]) return;
    this.#killRing.unshift(deleted);
    this.#killRingCursor = 0;
    while (this.#killRing.length > MAX_KILL_RING) this.#killRing.pop();
  }

  #yank() {
    if (this.#killRing.length > 0) {
      this.#yanking = true;
      this._insertString(this.#killRing[this.#killRingCursor]);
    }
  }

  // Meta+Y after a yank: replace what was yanked with the next older kill.
  #yankPop() {
    if (!this.#yanking || this.#killRing.length < 2) return;
    const last = this.#killRing[this.#killRingCursor];
    this.#killRingCursor = (this.#killRingCursor + 1) % this.#killRing.length;
    const current = this.#killRing[this.#killRingCursor];
    const head = this.line.slice(0, this.cursor - last.length);
    this.line = head + current + this.line.slice(this.cursor);
    this.cursor = head.length + current.length;
    this._refreshLine();
  }

  /** Ends the line being edited: a new row on the output, and the line to its reader. */
  clearLine() {
    this._moveCursor(+Infinity);
    this._writeToOutput('\r\n');
    this.line = '';
    this.cursor = 0;
    this.prevRows = 0;
  }

  _line() {
    const line = this._addHistory();
    this.#undoStack = [];
    this.#redoStack = [];
    this.clearLine();
    this._onLine(line);
  }

  #beforeEdit() {
    if (this.#undoStack.push({ text: this.line, cursor: this.cursor }) > MAX_UNDO) this.#undoStack.shift();
  }

  // Undo takes the edit stack's last state and keeps the current one for redo; redo the reverse.
  #undo() { this.#restoreEdit(this.#undoStack, this.#redoStack); }
  #redo() { this.#restoreEdit(this.#redoStack, this.#undoStack); }

  #restoreEdit(from, to) {
    if (from.length === 0) return;
    to.push({ text: this.line, cursor: this.cursor });
    const entry = from.pop();
    this.line = entry.text;
    this.cursor = entry.cursor;
    this._refreshLine();
  }

  // History moves skip entries that do not start with what was typed before the first
  // up/down (the substring search), and entries equal to the line shown.
  _historyNext() {
    if (this.historyIndex < 0) return;
    this.#beforeEdit();
    const search = this.#substringSearch || '';
    let index = this.historyIndex - 1;
    while (index >= 0 && (!this.history[index].startsWith(search) || this.line === this.history[index])) index--;
    this.line = index === -1 ? search : this.history[index];
    this.historyIndex = index;
    this.cursor = this.line.length;
    this._refreshLine();
  }

  _historyPrev() {
    if (this.historyIndex >= this.history.length || this.history.length === 0) return;
    this.#beforeEdit();
    const search = this.#substringSearch || '';
    let index = this.historyIndex + 1;
    while (index < this.history.length &&
      (!this.history[index].startsWith(search) || this.line === this.history[index])) index++;
    this.line = index === this.history.length ? search : this.history[index];
    this.historyIndex = index;
    this.cursor = this.line.length;
    this._refreshLine();
  }

  /** Row and column (0-based) where `str` ends on the output, wrapping at `columns`. */
  _getDisplayPos(str) {
    let offset = 0;
    const col = this.columns;
    let rows = 0;
    for (const char of stripVTControlCharacters(str)) {
      if (char === '\n') {
        rows += Math.ceil(offset / col) || 1;
        offset = 0;
        continue;
      }
      if (char === '\t') {
        offset += this.tabSize - (offset % this.tabSize);
        continue;
      }
      const width = getStringWidth(char);
      if (width === 0 || width === 1) {
        offset += width;
      } else {
        // A wide character does not split across rows: it starts the next one instead.
        if ((offset + 1) % col === 0) offset++;
        offset += 2;
      }
    }
    const cols = offset % col;
    rows += (offset - cols) / col;
    return { cols, rows };
  }

  /** Where the cursor is, relative to the start of the prompt. */
  getCursorPos() {
    return this._getDisplayPos(this.#prompt + this.line.slice(0, this.cursor));
  }

  _moveCursor(dx) {
    if (dx === 0) return;
    const oldPos = this.getCursorPos();
    this.cursor = Math.min(Math.max(this.cursor + dx, 0), this.line.length);
    const newPos = this.getCursorPos();
    if (oldPos.rows === newPos.rows) moveCursor(this.output, newPos.cols - oldPos.cols, 0);
    else this._refreshLine();
  }

  /** One key (or a string typed or pasted) on a terminal. */
  _ttyWrite(s, key) {
    const previousKey = this.#previousKey;
    key = key || NO_KEY;
    this.#previousKey = key;
    if (!key.meta || key.name !== 'y') this.#yanking = false;

    if ((key.name === 'up' || key.name === 'down') && !key.ctrl && !key.meta && !key.shift) {
      if (this.#substringSearch === null) this.#substringSearch = this.line.slice(0, this.cursor);
    } else if (this.#substringSearch !== null) {
      this.#substringSearch = null;
      if (this.history.length === this.historyIndex) this.historyIndex = -1;
    }

    // Ctrl+_ (US, 0x1f) undoes, Ctrl+^ (RS, 0x1e) redoes.
    if (typeof key.sequence === 'string') {
      const code = key.sequence.codePointAt(0);
      if (code === 0x1f) { this.#undo(); return; }
      if (code === 0x1e) { this.#redo(); return; }
    }
    if (key.name === 'escape') return;

    if (key.ctrl && key.shift) {
      if (key.name === 'backspace') this._deleteLineLeft();
      else if (key.name === 'delete') this._deleteLineRight();
    } else if (key.ctrl) {
      this.#ctrlKey(key);
    } else if (key.meta) {
      switch (key.name) {
        case 'b': this._wordLeft(); break;
        case 'f': this._wordRight(); break;
        case 'd':
        case 'delete': this._deleteWordRight(); break;
        case 'backspace': this._deleteWordLeft(); break;
        case 'y': this.#yankPop(); break;
        default: break;
      }
    } else {
      this.#plainKey(s, key, previousKey);
    }
  }

  #ctrlKey(key) {
    switch (key.name) {
      case 'c':
        if (this.listenerCount('SIGINT') > 0) {
          this.emit('SIGINT');
        } else {
          this.close();
          this[kQuestionReject]?.(abortWith('Aborted with Ctrl+C'));
        }
        break;
      case 'h': this._deleteLeft(); break;
      case 'd':
        if (this.cursor === 0 && this.line.length === 0) {
          this.close();
          this[kQuestionReject]?.(abortWith('Aborted with Ctrl+D'));
        } else if (this.cursor < this.line.length) {
          this._deleteRight();
        }
        break;
      case 'u': this._deleteLineLeft(); break;
      case 'k': this._deleteLineRight(); break;
      case 'a': this._moveCursor(-Infinity); break;
      case 'e': this._moveCursor(+Infinity); break;
      case 'b': this._moveCursor(-charLengthLeft(this.line, this.cursor)); break;
      case 'f': this._moveCursor(+charLengthAt(this.line, this.cursor)); break;
      case 'l':
        cursorTo(this.output, 0, 0);
        clearScreenDown(this.output);
        this._refreshLine();
        break;
      case 'n': this._historyNext(); break;
      case 'p': this._historyPrev(); break;
      case 'y': this.#yank(); break;
      case 'z':
        // Job control: the app's console has no shell to stop it for, so only a listener
        // of the interface's own SIGTSTP hears it.
        if (this.listenerCount('SIGTSTP') > 0) this.emit('SIGTSTP');
        break;
      case 'w':
      case 'backspace': this._deleteWordLeft(); break;
      case 'delete': this._deleteWordRight(); break;
      case 'left': this._wordLeft(); break;
      case 'right': this._wordRight(); break;
      default: break;
    }
  }

  #plainKey(s, key, previousKey) {
    // A CR only matters to a LF right after it.
    if (this.#sawReturnAt && key.name !== 'enter') this.#sawReturnAt = 0;
    switch (key.name) {
      case 'return':
        this.#sawReturnAt = Date.now();
        this._line();
        return;
      case 'enter':
        // The LF of a CR LF ends no second line, unless it came after crlfDelay.
        if (this.#sawReturnAt === 0 || Date.now() - this.#sawReturnAt > this.crlfDelay) this._line();
        this.#sawReturnAt = 0;
        return;
      case 'backspace': this._deleteLeft(); return;
      case 'delete': this._deleteRight(); return;
      case 'left': this._moveCursor(-charLengthLeft(this.line, this.cursor)); return;
      case 'right': this._moveCursor(+charLengthAt(this.line, this.cursor)); return;
      case 'home': this._moveCursor(-Infinity); return;
      case 'end': this._moveCursor(+Infinity); return;
      case 'up': this._historyPrev(); return;
      case 'down': this._historyNext(); return;
      case 'tab':
        if (typeof this.completer === 'function' && this.isCompletionEnabled) {
          this._tabComplete(Boolean(previousKey && previousKey.name === 'tab'));
          return;
        }
        break;
      default:
        break;
    }
    if (typeof s !== 'string' || !s) return;
    // Text with line ends in it (a paste, or write()): each line ends as Enter would end it.
    // A regular expression of this call's own, since a 'line' listener may write again.
    const ending = new RegExp(LINE_ENDING.source, 'g');
    let lastIndex = 0;
    let match;
    while ((match = ending.exec(s)) !== null) {
      this._insertString(s.slice(lastIndex, match.index));
      lastIndex = ending.lastIndex;
      this._line();
    }
    this._insertString(s.slice(lastIndex));
  }

  /** Lines as an async iterator; it pauses the input while 1024 lines wait unread. */
  [Symbol.asyncIterator]() {
    if (this.#lineIterator === undefined) {
      this.#lineIterator = eventsOn(this, 'line', {
        close: ['close'], highWaterMark: ITERATOR_HIGH_WATER_MARK, [kFirstEventParam]: true,
      });
    }
    return this.#lineIterator;
  }

  [Symbol.dispose ?? Symbol.for('nodejs.dispose')]() { this.close(); }
}

function abortWith(message) {
  const err = abortError();
  err.message = message;
  return err;
}

// Characters before the end of `leading` that a word motion crosses: spaces, then a run of
// word characters or of punctuation.
function wordBefore(leading) {
  const reversed = Array.from(leading).reverse().join('');
  return /^\s*(?:[^\w\s]+|\w+)?/.exec(reversed)[0].length;
}

// TERM=dumb: no editing, no redraws; the text goes to the output as typed.
function dumbTtyWrite(s, key) {
  key = key || NO_KEY;
  if (key.name === 'escape') return;
  if (key.ctrl && key.name === 'c') {
    if (this.listenerCount('SIGINT') > 0) this.emit('SIGINT');
    else this.close();
    return;
  }
  if (key.ctrl && key.name === 'd') {
    this.close();
    return;
  }
  if (key.name === 'return' || key.name === 'enter') {
    this._line();
    return;
  }
  if (typeof s === 'string' && s) {
    this.line += s;
    this.cursor += s.length;
    this._writeToOutput(s);
  }
}

/**
 * The Interface constructor, callable with or without `new`, as Node's. A completer of one
 * argument (returning [completions, text]) is wrapped into the callback form.
 */
export function Interface(input, output, completer, terminal) {
  if (input && input.input && typeof input.completer === 'function' && input.completer.length !== 2) {
    const sync = input.completer;
    input = { ...input, completer: (v, cb) => cb(null, sync(v)) };
  } else if (typeof completer === 'function' && completer.length !== 2) {
    const sync = completer;
    completer = (v, cb) => cb(null, sync(v));
  }
  return Reflect.construct(ReadlineInterface, [input, output, completer, terminal], new.target || Interface);
}
Interface.prototype = ReadlineInterface.prototype;
Object.defineProperty(Interface.prototype, 'constructor', { value: Interface, writable: true, configurable: true });
Object.setPrototypeOf(Interface, EventEmitter);

// question()'s promise form for util.promisify, as Node's.
Object.defineProperty(ReadlineInterface.prototype.question, Symbol.for('nodejs.util.promisify.custom'), {
  value: function question(query, options) {
    return new Promise((resolve, reject) => {
      if (options && options.signal && options.signal.aborted) {
        reject(abortError(options.signal));
        return;
      }
      if (options && options.signal) {
        options.signal.addEventListener('abort', () => reject(abortError(options.signal)), { once: true });
      }
      this.question(query, options || {}, resolve);
    });
  },
});

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

function clearLineSequence(dir) {
  return dir < 0 ? CLEAR_TO_LINE_BEGINNING : dir > 0 ? CLEAR_TO_LINE_END : CLEAR_LINE;
}

function cursorToSequence(x, y) {
  if (Number.isNaN(x)) throw invalidArgValue('x', x);
  if (Number.isNaN(y)) throw invalidArgValue('y', y);
  if (typeof x !== 'number' && typeof y !== 'number') return '';
  if (typeof x !== 'number') throw codedError(TypeError, 'ERR_INVALID_CURSOR_POS', 'Cannot set cursor row without setting its column');
  return typeof y !== 'number' ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`;
}

function moveCursorSequence(dx, dy) {
  let data = '';
  if (dx < 0) data += `${CSI}${-dx}D`;
  else if (dx > 0) data += `${CSI}${dx}C`;
  if (dy < 0) data += `${CSI}${-dy}A`;
  else if (dy > 0) data += `${CSI}${dy}B`;
  return data;
}

/** Clears the current line of a terminal: to the left of the cursor (dir < 0), to its right (> 0), or all. */
export function clearLine(stream, dir, callback) {
  checkCallback(callback);
  if (stream === null || stream === undefined) return nothing(callback);
  return stream.write(clearLineSequence(dir), callback);
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
  if (stream === null || stream === undefined) return nothing(callback);
  const data = cursorToSequence(x, y);
  if (data === '') return nothing(callback);
  return stream.write(data, callback);
}

/** Moves a terminal's cursor by dx columns and dy rows. */
export function moveCursor(stream, dx, dy, callback) {
  checkCallback(callback);
  if (stream === null || stream === undefined || !(dx || dy)) return nothing(callback);
  return stream.write(moveCursorSequence(dx, dy), callback);
}

/** readline/promises' Interface: question() answers with a promise. */
class PromisesInterface extends ReadlineInterface {
  question(query, options = {}) {
    return new Promise((resolve, reject) => {
      let cb = resolve;
      const signal = options ? options.signal : undefined;
      if (signal !== undefined) {
        if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
          throw invalidArgType('options.signal', 'AbortSignal', signal);
        }
        if (signal.aborted) {
          reject(abortError(signal));
          return;
        }
        const onAbort = () => {
          this[kQuestionCancel]();
          reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        cb = (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
        };
      }
      this[kQuestionReject] = reject;
      this[kQuestion](query, cb);
    });
  }

  // A completer may answer directly or with a promise.
  async _tabComplete(lastKeypressWasTab) {
    this.pause();
    const string = this.line.slice(0, this.cursor);
    let value;
    try {
      value = await this.completer(string);
    } catch (err) {
      this._writeToOutput(`Tab completion error: ${inspect(err)}`);
      return;
    } finally {
      this.resume();
    }
    this[kTabCompleter](lastKeypressWasTab, value);
  }
}

/**
 * readline/promises' Readline: cursor and erase actions queued on a terminal stream and
 * written together by commit() (or dropped by rollback()).
 */
export class Readline {
  #stream;
  #autoCommit;
  #todo = [];

  constructor(stream, options = undefined) {
    if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function') {
      throw invalidArgType('stream', 'Writable', stream);
    }
    this.#stream = stream;
    this.#autoCommit = Boolean(options && options.autoCommit);
  }

  #queue(data) {
    if (this.#autoCommit) process.nextTick(() => this.#stream.write(data));
    else this.#todo.push(data);
    return this;
  }

  cursorTo(x, y = undefined) {
    if (!Number.isInteger(x) && typeof x === 'number') throw invalidArgValue('x', x);
    if (typeof x !== 'number') throw invalidArgType('x', 'number', x);
    if (y !== undefined && typeof y !== 'number') throw invalidArgType('y', 'number', y);
    return this.#queue(cursorToSequence(x, y));
  }

  moveCursor(dx, dy) {
    if (dx || dy) this.#queue(moveCursorSequence(dx, dy));
    return this;
  }

  clearLine(dir) {
    if (typeof dir !== 'number' || ![-1, 0, 1].includes(dir)) throw invalidArgValue('dir', dir);
    return this.#queue(clearLineSequence(dir));
  }

  clearScreenDown() { return this.#queue(CLEAR_SCREEN_DOWN); }

  commit() {
    const data = this.#todo.join('');
    this.#todo = [];
    return new Promise((resolve) => this.#stream.write(data, resolve));
  }

  rollback() {
    this.#todo = [];
    return this;
  }
}

export const promises = {
  Interface: PromisesInterface,
  Readline,
  createInterface(input, output, completer, terminal) {
    return new PromisesInterface(input, output, completer, terminal);
  },
};

export default {
  Interface, createInterface, clearLine, clearScreenDown, cursorTo, moveCursor, emitKeypressEvents, promises,
};
