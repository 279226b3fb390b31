// node:zlib over MB megabytes of text-like bytes (eight letters drawn by a linear congruential
// generator: compressible, not trivially); the same program runs under Node and rtjs-sim
// (bench/zlib). Prints "NAME MS" lines: gzip and gunzip (sync), brotli (quality 4) both ways
// (sync), a gzip | gunzip stream pipeline in 64 KB writes, and crc32.
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';

const mb = Number(process.argv[2] ?? 16);
const data = Buffer.alloc(mb * 1024 * 1024);
let seed = 1;
for (let i = 0; i < data.length; i++) {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  data[i] = 97 + ((seed >> 16) % 8);
}
// 64 KB writes, as a file read stream gives them.
const WRITE = 64 * 1024;

function time(name, fn) {
  const t = performance.now();
  const result = fn();
  console.log(`${name} ${(performance.now() - t).toFixed(3)}`);
  return result;
}

zlib.gunzipSync(zlib.gzipSync(data.subarray(0, 1024))); // warm-up: the module's first use
const gz = time('gzip', () => zlib.gzipSync(data));
if (!time('gunzip', () => zlib.gunzipSync(gz)).equals(data)) throw new Error('gunzip: not the input');
const quality = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };
const br = time('brotli-compress', () => zlib.brotliCompressSync(data, quality));
if (!time('brotli-decompress', () => zlib.brotliDecompressSync(br)).equals(data)) throw new Error('brotli: not the input');
time('crc32', () => zlib.crc32(data));

const t = performance.now();
let seen = 0;
const chunks = function* () { for (let i = 0; i < data.length; i += WRITE) yield data.subarray(i, i + WRITE); };
await pipeline(Readable.from(chunks()), zlib.createGzip(), zlib.createGunzip(),
  new Writable({ write(chunk, encoding, callback) { seen += chunk.length; callback(); } }));
if (seen !== data.length) throw new Error(`stream: ${seen} of ${data.length} bytes`);
console.log(`stream ${(performance.now() - t).toFixed(3)}`);
