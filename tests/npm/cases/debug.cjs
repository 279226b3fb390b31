const debug = require('debug');
const log = debug('rtjs:test');
console.log(log.enabled, debug.enabled('other'), typeof debug.formatters.o, log.namespace);
