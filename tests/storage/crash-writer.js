// Writes to /disk until the machine is killed: each numbered file is written, fsync'ed and
// then announced ("synced N CRC SIZE"); between them, unsynced churn (a growing log, files
// deleted after "deleting N"). crash.test.sh kills QEMU mid-way and checks what was announced.
import { open, appendFile, unlink, mkdir } from 'node:fs/promises';
import { cksum } from './image.js';

function pattern(size, seed) {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

await mkdir('/disk/crash', { recursive: true });
for (let i = 0; i < 100000; i++) {
  const size = 1000 + ((i * 7919) % 60000);
  const data = pattern(size, i + 1);
  const fh = await open(`/disk/crash/f${i}.bin`, 'w');
  await fh.write(data);
  await fh.sync();
  await fh.close();
  console.log(`synced ${i} ${cksum(data)} ${size}`);
  await appendFile('/disk/crash/churn.log', `line ${i} `.repeat(300));
  if (i % 5 === 4) {
    console.log(`deleting ${i - 3}`); // announced first: from here on it may be gone
    await unlink(`/disk/crash/f${i - 3}.bin`);
  }
}
