// Reads a FAT32 image made by mkfs.fat and mtools and prints its manifest, then changes it
// (creates, overwrites, truncates, renames, deletes, in nested directories, with long and
// non-ASCII names) and prints the manifest it expects the host to see, then the sectors
// it wrote. fat32-interop.test.sh compares both manifests with the host's tools.
//   rtjs-sim fat32-interop.js IMAGE_MODULE
import { Vfs } from '../../js/services/vfs/vfs.js';
import { Fat32 } from '../../js/services/vfs/fat32/fat32.js';
import { loadImage, manifest, printWritten } from './image.js';

// Deterministic content: `size` bytes from a seed, so the host can make the same bytes.
function pattern(size, seed) {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const [imagePath] = rt.argv;
const disk = await loadImage(imagePath);
const fat = await Fat32.mount(disk, { cacheBytes: 1 << 20 });
const vfs = new Vfs(fat);

console.log('--- read');
for (const line of await manifest(vfs, '/')) console.log(line);

// Changes, each of a kind the host must see exactly.
const cluster = (await vfs.stat('/')).blksize;
await vfs.mkdir('/rtjs/deep/deeper/deepest', { recursive: true });
const sizes = [0, 1, 511, 512, 513, cluster - 1, cluster, cluster + 1, 3 * cluster + 7, 200000];
for (const [i, size] of sizes.entries()) await vfs.writeFile(`/rtjs/deep/size-${size}.bin`, pattern(size, i + 1));
await vfs.writeFile('/rtjs/Ünïcödé naïve – ☃ snow.txt', 'non-ASCII long name\n');
await vfs.writeFile('/rtjs/a name that is much longer than thirteen characters and spans several entries.dat', pattern(777, 99));
await vfs.writeFile('/rtjs/UPPER.TXT', 'a plain 8.3 name\n');
await vfs.writeFile('/rtjs/lower.txt', 'a lower-case 8.3 name\n');
await vfs.writeFile('/rtjs/deep/deeper/deepest/leaf', 'leaf\n');
for (let i = 0; i < 300; i++) await vfs.writeFile(`/rtjs/file number ${i}.txt`, `file ${i}\n`);
await vfs.writeFile('/rtjs/overwrite.bin', pattern(5000, 7));
await vfs.writeFile('/rtjs/overwrite.bin', pattern(1200, 8));
await vfs.writeFile('/rtjs/truncate.bin', pattern(9000, 9));
await vfs.truncate('/rtjs/truncate.bin', 2500);
await vfs.writeFile('/rtjs/extend.bin', pattern(100, 10));
await vfs.truncate('/rtjs/extend.bin', 3000);
await vfs.writeFile('/rtjs/to-rename.txt', 'renamed\n');
await vfs.rename('/rtjs/to-rename.txt', '/rtjs/deep/renamed in another directory.txt');
await vfs.mkdir('/rtjs/moving/inner', { recursive: true });
await vfs.writeFile('/rtjs/moving/inner/x', 'x\n');
await vfs.rename('/rtjs/moving', '/rtjs/deep/moved');
await vfs.writeFile('/rtjs/deleted.bin', pattern(10000, 11));
await vfs.unlink('/rtjs/deleted.bin');
await vfs.mkdir('/rtjs/empty-then-removed');
await vfs.rmdir('/rtjs/empty-then-removed');
for (let i = 0; i < 300; i += 3) await vfs.unlink(`/rtjs/file number ${i}.txt`);
const h = await vfs.open('/rtjs/positional.bin', 'w+');
await h.write(pattern(4096, 12), 0, 4096, 10000);
await h.write(new TextEncoder().encode('head'), 0, 4, 0);
await h.close();

// The host's files changed too, where they exist.
const existing = await vfs.readdir('/');
if (existing.includes('host')) {
  await vfs.writeFile('/host/appended by rtjs.txt', 'from rtjs\n');
  const hostFiles = await vfs.readdir('/host');
  for (const name of hostFiles.slice(0, 2)) if ((await vfs.stat(`/host/${name}`)).isFile()) await vfs.appendFile(`/host/${name}`, pattern(1000, 13));
}

await fat.sync();
console.log('--- written');
for (const line of await manifest(vfs, '/')) console.log(line);
await fat.unmount();
console.log('--- sectors');
printWritten(disk);
console.log('--- end');
