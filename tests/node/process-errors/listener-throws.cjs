// A listener that throws ends the app with status 7, as Node's failed exception handler.
process.on('uncaughtException', (err) => {
  console.log('caught', err.message);
  throw new Error('in the listener');
});
throw new Error('first');
