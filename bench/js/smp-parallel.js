// CPU-bound apps spawned side by side (rt.argv[0] of them, 2 by default); prints how long
// until all have ended (bench/smp).
const count = Number(rt.argv[0] || 2);
const work = 'let x = 0; for (let i = 0; i < 2e8; i++) x = (x + i * 7) % 1000003; rt.exit(x % 2);';
const t0 = performance.now();
const apps = [];
for (let i = 0; i < count; i++) apps.push(rt.spawn({ source: work }, { name: `app${i}`, budgetMs: 600000 }));
console.log('the apps run on CPUs', apps.map((a) => a.cpu).join(','));
await Promise.all(apps.map((a) => a.exited));
console.log(`${count === 2 ? 'both' : `all ${count}`} done in ${Math.round(performance.now() - t0)} ms`);
rt.exit(0);
