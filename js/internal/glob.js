// Glob patterns for path.matchesGlob, with the syntax Node's (minimatch's) has: `*` and `?`
// within one path segment, `**` as a whole segment for any number of segments, `[...]`
// classes (ranges, `!` or `^` to negate, POSIX names such as [:digit:]), `{a,b}` and
// `{1..3}` braces, and the extglobs @(a|b), ?(..), *(..), +(..), !(..). A `*`, `?` or class
// does not match a leading dot, nor does `**` enter a dot segment, and no segment of the
// pattern matches an empty one. A `\` in the pattern separates segments as `/` does (it
// escapes nothing, as in Node), in the path only for win32. Case counts, as in Node off
// Windows and macOS.

const REGEXP_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;
const escapeRegExp = (s) => s.replace(REGEXP_SPECIAL, '\\$&');

// POSIX bracket expressions (IEEE 1003.1, 9.3.5) as regular expression class contents.
const POSIX_CLASSES = {
  alnum: '\\p{L}\\p{Nl}\\p{Nd}', alpha: '\\p{L}\\p{Nl}', ascii: '\\x00-\\x7f', blank: '\\p{Zs}\\t',
  cntrl: '\\p{Cc}', digit: '\\p{Nd}', graph: '\\p{Z}\\p{C}', lower: '\\p{Ll}', print: '\\p{C}',
  punct: '\\p{P}', space: '\\p{Z}\\t\\r\\n\\v\\f', upper: '\\p{Lu}', word: '\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}',
  xdigit: 'A-Fa-f0-9',
};
// graph and print are the complements of what is listed.
const NEGATED_POSIX = new Set(['graph', 'print']);

// Braces: every alternative the pattern spells, outermost first.
function expandBraces(pattern) {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') {
      if (depth++ === 0) open = i;
    } else if (c === '}' && depth > 0 && --depth === 0) {
      const body = pattern.slice(open + 1, i);
      const head = pattern.slice(0, open);
      const tails = expandBraces(pattern.slice(i + 1));
      const parts = braceParts(body);
      if (parts === null) return tails.map((t) => `${head}{${body}}${t}`);
      const out = [];
      for (const part of parts) for (const p of expandBraces(part)) for (const t of tails) out.push(head + p + t);
      return out;
    }
  }
  return [pattern];
}

// The alternatives of one brace body: a,b,c or a numeric/letter sequence x..y[..step];
// null when it is neither (then the braces are literal).
function braceParts(body) {
  const seq = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])(?:\.\.(-?\d+))?$/.exec(body);
  if (seq !== null) {
    const numeric = /\d/.test(seq[1]);
    const from = numeric ? Number(seq[1]) : seq[1].charCodeAt(0);
    const to = numeric ? Number(seq[2]) : seq[2].charCodeAt(0);
    const step = Math.abs(Number(seq[3] ?? 1)) || 1;
    const out = [];
    for (let v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) {
      out.push(numeric ? String(v) : String.fromCharCode(v));
    }
    return out;
  }
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  if (parts.length === 0) return null;
  parts.push(body.slice(start));
  return parts;
}

// A class starting at `pattern[i]` ('['): [regexp source, index after it], or null if it
// does not close.
function bracket(pattern, i) {
  let j = i + 1;
  let negate = false;
  if (pattern[j] === '!' || pattern[j] === '^') {
    negate = true;
    j++;
  }
  let body = '';
  let negatedNames = '';
  let first = true;
  for (; j < pattern.length; j++) {
    const c = pattern[j];
    if (c === ']' && !first) {
      if (body === '' && negatedNames === '') return null;
      let cls = body === '' ? '' : `[${negate ? '^' : ''}${body}]`;
      if (negatedNames !== '') cls = cls === '' ? `[^${negatedNames}]` : `(?:${cls}|[^${negatedNames}])`;
      return [cls, j + 1];
    }
    first = false;
    const named = c === '[' && /^\[:([a-z]+):\]/.exec(pattern.slice(j));
    if (named && POSIX_CLASSES[named[1]] !== undefined) {
      if (NEGATED_POSIX.has(named[1])) negatedNames += POSIX_CLASSES[named[1]];
      else body += POSIX_CLASSES[named[1]];
      j += named[0].length - 1;
    } else if (c === '-' && body !== '' && pattern[j + 1] !== ']') {
      body += '-';
    } else {
      body += escapeRegExp(c);
    }
  }
  return null;
}

// One segment (no separators in it) as a regular expression source.
function segmentSource(seg) {
  let out = '';
  // A leading dot is matched only by a dot written in the pattern.
  const guardDot = (i) => (i === 0 ? '(?!\\.)' : '');
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    const next = seg[i + 1];
    if ('@?*+!'.includes(c) && next === '(') {
      const end = closingParen(seg, i + 1);
      if (end !== -1) {
        const inner = seg.slice(i + 2, end).split('|').map(segmentSource).join('|');
        const group = `(?:${inner})`;
        if (c === '@') out += group;
        else if (c === '?') out += `${group}?`;
        else if (c === '*') out += `${guardDot(i)}${group}*`;
        else if (c === '+') out += `${group}+`;
        else out += `${guardDot(i)}(?:(?!${group}$)[^/]*?)`; // !(...): anything else
        i = end;
        continue;
      }
    }
    if (c === '*') {
      while (seg[i + 1] === '*') i++;
      out += `${guardDot(out === '' ? 0 : 1)}[^/]*?`;
    } else if (c === '?') {
      out += `${guardDot(out === '' ? 0 : 1)}[^/]`;
    } else if (c === '[') {
      const cls = bracket(seg, i);
      if (cls === null) {
        out += '\\[';
      } else {
        out += `${guardDot(out === '' ? 0 : 1)}${cls[0]}`;
        i = cls[1] - 1;
      }
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

function closingParen(seg, open) {
  let depth = 0;
  for (let i = open; i < seg.length; i++) {
    if (seg[i] === '(') depth++;
    else if (seg[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

// Splits at separators outside classes and extglob groups.
function splitSegments(pattern) {
  const segs = [];
  let start = 0;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (inClass) { if (c === ']') inClass = false; }
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '/' && depth === 0) {
      segs.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  segs.push(pattern.slice(start));
  return segs;
}

function patternSource(pattern) {
  const segs = splitSegments(pattern);
  let out = '';
  for (let i = 0; i < segs.length; i++) {
    const last = i === segs.length - 1;
    if (segs[i] === '**') {
      // Zero or more segments, none of them hidden (nor . or ..).
      out += last ? '(?:(?!\\.)[^/]*(?:/(?!\\.)[^/]*)*)?' : '(?:(?!\\.)[^/]*/)*';
      continue;
    }
    // A segment of the pattern never matches an empty one of the path.
    out += segs[i] === '' ? '' : `(?=[^/])${segmentSource(segs[i])}`;
    if (!last) out += '/';
  }
  return out;
}

// The path as minimatch compares it: no `.` segments after the first, and `x/..` gone.
function dropDotSegments(path) {
  const parts = path.split('/');
  const out = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '.' && i > 0) continue;
    const last = out[out.length - 1];
    if (part === '..' && out.length > 0 && last !== '..' && last !== '' && last !== '.') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** Whether `path` matches the glob `pattern`; `windows` for path.win32's rules. */
export function matchesGlob(path, pattern, windows) {
  // Node matches with minimatch's windowsPathsNoEscape on every platform: a backslash in the
  // pattern is a separator, never an escape. In the path it is one only for win32.
  pattern = pattern.replaceAll('\\', '/');
  if (windows) path = path.replaceAll('\\', '/');
  path = dropDotSegments(path);
  for (const alternative of expandBraces(pattern)) {
    const re = new RegExp(`^${patternSource(alternative)}$`, 'u');
    if (re.test(path)) return true;
  }
  return false;
}
