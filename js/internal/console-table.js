// console.table's rendering, as Node 20 draws it: box-drawing borders, left-aligned cells,
// an "(index)" column, one column per property seen, and "Values" for primitive rows; a Map
// or Set is listed by "(iteration index)", its entries unexpanded.
import { inspect } from './inspect.js';
import primordials from './primordials.js';

const {
  ArrayPrototypeIncludes, ArrayPrototypeJoin, ArrayPrototypeMap, ArrayPrototypePush, MathMax,
  ObjectKeys, StringPrototypeRepeat,
} = primordials;

const INDEX = '(index)';
const VALUES = 'Values';

function repeat(s, n) { return StringPrototypeRepeat(s, n); }

// Display width: code points, as Node counts them for this table (no East Asian widths).
function width(s) { let n = 0; for (const _ of s) n++; return n; }

function cell(v) {
  return inspect(v, { depth: 0, breakLength: Infinity, compact: 3 });
}

function pad(text, w) { return ' ' + text + repeat(' ', w - 1 - width(text)); }

function rowsOf(data) {
  if (data instanceof Map) {
    const out = [];
    let i = 0;
    for (const [k, v] of data) ArrayPrototypePush(out, [`${i++}`, v, k]);
    return { rows: out, mapKeys: true, iteration: true };
  }
  if (data instanceof Set) {
    const out = [];
    let i = 0;
    for (const v of data) ArrayPrototypePush(out, [`${i++}`, v]);
    return { rows: out, mapKeys: false, iteration: true };
  }
  return { rows: ArrayPrototypeMap(ObjectKeys(data), (k) => [k, data[k]]), mapKeys: false };
}

/** The table as text (without the final newline), or null when `data` is not tabular. */
export function renderTable(data, properties = undefined) {
  if (data === null || typeof data !== 'object') return null;
  const { rows, mapKeys, iteration = false } = rowsOf(data);
  const columns = [];
  let hasValues = false;
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r][1];
    if (!iteration && (v !== null && typeof v === 'object' || typeof v === 'function')) {
      const keys = properties !== undefined ? properties : ObjectKeys(v);
      for (let k = 0; k < keys.length; k++) {
        if (!ArrayPrototypeIncludes(columns, keys[k])) ArrayPrototypePush(columns, keys[k]);
      }
    } else {
      hasValues = true;
    }
  }
  if (properties !== undefined) {
    columns.length = 0;
    for (let k = 0; k < properties.length; k++) ArrayPrototypePush(columns, `${properties[k]}`);
  }
  const head = [iteration ? '(iteration index)' : INDEX];
  if (mapKeys) ArrayPrototypePush(head, 'Key');
  for (let c = 0; c < columns.length; c++) ArrayPrototypePush(head, columns[c]);
  if (hasValues) ArrayPrototypePush(head, VALUES);
  const body = [];
  for (let r = 0; r < rows.length; r++) {
    const [index, v, key] = rows[r];
    const line = [index];
    if (mapKeys) ArrayPrototypePush(line, cell(key));
    const isObject = !iteration && (v !== null && typeof v === 'object' || typeof v === 'function');
    for (let c = 0; c < columns.length; c++) {
      const has = isObject && columns[c] in v;
      ArrayPrototypePush(line, has ? cell(v[columns[c]]) : '');
    }
    if (hasValues) ArrayPrototypePush(line, isObject ? '' : cell(v));
    ArrayPrototypePush(body, line);
  }
  const widths = ArrayPrototypeMap(head, (h, i) => {
    let w = width(h);
    for (let r = 0; r < body.length; r++) w = MathMax(w, width(body[r][i]));
    return w + 2;
  });
  const rule = (l, m, r) => l + ArrayPrototypeJoin(ArrayPrototypeMap(widths, (w) => repeat('─', w)), m) + r;
  const line = (cells) => '│' + ArrayPrototypeJoin(ArrayPrototypeMap(cells, (t, i) => pad(t, widths[i])), '│') + '│';
  const out = [rule('┌', '┬', '┐'), line(head), rule('├', '┼', '┤')];
  for (let r = 0; r < body.length; r++) ArrayPrototypePush(out, line(body[r]));
  ArrayPrototypePush(out, rule('└', '┴', '┘'));
  return ArrayPrototypeJoin(out, '\n');
}

