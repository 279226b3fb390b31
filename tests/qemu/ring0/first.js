// The first rung of JavaScript on the kernel: a line, a timer, an exit status.
const start = performance.now();
console.log('first line from JavaScript', 6 * 7);
setTimeout(() => {
  console.log(`timer fired after ${Math.round(performance.now() - start)} ms`);
  rt.exit(3);
}, 20);
