// Two apps that each allocate 256 MB and touch every page of it, side by side: page faults
// on fresh memory on both CPUs at once (bench/smp). Prints how long until both have ended.
const MB = 1 << 20;
const work = `const u = new Uint8Array(256 * ${MB});
for (let i = 0; i < u.length; i += 4096) u[i] = 1;
let s = 0;
for (let i = 0; i < u.length; i += 4096) s += u[i];
rt.exit(s === 65536 ? 0 : 1);`;
const t0 = performance.now();
const options = (name) => ({ name, heapLimitMb: 320, budgetMs: 600000 });
const apps = [rt.spawn({ source: work }, options('a')), rt.spawn({ source: work }, options('b'))];
console.log('the apps run on CPUs', apps.map((a) => a.cpu).join(','));
const ends = await Promise.all(apps.map((a) => a.exited));
console.log(`both done in ${Math.round(performance.now() - t0)} ms (${ends.map((e) => `${e.reason} ${e.code}`).join(', ')})`);
rt.exit(0);
