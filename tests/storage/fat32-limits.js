// A full volume gives ENOSPC and stays consistent; space freed by unlink is usable again;
// read-only mounts and read-only disks give EROFS; the volume is marked dirty while
// mounted and clean after unmount. Prints "ok"/"FAIL" lines, then the sectors written
// for fat32-limits.test.sh, which runs fsck.fat -n on the result.
//   rtjs-sim fat32-limits.js IMAGE_MODULE
import { Vfs } from '../../js/services/vfs/vfs.js';
import { Fat32 } from '../../js/services/vfs/fat32/fat32.js';
import { MemoryDisk } from '../../js/services/vfs/memory-disk.js';
import { loadImage, printWritten, cksum } from './image.js';

let failed = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (!ok) failed++;
}

async function codeOf(promise) {
  try { await promise; return 'none'; } catch (err) { return err.code; }
}

// FAT[1] bit 27 (clean shutdown) and boot sector byte 0x41 bit 0 (dirty).
function flags(disk) {
  const b = disk.bytes;
  const reserved = b[14] | (b[15] << 8);
  const fat1 = new DataView(b.buffer).getUint32(reserved * 512 + 4, true);
  return { clean: (fat1 & 0x08000000) !== 0, dirty: (b[0x41] & 1) !== 0 };
}

const disk = await loadImage(rt.argv[0]);
check(flags(disk).clean && !flags(disk).dirty, 'mkfs.fat leaves the volume marked clean');
let fat = await Fat32.mount(disk, { cacheBytes: 256 << 10 });
check(!flags(disk).clean && flags(disk).dirty, 'mounted read-write: marked dirty on the disk at once');
const vfs = new Vfs(fat);

// Fill the volume with 64 KiB writes to numbered files.
const chunk = new Uint8Array(65536).map((_, i) => (i * 7) & 0xff);
const kept = new Map();
let full = null;
for (let f = 0; !full && f < 1000; f++) {
  const path = `/fill-${f}.bin`;
  const h = await vfs.open(path, 'w');
  let size = 0;
  try {
    for (let k = 0; k < 4; k++) {
      await h.write(chunk);
      size += chunk.length;
    }
  } catch (err) {
    full = err;
  }
  await h.close();
  kept.set(path, size);
}
check(full && full.code === 'ENOSPC' && /ENOSPC: no space left on device.*'\/fill-\d+\.bin'/.test(full.message),
  `a full volume gives ENOSPC naming the file (${full && full.message})`);
check(fat.statfs().bfree * 512 < chunk.length, `less than one write's worth is left (${fat.statfs().bfree} clusters)`);
let intact = true;
for (const [path, size] of kept) {
  const data = await vfs.readFile(path);
  const expected = new Uint8Array(size);
  for (let o = 0; o < size; o += chunk.length) expected.set(chunk, o);
  if (data.length !== size || cksum(data) !== cksum(expected)) intact = false;
}
check(intact, `every file written before ENOSPC reads back whole (${kept.size} files)`);
check(await codeOf(vfs.mkdir('/a-directory-needs-a-cluster')) === 'ENOSPC' || fat.statfs().bfree > 0,
  'a new directory on a full volume is ENOSPC');

await vfs.unlink('/fill-0.bin');
check(await codeOf(vfs.writeFile('/after-unlink.bin', chunk)) === 'none', 'space freed by unlink is usable again');
kept.delete('/fill-0.bin');
await fat.unmount();
check(flags(disk).clean && !flags(disk).dirty, 'a clean unmount marks the volume clean');

fat = await Fat32.mount(disk, { readOnly: true });
const ro = new Vfs(fat);
check(await codeOf(ro.writeFile('/x', 'x')) === 'EROFS', 'a read-only mount: writeFile is EROFS');
check(await codeOf(ro.unlink('/fill-1.bin')) === 'EROFS', 'a read-only mount: unlink is EROFS');
check(await codeOf(ro.readFile('/after-unlink.bin')) === 'none', 'a read-only mount still reads');
check(flags(disk).clean, 'a read-only mount leaves the volume marked clean');
await fat.unmount();

const roDisk = new MemoryDisk(disk.bytes.slice(), { readOnly: true });
fat = await Fat32.mount(roDisk);
check(fat.readOnly && await codeOf(new Vfs(fat).mkdir('/d')) === 'EROFS', 'a read-only disk mounts read-only: mkdir is EROFS');

console.log(`--- ${failed ? 'failed' : 'passed'}`);
printWritten(disk);
rt.exit(failed ? 1 : 0);
