// rt.caller against forgery: the called function learns which app called it from the record
// the runtime stamped, never from the call's arguments; through a forwarded function it is the
// app that called; after an `await` it is gone, and never another call's.
import { test, assertEqual } from '../harness.js';
import { assertAlive } from './hostile.js';

// A service that reports who called it.
const WHO = `
const log = [];
rt.export({
  who: (...args) => rt.caller,
  whoThenCallBack: async (back) => {
    const before = rt.caller;
    const seenByBack = await back();
    return { before, after: rt.caller, seenByBack };
  },
  slow: async (ms) => {
    const before = rt.caller;
    await new Promise((r) => setTimeout(r, ms));
    return { before, after: rt.caller };
  },
  record: () => { log.push(rt.caller); return log.length; },
  log: () => log,
});`;

async function service() {
  const h = rt.spawn({ source: WHO }, { name: 'who' });
  return { handle: h, api: await h.interface };
}

// An app that calls `rt.grants.call(...)` and reports what it saw and who it is.
function caller(name, body, grant) {
  const h = rt.spawn({ source: `
    const out = { self: rt.self.id };
    (async () => { ${body} })().then(() => rt.export(out), (e) => rt.export({ error: String(e) }));` },
  { name, grant });
  return { handle: h, report: h.interface };
}

test('outside a call rt.caller is undefined, and it cannot be set', () => {
  assertEqual(rt.caller, undefined);
  let threw = false;
  try { rt.caller = 5; } catch { threw = true; }
  assertEqual(threw, true, 'assigning throws (modules are strict)');
  assertEqual(rt.caller, undefined);
  threw = false;
  try { Object.defineProperty(rt, 'caller', { value: 5 }); } catch { threw = true; }
  assertEqual(threw, true, 'rt is frozen');
});

test('the caller is the sending app, whatever the arguments say', async () => {
  const { handle, api } = await service();
  assertEqual(await api.who(), rt.self.id, 'init called');
  const c = caller('liar', `
    out.plain = await rt.grants.who();
    out.claims = await rt.grants.who({ caller: 1, from: 1, sender: 1 }, 1, '1');
    out.toStringy = await rt.grants.who({ toString() { return '1'; }, valueOf() { return 1; } });
  `, { who: api.who });
  const r = await c.report;
  assertEqual(r.plain, r.self);
  assertEqual(r.claims, r.self);
  assertEqual(r.toStringy, r.self);
  c.handle.kill();
  handle.kill();
});

test('a function forwarded to a third app reports the third app, not the forwarder', async () => {
  const { handle, api } = await service();
  const third = rt.spawn({ source: 'rt.export({ give: async (f) => ({ self: rt.self.id, seen: await f() }) });' }, { name: 'third' });
  const forwarder = caller('forwarder', `
    out.third = await rt.grants.third.give(rt.grants.who);
    out.mine = await rt.grants.who();
  `, { who: api.who, third: await third.interface });
  const f = await forwarder.report;
  assertEqual(f.mine, f.self, 'the forwarder is itself');
  assertEqual(f.third.self, third.id);
  assertEqual(f.third.seen, third.id, 'the third app called it');
  forwarder.handle.kill();
  third.kill();
  handle.kill();
});

test('through a forwarded function, each call is stamped with its own caller', async () => {
  const { handle, api } = await service();
  const apps = [];
  for (const name of ['a', 'b', 'c']) {
    apps.push(caller(name, 'for (let i = 0; i < 5; i++) await rt.grants.record();', { record: api.record }));
  }
  const ids = [];
  for (const x of apps) ids.push((await x.report).self);
  await api.record();
  const log = await api.log();
  assertEqual(log.length, 16);
  for (const id of ids) assertEqual(log.filter((x) => x === id).length, 5, `app ${id} recorded five times`);
  assertEqual(log[15], rt.self.id);
  for (const x of apps) x.handle.kill();
  handle.kill();
});

test('re-entrancy: a call back into the caller sees the service as its caller, and nothing leaks after it', async () => {
  const { handle, api } = await service();
  const r = await api.whoThenCallBack(() => rt.caller);
  assertEqual(r.before, rt.self.id);
  assertEqual(r.seenByBack, handle.id, 'the callback was called by the service');
  assertEqual(r.after, undefined, 'after an await the call is over');
  handle.kill();
});

test('after an await the caller is undefined, even while another app is calling', async () => {
  const { handle, api } = await service();
  const pending = api.slow(100);
  const c = caller('other', 'for (let i = 0; i < 10; i++) out.last = await rt.grants.who();', { who: api.who });
  const r = await c.report;
  assertEqual(r.last, r.self);
  const s = await pending;
  assertEqual(s.before, rt.self.id);
  assertEqual(s.after, undefined);
  c.handle.kill();
  handle.kill();
});

test('a polluted caller app cannot change the identity it is called with', async () => {
  const { handle, api } = await service();
  const c = caller('polluter', `
    Object.defineProperty(Object.prototype, 'from', { get: () => 1, set() {}, configurable: true });
    Object.defineProperty(Array.prototype, 0, { get: () => 1, set() {}, configurable: true });
    Map.prototype.get = () => 1; Reflect.apply = () => 1; Function.prototype.call = () => 1;
    out.seen = await rt.grants.who(1);
    out.self2 = rt.self.id;
  `, { who: api.who });
  const r = await c.report;
  assertEqual(r.seen, r.self2);
  assertEqual(r.seen !== 1, true);
  c.handle.kill();
  handle.kill();
  await assertAlive();
});
