process.on('uncaughtException', (err, origin) => console.log('caught', typeof err, err, origin));
throw 42;
