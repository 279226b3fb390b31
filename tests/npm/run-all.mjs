// Runs every case in order, keeping what each prints, then prints all of it and a digest
// (FNV-1a of the text) that the kernel test compares with Node's. Runs the same under Node.
import { format } from 'node:util';

const cases = [
  'ajv.mjs',
  'big.js.mjs',
  'bn.js.cjs',
  'camelcase.mjs',
  'chalk.mjs',
  'classnames.cjs',
  'commander.cjs',
  'dayjs.cjs',
  'debug.cjs',
  'decamelize.mjs',
  'decimal.js.cjs',
  'deepmerge.mjs',
  'escape-html.cjs',
  'escape-string-regexp.mjs',
  'eventemitter3.mjs',
  'fast-deep-equal.cjs',
  'fast-json-stable-stringify.cjs',
  'immer.mjs',
  'inherits.cjs',
  'ini.mjs',
  'is-plain-obj.mjs',
  'js-yaml.mjs',
  'json5.cjs',
  'lodash.cjs',
  'lru-cache.mjs',
  'map-obj.mjs',
  'marked.mjs',
  'minimist.cjs',
  'mitt.mjs',
  'ms.cjs',
  'nanoid.mjs',
  'p-limit.mjs',
  'punycode.cjs',
  'qs.cjs',
  'quick-lru.mjs',
  'safe-buffer.cjs',
  'semver.cjs',
  'split2.cjs',
  'strip-ansi.mjs',
  'superstruct.mjs',
  'tslib.mjs',
  'underscore.mjs',
  'uuid.mjs',
  'validator.cjs',
  'yargs.cjs',
  'yargs-esm.mjs',
  'zod.mjs',
];

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const out = [];
const log = console.log;
console.log = (...args) => { out.push(format(...args)); };
for (const name of cases) {
  out.push(`== ${name}`);
  await import(`./cases/${name}`);
  // What a case left to run on promises and process.nextTick (a stream draining) finishes
  // before the next case starts, so that the output's order is the program's own.
  await new Promise((resolve) => setTimeout(resolve, 0));
}
console.log = log;
const text = out.join('\n');
console.log(text);
console.log(`digest ${fnv1a(text)} cases ${cases.length}`);
