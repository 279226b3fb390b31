import pLimit from 'p-limit';
const limit = pLimit(2);
let active = 0, peak = 0;
const job = (i) => limit(async () => { active++; peak = Math.max(peak, active); await new Promise((r) => setTimeout(r, 2)); active--; return i * 2; });
console.log(await Promise.all([1, 2, 3, 4, 5].map(job)), 'peak', peak, limit.activeCount, limit.pendingCount);
