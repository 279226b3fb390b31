// ./rtjs run's first line: one line of output and a chosen exit status.
console.log('hello from an app', 6 * 7);
rt.exit(5);
