// Device memory handed out by rt.hw.memory stays with the app that holds the grant: its
// buffer cannot be transferred to another app (which could go on writing to the device after
// the grant ended). The test never touches the memory itself: the ring-0 program run on Linux
// hands out addresses there is nothing behind.
import { test, assertEqual, assertMatch } from '../harness.js';
import { hostile, assertAlive } from './hostile.js';

const VGA_TEXT = 0xb8000; // the VGA text buffer: RAM on every PC, the simulator's and QEMU's

test('a mapped device buffer cannot be transferred to another app', async () => {
  const src = `
    let block;
    try { block = rt.hw.memory(${VGA_TEXT}, 4096); }
    catch (e) { rt.export({ unmappable: e.message }); }
    if (block) {
      let refused;
      try { rt.spawn({ source: '' }, { grant: rt.transfer(block.buffer) }); } catch (e) { refused = e; }
      rt.export({ refused: refused && refused.name + ': ' + refused.message, stillMapped: block.buffer.byteLength });
    }`;
  const h = rt.spawn({ source: src }, { name: 'maps-vga', resources: { memory: [[VGA_TEXT, 4096]] } });
  const got = await h.interface;
  if (got.unmappable !== undefined) {
    // A platform with no physical memory (the ring-0 program run on Linux) says so.
    assertMatch(got.unmappable, /cannot be mapped on this machine/);
  } else {
    assertMatch(got.refused, /^DataCloneError: .*(device memory|mapped by rt\.hw)/);
    assertEqual(got.stillMapped, 4096);
  }
  h.kill();
  await h.exited;
  await assertAlive();
});

test('an app without the grant cannot map the memory at all', async () => {
  const end = await hostile(`
    try { rt.hw.memory(${VGA_TEXT}, 4096); rt.exit(5); }
    catch (e) { rt.exit(/does not hold physical memory/.test(e.message) ? 0 : 6); }`, { resources: {} });
  assertEqual(end, { code: 0, reason: 'exit' });
});
