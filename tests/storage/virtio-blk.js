// The virtio-blk driver on the simulated disk (rtjs-sim --disk IMAGE[,ro]) or QEMU's
// virtio-blk-pci, then FAT32 over it: files written here must read back with mtools and
// pass fsck.fat -n on the host (virtio-blk.test.sh).
//   virtio-blk.js rw|ro [CKSUM SIZE of /BIG.BIN, checked in rw]
import { PciBus } from '../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../js/drivers/virtio/index.js';
import { VirtioBlk } from '../../js/drivers/virtio-blk.js';
import { Vfs } from '../../js/services/vfs/vfs.js';
import { Fat32 } from '../../js/services/vfs/fat32/fat32.js';
import { cksum, check, failed, errorOf } from './image.js';

const VIRTIO_ID_BLOCK = 2;
const mode = rt.argv[0] || 'rw';

const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_BLOCK);
if (!fn) throw new Error('no virtio-blk PCI function on this machine');
const disk = new VirtioBlk(new VirtioPciTransport(pci, fn, 'virtio-blk'));
console.log(`disk: ${disk.blockCount} sectors, read-only ${disk.readOnly}, flush ${disk.canFlush}, discard ${disk.canDiscard}, ${disk.inFlightLimit} requests in flight`);

const boot = await disk.read(0, 1);
check(boot[510] === 0x55 && boot[511] === 0xaa, 'sector 0 is the image\'s boot sector (0x55AA)');
check(disk.readOnly === (mode === 'ro'), `the read-only flag matches the command line (${disk.readOnly})`);

// Many reads in flight at once, of different sizes, against one long read of the same span.
const whole = await disk.read(0, 2048);
const parts = await Promise.all([...Array(16).keys()].map((i) => disk.read(i * 128, 128)));
check(parts.every((p, i) => p.every((b, j) => b === whole[i * 128 * 512 + j])), '16 reads in flight return what one long read returns');

const past = await errorOf(disk.read(disk.blockCount - 1, 2));
check(past && past.code === 'EIO' && past.sector === disk.blockCount - 1 && /sectors \d+\.\.\d+/.test(past.message),
  `a read past the end is EIO naming the sectors (${past && past.message})`);

if (mode === 'ro') {
  const e = await errorOf(disk.write(100, new Uint8Array(512)));
  check(e && e.code === 'EROFS', `a write to a read-only disk is EROFS (${e && e.message})`);
  const fat = await Fat32.mount(disk);
  const vfs = new Vfs(fat);
  check(fat.readOnly, 'FAT32 on a read-only disk mounts read-only');
  const w = await errorOf(vfs.writeFile('/new.txt', 'x'));
  check(w && w.code === 'EROFS', 'writing a file there is EROFS');
  check((await vfs.readFile('/from rtjs/nested/hello.txt', 'utf8')) === 'hello from rtjs over virtio-blk\n',
    'what the read-write run wrote reads');
} else {
  // Raw writes far out in the free space, read back; then a flush.
  const lba = disk.blockCount - 4096;
  const pattern = new Uint8Array(300 * 1024).map((_, i) => (i * 31 + 7) & 0xff);
  const saved = await disk.read(lba, pattern.length / 512);
  await disk.write(lba, pattern);
  await disk.flush();
  const back = await disk.read(lba, pattern.length / 512);
  check(back.every((b, i) => b === pattern[i]), 'a 300 KiB write (three requests) reads back');
  await disk.write(lba, saved);
  await disk.discard(lba, 8);

  const fat = await Fat32.mount(disk, { cacheBytes: 4 << 20 });
  const vfs = new Vfs(fat);
  await vfs.mkdir('/from rtjs/nested', { recursive: true });
  const big = new Uint8Array(3 << 20).map((_, i) => (i * 13) & 0xff);
  await vfs.writeFile('/from rtjs/big.bin', big);
  await vfs.writeFile('/from rtjs/nested/hello.txt', 'hello from rtjs over virtio-blk\n');
  const h = await vfs.open('/from rtjs/synced.txt', 'w');
  await h.write('fsynced\n');
  await h.sync();
  await h.close();
  check((await vfs.readFile('/HOST.TXT', 'utf8')) === 'from the host\n', 'a file the host put there reads');
  const bigFile = await vfs.readFile('/BIG.BIN');
  check(`${cksum(bigFile)} ${bigFile.length}` === `${rt.argv[1]} ${rt.argv[2]}`,
    `a 100 MB file the host wrote reads back byte for byte (cksum ${cksum(bigFile)}, host ${rt.argv[1]})`);
  await vfs.appendFile('/HOST.TXT', 'and from rtjs\n');
  await fat.unmount();
  const remounted = await Fat32.mount(disk);
  const read = await new Vfs(remounted).readFile('/from rtjs/big.bin');
  check(read.length === big.length && read.every((b, i) => b === big[i]), 'a 3 MiB file reads back after a remount');
  await remounted.unmount();
}
console.log(failed() ? `${failed()} failed` : 'all passed');
rt.exit(failed() ? 1 : 0);
