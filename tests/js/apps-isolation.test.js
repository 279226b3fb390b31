// Isolation between apps: engines run apps in parallel, the watchdog ends a runaway task
// and only its app, and an app that exhausts its heap is ended alone (docs/design.md, "Apps, engines and IPC").
import { test, assertEqual, assertMatch } from './harness.js';

const echoApp = (options) => rt.spawn('fixtures/apps/echo.js', options);
// Whether there is a second engine: spawning an app on CPU 1 says.
function hasTwoEngines() {
  try {
    rt.spawn({ source: '' }, { name: 'probe', cpu: 1 });
    return true;
  } catch (err) {
    assertMatch(err.message, /options.cpu must be 'auto' or an integer from 0 to 0/);
    return false;
  }
}
const cpuCount = hasTwoEngines() ? 2 : 1;

test('two apps on two engines compute at the same time', async () => {
  if (cpuCount < 2) {
    console.log('  (one engine only: parallelism not tested)');
    return;
  }
  // The other app runs short tasks back to back on the other engine; this app spins without
  // yielding until it sees one of them finish (busyMs grows after each task). On one engine
  // the other app could not run a task until this one returned.
  const other = rt.spawn({
    source: `function work() { const t = performance.now(); while (performance.now() - t < 2); setTimeout(work, 0); }
      rt.export({}); work();`,
  }, { name: 'worker', cpu: rt.self.cpu === 0 ? 1 : 0 });
  await other.interface;
  const busy = () => rt.apps().find((a) => a.id === other.id).busyMs;
  // A hang guard, not a measurement: half this app's own watchdog budget.
  const guardMs = rt.apps().find((a) => a.id === rt.self.id).budgetMs / 2;
  const before = busy();
  const start = performance.now();
  let now = busy();
  while (now === before && performance.now() - start < guardMs) now = busy();
  if (now === before) throw new Error(`the other app ran no task in ${guardMs} ms while this one spun`);
  other.kill();
  await other.exited;
});

test('while(true){} in one app: another app on another engine keeps answering', async () => {
  const spinner = rt.spawn({ source: 'rt.export({ spin() { while (true) {} } });' },
    { name: 'runaway', cpu: 1 % cpuCount, budgetMs: 400 });
  const responder = echoApp({ name: 'responder', cpu: 0 });
  const [spin, svc] = await Promise.all([spinner.interface, responder.interface]);
  const spinning = spin.spin().then(() => 'returned', (err) => err.message);
  const answers = [];
  const start = performance.now();
  let ended = false;
  spinner.exited.then(() => { ended = true; });
  while (!ended) {
    answers.push(await svc.echo(answers.length)); // each waits for its answer: no pacing needed
  }
  const elapsed = performance.now() - start;
  assertEqual(await spinner.exited, { code: 1, reason: 'watchdog' });
  assertMatch(await spinning, /^app 'runaway' \(id \d+\) has ended$/);
  if (cpuCount > 1 && answers.length < 5) throw new Error(`only ${answers.length} answers while it spun`);
  if (elapsed < 350) throw new Error(`the spinner ended after ${elapsed | 0} ms, before its 400 ms budget`);
  assertEqual(await svc.echo('after'), 'after', 'the responder outlives the spinner');
  responder.kill();
  await responder.exited;
});

test('while(true){} on the same engine: the watchdog ends it and the others run again', async () => {
  const spinner = rt.spawn({ source: 'rt.export({ spin() { while (true) {} } });' },
    { name: 'runaway-2', cpu: 0, budgetMs: 200 });
  const responder = echoApp({ name: 'neighbour', cpu: 0 });
  const [spin, svc] = await Promise.all([spinner.interface, responder.interface]);
  spin.spin().catch(() => {});
  assertEqual(await svc.echo('still here'), 'still here');
  assertEqual(await spinner.exited, { code: 1, reason: 'watchdog' });
  responder.kill();
  await responder.exited;
});

test('an app allocating without end is ended alone (out-of-memory)', async () => {
  const hog = rt.spawn({ source: 'const keep = []; for (;;) keep.push(new Array(10000).fill({}));' },
    { name: 'hog', heapLimitMb: 24, budgetMs: 600000 }); // only its heap may end it
  const bystander = echoApp({ name: 'bystander' });
  const svc = await bystander.interface;
  assertEqual(await hog.exited, { code: 1, reason: 'out-of-memory' });
  assertEqual(await svc.echo('alive'), 'alive');
  assertEqual(rt.apps().some((a) => a.id === hog.id), false);
  bystander.kill();
  await bystander.exited;
});

test('the watchdog budget covers a runaway main module too', async () => {
  const h = rt.spawn({ source: 'for (;;) {}' }, { name: 'spins-at-start', budgetMs: 150 });
  assertEqual(await h.exited, { code: 1, reason: 'watchdog' });
});

test('the watchdog counts CPU time: a task blocked past its budget is not ended, a spinning one is', async () => {
  // Atomics.wait blocks the engine's thread for 4 s of wall time and almost no CPU time. The
  // budget leaves room for the module's own work: under TCG a loaded host's descheduling of
  // the vCPU counts as the thread's CPU time (docs/design.md), ten times over at load 30.
  const sleeper = rt.spawn({ source: `const t0 = performance.now();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);
    const blocked = performance.now() - t0;
    rt.export({ blocked: () => blocked });` }, { name: 'sleeper', budgetMs: 3000 });
  const svc = await sleeper.interface;
  const blocked = await svc.blocked();
  if (!(blocked >= 3900)) throw new Error(`blocked for only ${blocked} ms`);
  assertEqual(rt.apps().some((a) => a.id === sleeper.id), true, 'the blocked app is still running');
  const spinner = rt.spawn({ source: 'const t0 = performance.now(); while (performance.now() - t0 < 60000) {}' },
    { name: 'spinner', budgetMs: 300 });
  assertEqual(await spinner.exited, { code: 1, reason: 'watchdog' });
  sleeper.kill();
  await sleeper.exited;
});
