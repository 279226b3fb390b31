// Text helpers of the shell (shell.js): tables, sizes, paths and command lines.

/** Rows of plain objects as a table with a header, columns as wide as their widest cell. */
export function formatTable(rows) {
  if (!rows.length) return '(none)';
  const keys = Object.keys(rows[0]);
  const cells = [keys, ...rows.map((r) => keys.map((k) => String(r[k] ?? '')))];
  const widths = keys.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ')).join('\n');
}

export function formatBytes(n) {
  if (!(n >= 0)) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** `path` resolved against the directory `cwd`: '.', '..' and repeated '/' removed. */
export function resolvePath(cwd, path) {
  const parts = [];
  for (const part of `${path.startsWith('/') ? '' : cwd}/${path}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

// Words of a command line: separated by blanks, with '...' and "..." quoting.
function words(text) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(text)) !== null) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]);
  return out;
}

/**
 * A line that starts with a command's name followed by nothing or by words (not by
 * JavaScript such as `(`, `=`, `.`) becomes the call: `ls /disk` -> `ls("/disk")`,
 * `who` -> `who()`. Anything else is left as it is, as JavaScript.
 * @param {string} line
 * @param {(word: string) => boolean} isCommand
 */
export function parseCommandLine(line, isCommand) {
  const m = /^\s*([A-Za-z_$][\w$]*)(?:\s+(.*?))?\s*;?\s*$/.exec(line);
  if (!m || !isCommand(m[1])) return line;
  const rest = m[2] ?? '';
  if (/^(?:[(=[`+,?:<>!&|*%]|-(?![a-zA-Z]))/.test(rest)) return line;
  if (/^(?:in|instanceof)\b/.test(rest)) return line;
  return `${m[1]}(${words(rest).map((w) => JSON.stringify(w)).join(', ')})`;
}
