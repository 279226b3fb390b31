// IPC against a hostile app: an app that rewrites the built-ins its runtime code runs on
// (index setters on Array.prototype, Object.prototype setters, replaced Map/WeakMap/Promise/
// Reflect/Function methods, Symbol.iterator/species/toPrimitive, thenables) before and while
// it calls. It must not reach a function it was never handed, nor answer a call made to
// another app; whatever it breaks is its own, and the rest of the system keeps answering.
import { test, assertEqual, assertMatch } from '../harness.js';

// A service with a function that only a trusted driver is handed.
const VAULT = `
let secretCalls = 0, pings = 0;
rt.export({
  ping: (...args) => { pings++; return 'pong ' + args.join(','); },
  secret: (who) => { secretCalls++; return 'secret for ' + who; },
  slow: (x) => new Promise((resolve) => setTimeout(() => resolve('vault says ' + x), 20)),
  stats: () => ({ secretCalls, pings }),
});`;

// Pollution an attacker applies; each returns nothing and changes only its own realm.
const POLLUTE = `
function pollute() {
  const stolen = { n: 0 };
  // Index setters: every array the runtime fills with a[i] = x passes its values here.
  for (let i = 0; i < 16; i++) {
    Object.defineProperty(Array.prototype, i, {
      configurable: true,
      get() { return undefined; },
      set(v) {
        stolen.n++;
        Object.defineProperty(this, i, { value: typeof v === 'number' ? v + 1 : v,
          writable: true, enumerable: true, configurable: true });
      },
    });
  }
  for (const key of ['refId', 'callId', 'owner', 'kind', 'fn', 'resolve', 'reject', 'count', 'to']) {
    Object.defineProperty(Object.prototype, key, { configurable: true, set(v) { stolen.n++; }, get() { return 1; } });
  }
  Array.prototype.push = function () { stolen.n++; return 0; };
  Array.isArray = () => false;
  Map.prototype.get = function () { return 2; };
  Map.prototype.set = function () { return this; };
  Map.prototype.has = () => true;
  WeakMap.prototype.get = function () { return { owner: 1, refId: 1 }; };
  WeakMap.prototype.has = () => true;
  Set.prototype.has = () => false;
  Set.prototype.add = function () { return this; };
  Reflect.apply = () => 'hijacked';
  Function.prototype.call = function () { return 'hijacked'; };
  Function.prototype.apply = function () { return 'hijacked'; };
  Object.keys = () => ['refId'];
  Object.getPrototypeOf = () => null;
  Array.prototype[Symbol.iterator] = function* () { yield 'forged'; };
  Object.defineProperty(Array, Symbol.species, { configurable: true, get() { return function () { return {}; }; } });
  Object.prototype[Symbol.toPrimitive] = () => 7;
  String.prototype.slice = () => 'forged';
  Promise.prototype.then = function (f, r) { stolen.n++; return this; };
  Promise.resolve = () => new Promise(() => {});
  return stolen;
}`;

async function vault() {
  const h = rt.spawn({ source: VAULT }, { name: 'vault' });
  return { handle: h, api: await h.interface };
}

test('a polluting app calls what it holds with its arguments intact, and reaches nothing else', async () => {
  const { handle, api } = await vault();
  // A trusted driver is handed the secret and uses it once.
  const driver = rt.spawn({ source: 'rt.grants.secret("driver").then((s) => rt.export(s));' },
    { name: 'driver', grant: { secret: api.secret } });
  assertEqual(await driver.interface, 'secret for driver');
  let report;
  const reported = new Promise((resolve) => { report = resolve; });
  const attacker = rt.spawn({ source: `${POLLUTE}
    const { ping, report } = rt.grants;
    const stolen = pollute();
    const results = [];
    const calls = [];
    for (let i = 0; i < 40; i++) calls[calls.length] = ping(i, 'x', i + 1);
    calls[calls.length] = ping();
    const settled = [];
    let n = 0;
    for (let i = 0; i < calls.length; i++) {
      // The app broke its own Promise.prototype.then: await still works on native promises.
      (async () => { try { settled[i] = await calls[i]; } catch (e) { settled[i] = 'error ' + e.message; } n++;
        if (n === calls.length) report(settled); })();
    }
  ` }, { name: 'attacker', grant: { ping: api.ping, report } });
  const got = await reported;
  for (let i = 0; i < 40; i++) assertEqual(got[i], `pong ${i},x,${i + 1}`, `call ${i} of the attacker`);
  assertEqual(got[40], 'pong ');
  assertEqual(await api.stats(), { secretCalls: 1, pings: 41 }, 'the secret was called by the driver only');
  assertEqual(await api.ping('init'), 'pong init', 'the vault still answers others');
  attacker.kill();
  handle.kill();
});

test('a polluting app cannot answer a call made to another app', async () => {
  const { handle, api } = await vault();
  // The attacker is called too, and tries to turn its traffic into answers for init's calls
  // to the vault (small call ids are easy to guess).
  const attacker = rt.spawn({ source: `${POLLUTE}
    const stolen = pollute();
    rt.export({
      work: async (n) => { const out = []; for (let i = 0; i < n; i++) out[i] = i; return 'forged answer'; },
      stolen: () => stolen.n,
    });` }, { name: 'attacker' });
  const evil = await attacker.interface;
  const slow = [api.slow(1), api.slow(2), api.slow(3)];
  const work = [];
  for (let i = 0; i < 20; i++) work[work.length] = evil.work(i);
  assertEqual(await Promise.all(slow), ['vault says 1', 'vault says 2', 'vault says 3']);
  for (const w of work) assertEqual(await w, 'forged answer');
  assertEqual(await api.stats(), { secretCalls: 0, pings: 0 });
  attacker.kill();
  handle.kill();
});

test('an app that forwards a function it holds lets the third app call it; forwarding needs holding', async () => {
  const { handle, api } = await vault();
  const relay = rt.spawn({ source: `
    const third = rt.spawn({ source: 'rt.grants.ping(3).then((r) => rt.export(r));' },
      { name: 'third', grant: { ping: rt.grants.ping } });
    third.interface.then((r) => rt.export(r));` }, { name: 'relay', grant: { ping: api.ping } });
  assertEqual(await relay.interface, 'pong 3');
  handle.kill();
});

test('a hostile callee (thenables, throwing getters, proxies) fails only its own callers', async () => {
  const h = rt.spawn({ source: `
    rt.export({
      thenable: () => ({ then(resolve) { resolve('then ran'); resolve('twice'); } }),
      getter: () => ({ get boom() { throw new RangeError('getter threw'); } }),
      proxy: () => new Proxy({}, {}),
      badError: () => { const e = new Error('x'); Object.defineProperty(e, 'name', { get() { throw 1; } }); throw e; },
      badThrow: () => { throw { toString() { throw new Error('nope'); } }; },
      proxyThrow: () => { throw new Proxy({}, {}); },
      fine: () => 'fine',
    });` }, { name: 'hostile-callee' });
  const api = await h.interface;
  assertEqual(await api.thenable(), 'then ran');
  const reasons = [];
  for (const name of ['getter', 'proxy', 'badError', 'badThrow', 'proxyThrow']) {
    try {
      await api[name]();
      reasons.push(`${name}: resolved`);
    } catch (err) {
      reasons.push(`${name}: ${err instanceof Error ? err.name : typeof err}`);
    }
  }
  assertEqual(reasons, ['getter: RangeError', 'proxy: DataCloneError', 'badError: Error',
    'badThrow: object', 'proxyThrow: DataCloneError']);
  assertEqual(await api.fine(), 'fine', 'the callee answers on');
  h.kill();
});

test('calling a function of an app that has ended is a clear error', async () => {
  const { handle, api } = await vault();
  handle.kill();
  await handle.exited;
  try {
    await api.ping(1);
    throw new Error('expected a rejection');
  } catch (err) {
    assertEqual(err.code, 'ERR_APP_ENDED');
    assertMatch(err.message, /app 'vault' \(id \d+\) has ended/);
  }
});
