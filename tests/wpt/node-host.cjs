// Node's side of the WPT runner: the bundle runs as a classic script in Node's global scope,
// as it runs under rtjs (rtjs-sim --script).
const vm = require('node:vm');
const fs = require('node:fs');
// Synchronous: process.exit right after would cut an asynchronous write to a pipe short.
globalThis.__wptWrite = (text) => fs.writeSync(1, text);
vm.runInThisContext(fs.readFileSync(process.argv[2], 'utf8'), { filename: process.argv[2] });
