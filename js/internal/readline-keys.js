// Terminal key decoding for node:readline: emitKeypressEvents() turns the characters a
// terminal sends into 'keypress' events (the string, and a key object { sequence, name,
// ctrl, meta, shift, code }), as Node's readline does, so that line editors written for
// Node (and Node's readline Interface) read the same keys here.
//
// Sequences: ECMA-48 (CSI = ESC [, SS3 = ESC O), the xterm modifier parameter (1 + a sum of
// shift 1, alt 2, ctrl 4, meta 8: "CSI 1;5 A" is ctrl+up), the VT220 keypad "CSI n ~",
// rxvt's shift ($) and ctrl (^) suffixes and lower-case arrows, and Cygwin's "CSI [ A".
import { StringDecoder } from '../node/string_decoder.js';

const ESC = '\x1b';

// GNU readline's keyseq-timeout default: an ESC with nothing after it for this long is the
// Escape key itself rather than the start of a sequence.
export const ESCAPE_CODE_TIMEOUT = 500;

const KEY_DECODER = Symbol('readline key decoder');
const KEY_PARSER = Symbol('readline key parser');

// The final part of a sequence (the code, modifiers taken out) to the key it names, with
// the modifier a terminal encodes in the code itself (rxvt's $ and ^, lower-case letters).
const KEY_NAMES = {
  // xterm/gnome SS3 and CSI letters; VT220/rxvt "n ~"; Cygwin "[ letter".
  OP: 'f1', OQ: 'f2', OR: 'f3', OS: 'f4',
  '[11~': 'f1', '[12~': 'f2', '[13~': 'f3', '[14~': 'f4',
  '[[A': 'f1', '[[B': 'f2', '[[C': 'f3', '[[D': 'f4', '[[E': 'f5',
  '[15~': 'f5', '[17~': 'f6', '[18~': 'f7', '[19~': 'f8', '[20~': 'f9', '[21~': 'f10',
  '[23~': 'f11', '[24~': 'f12',
  '[P': 'f1', '[Q': 'f2', '[R': 'f3', '[S': 'f4',
  '[A': 'up', '[B': 'down', '[C': 'right', '[D': 'left', '[E': 'clear', '[F': 'end', '[H': 'home',
  OA: 'up', OB: 'down', OC: 'right', OD: 'left', OE: 'clear', OF: 'end', OH: 'home',
  '[1~': 'home', '[2~': 'insert', '[3~': 'delete', '[4~': 'end', '[5~': 'pageup', '[6~': 'pagedown',
  '[[5~': 'pageup', '[[6~': 'pagedown', '[7~': 'home', '[8~': 'end',
  '[Z': ['tab', 'shift'],
  '[a': ['up', 'shift'], '[b': ['down', 'shift'], '[c': ['right', 'shift'], '[d': ['left', 'shift'],
  '[e': ['clear', 'shift'],
  '[2$': ['insert', 'shift'], '[3$': ['delete', 'shift'], '[5$': ['pageup', 'shift'],
  '[6$': ['pagedown', 'shift'], '[7$': ['home', 'shift'], '[8$': ['end', 'shift'],
  Oa: ['up', 'ctrl'], Ob: ['down', 'ctrl'], Oc: ['right', 'ctrl'], Od: ['left', 'ctrl'], Oe: ['clear', 'ctrl'],
  '[2^': ['insert', 'ctrl'], '[3^': ['delete', 'ctrl'], '[5^': ['pageup', 'ctrl'],
  '[6^': ['pagedown', 'ctrl'], '[7^': ['home', 'ctrl'], '[8^': ['end', 'ctrl'],
};

// The xterm modifier parameter, less one, is a bit set.
const MOD_SHIFT = 1;
const MOD_ALT = 2;
const MOD_CTRL = 4;
const MOD_META = 8;

const isDigit = (ch) => ch >= '0' && ch <= '9';

/** UTF-16 units of the character at `i` (2 for a code point beyond the BMP). */
export function charLengthAt(str, i) {
  if (str.length <= i) return 1; // past the end: a cursor step still moves one place
  return str.codePointAt(i) >= 0x10000 ? 2 : 1;
}

/** UTF-16 units of the character just before `i`. */
export function charLengthLeft(str, i) {
  if (i <= 0) return 0;
  if ((i > 1 && str.codePointAt(i - 2) >= 0x10000) || str.codePointAt(i - 1) >= 0x10000) return 2;
  return 1;
}

/** The longest prefix all of `strings` share. */
export function commonPrefix(strings) {
  if (strings.length === 0) return '';
  const sorted = [...strings].sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  let i = 0;
  while (i < first.length && first[i] === last[i]) i++;
  return first.slice(0, i);
}

// Unicode East Asian Width W and F ranges (UAX #11, EastAsianWidth.txt): two terminal cells.
const WIDE_RANGES = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3], [0x26f5, 0x26f5],
  [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728],
  [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x16fe4], [0x17000, 0x18cff], [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

function isWide(cp) {
  let lo = 0;
  let hi = WIDE_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = WIDE_RANGES[mid];
    if (cp < from) hi = mid - 1;
    else if (cp > to) lo = mid + 1;
    else return true;
  }
  return false;
}

// Zero cells: control characters, combining marks, format characters (ZWJ, ZWNBSP...).
const ZERO_WIDTH = /^[\p{Cc}\p{Mn}\p{Me}\p{Cf}]$/u;

/** Terminal cells `str` takes: wide characters two, marks and controls none. */
export function getStringWidth(str) {
  let width = 0;
  for (const ch of str) {
    const cp = ch.codePointAt(0);
    if (ZERO_WIDTH.test(ch)) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

// Decodes one key from the characters it is given (one per next()), emitting 'keypress' on
// `stream` for each complete key. A generator, since a sequence is read a character at a
// time and may end at any point; an empty string is the escape timeout's "nothing came".
function* keyParser(stream) {
  for (;;) {
    let ch = yield;
    let s = ch;
    let escaped = false;
    const key = { sequence: null, name: undefined, ctrl: false, meta: false, shift: false };

    if (ch === ESC) {
      escaped = true;
      s += (ch = yield);
      if (ch === ESC) s += (ch = yield); // ESC ESC x: meta with an escape sequence
    }

    if (escaped && (ch === 'O' || ch === '[')) {
      let code = ch;
      let modifier = 0;
      if (ch === 'O') {
        // SS3 letter, or SS3 modifier letter (old xterm)
        s += (ch = yield);
        if (isDigit(ch)) {
          modifier = Number(ch) - 1;
          s += (ch = yield);
        }
        code += ch;
      } else {
        // CSI letter, CSI n letter, CSI n;m letter, CSI n ~ (up to two digits, and the
        // modifier), and Cygwin's doubled bracket.
        s += (ch = yield);
        if (ch === '[') {
          code += ch;
          s += (ch = yield);
        }
        const start = s.length - 1;
        if (isDigit(ch)) {
          s += (ch = yield);
          if (isDigit(ch)) s += (ch = yield);
        }
        if (ch === ';') {
          s += (ch = yield);
          if (isDigit(ch)) s += yield;
        }
        const cmd = s.slice(start);
        let match;
        if ((match = /^(\d\d?)(?:;(\d))?([~^$])$/.exec(cmd)) !== null) {
          code += match[1] + match[3];
          modifier = (Number(match[2]) || 1) - 1;
        } else if ((match = /^(?:(?:\d;)?(\d))?([A-Za-z])$/.exec(cmd)) !== null) {
          code += match[2];
          modifier = (Number(match[1]) || 1) - 1;
        } else {
          code += cmd;
        }
      }
      key.ctrl = (modifier & MOD_CTRL) !== 0;
      key.meta = (modifier & (MOD_ALT | MOD_META)) !== 0;
      key.shift = (modifier & MOD_SHIFT) !== 0;
      key.code = code;
      const named = KEY_NAMES[code];
      if (named === undefined) {
        key.name = 'undefined'; // Node names an unknown sequence so (colour codes echoed back)
      } else if (typeof named === 'string') {
        key.name = named;
      } else {
        key.name = named[0];
        key[named[1]] = true;
      }
    } else if (ch === '\r') {
      key.name = 'return';
      key.meta = escaped;
    } else if (ch === '\n') {
      key.name = 'enter';
      key.meta = escaped;
    } else if (ch === '\t') {
      key.name = 'tab';
      key.meta = escaped;
    } else if (ch === '\b' || ch === '\x7f') {
      key.name = 'backspace'; // BS or DEL, as terminals differ on which the key sends
      key.meta = escaped;
    } else if (ch === ESC) {
      key.name = 'escape';
      key.meta = escaped;
    } else if (ch === ' ') {
      key.name = 'space';
      key.meta = escaped;
    } else if (!escaped && ch <= '\x1a') {
      // C0 controls 1-26 are ctrl+a..ctrl+z
      key.name = String.fromCharCode(ch.charCodeAt(0) + 'a'.charCodeAt(0) - 1);
      key.ctrl = true;
    } else if (/^[0-9A-Za-z]$/.test(ch)) {
      key.name = ch.toLowerCase();
      key.shift = /^[A-Z]$/.test(ch);
      key.meta = escaped;
    } else if (escaped) {
      key.name = ch.length ? undefined : 'escape'; // ESC, then the timeout: the Escape key
      key.meta = true;
    }

    key.sequence = s;
    if (s.length !== 0 && (key.name !== undefined || escaped)) {
      stream.emit('keypress', escaped ? undefined : s, key);
    } else if (charLengthAt(s, 0) === s.length) {
      stream.emit('keypress', s, key); // a character with no name ('.', 'é')
    }
    // Anything else is a broken sequence: no event.
  }
}

function newParser(stream) {
  const parser = keyParser(stream);
  parser.next();
  return parser;
}

/**
 * Makes `stream` emit 'keypress' events for the data it emits, while anything listens for
 * them. `iface` (a readline Interface) supplies the escape timeout and learns whether the
 * last chunk was one key (pasted text completes no tab).
 */
export function emitKeypressEvents(stream, iface = {}) {
  if (stream[KEY_DECODER]) return;
  stream[KEY_DECODER] = new StringDecoder('utf8');
  stream[KEY_PARSER] = newParser(stream);
  let timeout;

  const onEscapeTimeout = () => stream[KEY_PARSER].next('');

  const onData = (input) => {
    if (stream.listenerCount('keypress') === 0) {
      // Nobody listens: stop decoding until someone does.
      stream.removeListener('data', onData);
      stream.on('newListener', onNewListener);
      return;
    }
    const string = stream[KEY_DECODER].write(input);
    if (!string) return;
    clearTimeout(timeout);
    iface.isCompletionEnabled = false;
    let length = 0;
    for (const character of string) {
      length += character.length;
      if (length === string.length) iface.isCompletionEnabled = true;
      try {
        stream[KEY_PARSER].next(character);
        if (length === string.length && character === ESC) {
          timeout = setTimeout(onEscapeTimeout, iface.escapeCodeTimeout ?? ESCAPE_CODE_TIMEOUT);
        }
      } catch (err) {
        // A 'keypress' listener threw inside the parser, which ends a generator: start a
        // fresh one so that later keys still decode.
        stream[KEY_PARSER] = newParser(stream);
        throw err;
      }
    }
  };

  function onNewListener(event) {
    if (event === 'keypress') {
      stream.on('data', onData);
      stream.removeListener('newListener', onNewListener);
    }
  }

  if (stream.listenerCount('keypress') > 0) stream.on('data', onData);
  else stream.on('newListener', onNewListener);
}
