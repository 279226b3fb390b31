// Without an 'unhandledRejection' listener a rejection is raised as an uncaught exception
// of origin 'unhandledRejection'; microtask and timer throws are plain uncaught ones.
process.on('uncaughtExceptionMonitor', (err, origin) => console.log('monitor', err.message, origin));
process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin));
Promise.reject(new Error('rejection'));
setTimeout(() => { throw new Error('timer'); }, 1);
queueMicrotask(() => { throw new Error('microtask'); });
process.on('exit', (code) => console.log('exit', code, process.exitCode));
