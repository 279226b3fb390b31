// Writes to /disk until the machine is killed: each numbered file is written, fsync'ed and
// then announced ("synced N CRC SIZE"); every third is then renamed and synced again
// ("renaming N" before, "renamed N" after); between them, unsynced churn (a growing log,
// files deleted after "deleting N"). crash.test.sh kills QEMU mid-way and checks what was
// announced.
import { open, appendFile, unlink, mkdir, rename } from 'node:fs/promises';
import { cksum, pattern } from './image.js';

await mkdir('/disk/crash', { recursive: true });
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
  if (i % 5 === 4) {
    console.log(`deleting ${i - 3}`); // announced first: from here on it may be gone
    await unlink(`/disk/crash/${(i - 3) % 3 === 1 ? 'r' : 'f'}${i - 3}.bin`);
  }
}
