// The peer for bench/js/crypto.js: Node's own crypto module (createHash, createCipheriv) on
// the same 64 MB; prints "sha256 MS" and "aes-gcm MS".
import { createCipheriv, createHash, randomFillSync } from 'node:crypto';

const mb = Number(process.argv[2] ?? 64);
const data = randomFillSync(new Uint8Array(mb * 1024 * 1024));

// The same 1 KB warm-up as bench/js/crypto.js.
createHash('sha256').update(data.subarray(0, 1024)).digest();
const w = createCipheriv('aes-256-gcm', Buffer.alloc(32, 7), Buffer.alloc(12));
w.update(data.subarray(0, 1024));
w.final();

let t = performance.now();
const digest = createHash('sha256').update(data).digest();
console.log(`sha256 ${(performance.now() - t).toFixed(3)} ${digest[0]}`);

t = performance.now();
const c = createCipheriv('aes-256-gcm', Buffer.alloc(32, 7), Buffer.alloc(12));
const out = Buffer.concat([c.update(data), c.final(), c.getAuthTag()]);
console.log(`aes-gcm ${(performance.now() - t).toFixed(3)} ${out.length}`);
