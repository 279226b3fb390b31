// A throw while the main ES module evaluates reaches 'uncaughtException' with the origin
// Node gives a failed module job; the app goes on (the timer still fires).
process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin));
setTimeout(() => console.log('still running'), 5);
console.log('before');
throw new Error('top-level');
