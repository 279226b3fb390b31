// SMP stress: one worker app per CPU; for a bounded number of rounds every worker
// calls the next worker (on another CPU) with a buffer it transfers, while generating new
// code (new Function: V8 flips code pages between writable and executable) and growing and
// dropping objects. init checks that every call came back with the right answer.
const cpus = Number(rt.argv[0] ?? 2);
const rounds = Number(rt.argv[1] ?? 30);

const worker = `
  let next = null;
  rt.export({
    connect(peer) { next = peer; },
    // Sums the bytes with freshly generated code, returns the sum and the buffer.
    async digest(view) {
      const f = new Function('v', 'let s = ' + (view[0] % 7) + '; for (const b of v) s += b; return s - ' + (view[0] % 7) + ';');
      return { sum: f(view), view: rt.transfer(view) };
    },
    async run(rounds, seed) {
      let ok = 0;
      for (let r = 0; r < rounds; r++) {
        const view = new Uint8Array(4096 + r);
        for (let i = 0; i < view.length; i++) view[i] = (i * seed + r) & 0xff;
        let expect = 0;
        for (const b of view) expect += b;
        const junk = Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x' + i }));
        const back = await next.digest(rt.transfer(view));
        if (back.sum !== expect || back.view.length !== 4096 + r || junk.length !== 2000) {
          throw new Error('round ' + r + ': sum ' + back.sum + ' expected ' + expect);
        }
        ok++;
      }
      return ok;
    },
  });
`;

const handles = [];
for (let cpu = 0; cpu < cpus; cpu++) {
  handles.push(rt.spawn({ source: worker }, { name: `w${cpu}`, cpu, budgetMs: 120000 }));
}
const api = await Promise.all(handles.map((h) => h.interface));
await Promise.all(api.map((w, i) => w.connect(api[(i + 1) % api.length])));
const done = await Promise.all(api.map((w, i) => w.run(rounds, i + 3)));
const total = done.reduce((a, b) => a + b, 0);
console.log(`stress: ${cpus} workers on CPUs ${handles.map((h) => h.cpu).join(',')}, ${total} of ${cpus * rounds} cross-CPU calls answered correctly`);
for (const h of handles) h.kill();
rt.exit(total === cpus * rounds ? 0 : 1);
