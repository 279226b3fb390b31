// A failed module evaluation is not an 'unhandledRejection': Node raises it as uncaught.
process.on('unhandledRejection', (reason) => console.log('unhandledRejection', reason.message));
process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin));
throw new Error('evaluation');
