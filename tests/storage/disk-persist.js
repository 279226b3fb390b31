// /disk through node:fs: the first run (write) writes files there and ends by itself; the
// second (read) finds them. disk-persist.test.sh checks the image between and after with
// fsck.fat -n and mtools.
//   disk-persist.js write|read
import { readFile, writeFile, mkdir, readdir, stat } from 'node:fs/promises';
import fs from 'node:fs';

const phase = rt.argv[0];
let failed = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (!ok) failed++;
}
const data = new Uint8Array(200000).map((_, i) => (i * 7 + 3) & 0xff);

if (phase === 'write') {
  await mkdir('/disk/kept/deeper', { recursive: true });
  await writeFile('/disk/kept/note.txt', 'written through node:fs onto /disk\n');
  await writeFile('/disk/kept/deeper/data.bin', data);
  await new Promise((resolve, reject) => fs.appendFile('/disk/kept/note.txt', 'and appended\n', (err) => (err ? reject(err) : resolve())));
  check((await readdir('/disk/kept')).join() === 'deeper,note.txt', 'the files are listed');
  // A *Sync call never reaches the disk (it answers by interrupt): ENOTSUP, and nothing changed.
  const refused = (fn) => { try { fn(); return 'no error'; } catch (e) { return e.code; } };
  check(refused(() => fs.writeFileSync('/disk/kept/sync.txt', 'x')) === 'ENOTSUP', 'writeFileSync on /disk is ENOTSUP');
  check(refused(() => fs.readFileSync('/disk/kept/note.txt')) === 'ENOTSUP', 'readFileSync on /disk is ENOTSUP');
  check(refused(() => fs.mkdirSync('/disk/kept/sync-dir')) === 'ENOTSUP', 'mkdirSync on /disk is ENOTSUP');
  check((await readdir('/disk/kept')).join() === 'deeper,note.txt', 'the refused calls made nothing');
  fs.writeFileSync('/tmp/sync.txt', 'tmpfs');
  check(await readFile('/tmp/sync.txt', 'utf8') === 'tmpfs', 'writeFileSync on /tmp works beside /disk');
} else {
  check(await readFile('/disk/kept/note.txt', 'utf8') === 'written through node:fs onto /disk\nand appended\n', 'the text file survived the restart');
  const back = await readFile('/disk/kept/deeper/data.bin');
  check(back.length === data.length && back.every((b, i) => b === data[i]), 'the 200,000-byte file survived byte for byte');
  check((await stat('/disk/HOST.TXT')).size === 14, 'the file the host put there is seen');
}
console.log(failed ? `${failed} failed` : 'all passed');
