// Power: only init may power the machine off or reboot it.
import { test, assertEqual, assertMatch } from './harness.js';

test('an app other than init cannot power off or reboot the machine', async () => {
  const h = rt.spawn({ source: `
    const errors = [];
    try { rt.powerOff(0); } catch (e) { errors.push(e.message); }
    try { rt.reboot(); } catch (e) { errors.push(e.message); }
    rt.export({ errors: () => errors });
  ` }, { name: 'not-init' });
  const api = await h.interface;
  const errors = await api.errors();
  assertEqual(errors.length, 2);
  for (const m of errors) assertMatch(m, /app 'not-init' \(id \d+\) cannot power the machine off or reboot it: only init can/);
  h.kill();
  await h.exited;
});

test('rt.powerOff and rt.reboot are functions of the frozen rt', () => {
  assertEqual([typeof rt.powerOff, typeof rt.reboot, Object.isFrozen(rt)], ['function', 'function', true]);
});
