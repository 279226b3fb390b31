// The app's own directory through node:fs: read-only at its own path, as the boot files (the
// host's files hosted, the initrd's on the kernel). BOOTFS-MARKER-5e1d (read back below).
import { test, assertEqual } from './harness.js';
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Buffer } from 'node:buffer';

const self = decodeURIComponent(new URL(import.meta.url).pathname);
const dir = self.slice(0, self.lastIndexOf('/'));

test('the test file reads back through node:fs, whole, in parts and as a stream', async () => {
  const text = await fs.readFile(self, 'utf8');
  assertEqual(text.startsWith('// The app\'s own directory through node:fs'), true);
  assertEqual(text.includes(['BOOTFS', 'MARKER', '5e1d'].join('-')), true);
  const st = await fs.stat(self);
  assertEqual([st.isFile(), st.size], [true, new TextEncoder().encode(text).length]);
  const fh = await fs.open(self);
  const buf = new Uint8Array(12);
  const { bytesRead } = await fh.read(buf, 0, 12, 3);
  await fh.close();
  assertEqual([bytesRead, new TextDecoder().decode(buf)], [12, 'The app\'s ow']);
  const chunks = [];
  await new Promise((resolve, reject) => createReadStream(self, { highWaterMark: 1000 })
    .on('data', (c) => chunks.push(c)).on('end', resolve).on('error', reject));
  assertEqual(Buffer.concat(chunks).toString(), text);
});

test('the directory lists, and its files are read-only (EROFS)', async () => {
  const names = await fs.readdir(dir);
  assertEqual(['harness.js', 'bootfs.test.js'].every((n) => names.includes(n)), true, names.join());
  const sub = await fs.readdir(dir, { withFileTypes: true });
  assertEqual(sub.find((d) => d.name === 'fixtures').isDirectory(), true);
  for (const attempt of [() => fs.writeFile(self, 'x'), () => fs.writeFile(`${dir}/new.txt`, 'x'), () => fs.unlink(self),
    () => fs.mkdir(`${dir}/d`), () => fs.rename(self, `${dir}/moved.js`), () => fs.truncate(self, 0)]) {
    let err;
    try { await attempt(); } catch (e) { err = e; }
    assertEqual(err && err.code, 'EROFS', String(attempt));
  }
  let err;
  try { await fs.readFile(`${dir}/no-such-file`); } catch (e) { err = e; }
  assertEqual(err && err.code, 'ENOENT');
  try { await fs.readFile(`${dir}/../../../etc/passwd`); } catch (e) { err = e; }
  assertEqual(err && err.code, 'ENOENT', '.. leaves the mount for the tmpfs, not for the host');
});
