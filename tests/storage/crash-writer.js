// Writes to /disk until the machine is killed: each numbered file is written, fsync'ed and
// then announced ("synced N CRC SIZE"); every third is then renamed and synced again
// ("renaming N" before, "renamed N" after); between them, unsynced churn (a growing log,
// files deleted after "deleting N", the log cut back, new directories of a dozen files, so
// more than one cluster, and one moved under another). crash.test.sh kills QEMU mid-way and
// checks what was announced; the volume's free clusters hold garbage, so a directory cluster
// linked before it was zeroed on the disk shows as a broken directory.
import { open, appendFile, unlink, mkdir, rename, truncate, writeFile } from 'node:fs/promises';
import { cksum, pattern } from './image.js';

await mkdir('/disk/crash', { recursive: true });
const run = Date.now().toString(36); // the test runs the writer twice on one volume
for (let i = 0; i < 100000; i++) {
  const size = 1000 + ((i * 7919) % 60000);
  const data = pattern(size, i + 1);
  const fh = await open(`/disk/crash/f${i}.bin`, 'w');
  await fh.write(data);
  await fh.sync();
  await fh.close();
  console.log(`synced ${i} ${cksum(data)} ${size}`);
  if (i % 3 === 1) {
    console.log(`renaming ${i}`); // announced first: until "renamed", either name (or, mid-way, neither)
    await rename(`/disk/crash/f${i}.bin`, `/disk/crash/r${i}.bin`);
    const dir = await open(`/disk/crash/r${i}.bin`, 'r');
    await dir.sync();
    await dir.close();
    console.log(`renamed ${i}`);
  }
  await appendFile('/disk/crash/churn.log', `line ${i} `.repeat(300));
  if (i % 4 === 2) await truncate('/disk/crash/churn.log', 1000 + i * 97);
  if (i % 4 === 3) {
    const dir = `/disk/crash/dir-${run}-${i}`;
    await mkdir(dir);
    for (let k = 0; k < 12; k++) await writeFile(`${dir}/entry-${k}.txt`, `file ${k} of ${dir}\n`.repeat(k * 40));
    if (i > 3) await rename(`/disk/crash/dir-${run}-${i - 4}`, `${dir}/moved-${i - 4}`);
  }
  if (i % 5 === 4) {
    console.log(`deleting ${i - 3}`); // announced first: from here on it may be gone
    await unlink(`/disk/crash/${(i - 3) % 3 === 1 ? 'r' : 'f'}${i - 3}.bin`);
  }
}
