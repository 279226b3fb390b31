// SHA-256 and AES-256-GCM of 64 MB through node:crypto (createHash, createCipheriv); the same
// program runs under Node and rtjs-sim (bench/crypto). Prints "sha256 MS" and "aes-gcm MS".
import { createCipheriv, createHash, randomFillSync } from 'node:crypto';

const mb = Number(process.argv[2] ?? 64);
const data = randomFillSync(new Uint8Array(mb * 1024 * 1024));

// The same 1 KB warm-up as bench/js/crypto.js: OpenSSL loads its provider on first use.
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
