// SHA-256 and AES-256-GCM of 64 MB through Web Crypto; prints "sha256 MS" and "aes-gcm MS".
// Runs unchanged in rtjs-sim and in Node (where `crypto` is also a global in Node 20's ESM).
// usage: crypto.js [MB]
const argv = globalThis.rt ? rt.argv : process.argv.slice(2);
const mb = Number(argv[0] ?? 64);
const data = new Uint8Array(mb * 1024 * 1024);
for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
const subtle = crypto.subtle;
// Both sides hash and encrypt 1 KB first: OpenSSL loads its provider on first use (tens of
// ms), a one-time cost of the process, not of hashing.
const key = await subtle.importKey('raw', new Uint8Array(32).fill(7), 'AES-GCM', false, ['encrypt']);
const iv = new Uint8Array(12);
await subtle.digest('SHA-256', data.subarray(0, 1024));
await subtle.encrypt({ name: 'AES-GCM', iv }, key, data.subarray(0, 1024));

let t = performance.now();
const digest = await subtle.digest('SHA-256', data);
console.log(`sha256 ${(performance.now() - t).toFixed(3)} ${new Uint8Array(digest)[0]}`);

t = performance.now();
const ct = await subtle.encrypt({ name: 'AES-GCM', iv }, key, data);
console.log(`aes-gcm ${(performance.now() - t).toFixed(3)} ${ct.byteLength}`);
