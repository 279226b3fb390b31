// Time from rt.spawn to the child's first statement (the child reads the machine's monotonic
// clock first thing and reports it), RUNS spawns one after another. Prints the median in ms.
// The clock is process.hrtime's, as in the Node peer: performance.now() counts from each
// app's own start, so a parent's and a child's readings do not compare.
const runs = Number(rt.argv[0] || 21);
const times = [];
for (let i = 0; i < runs; i++) {
  let started;
  const reported = new Promise((resolve) => { started = resolve; });
  const t0 = process.hrtime.bigint();
  const h = rt.spawn({ source: 'const t = process.hrtime.bigint(); await rt.grants.started(t);' },
    { name: `child-${i}`, grant: { started } });
  times.push(Number((await reported) - t0) / 1e6);
  await h.exited;
}
times.sort((a, b) => a - b);
console.log(`median ${times[times.length >> 1].toFixed(3)}`);
console.log(`min ${times[0].toFixed(3)}`);
rt.exit(0);
