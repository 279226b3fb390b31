// 'exit' listeners run for a fatal error too, and the exitCode they set is the status.
process.on('exit', (code) => {
  console.log('exit', code, process.exitCode);
  process.exitCode = 9;
});
setTimeout(() => { throw new Error('from a timer'); }, 1);
