// commander (CommonJS): options, a subcommand, help text, an error without exiting.
const { Command } = require('commander');
const program = new Command();
program.name('tool').description('does things').version('1.2.3')
  .option('-d, --debug', 'print more')
  .option('-n, --count <n>', 'how many', (v) => parseInt(v, 10), 1)
  .exitOverride()
  .configureOutput({ writeOut: (s) => console.log(s.trimEnd()), writeErr: (s) => console.log(`err: ${s.trimEnd()}`) });
let ran = null;
program.command('greet <name>').option('-l, --loud').action((name, opts) => { ran = [name, opts.loud === true]; });
program.parse(['node', 'tool', '-d', '--count', '3', 'greet', 'ada', '--loud']);
console.log(program.opts(), ran);
console.log(program.helpInformation().trimEnd());
try {
  new Command().exitOverride().configureOutput({ writeErr: () => {} }).option('--size <s>').parse(['node', 'x', '--nope']);
} catch (err) {
  console.log(err.code, err.exitCode, err.message);
}
