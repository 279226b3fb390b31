// node:zlib over MB megabytes of text-like bytes: words of a fixed list drawn by a linear
// congruential generator (32-bit, as C's rand: compressible as prose is, not trivially); the
// same program runs under Node and rtjs-sim (bench/zlib). Prints "NAME MS" lines: gzip and
// gunzip (sync), brotli (quality 4) both ways (sync), a gzip | gunzip stream pipeline in 64 KB
// writes, and crc32.
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';

const mb = Number(process.argv[2] ?? 16);
const WORDS = ('the of and to in is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were her she there been one all we their has would when if so no will what out up who more said about ' +
  'kernel engine stream frame window').split(' ');
const data = Buffer.alloc(mb * 1024 * 1024);
let seed = 1;
for (let i = 0; i < data.length;) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  i += data.write(`${WORDS[(seed >>> 16) % WORDS.length]} `, i);
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
