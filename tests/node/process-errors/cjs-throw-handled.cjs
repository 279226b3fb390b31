// A CommonJS main throws synchronously: origin 'uncaughtException'.
process.on('uncaughtExceptionMonitor', (err, origin) => console.log('monitor', err.message, origin));
process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin));
setTimeout(() => console.log('still running'), 5);
throw new TypeError('top-level');
