// Time from rt.spawn to the child's first statement (the child reads the shared monotonic
// clock first thing and reports it), RUNS spawns one after another. Prints the median in ms.
const runs = Number(rt.argv[0] || 21);
const times = [];
for (let i = 0; i < runs; i++) {
  let started;
  const reported = new Promise((resolve) => { started = resolve; });
  const t0 = performance.now();
  const h = rt.spawn({ source: 'const t = performance.now(); await rt.grants.started(t);' },
    { name: `child-${i}`, grant: { started } });
  times.push((await reported) - t0);
  await h.exited;
}
times.sort((a, b) => a - b);
console.log(`median ${times[times.length >> 1].toFixed(3)}`);
console.log(`min ${times[0].toFixed(3)}`);
rt.exit(0);
