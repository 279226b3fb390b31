// The source text of the assertion call that failed, for assert.ok()'s message ("The
// expression evaluated to a falsy value: assert.ok(typeof x === 'string')"), as Node
// writes it. The call site comes from V8's stack (file, line, column); the file is read
// as the module loader reads it, so it is the source that ran, on the kernel too.
import binding from 'rtjs:binding';
import { fileUrlToPath } from './modules/resolve.js';

const { readFile } = binding;

// Messages by call site: a failing assertion in a loop reads its file once.
const cache = new Map();

// The first frame above `fn`: { file, line, column } (1-based), or null.
function callSite(fn) {
  const holder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(holder, fn);
  Error.stackTraceLimit = limit;
  const frame = /^\s+at (?:.*\()?(.+?):(\d+):(\d+)\)?$/m.exec(holder.stack || '');
  // Code from eval() or new Function() has no file to read.
  if (!frame || frame[0].includes('eval at ')) return null;
  return { file: frame[1], line: Number(frame[2]), column: Number(frame[3]) };
}

// Skips a string, template or comment starting at `i`; returns the index after it.
function skipLiteral(code, i) {
  const c = code[i];
  if (c === '/' && code[i + 1] === '/') return code.indexOf('\n', i) === -1 ? code.length : code.indexOf('\n', i);
  if (c === '/' && code[i + 1] === '*') return code.indexOf('*/', i + 2) === -1 ? code.length : code.indexOf('*/', i + 2) + 2;
  for (let j = i + 1; j < code.length; j++) {
    if (code[j] === '\\') j++;
    else if (code[j] === c) return j + 1;
    else if (c === '`' && code[j] === '$' && code[j + 1] === '{') j = closing(code, j + 1, '{', '}') - 1;
  }
  return code.length;
}

// The index after the bracket that closes the one at `open`, or -1.
function closing(code, open, left, right) {
  let depth = 0;
  for (let i = open; i < code.length;) {
    const c = code[i];
    if (c === '"' || c === '\'' || c === '`' || (c === '/' && (code[i + 1] === '/' || code[i + 1] === '*'))) {
      i = skipLiteral(code, i);
      continue;
    }
    if (c === left) depth++;
    else if (c === right && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

// C0 controls other than tab and line ends, escaped as Node shows them in the message.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f]/g;
const escapeControl = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

// A character of a callee: identifier characters (ECMA-262 12.7, Unicode ID_Continue) and
// the dots of a member chain. Lone surrogates of an astral identifier character pass too.
const CALLEE = /[\p{ID_Continue}$.\u200c\u200d\ud800-\udfff]/u;

// The call expression at `offset` of `code`: its callee (a name or a member chain such as
// assert.strict.ok) back from `offset`, its arguments up to the matching parenthesis.
function callAt(code, offset) {
  let start = offset;
  while (start > 0 && CALLEE.test(code[start - 1])) start--;
  const open = code.indexOf('(', offset);
  if (open === -1 || ![...code.slice(offset, open).trim()].every((c) => CALLEE.test(c))) return null;
  const end = closing(code, open, '(', ')');
  if (end === -1) return null;
  return { start, text: code.slice(start, end) };
}

/**
 * "The expression evaluated to a falsy value: ..." for a failed assert.ok() called from
 * above `fn`, or undefined when its source cannot be read (eval'd code, a built-in).
 */
export function falsyValueMessage(fn) {
  const site = callSite(fn);
  if (!site || site.file.startsWith('rtjs:') || site.file.startsWith('node:')) return undefined;
  const key = `${site.file}:${site.line}:${site.column}`;
  if (cache.has(key)) return cache.get(key);
  let message;
  try {
    const path = site.file.startsWith('file:') ? fileUrlToPath(site.file) : site.file;
    const source = path.startsWith('/') ? readFile(path) : undefined;
    if (typeof source === 'string') {
      const lines = source.split('\n');
      const lineStart = lines.slice(0, site.line - 1).reduce((n, l) => n + l.length + 1, 0);
      const call = callAt(source, lineStart + site.column - 1);
      if (call) {
        const column = call.start - lineStart;
        // Later lines lose the indentation the call itself has, as Node lays them out.
        const [first, ...rest] = call.text.replace(/\r\n/g, '\n').split('\n');
        const text = [first, ...rest.map((l) => l.replace(new RegExp(`^[ \\t]{0,${Math.max(column, 0)}}`), ''))]
          .join('\n  ').replace(CONTROL, escapeControl);
        message = `The expression evaluated to a falsy value:\n\n  ${text}\n`;
      }
    }
  } catch {
    message = undefined;
  }
  cache.set(key, message);
  return message;
}
