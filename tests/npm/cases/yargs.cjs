// yargs: a CLI parser reading its own locale files and package.json synchronously.
const yargs = require('yargs/yargs');
const { hideBin } = require('yargs/helpers');

const argv = yargs(['serve', '--port', '8080', '-v', '--tag', 'a', '--tag', 'b', 'extra'])
  .scriptName('tool')
  .command('serve [dir]', 'start the server', (y) => y.positional('dir', { type: 'string', default: '.' }))
  .option('port', { type: 'number', describe: 'port to bind' })
  .option('verbose', { alias: 'v', type: 'boolean' })
  .option('tag', { type: 'array' })
  .strict(false)
  .parse();
console.log(JSON.stringify({ cmd: argv._, port: argv.port, verbose: argv.verbose, tag: argv.tag, dir: argv.dir }));
console.log(hideBin(['node', 'script', '--x']).join(' '));

const out = [];
yargs(['--help']).scriptName('tool').usage('$0 <cmd> [args]')
  .command('hello [name]', 'welcome ter yargs!', (y) => y.positional('name', { type: 'string', default: 'Cambi' }))
  .option('count', { alias: 'c', type: 'number', default: 2, describe: 'how many times' })
  .wrap(72).exitProcess(false)
  .parse([ '--help' ], {}, (err, a, output) => { out.push(output); });
console.log(out.join('\n'));

yargs(['--count', 'x']).exitProcess(false).option('count', { type: 'number', demandOption: true })
  .check((a) => { if (Number.isNaN(a.count)) throw new Error('count must be a number'); return true; })
  .fail((msg, err) => console.log('failed:', msg || err.message))
  .parse();
const { version } = require('yargs/package.json');
console.log('yargs', version);
