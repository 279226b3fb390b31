// Device errors on the simulated disk (rtjs-sim --disk IMAGE,fault=KIND@N) or on QEMU's
// virtio-blk-pci over its blkdebug driver (read-ioerr and write-ioerr): each surfaces as
// EIO naming the device, the sectors and the status; after a failed write the volume turns
// read-only (EROFS for changes, reads go on) and nothing more is written, so fsck.fat -n
// finds at most what a crash leaves (disk-faults.test.sh checks the image after).
//   disk-faults.js write-ioerr|unsupp|hang|read-ioerr
import { PciBus } from '../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../js/drivers/virtio/index.js';
import { VirtioBlk } from '../../js/drivers/virtio-blk.js';
import { Vfs } from '../../js/services/vfs/vfs.js';
import { Tmpfs } from '../../js/services/vfs/tmpfs.js';
import { Fat32 } from '../../js/services/vfs/fat32/fat32.js';
import { pattern, check, failed, errorOf } from './image.js';

const VIRTIO_ID_BLOCK = 2;
const HANG_TIMEOUT_MS = 5000; // the driver's hang guard, shortened for the test
const kind = rt.argv[0];
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_BLOCK);
const hex = (n) => n.toString(16).padStart(2, '0');
const name = `virtio-blk ${hex(fn.bus)}:${hex(fn.device)}.${fn.function}`;
const disk = new VirtioBlk(new VirtioPciTransport(pci, fn, name), kind === 'hang' ? { requestTimeoutMs: HANG_TIMEOUT_MS } : {});
const device = new RegExp(`${name.replace('.', '\\.')}: `); // the driver's errors begin with the transport's name
const vfs = new Vfs(new Tmpfs());
await vfs.mkdir('/disk');
await vfs.mount('/disk', await Fat32.mount(disk));

if (kind === 'read-ioerr') {
  // One read request fails: that read is EIO, the next succeeds, and the volume stays writable.
  const expected = pattern(4 << 20, 7);
  const err = await errorOf(vfs.readFile('/disk/BIG.BIN'));
  check(err && err.code === 'EIO' && device.test(err.message) && /: read of sectors \d+\.\.\d+ failed: IOERR \(1\)/.test(err.message) &&
    Number.isInteger(err.sector), `reading BIG.BIN: EIO naming the device, the sectors and the status (${err && err.message})`);
  check(same(await vfs.readFile('/disk/BIG.BIN'), expected), 'read again, BIG.BIN is the host\'s 4 MiB byte for byte');
  await vfs.writeFile('/disk/after.txt', 'written after a read error');
  check(await vfs.readFile('/disk/after.txt', 'utf8') === 'written after a read error', 'a read error leaves the volume writable');
  await vfs.unmount('/disk');
} else {
  // Files written and synced one by one until the fault hits one of them.
  const synced = [];
  let failure = null;
  for (let i = 0; i < 40 && !failure; i++) {
    try {
      await vfs.writeFile(`/disk/F${i}.BIN`, pattern(70000 + i * 1000, i + 1));
      await vfs.sync();
      synced.push(i);
      console.log(`synced ${i}`);
    } catch (e) { failure = e; }
  }
  const why = { 'write-ioerr': /write of sectors \d+\.\.\d+ failed: IOERR \(1\)/, unsupp: /of sectors \d+\.\.\d+ failed: UNSUPP \(2\)/,
    hang: /of sectors \d+\.\.\d+ not answered in 5000 ms: the device stopped answering/ }[kind];
  check(failure && failure.code === 'EIO' && device.test(failure.message) && why.test(failure.message),
    `the fault surfaced as EIO naming the device, the sectors and why (${failure && failure.message})`);
  check(synced.length > 0, `${synced.length} files were synced before it`);
  const after = await errorOf(vfs.writeFile('/disk/after.txt', 'x'));
  if (kind === 'hang' || /write/.test(failure.message)) {
    check(after && after.code === 'EROFS' && /read-only after a write error/.test(after.message), `a later write is EROFS (${after && after.message})`);
    const s = await errorOf(vfs.sync());
    check(s && s.code === 'EIO', `a later sync is EIO: nothing more is written (${s && s.message})`);
  } else {
    check(after === null, 'a failed read leaves the volume writable');
  }
  if (kind !== 'hang') {
    let intact = 0;
    for (const i of synced) if (same(await vfs.readFile(`/disk/F${i}.BIN`), pattern(70000 + i * 1000, i + 1))) intact++;
    check(intact === synced.length, `the ${synced.length} synced files read back (${intact} intact)`);
  } else {
    const r = await errorOf(disk.read(0, 1));
    check(r && r.code === 'EIO', `a dead device fails every later request at once (${r && r.message})`);
  }
  check((await errorOf(vfs.unmount('/disk'))) === null, 'unmount after the error does not throw (and writes nothing)');
  console.log(`synced list: ${synced.join(' ')}`);
}
console.log(failed() ? `${failed()} failed` : 'all passed');
rt.exit(failed() ? 1 : 0);
