// Every crash point of a run of directory changes: creates (long names whose entries would
// straddle a sector or a cluster boundary), renames within and between directories, unlinks
// and directory growth, on a volume made by mkfs.fat. Each device write is printed as it is
// made ("REQ", then its sectors as "W <lba> <hex>" lines); crash-points.test.sh applies them
// one at a time, torn at every 4 KiB page, and runs fsck.fat -n after each piece.
//   rtjs-sim crash-points.js IMAGE_MODULE
import { Vfs } from '../../js/services/vfs/vfs.js';
import { Fat32 } from '../../js/services/vfs/fat32/fat32.js';
import { loadImage, pattern } from './image.js';

const disk = await loadImage(rt.argv[0]);
const hex = [];
for (let i = 0; i < 256; i++) hex.push(i.toString(16).padStart(2, '0'));
// The disk as the file system sees it, telling the test each write in the order it is made.
const recorder = {
  get blockSize() { return disk.blockSize; },
  get blockCount() { return disk.blockCount; },
  get readOnly() { return false; },
  read: (lba, count) => disk.read(lba, count),
  async write(lba, bytes) {
    await disk.write(lba, bytes);
    console.log('REQ');
    for (let s = 0; s < bytes.length / 512; s++) {
      let line = `W ${lba + s} `;
      for (const b of bytes.subarray(s * 512, s * 512 + 512)) line += hex[b];
      console.log(line);
    }
  },
  flush: () => disk.flush(),
};

const fat = await Fat32.mount(recorder, { cacheBytes: 256 << 10 });
const vfs = new Vfs(fat);
const write = async (path, seed) => {
  await vfs.writeFile(path, pattern(100 + seed * 37, seed));
  await fat.sync();
};
// A name of `units` characters (so 1 + ceil(units / 13) entries), non-ASCII in every fifth.
const name = (i, units) => `${i % 5 === 4 ? 'é' : 'n'}${String(i).padStart(3, '0')}-`.padEnd(units, 'abcdefghijklmnopqrstuvwxyz'[i % 26]);

await vfs.mkdir('/d');
await vfs.mkdir('/e');
await fat.sync();
// Runs of 2 to 6 entries, so that the next free slot moves across sector (and, with
// 512-byte clusters, cluster) boundaries; the directory grows by several clusters.
const lengths = [20, 30, 45, 60, 14, 70, 27, 52, 40, 65, 13, 33, 58, 22, 47, 61, 36, 29, 50, 44];
const made = [];
for (let i = 0; i < lengths.length; i++) {
  const path = `/d/${name(i, lengths[i])}.bin`;
  await write(path, i + 1);
  made.push(path);
}
// Names of 196 to 255 characters: 17 to 21 entries, more than one 512-byte sector holds.
const longest = rt.argv.includes('--longest');
if (longest) {
  for (const [i, units] of [[40, 200], [41, 255], [42, 230]]) {
    const path = `/d/${name(i, units)}`;
    await write(path, i);
    made.push(path);
  }
}
// Renames within the directory and into the other one, unlinks that leave holes, and new
// files that reuse the holes.
for (let i = 0; i < made.length; i += 3) {
  const to = i % 2 ? `/d/${name(i + 100, 75 - (i % 7) * 9)}` : `/e/${name(i + 200, 15 + i * 2)}`;
  await vfs.rename(made[i], to);
  await fat.sync();
  made[i] = to;
}
for (let i = 1; i < made.length; i += 4) {
  await vfs.unlink(made[i]);
  await fat.sync();
}
for (let i = 0; i < 8; i++) await write(`/d/${name(i + 300, 18 + i * 9)}.txt`, i + 50);
// A directory moved under another one (its '..' rewritten), with its files.
await vfs.mkdir('/e/sub');
for (let i = 0; i < 5; i++) await write(`/e/sub/${name(i + 400, 30 + i * 11)}`, i + 70);
await vfs.rename('/e/sub', `/d/${name(500, 64)}`);
await fat.sync();
// The tree as rtjs sees it, which mtools must list the same (skipped slots that were left
// as the end-of-directory mark would hide what comes after them from mtools).
const list = async (dir) => {
  for (const d of await vfs.readdir(dir, { withFileTypes: true })) {
    const path = `${dir === '/' ? '' : dir}/${d.name}`;
    console.log(`PATH ${path}`);
    if (d.isDirectory()) await list(path);
  }
};
await list('/');
await fat.unmount();
console.log('done');
