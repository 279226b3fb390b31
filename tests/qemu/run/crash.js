// An app that crashes: its report must reach the terminal even though the kernel log does not.
console.log('about to throw');
throw new Error('boom from an app');
