// Web Platform Tests as the oracle: runs WPT's .any.js files under rtjs and under Node on the
// host, each with WPT's own testharness.js, and prints per file and per directory how many
// subtests pass on each. Not part of `./rtjs test`: it needs a WPT checkout, which is not in
// this repository (fetch one, or a part of one, and give its path).
//
// usage: node tests/wpt/run.mjs WPT_DIR RTJS_SIM DIR... [--only REGEX] [--timeout S]
//   e.g. node tests/wpt/run.mjs /tmp/wpt build/rtjs-sim encoding streams dom/events
//
// Each file's `// META: script=` dependencies are prepended (paths from the file's folder, or
// from WPT's root when they start with '/'); `// META: variant=` files run once, without a
// variant. A file that hangs is ended after the timeout (default 60 s) and counts what it
// reported: nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const [, value] = args.splice(i, 2);
  return value;
};
const only = new RegExp(option('--only', '.'));
const timeoutS = Number(option('--timeout', '60'));
const [wpt, rtjs, ...dirs] = args;
if (!wpt || !rtjs || dirs.length === 0) {
  console.error('usage: node tests/wpt/run.mjs WPT_DIR RTJS_SIM DIR... [--only REGEX] [--timeout S]');
  process.exit(2);
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (/\.any\.js$/.test(name)) out.push(path);
  }
  return out;
}

function bundle(file) {
  const text = readFileSync(file, 'utf8');
  const parts = [readFileSync(join(here, 'harness-env.js'), 'utf8'), readFileSync(join(wpt, 'resources/testharness.js'), 'utf8'),
    readFileSync(join(here, 'harness-report.js'), 'utf8')];
  for (const m of text.matchAll(/^\/\/ META: script=(.+)$/gm)) {
    const ref = m[1].trim();
    const path = ref.startsWith('/') ? join(wpt, ref) : resolve(dirname(file), ref);
    try { parts.push(readFileSync(path, 'utf8')); } catch { parts.push(`throw new Error(${JSON.stringify(`missing META script ${ref}`)});`); }
  }
  parts.push(text);
  // One script: each part keeps its own statements; a newline and semicolon between them.
  return parts.join('\n;\n');
}

function run(command, argv) {
  const r = spawnSync(command, argv, { encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 64 << 20 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('WPT-RESULTS '));
  if (!line) return { tests: [], note: r.error?.code === 'ETIMEDOUT' ? 'timeout' : `no results (status ${r.status})` };
  const result = JSON.parse(line.slice('WPT-RESULTS '.length));
  return { tests: result.tests, note: result.harness === 0 ? '' : `harness ${['ok', 'error', 'timeout'][result.harness] ?? result.harness}: ${result.message ?? ''}` };
}

const tmp = mkdtempSync(join(tmpdir(), 'wpt-'));
const totals = {};
let grand = { rtjs: 0, node: 0, total: 0 };
for (const dir of dirs) {
  for (const file of walk(join(wpt, dir))) {
    const name = relative(wpt, file);
    if (!only.test(name)) continue;
    const script = join(tmp, 'bundle.js');
    writeFileSync(script, bundle(file));
    const a = run(rtjs, ['--headless', '--budget', '30000', '--script', script]);
    const b = run(process.execPath, [join(here, 'node-host.cjs'), script]);
    const pass = (r) => r.tests.filter((t) => t.status === 0).length;
    const total = Math.max(a.tests.length, b.tests.length);
    const top = name.split('/').slice(0, name.startsWith('dom/') || name.startsWith('html/') ? 2 : 1).join('/');
    totals[top] ??= { rtjs: 0, node: 0, total: 0, files: 0 };
    totals[top].rtjs += pass(a);
    totals[top].node += pass(b);
    totals[top].total += total;
    totals[top].files++;
    grand = { rtjs: grand.rtjs + pass(a), node: grand.node + pass(b), total: grand.total + total };
    console.log(`${name}: rtjs ${pass(a)}/${total}${a.note ? ` (${a.note.slice(0, 80)})` : ''}, node ${pass(b)}/${total}${b.note ? ` (${b.note.slice(0, 80)})` : ''}`);
    if (process.env.WPT_VERBOSE) {
      const nodePassed = new Set(b.tests.filter((t) => t.status === 0).map((t) => t.name));
      for (const t of a.tests) if (t.status !== 0 && nodePassed.has(t.name)) console.log(`  rtjs fails, node passes: ${t.name}: ${t.message}`);
    }
  }
}
rmSync(tmp, { recursive: true, force: true });
console.log('\n| directory | files | rtjs | Node | subtests |\n| --- | --- | --- | --- | --- |');
for (const [dir, t] of Object.entries(totals)) console.log(`| ${dir} | ${t.files} | ${t.rtjs} | ${t.node} | ${t.total} |`);
console.log(`| all | | ${grand.rtjs} | ${grand.node} | ${grand.total} |`);
