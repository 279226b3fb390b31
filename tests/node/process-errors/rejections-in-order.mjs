// Several rejections in one task are each reported, in order; one that gains a handler
// before the end of the task is not.
process.on('unhandledRejection', (reason) => console.log('unhandledRejection', reason.message));
Promise.reject(new Error('first'));
const late = Promise.reject(new Error('handled late'));
Promise.reject(new Error('second'));
setTimeout(() => {}, 0);
late.catch(() => console.log('late handler'));
