// A module that fails after a top-level await.
process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin));
await new Promise((resolve) => setTimeout(resolve, 5));
throw new Error('after await');
