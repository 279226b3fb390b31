// yargs's ES module entry: commands, defaults, coercion, and its locale strings (read with readFileSync).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readFileSync, existsSync, statSync } from 'node:fs';

const argv = yargs(hideBin(['node', 'tool', 'build', '--out', 'dist', '--min'])).locale('fr')
  .command('build', 'build it').option('out', { type: 'string' }).option('min', { type: 'boolean' })
  .option('level', { type: 'number', default: 3, coerce: (n) => n * 2 }).parseSync();
console.log(argv._.join(), argv.out, argv.min, argv.level);
yargs(['--nope']).locale('de').strict().exitProcess(false).fail((msg) => console.log(msg)).parse();
const here = new URL('.', import.meta.url).pathname;
console.log(existsSync(`${here}yargs-esm.mjs`), statSync(`${here}yargs-esm.mjs`).isFile(),
  readFileSync(new URL(import.meta.url), 'utf8').split('\n')[0]);
