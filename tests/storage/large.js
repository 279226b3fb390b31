// The large cases of the acceptance on a virtio-blk disk (rtjs-sim --disk or QEMU's
// virtio-blk-pci): a directory of 5,000 files and a 100 MB file the host put there with
// mtools read back; the 100 MB file written back as a copy, 5,000 files created in one new
// directory and stat'ed. large.test.sh checks the results with mtools and fsck.fat -n; the
// "time:" lines are the durations on this machine.
//   large.js FILES (the number of files in /MANY, made by the host as f1.txt .. fFILES.txt)
import { PciBus } from '../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../js/drivers/virtio/index.js';
import { VirtioBlk } from '../../js/drivers/virtio-blk.js';
import { Vfs } from '../../js/services/vfs/vfs.js';
import { Fat32 } from '../../js/services/vfs/fat32/fat32.js';
import { check, failed } from './image.js';

const VIRTIO_ID_BLOCK = 2;
const files = Number(rt.argv[0]);

const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_BLOCK);
if (!fn) throw new Error('no virtio-blk PCI function on this machine');
const disk = new VirtioBlk(new VirtioPciTransport(pci, fn, 'virtio-blk'));
const fat = await Fat32.mount(disk);
const vfs = new Vfs(fat);

const timed = async (what, fn) => {
  const t0 = performance.now();
  const result = await fn();
  console.log(`time: ${what}: ${Math.round(performance.now() - t0)} ms`);
  return result;
};

// The host's directory: every name listed once, every file's contents as written.
const names = await timed(`list the host's directory of ${files} files`, () => vfs.readdir('/MANY'));
const want = new Set([...Array(files).keys()].map((i) => `f${i + 1}.txt`));
check(names.length === files && names.every((n) => want.delete(n)) && want.size === 0,
  `readdir lists the ${files} files the host made, each once (${names.length} names)`);
let right = 0;
await timed(`read the ${files} files`, async () => {
  for (let i = 1; i <= files; i++) if (await vfs.readFile(`/MANY/f${i}.txt`, 'utf8') === `file ${i}\n`) right++;
});
check(right === files, `the ${files} files read back as the host wrote them (${right} right)`);

// The host's 100 MB file, read whole and written back as a copy (the host compares the two).
const big = await timed('read the 100 MB file', () => vfs.readFile('/BIG.BIN'));
check(big.length === 100000000, `BIG.BIN is 100,000,000 bytes (${big.length})`);
await vfs.mkdir('/rtjs/many', { recursive: true });
await timed('write the 100 MB copy and fsync it', async () => {
  const fh = await vfs.open('/rtjs/big-copy.bin', 'w');
  await fh.write(big);
  await fh.sync();
  await fh.close();
});

// 5,000 files made in one new directory, then each stat'ed.
await timed(`create ${files} files in one directory`, async () => {
  for (let i = 1; i <= files; i++) await vfs.writeFile(`/rtjs/many/n${i}.txt`, `rtjs ${i}\n`);
});
let sized = 0;
await timed(`stat the ${files} files`, async () => {
  for (let i = 1; i <= files; i++) if ((await vfs.stat(`/rtjs/many/n${i}.txt`)).size === `rtjs ${i}\n`.length) sized++;
});
check(sized === files, `the ${files} new files stat with their sizes (${sized} right)`);
check((await vfs.readdir('/rtjs/many')).length === files, `readdir lists the ${files} new files`);
await timed('unmount (write back)', () => fat.unmount());
console.log(failed() ? `${failed()} failed` : 'all passed');
rt.exit(failed() ? 1 : 0);
