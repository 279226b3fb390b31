// Two CPU-bound apps spawned side by side; prints how long until both have ended (bench/smp).
const work = 'let x = 0; for (let i = 0; i < 2e8; i++) x = (x + i * 7) % 1000003; rt.exit(x % 2);';
const t0 = performance.now();
const apps = [rt.spawn({ source: work }, { name: 'a', budgetMs: 600000 }), rt.spawn({ source: work }, { name: 'b', budgetMs: 600000 })];
console.log('the apps run on CPUs', apps.map((a) => a.cpu).join(','));
await Promise.all(apps.map((a) => a.exited));
console.log(`both done in ${Math.round(performance.now() - t0)} ms`);
rt.exit(0);
