// Limits down the tree of apps: a child's heap and budget are at most its parent's, and an
// app's children never outlive it (killed, or ended by itself), so none is left orphaned.
import { test, assertEqual } from '../harness.js';
import { assertAlive } from './hostile.js';

// Resolves once no app with this id is listed (the wait is bounded by the test's timeout).
async function gone(id) {
  while (rt.apps().some((a) => a.id === id)) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('limits narrow down the tree: a child gets at most its parent\'s heap and budget', async () => {
  const src = `
    const child = rt.spawn({ source: 'rt.export({})' }, { name: 'greedy', heapLimitMb: 1e6, budgetMs: 1e12 });
    const spinner = rt.spawn({ source: 'for (;;) {}' }, { name: 'spinner', budgetMs: 1e12 });
    child.interface.then(async () => {
      const mine = rt.apps().find((a) => a.id === child.id);
      rt.export({ limits: [mine.heapLimitMb, mine.budgetMs], spinner: await spinner.exited });
    });`;
  const parent = rt.spawn({ source: src }, { name: 'narrow', heapLimitMb: 64, budgetMs: 300 });
  const got = await parent.interface;
  assertEqual(got.limits, [64, 300]);
  assertEqual(got.spinner, { code: 1, reason: 'watchdog' });
  parent.kill();
  await parent.exited;
  await assertAlive();
});

test('killing an app kills its children, and theirs', async () => {
  const src = `
    const child = rt.spawn({ source: "const g = rt.spawn({ source: 'rt.export({})' }, { name: 'grandchild' }); g.interface.then(() => rt.export({ id: g.id }));" }, { name: 'child' });
    child.interface.then((c) => rt.export({ child: child.id, grandchild: c.id }));`;
  const top = rt.spawn({ source: src }, { name: 'top' });
  const ids = await top.interface;
  if (!rt.apps().some((a) => a.id === ids.grandchild)) throw new Error('the grandchild is not running');
  top.kill();
  assertEqual((await top.exited).reason, 'killed');
  await gone(ids.child);
  await gone(ids.grandchild);
  await assertAlive();
});

test('an app that exported cannot outlive its parent and keep the system running', async () => {
  // The parent ends by itself (rt.exit) while its child serves on.
  const src = `
    const child = rt.spawn({ source: 'rt.export({ ping: () => 1 })' }, { name: 'server' });
    child.interface.then(() => rt.export({ child: child.id, bye: () => setTimeout(() => rt.exit(0), 0) }));`;
  const parent = rt.spawn({ source: src }, { name: 'leaves' });
  const svc = await parent.interface;
  await svc.bye();
  assertEqual(await parent.exited, { code: 0, reason: 'exit' });
  await gone(svc.child);
  await assertAlive();
});
