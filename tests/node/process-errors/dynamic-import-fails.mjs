// A dynamic import() whose module throws, nobody handling the promise.
process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin));
import('./lib/throws.mjs');
