// The file-system benchmark run by bench/fs on both systems, with node:fs/promises only:
// sequential write (fsync'ed) and read of one large file in 1 MiB calls, then files created,
// stat'ed and deleted one after another. Prints "fs: NAME VALUE" lines.
//   fs.mjs DIR [MEGABYTES=256] [FILES=10000]
import { open, mkdir, writeFile, stat, unlink, rmdir } from 'node:fs/promises';

const [dir, mbArg = '256', filesArg = '10000'] = process.argv.slice(2);
const MB = 1 << 20;
const megabytes = Number(mbArg);
const files = Number(filesArg);
const chunk = new Uint8Array(MB).map((_, i) => (i * 251 + 7) & 0xff);

let t = performance.now();
const out = await open(`${dir}/big.bin`, 'w');
for (let i = 0; i < megabytes; i++) await out.write(chunk, 0, MB, null);
await out.sync();
await out.close();
const writeMs = performance.now() - t;
console.log(`fs: seq-write-MBps ${(megabytes / (writeMs / 1000)).toFixed(2)}`);

// Linux: read from the disk, not from the page cache the write left (rtjs's cache is 16 MiB).
try { await writeFile('/proc/sys/vm/drop_caches', '3'); } catch { /* not Linux */ }
t = performance.now();
const input = await open(`${dir}/big.bin`, 'r');
const buf = new Uint8Array(MB);
let total = 0;
for (;;) {
  const { bytesRead } = await input.read(buf, 0, MB, null);
  if (!bytesRead) break;
  total += bytesRead;
}
await input.close();
const readMs = performance.now() - t;
if (total !== megabytes * MB) throw new Error(`read ${total} bytes, wrote ${megabytes * MB}`);
console.log(`fs: seq-read-MBps ${(megabytes / (readMs / 1000)).toFixed(2)}`);
await unlink(`${dir}/big.bin`);

await mkdir(`${dir}/small`);
t = performance.now();
for (let i = 0; i < files; i++) {
  const name = `${dir}/small/f${i}`;
  await writeFile(name, 'x');
  if ((await stat(name)).size !== 1) throw new Error(`${name}: wrong size`);
  await unlink(name);
}
const smallMs = performance.now() - t;
await rmdir(`${dir}/small`);
console.log(`fs: small-files-per-s ${(files / (smallMs / 1000)).toFixed(1)}`);
console.log('fs: done');
