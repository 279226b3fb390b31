// process.env under the env permission: an app sees only the variables its grant names, and
// a child inheriting its parent's environment gets at most what the parent could see.
import { test, assertEqual, assertMatch } from '../harness.js';

const ENV = { HOME: '/home/app', LC_ALL: 'C', LC_TIME: 'C', SECRET_TOKEN: 'hunter2' };
const KEYS = 'rt.export({ keys: Object.keys(process.env).sort(), secret: process.env.SECRET_TOKEN ?? null })';

async function run(permissions, body) {
  const h = rt.spawn({ source: `
    const out = {};
    (async () => { ${body} })().then(() => rt.export(out), (e) => rt.export({ failed: String(e.stack) }));` },
  { name: 'env-app', env: ENV, ...(permissions === undefined ? {} : { permissions }) });
  const r = await h.interface;
  h.kill();
  if (r.failed) throw new Error(r.failed);
  return r;
}

const SHOW = `out.keys = Object.keys(process.env).sort(); out.secret = process.env.SECRET_TOKEN ?? null;
  out.inOperator = 'SECRET_TOKEN' in process.env;`;

test('an app with no limits sees its whole environment', async () => {
  const r = await run(undefined, SHOW);
  assertEqual(r.keys, ['HOME', 'LC_ALL', 'LC_TIME', 'SECRET_TOKEN']);
  assertEqual(r.secret, 'hunter2');
});

test('a grant naming variables and a prefix shows only those', async () => {
  const r = await run({ env: ['HOME', 'LC_*'], spawn: true }, SHOW);
  assertEqual(r.keys, ['HOME', 'LC_ALL', 'LC_TIME']);
  assertEqual([r.secret, r.inOperator], [null, false]);
});

test('no env permission: an empty environment', async () => {
  const r = await run({ spawn: true }, SHOW);
  assertEqual(r.keys, []);
});

test('children inherit at most what their parent may see, and cannot be granted more', async () => {
  const r = await run({ env: ['HOME', 'LC_*'], spawn: true }, `
    out.heir = await rt.spawn({ source: ${JSON.stringify(KEYS)} }, { name: 'heir' }).interface;
    // A child granted more names than its parent holds is refused at spawn ...
    try { rt.spawn({ source: '' }, { name: 'wider', permissions: { env: true } }); } catch (e) { out.wider = [e.code, e.message]; }
    // ... and one granted all the parent holds still never sees what the parent could not.
    out.full = await rt.spawn({ source: ${JSON.stringify(KEYS)} }, { name: 'full', permissions: { env: ['HOME', 'LC_*'] } }).interface;
    out.narrow = await rt.spawn({ source: ${JSON.stringify(KEYS)} }, { name: 'narrow', permissions: { env: ['HOME'] } }).interface;
    // Values the parent sets itself go to the child, within the child's grant.
    out.given = await rt.spawn({ source: ${JSON.stringify(KEYS)} }, { name: 'given', env: { SECRET_TOKEN: 'x', LC_X: 'y' } }).interface;
  `);
  assertEqual(r.heir, { keys: ['HOME', 'LC_ALL', 'LC_TIME'], secret: null });
  assertEqual(r.wider[0], 'ERR_ACCESS_DENIED');
  assertMatch(r.wider[1], /env '\*' \(held: 'HOME', 'LC_\*'\)/);
  assertEqual(r.full, { keys: ['HOME', 'LC_ALL', 'LC_TIME'], secret: null });
  assertEqual(r.narrow, { keys: ['HOME'], secret: null });
  assertEqual(r.given, { keys: ['LC_X'], secret: null });
});
