// A hostile app against the native binding: every entry point takes what the app hands it
// (getters, proxies, throwing conversions, setters planted on the built-in prototypes,
// fake promises, huge lengths) and answers with an exception in that app, never by ending
// the runtime. Each attack runs in an app of its own; afterwards the system must answer.
import { test, assertEqual } from '../harness.js';
import { hostile, assertAlive, refused } from './hostile.js';

const ok = { code: 0, reason: 'exit' };

// Plants a throwing setter and getter under each name on `proto` (source text).
const poison = (proto, names) => `
  for (const k of ${JSON.stringify(names)}) {
    Object.defineProperty(${proto}, k, { __proto__: null,
      get() { throw new Error('getter ' + k + ' ran'); },
      set(v) { throw new Error('setter ' + k + ' ran'); },
      configurable: true,
    });
  }`;

test('inspecting fake promises, proxies and revoked proxies prints them', async () => {
  const src = `
    const fake = Object.create(Promise.prototype);
    class P extends Promise {}
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const trapped = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
    const lines = [fake, P.resolve(1), new Proxy(Promise.resolve(2), {}), proxy, trapped, Object.create(Map.prototype)]
      .map((v) => { try { return rt.inspect ? rt.inspect(v) : String(console.log(v)); } catch (e) { return 'threw'; } });
    console.log(fake);
    rt.exit(lines.length === 6 ? 0 : 5);`;
  assertEqual(await hostile(src), ok);
  await assertAlive();
});

test('rt.spawn: a throwing getter in resources is an exception in the caller', async () => {
  assertEqual(await hostile(refused(
    "rt.spawn({ source: '' }, { resources: { get ports() { throw new Error('boom'); } } });", '/boom/')), ok);
  assertEqual(await hostile(refused(
    "rt.spawn({ source: '' }, { resources: { ports: [[0x3f8, 8]], irqs: [{ valueOf() { throw new Error('boom'); } }] } });",
    '/irqs/')), ok);
  await assertAlive();
});

test('rt.spawn: proxies and revoked proxies as options or resources are exceptions', async () => {
  assertEqual(await hostile(refused(
    "rt.spawn({ source: '' }, { resources: new Proxy({}, { get() { throw new Error('trap'); } }) });", '/trap/')), ok);
  assertEqual(await hostile(refused(`
    const { proxy, revoke } = Proxy.revocable({}, {}); revoke();
    rt.spawn({ source: '' }, { resources: proxy });`, '/TypeError/')), ok);
  assertEqual(await hostile(refused(
    "rt.spawn({ source: '' }, new Proxy({}, { get() { throw new Error('trap'); } }));", '/trap/')), ok);
  assertEqual(await hostile(refused(`
    const { proxy, revoke } = Proxy.revocable({}, {}); revoke();
    rt.spawn({ source: '' }, proxy);`, '/TypeError/')), ok);
  await assertAlive();
});

test('rt.spawn: huge and malformed resource lists are refused quickly', async () => {
  assertEqual(await hostile(refused(`
    const ports = []; ports.length = 2 ** 32 - 1;
    rt.spawn({ source: '' }, { resources: { ports } });`, '/resources.ports/')), ok);
  assertEqual(await hostile(refused(
    "rt.spawn({ source: '' }, { resources: { memory: [[2 ** 80, 1]] } });", '/resources.memory/')), ok);
  assertEqual(await hostile(refused(
    "rt.spawn({ source: '' }, { resources: { ports: [[NaN, 1]] } });", '/resources.ports/')), ok);
  assertEqual(await hostile(refused(
    "rt.spawn({ source: '' }, { resources: { irqs: [-1] } });", '/resources.irqs/')), ok);
  await assertAlive();
});

test('throwing getters and setters on Object.prototype do not reach the binding', async () => {
  const names = ['id', 'name', 'cpu', 'state', 'heapUsed', 'parentId', 'ports', 'memory', 'irqs', 'dma',
    'buffer', 'phys', 'value', 'stylize', 'seen', 'circular', 'file', 'source', 'args',
    'heapLimitMb', 'budgetMs', 'resources', 'payload', 'grant', 'exited', 'interface'];
  const src = `${poison('Object.prototype', names)}
    const list = rt.apps();
    if (!Array.isArray(list) || list.length < 2) rt.exit(5);
    const res = rt.hw.resources();
    // The app's own option objects have no prototype: its getters would run in its own code.
    const h = rt.spawn({ __proto__: null, source: 'rt.exit(0)' }, { __proto__: null });
    const rejected = Promise.reject(new Error('shown'));
    console.log(Promise.resolve(1), rejected, new Error('printed'));
    rejected.catch(() => {});
    let clone;
    try { rt.spawn({ __proto__: null, source: '' }, { __proto__: null, grant: Symbol('x') }); } catch (e) { clone = e; }
    if (!clone) rt.exit(6);
    h.exited.then(() => rt.exit(0));`;
  assertEqual(await hostile(src), ok);
  await assertAlive();
});

test('throwing setters on Error.prototype do not turn the binding\'s errors into crashes', async () => {
  const src = `${poison('Error.prototype', ['name', 'code', 'message', 'stack', 'cause'])}
    let n = 0;
    try { rt.spawn({ source: '' }, { grant: Symbol('x') }); } catch (e) { n++; }
    try { rt.spawn({ source: '' }, { resources: 5 }); } catch (e) { n++; }
    try { rt.spawn({ source: '' }, { resources: { ports: [[0, 0x10000]] } }); } catch (e) { n++; }
    try { rt.hw.ports(0x3f8, 8).read8(0); } catch (e) { n++; }
    import('./no-such-module-here.js').catch(() => n++).then(() => rt.exit(n === 5 ? 0 : 5));`;
  assertEqual(await hostile(src), ok);
  await assertAlive();
});

test('index setters on Array.prototype do not reach the binding', async () => {
  const src = `${poison('Array.prototype', ['0', '1', '2'])}
    const list = rt.apps();
    const res = rt.hw.resources();
    import('rtjs:no-such-builtin').then(() => rt.exit(5), () => rt.exit(list.length > 1 ? 0 : 6));`;
  assertEqual(await hostile(src), ok);
  await assertAlive();
});

test('a hostile Promise species or then does not break import()', async () => {
  const src = `
    Object.defineProperty(Promise.prototype, 'constructor', { get() { throw new Error('species'); } });
    Promise.prototype.then = function () { throw new Error('then'); };
    (async () => {
      let n = 0;
      try { await import('./missing.js'); } catch (e) { n++; }
      try { await import('rtjs:internal/no-such.js'); } catch (e) { n++; }
      rt.exit(n === 2 ? 0 : 5);
    })();`;
  assertEqual(await hostile(src), ok);
  await assertAlive();
});

test('hardware capabilities: huge, negative and fractional ranges are range errors', async () => {
  const src = `
    let n = 0;
    for (const f of [() => rt.hw.ports(0, 1e9), () => rt.hw.ports(-1, 1), () => rt.hw.ports(0.5, 1),
                     () => rt.hw.memory(0, 2 ** 60), () => rt.hw.memory(-4096, 4096), () => rt.hw.irq(-1),
                     () => rt.hw.irq(2 ** 40), () => rt.hw.dma(2 ** 40), () => rt.hw.dma(-1)]) {
      try { f(); } catch (e) { n++; }
    }
    rt.exit(n === 9 ? 0 : 5);`;
  assertEqual(await hostile(src, { resources: {} }), ok);
  await assertAlive();
});

test('detached and twice-listed buffers in a transfer are DataCloneErrors', async () => {
  assertEqual(await hostile(refused(`
    const b = new ArrayBuffer(8);
    rt.spawn({ source: '' }, { grant: rt.transfer(b) });
    rt.spawn({ source: '' }, { grant: rt.transfer(b) });`, '/DataCloneError|detached|transfer/')), ok);
  await assertAlive();
});

test('an uncaught error whose stack, inspect or prototype is hostile ends only its app', async () => {
  const cases = [
    "Error.prepareStackTrace = () => { throw new Error('again'); }; throw new Error('x');",
    "throw { get stack() { throw new Error('stack getter'); } };",
    "throw new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });",
    "const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); throw proxy;",
    "throw { [Symbol.for('nodejs.util.inspect.custom')]() { throw new Error('inspect'); } };",
    "Promise.reject({ get stack() { throw new Error('stack getter'); } });",
    `${poison('Object.prototype', ['stack', 'message', 'name'])}; throw Object.create(null);`,
  ];
  for (const src of cases) assertEqual(await hostile(src), { code: 1, reason: 'error' }, src);
  await assertAlive();
});
