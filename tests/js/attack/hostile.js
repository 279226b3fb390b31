// Shared by the attack suites: run hostile code in an app of its own, and check that the
// rest of the system still answers afterwards.
import { assertEqual } from '../harness.js';

/**
 * Runs `source` as a child app and resolves to how it ended ({ code, reason }). The attacks
 * report what they saw through their exit code: 0 when the runtime refused them with an
 * exception, as it should.
 */
export function hostile(source, options = {}) {
  return rt.spawn({ source }, { name: 'hostile', ...options }).exited;
}

/** A fresh app answers a call, and the list of apps can be read: the runtime survived. */
export async function assertAlive() {
  const h = rt.spawn({ source: 'rt.export({ ping: (x) => x + 1 });' }, { name: 'witness' });
  const svc = await h.interface;
  assertEqual(await svc.ping(41), 42, 'a new app answers');
  if (!rt.apps().some((a) => a.id === h.id)) throw new Error('rt.apps() does not list a running app');
  h.kill();
  assertEqual((await h.exited).reason, 'killed');
}

/**
 * The body of an attack: `attack` runs `code` (which should throw), `expect` is a regexp
 * the "Name: message" of the error must match. Exit 0: refused as expected; 3: nothing was
 * thrown; 4: the wrong error.
 */
export function refused(code, expect) {
  return `
    let error;
    try { ${code} } catch (e) { error = e; }
    if (error === undefined) rt.exit(3);
    const text = String(error && error.name) + ': ' + String(error && error.message);
    if (!${expect}.test(text)) { console.log('unexpected error: ' + text); rt.exit(4); }
    rt.exit(0);`;
}
