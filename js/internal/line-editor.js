// A line editor for the console, fed with the raw bytes a terminal sends.
//
// The same editor serves a Linux terminal in raw mode, a serial line and the
// VGA console, so it only sends what a VT100 understands: "\r\n", BS, EL
// (ESC [K), cursor left/right (ESC [n D / ESC [n C) and, for Ctrl-L, ED + CUP.
// Lines longer than the screen scroll horizontally inside one row (so the
// editor never has to know how the terminal wraps), and every redraw sends only
// the cells that changed. With `dumb: true` (output is a file or a pipe) no
// escape sequence is sent at all: the prompt, then each accepted line once.
//
// Sequences: ECMA-48 (CSI, EL, ED, CUP, CUU/CUD/CUF/CUB) and the xterm/VT220
// keypad encodings (ESC O x, ESC [ n ~).
import primordials from './primordials.js';

const {
  ArrayPrototypeJoin, ArrayPrototypePush, ArrayPrototypeShift, ArrayPrototypeSlice,
  ArrayPrototypeSplice, MathFloor, MathMax, MathMin, StringFromCodePoint,
  StringPrototypeCharCodeAt, StringPrototypeCodePointAt, StringPrototypeIndexOf,
  StringPrototypeSlice, StringPrototypeTrim,
} = primordials;


const ESC = '\x1b';
const CSI = '\x1b[';
// ECMA-48 8.3.41 EL: erase from the cursor to the end of the line.
const ERASE_TO_END = '\x1b[K';
// ECMA-48 8.3.21 CUP to the home position, then 8.3.39 ED 2: erase the whole screen.
const CLEAR_SCREEN = '\x1b[H\x1b[2J';
const NEWLINE = '\r\n';
const TAB_TEXT = '  ';
const REPLACEMENT_CHARACTER = 0xfffd;

// Control characters (ASCII), named by the key that produces them.
const CTRL_A = 0x01;
const CTRL_B = 0x02;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_E = 0x05;
const CTRL_F = 0x06;
const CTRL_H = 0x08; // also Backspace on some terminals
const TAB = 0x09;
const LF = 0x0a;
const CTRL_K = 0x0b;
const CTRL_L = 0x0c;
const CR = 0x0d;
const CTRL_N = 0x0e;
const CTRL_P = 0x10;
const CTRL_U = 0x15;
const CTRL_W = 0x17;
const ESCAPE = 0x1b;
const DEL = 0x7f; // Backspace on most terminals

// Escape parser states.
const S_TEXT = 0;
const S_ESC = 1; // after ESC
const S_CSI = 2; // after ESC [, collecting parameters
const S_SS3 = 3; // after ESC O

/** Decodes UTF-8 incrementally: a sequence may be split across chunks. */
class Utf8Decoder {
  #need; #codePoint; #min;

  constructor() {
    this.#need = 0; // continuation bytes still expected
    this.#codePoint = 0;
    this.#min = 0; // smallest code point the sequence may encode (no overlong forms)
  }

  /** Appends the code points completed by `bytes` to `out`. */
  decode(bytes, out) {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.#need > 0) {
        if ((b & 0xc0) === 0x80) {
          this.#codePoint = (this.#codePoint << 6) | (b & 0x3f);
          if (--this.#need === 0) ArrayPrototypePush(out, this.#finish());
          continue;
        }
        this.#need = 0; // truncated sequence: replace it, then read b afresh
        ArrayPrototypePush(out, REPLACEMENT_CHARACTER);
      }
      if (b < 0x80) ArrayPrototypePush(out, b);
      else if (b >= 0xc2 && b <= 0xdf) this.#begin(1, b & 0x1f, 0x80);
      else if (b >= 0xe0 && b <= 0xef) this.#begin(2, b & 0x0f, 0x800);
      else if (b >= 0xf0 && b <= 0xf4) this.#begin(3, b & 0x07, 0x10000);
      else ArrayPrototypePush(out, REPLACEMENT_CHARACTER);
    }
  }

  #begin(need, bits, min) {
    this.#need = need;
    this.#codePoint = bits;
    this.#min = min;
  }

  #finish() {
    const cp = this.#codePoint;
    const surrogate = cp >= 0xd800 && cp <= 0xdfff;
    return (cp < this.#min || cp > 0x10ffff || surrogate) ? REPLACEMENT_CHARACTER : cp;
  }
}

/** Number of screen cells of `text`, not counting SGR/CSI sequences (for colored prompts). */
function displayWidth(text) {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (c === ESCAPE && StringPrototypeCharCodeAt(text, i + 1) === 0x5b) {
      i += 2;
      while (i < text.length && !isFinalByte(StringPrototypeCharCodeAt(text, i))) i++;
    } else if (c < 0xdc00 || c > 0xdfff) { // a low surrogate shares its high surrogate's cell
      width++;
    }
  }
  return width;
}

function isFinalByte(c) {
  return c >= 0x40 && c <= 0x7e;
}

/** The code points of `text`, one string each. */
function toCells(text) {
  const cells = [];
  for (let i = 0; i < text.length; i++) {
    const cp = StringPrototypeCodePointAt(text, i);
    if (cp > 0xffff) i++;
    ArrayPrototypePush(cells, StringFromCodePoint(cp));
  }
  return cells;
}

function isSpace(cell) {
  return cell === ' ' || cell === '\t';
}

/** Cursor motion by `n` cells (negative: left). BS is the one-byte way left. */
function moveCursor(n) {
  if (n === 0) return '';
  if (n === -1) return '\b';
  if (n < 0) return `${CSI}${-n}D`;
  return n === 1 ? `${CSI}C` : `${CSI}${n}C`;
}

/**
 * Edits one line at a time on a terminal and hands complete lines to onLine.
 *
 * Callbacks (set them in the options or assign them later):
 * - onLine(line): Enter. The next prompt is drawn after onLine returns, so
 *   onLine may call setPrompt(continuationPrompt) for multi-line input, or
 *   pause() to keep the prompt (and queue input) until resume().
 * - onCancel(): Ctrl-C that cleared the line (the prompt is back to
 *   primaryPrompt); a REPL drops its unfinished multi-line input here.
 * - onInterrupt(): Ctrl-C on an empty line right after another Ctrl-C.
 * - onEof(): Ctrl-D on an empty line. Nothing is written before it.
 */
export class LineEditor {
  #write; #primaryPrompt; #prompt; #autoHistory; #dumb; #columns; #onComplete; #afterCR; #cells;
  #cursor; #decoder; #draft; #draining; #historyIndex; #lastWasCtrlC; #lastWasTab; #out; #params;
  #paused; #pending; #promptShown; #scroll; #shown; #shownCursor; #state;

  /**
   * @param {object} options
   * @param {(text: string) => void} options.write sends text to the terminal
   *   (UTF-8 encoding is the caller's job)
   * @param {string} [options.prompt='> '] the primary prompt (may contain SGR colors)
   * @param {string} [options.continuationPrompt='... '] offered for the REPL's setPrompt()
   * @param {number} [options.historySize=1000] entries kept, oldest dropped first
   * @param {boolean} [options.autoHistory=true] add each accepted line to the history
   * @param {boolean} [options.dumb=false] output is no terminal: no escape sequences
   * @param {number} [options.columns=80] width of the terminal
   * @param {(line: string) => void} [options.onLine]
   * @param {() => void} [options.onCancel]
   * @param {() => void} [options.onInterrupt]
   * @param {() => void} [options.onEof]
   * @param {(line: string) => { completions: string[], prefix: string } | null} [options.onComplete]
   *   Tab: what could replace `prefix`, the end of the line before the cursor. One
   *   candidate (or a longer common start) is inserted; a second Tab lists them all.
   */
  constructor({
    write, prompt = '> ', continuationPrompt = '... ', historySize = 1000,
    autoHistory = true, dumb = false, columns = 80,
    onLine = () => {}, onCancel = () => {}, onInterrupt = () => {}, onEof = () => {},
    onComplete = null,
  }) {
    if (typeof write !== 'function') throw new TypeError('LineEditor needs a write(text) function');
    this.#write = write;
    this.#primaryPrompt = prompt;
    this.continuationPrompt = continuationPrompt;
    this.#prompt = prompt;
    this.historySize = historySize;
    this.#autoHistory = autoHistory;
    this.#dumb = dumb;
    this.#columns = columns;
    this.onLine = onLine;
    this.onCancel = onCancel;
    this.onInterrupt = onInterrupt;
    this.onEof = onEof;
    this.#onComplete = onComplete;
    this.#lastWasTab = false;
    /** Accepted lines, oldest first. The REPL may edit it (e.g. join a multi-line entry). */
    this.history = [];
    this.#cells = []; // the line, one code point per element
    this.#cursor = 0;
    this.#historyIndex = -1; // the entry on screen; -1: the new line
    this.#draft = []; // the new line, kept while browsing the history
    this.#shown = []; // the cells on screen after the prompt
    this.#shownCursor = 0;
    this.#scroll = 0; // index of the first cell on screen
    this.#promptShown = false;
    this.#paused = false;
    this.#pending = []; // code points not handled yet (queued while paused)
    this.#draining = false;
    this.#decoder = new Utf8Decoder();
    this.#state = S_TEXT;
    this.#params = '';
    this.#afterCR = false;
    this.#lastWasCtrlC = false;
    this.#out = '';
  }

  /** The text of the line being edited. */
  get line() {
    return ArrayPrototypeJoin(this.#cells, '');
  }

  /** The cursor's position in the line, in code points. */
  get cursor() {
    return this.#cursor;
  }

  /** Draws the first prompt. */
  start() {
    this.#showPrompt();
    this.#flush();
  }

  /**
   * Handles input from the terminal.
   * @param {Uint8Array|string} input raw bytes (UTF-8), or text already decoded
   */
  feed(input) {
    const codePoints = [];
    if (typeof input === 'string') {
      for (let i = 0; i < input.length; i++) {
        const cp = StringPrototypeCodePointAt(input, i);
        if (cp > 0xffff) i++;
        ArrayPrototypePush(codePoints, cp);
      }
    } else {
      this.#decoder.decode(input, codePoints);
    }
    for (let i = 0; i < codePoints.length; i++) ArrayPrototypePush(this.#pending, codePoints[i]);
    this.#drain();
  }

  /**
   * Sets the prompt of the next line, or redraws the current line with it if
   * its prompt is already on screen.
   * @param {string} prompt
   */
  setPrompt(prompt) {
    this.#prompt = prompt;
    if (this.#promptShown && !this.#dumb) {
      this.#redraw('\r' + ERASE_TO_END);
      this.#flush();
    }
  }

  /**
   * Sets the terminal width and redraws the whole line (a resize may have
   * reflowed it). @param {number} columns
   */
  setColumns(columns) {
    this.#columns = columns;
    if (this.#promptShown && !this.#dumb) {
      this.#redraw('\r' + ERASE_TO_END);
      this.#flush();
    }
  }

  /**
   * Adds an entry to the history unless it is blank or equals the newest one.
   * @param {string} entry a single line (join multi-line input before)
   */
  addHistory(entry) {
    if (StringPrototypeTrim(entry) === '' || this.history[this.history.length - 1] === entry) return;
    ArrayPrototypePush(this.history, entry);
    while (this.history.length > this.historySize) ArrayPrototypeShift(this.history);
  }

  /** Stops handling input (it is queued) and drawing prompts, e.g. while a REPL awaits. */
  pause() {
    this.#paused = true;
  }

  /** Draws the prompt if needed and handles the input queued while paused. */
  resume() {
    this.#paused = false;
    if (!this.#promptShown) this.#showPrompt();
    this.#flush();
    this.#drain();
  }

  /**
   * Writes output that is not part of the line (a log line arriving while the
   * user types): the line is erased, `text` written, the line drawn again.
   * @param {string} text ends with a newline, or "\r\n" is added
   */
  print(text) {
    const end = text.length === 0 || text[text.length - 1] !== '\n' ? NEWLINE : '';
    if (!this.#promptShown) {
      this.#emit(text + end);
    } else if (this.#dumb) {
      this.#emit(`${NEWLINE}${text}${end}${this.#prompt}`);
    } else {
      this.#redraw(`\r${ERASE_TO_END}${text}${end}`);
    }
    this.#flush();
  }

  // ---- input ----

  #drain() {
    if (this.#draining) return; // feed() or resume() from a callback: the loop below goes on
    this.#draining = true;
    const queue = this.#pending;
    let next = 0;
    try {
      while (next < queue.length && !this.#paused) this.#handleCodePoint(queue[next++]);
    } finally {
      this.#pending = ArrayPrototypeSlice(queue, next);
      this.#draining = false;
    }
    this.#flush();
  }

  #handleCodePoint(cp) {
    const afterCR = this.#afterCR;
    const wasCtrlC = this.#lastWasCtrlC;
    this.#afterCR = false;
    this.#lastWasCtrlC = this.#state === S_TEXT && cp === CTRL_C;
    const wasTab = this.#lastWasTab;
    this.#lastWasTab = this.#state === S_TEXT && cp === TAB;
    if (this.#lastWasTab && this.#onComplete) return this.#complete(wasTab);
    switch (this.#state) {
      case S_ESC: return this.#afterEscape(cp);
      case S_CSI: return this.#inCsi(cp);
      case S_SS3:
        this.#state = S_TEXT;
        return this.#key(StringFromCodePoint(cp), '');
      default:
        break;
    }
    if (cp === LF && afterCR) return undefined; // CR LF is one Enter
    if (cp === CR) this.#afterCR = true;
    return this.#control(cp, wasCtrlC);
  }

  #afterEscape(cp) {
    this.#state = S_TEXT;
    if (cp === 0x5b) { // [
      this.#state = S_CSI;
      this.#params = '';
    } else if (cp === 0x4f) { // O
      this.#state = S_SS3;
    } else if (cp === ESCAPE) {
      this.#state = S_ESC;
    } else if (cp === 0x62) { // Alt-b
      this.#moveTo(this.#wordStart());
    } else if (cp === 0x66) { // Alt-f
      this.#moveTo(this.#wordEnd());
    } else if (cp === DEL) { // Alt-Backspace
      this.#deleteRange(this.#wordStart(), this.#cursor);
    }
  }

  #inCsi(cp) {
    if (cp >= 0x20 && cp <= 0x3f) { // parameter and intermediate bytes
      this.#params += StringFromCodePoint(cp);
      return;
    }
    this.#state = S_TEXT;
    if (isFinalByte(cp)) {
      this.#key(StringFromCodePoint(cp), this.#params);
    } else {
      this.#handleCodePoint(cp); // a broken sequence: the byte is ordinary input
    }
  }

  /** A key sent as an escape sequence: its final character and parameters. */
  #key(final, params) {
    const separator = StringPrototypeIndexOf(params, ';');
    const first = separator === -1 ? params : StringPrototypeSlice(params, 0, separator);
    // xterm's "1;5C": a modifier other than none (1) moves by words.
    const modified = separator !== -1 && StringPrototypeSlice(params, separator + 1) !== '1';
    switch (final) {
      case 'A': return this.#historyMove(-1);
      case 'B': return this.#historyMove(1);
      case 'C': return this.#moveTo(modified ? this.#wordEnd() : this.#cursor + 1);
      case 'D': return this.#moveTo(modified ? this.#wordStart() : this.#cursor - 1);
      case 'H': return this.#moveTo(0);
      case 'F': return this.#moveTo(this.#cells.length);
      case '~':
        if (first === '1' || first === '7') return this.#moveTo(0);
        if (first === '4' || first === '8') return this.#moveTo(this.#cells.length);
        if (first === '3') return this.#deleteRange(this.#cursor, this.#cursor + 1);
        return undefined;
      default:
        return undefined;
    }
  }

  #control(cp, wasCtrlC) {
    switch (cp) {
      case CR: case LF: return this.#enter();
      case CTRL_C: return this.#ctrlC(wasCtrlC);
      case CTRL_D:
        if (this.#cells.length === 0) {
          this.#flush();
          return this.onEof();
        }
        return this.#deleteRange(this.#cursor, this.#cursor + 1);
      case DEL: case CTRL_H: return this.#deleteRange(this.#cursor - 1, this.#cursor);
      case TAB: return this.#insert(TAB_TEXT);
      case CTRL_A: return this.#moveTo(0);
      case CTRL_E: return this.#moveTo(this.#cells.length);
      case CTRL_B: return this.#moveTo(this.#cursor - 1);
      case CTRL_F: return this.#moveTo(this.#cursor + 1);
      case CTRL_K: return this.#deleteRange(this.#cursor, this.#cells.length);
      case CTRL_U: return this.#deleteRange(0, this.#cursor);
      case CTRL_W: return this.#deleteRange(this.#wordStart(), this.#cursor);
      case CTRL_P: return this.#historyMove(-1);
      case CTRL_N: return this.#historyMove(1);
      case CTRL_L: return this.#clearScreen();
      case ESCAPE:
        this.#state = S_ESC;
        return undefined;
      default:
        // Other C0 and C1 controls have no meaning here.
        if (cp < 0x20 || (cp >= 0x80 && cp < 0xa0)) return undefined;
        return this.#insert(StringFromCodePoint(cp));
    }
  }

  // ---- completion ----

  #complete(second) {
    const before = ArrayPrototypeJoin(ArrayPrototypeSlice(this.#cells, 0, this.#cursor), '');
    const found = this.#onComplete(before);
    if (!found || found.completions.length === 0) return undefined;
    const { completions, prefix } = found;
    let common = completions[0];
    for (let i = 1; i < completions.length; i++) {
      let n = 0;
      while (n < common.length && n < completions[i].length && common[n] === completions[i][n]) n++;
      common = StringPrototypeSlice(common, 0, n);
    }
    if (common.length > prefix.length) {
      this.#lastWasTab = false;
      return this.#insert(StringPrototypeSlice(common, prefix.length));
    }
    if (!second || completions.length < 2) return undefined;
    // The second Tab: the candidates in columns, then the line again.
    let width = 0;
    for (let i = 0; i < completions.length; i++) width = MathMax(width, completions[i].length + 2);
    const perRow = MathMax(1, MathFloor(this.#columns / width));
    let text = '';
    for (let i = 0; i < completions.length; i++) {
      const cell = completions[i];
      const last = i % perRow === perRow - 1 || i === completions.length - 1;
      text += last ? cell + NEWLINE : cell + ' '.repeat(width - cell.length);
    }
    this.print(text);
    return undefined;
  }

  // ---- editing ----

  #insert(text) {
    const cells = toCells(text);
    for (let i = 0; i < cells.length; i++) ArrayPrototypeSplice(this.#cells, this.#cursor + i, 0, cells[i]);
    this.#cursor += cells.length;
    this.#render();
  }

  #deleteRange(from, to) {
    from = MathMax(0, from);
    to = MathMin(this.#cells.length, to);
    if (from >= to) return;
    ArrayPrototypeSplice(this.#cells, from, to - from);
    this.#cursor = from;
    this.#render();
  }

  #moveTo(position) {
    this.#cursor = MathMax(0, MathMin(this.#cells.length, position));
    this.#render();
  }

  /** Start of the word before the cursor (words are separated by blanks). */
  #wordStart() {
    let i = this.#cursor;
    while (i > 0 && isSpace(this.#cells[i - 1])) i--;
    while (i > 0 && !isSpace(this.#cells[i - 1])) i--;
    return i;
  }

  /** End of the word after the cursor. */
  #wordEnd() {
    let i = this.#cursor;
    while (i < this.#cells.length && isSpace(this.#cells[i])) i++;
    while (i < this.#cells.length && !isSpace(this.#cells[i])) i++;
    return i;
  }

  /** Up (-1) or Down (+1) in the history; the history may have been edited meanwhile. */
  #historyMove(step) {
    const count = this.history.length;
    const current = this.#historyIndex === -1 || this.#historyIndex >= count ? count : this.#historyIndex;
    const target = current + step;
    if (target < 0 || target > count) return;
    if (current === count) this.#draft = this.#cells;
    this.#historyIndex = target === count ? -1 : target;
    this.#cells = target === count ? this.#draft : toCells(this.history[target]);
    this.#cursor = this.#cells.length;
    this.#render();
  }

  #enter() {
    const line = this.line;
    if (this.#dumb) {
      this.#emit(line + NEWLINE);
    } else {
      this.#moveTo(this.#cells.length); // the end of a scrolled line stays on screen
      this.#emit(NEWLINE);
    }
    if (this.#autoHistory) this.addHistory(line);
    this.#resetLine();
    this.#flush();
    this.onLine(line);
    if (!this.#paused) this.#showPrompt();
  }

  #ctrlC(wasCtrlC) {
    const empty = this.#cells.length === 0;
    if (!this.#dumb) this.#moveTo(this.#cells.length);
    this.#emit(`^C${NEWLINE}`);
    this.#resetLine();
    this.#flush();
    if (empty && wasCtrlC) {
      this.#lastWasCtrlC = false; // a third Ctrl-C starts over
      this.onInterrupt();
    } else {
      this.#prompt = this.#primaryPrompt;
      this.onCancel();
    }
    if (!this.#paused) this.#showPrompt();
  }

  #clearScreen() {
    if (!this.#dumb) this.#redraw(CLEAR_SCREEN);
  }

  #resetLine() {
    this.#cells = [];
    this.#cursor = 0;
    this.#historyIndex = -1;
    this.#draft = [];
    this.#shown = [];
    this.#shownCursor = 0;
    this.#scroll = 0;
    this.#promptShown = false;
  }

  // ---- output ----

  /** Sends `before`, then the prompt and the whole visible line. */
  #redraw(before) {
    this.#emit(before + this.#prompt);
    this.#shown = [];
    this.#shownCursor = 0;
    this.#render();
  }

  #showPrompt() {
    this.#emit(this.#prompt);
    this.#promptShown = true;
  }

  /**
   * Brings the screen from what it shows to the line's current state, sending
   * only the cells that differ: the visible part is the window of the line
   * around the cursor that fits after the prompt.
   */
  #render() {
    if (this.#dumb || !this.#promptShown) return;
    // One column stays free so that the cursor never sits past the right margin.
    const room = MathMax(1, this.#columns - 1 - displayWidth(this.#prompt));
    // Scrolling jumps by half a screen: fewer redraws than a cell at a time.
    const jump = MathFloor(room / 2);
    let start = this.#cells.length <= room ? 0 : this.#scroll;
    if (this.#cursor < start) start = MathMax(0, this.#cursor - jump);
    if (this.#cursor - start > room) start = this.#cursor - room + jump;
    this.#scroll = start;
    const next = ArrayPrototypeSlice(this.#cells, start, start + room);
    const shown = this.#shown;
    let same = 0;
    while (same < next.length && same < shown.length && next[same] === shown[same]) same++;
    let out = '';
    let column = this.#shownCursor;
    if (same < next.length || same < shown.length) {
      out += moveCursor(same - column);
      out += ArrayPrototypeJoin(ArrayPrototypeSlice(next, same), '');
      if (next.length < shown.length) out += ERASE_TO_END;
      column = next.length;
    }
    out += moveCursor(this.#cursor - start - column);
    this.#shown = next;
    this.#shownCursor = this.#cursor - start;
    this.#emit(out);
  }

  #emit(text) {
    this.#out += text;
  }

  #flush() {
    if (this.#out === '') return;
    const text = this.#out;
    this.#out = '';
    this.#write(text);
  }
}
