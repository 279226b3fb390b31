// virtio-rng as the machine's entropy source (js/services/entropy.js): the service reads the
// device and mixes its bytes into the machine's generator; crypto.getRandomValues works after
// it. With 'no-rdrand' (the kernel on a CPU without RDRAND) the device is the only source, so
// random numbers must fail before the service runs and work after it.
import { test, assertEqual, assertMatch } from '../harness.js';
import { startEntropy } from '../../../js/services/entropy.js';

const NO_RDRAND = rt.argv[0] === 'no-rdrand';

function draw() {
  try { return crypto.getRandomValues(new Uint8Array(32)); } catch (e) { return e; }
}

test('random numbers come from the device once the entropy service has run', async () => {
  const before = draw();
  if (NO_RDRAND) assertEqual(before instanceof Error, true, 'random bytes with no source at all');
  const { stats, handle } = await startEntropy();
  const s = await stats();
  assertMatch(s.device, /^virtio-rng /);
  assertEqual([s.bytes >= 64, s.reads >= 1, s.interrupts >= 1], [true, true, true], JSON.stringify(s));
  const a = draw(), b = draw();
  assertEqual([a instanceof Uint8Array, b instanceof Uint8Array], [true, true], String(a));
  assertEqual(a.some((x, i) => x !== b[i]), true, 'two draws were the same');
  console.log(`entropy: ${s.bytes} bytes from ${s.device}, before: ${before instanceof Error ? 'failed' : 'worked'}`);
  handle.kill();
  await handle.exited;
});

test('an app that drives no device cannot add entropy', async () => {
  const h = rt.spawn({ source: `
    let error = 'no error';
    try { rt.hw.addEntropy(new Uint8Array(32)); } catch (e) { error = e.message; }
    rt.export({ error });` }, { name: 'mixer' });
  const { error } = await h.interface;
  assertMatch(error, /^app 'mixer' \(id \d+\) does not hold DMA memory/);
  h.kill();
});
