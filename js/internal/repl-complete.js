// Tab completion for the REPL: the identifier or property chain before the cursor
// (`con`, `console.lo`, `rt.hw.`), completed from the global object, the names the REPL's
// own lines declared (let/const/class live outside the global object), keywords, or the
// properties of the object the chain names. The chain is followed by plain property reads
// of what already exists; nothing typed is evaluated.
import primordials from './primordials.js';

const { ArrayPrototypeSort, ObjectGetOwnPropertyNames, ObjectGetPrototypeOf, Set } = primordials;

const KEYWORDS = ['async', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default',
  'delete', 'do', 'else', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'let', 'new', 'null', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'undefined', 'var', 'void', 'while', 'with', 'yield'];
const CHAIN = /((?:[A-Za-z_$][\w$]*\s*\.\s*)*)([A-Za-z_$][\w$]*)?$/;
const DECLARATION = /\b(?:let|const|var|class|function\*?)\s+([A-Za-z_$][\w$]*)/g;

const declared = new Set();

/** Remembers the names a REPL input declared, for completion. */
export function noteDeclarations(source) {
  for (const m of source.matchAll(DECLARATION)) declared.add(m[1]);
}

function propertyNames(object) {
  const names = new Set();
  // Walk the prototype chain up to (not including) Object.prototype for objects, as Node.
  for (let o = object, depth = 0; o !== null && o !== undefined && depth < 16; o = ObjectGetPrototypeOf(o), depth++) {
    if (o === Object.prototype && depth > 0) break;
    let own;
    try { own = ObjectGetOwnPropertyNames(o); } catch { break; }
    for (const n of own) if (/^[A-Za-z_$][\w$]*$/.test(n)) names.add(n);
  }
  return names;
}

/** { completions, prefix } for the text before the cursor, or null. */
export function completionsFor(before) {
  const m = CHAIN.exec(before);
  if (!m || (m[1] === '' && m[2] === undefined)) return null;
  const prefix = m[2] ?? '';
  let candidates;
  if (m[1] === '') {
    candidates = propertyNames(globalThis);
    for (const k of KEYWORDS) candidates.add(k);
    for (const d of declared) candidates.add(d);
  } else {
    const path = m[1].split('.').map((p) => p.trim()).filter((p) => p !== '');
    let o = globalThis;
    for (const key of path) {
      if (o === null || o === undefined) return null;
      try { o = o[key]; } catch { return null; }
    }
    if (o === null || o === undefined) return null;
    candidates = propertyNames(typeof o === 'object' || typeof o === 'function' ? o : Object(o));
  }
  const completions = [];
  for (const c of candidates) if (c.startsWith(prefix)) completions.push(c);
  ArrayPrototypeSort(completions);
  return { completions, prefix };
}
