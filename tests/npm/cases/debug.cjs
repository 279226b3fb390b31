// DEBUG comes from the environment (the test gives it to Node and to rtjs alike).
const debug = require('debug');
const log = debug('rtjs:test');
console.log(log.enabled, debug.enabled('other'), debug.enabled('rtjs:quiet'), typeof debug.formatters.o, log.namespace);
console.log(process.env.DEBUG);
