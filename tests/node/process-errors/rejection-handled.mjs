// 'unhandledRejection' gets the reason and the promise; the app goes on.
const rejected = Promise.reject(new Error('rejected'));
process.on('unhandledRejection', (reason, promise) =>
  console.log('unhandledRejection', reason.message, promise === rejected));
setTimeout(() => console.log('still running'), 5);
