// node:zlib beyond what Node's own test files check here: Brotli against bytes Node's Brotli
// made, flush kinds, params(), dictionaries, maxOutputLength and `info`. Every expectation
// is what Node 20 gives: this file also runs under Node (`node node-zlib.test.js`).
import { test, assertEqual } from './harness.js';
import assert from 'node:assert';
import zlib from 'node:zlib';
import { once } from 'node:events';

const { constants: c } = zlib;
const text = 'rtjs runs JavaScript on bare metal. '.repeat(20);

// Reads a stream's output until 'end'.
async function collect(stream) {
  const out = [];
  stream.on('data', (chunk) => out.push(chunk));
  await once(stream, 'end');
  return Buffer.concat(out).toString();
}

test('brotli: decodes what Node made, round trips sync, callback and stream, quality changes the size', async () => {
  // Node 20's brotliCompressSync(text, quality 5).
  const fromNode = Buffer.from('G88CAATqZKleSGJnUwS2R+4SVGVpdWnQ1aLv5V8m04QrCbcZwwE=', 'base64');
  assertEqual(zlib.brotliDecompressSync(fromNode).toString(), text);
  assertEqual(zlib.brotliCompressSync('').toString('hex'), '3b');
  const fast = zlib.brotliCompressSync(text, { params: { [c.BROTLI_PARAM_QUALITY]: 0 } });
  const best = zlib.brotliCompressSync(text, { params: { [c.BROTLI_PARAM_QUALITY]: c.BROTLI_MAX_QUALITY } });
  assertEqual([best.length < fast.length, fast.length < text.length], [true, true], `${best.length} ${fast.length}`);
  const viaCallback = await new Promise((resolve, reject) => zlib.brotliCompress(text, (err, out) => (err ? reject(err) : resolve(out))));
  assertEqual(zlib.brotliDecompressSync(viaCallback).toString(), text);
  const enc = zlib.createBrotliCompress();
  const dec = zlib.createBrotliDecompress();
  enc.pipe(dec);
  const decoded = collect(dec);
  for (let i = 0; i < text.length; i += 100) enc.write(text.slice(i, i + 100));
  enc.end();
  assertEqual(await decoded, text);
});

test('brotli: errors carry the library\'s code; parameters are checked', () => {
  assert.throws(() => zlib.brotliDecompressSync(Buffer.from('not brotli at all')),
    { code: 'ERR__ERROR_FORMAT_PADDING_2', errno: -15, message: 'Decompression failed' });
  assert.throws(() => zlib.brotliDecompressSync(zlib.brotliCompressSync(text).subarray(0, 10)),
    { code: 'Z_BUF_ERROR', errno: -5, message: 'unexpected end of file' });
  assert.throws(() => zlib.createBrotliCompress({ params: { 99: 1 } }), { code: 'ERR_BROTLI_INVALID_PARAM', name: 'RangeError' });
  assert.throws(() => zlib.createBrotliCompress({ params: { [c.BROTLI_PARAM_QUALITY]: 'x' } }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => zlib.createBrotliCompress({ params: { [c.BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING]: 2 } }), { code: 'ERR_ZLIB_INITIALIZATION_FAILED' });
});

test('flush kinds: a sync flush ends in an empty stored block; brotli flush() makes its input decodable', async () => {
  const d = zlib.createDeflate();
  const out = [];
  d.on('data', (chunk) => out.push(chunk));
  d.write('abc');
  await new Promise((resolve) => d.flush(c.Z_SYNC_FLUSH, resolve));
  // RFC 1951 3.2.4: an empty stored block, 00 00 ff ff, closes a sync flush.
  assertEqual(Buffer.concat(out).toString('hex'), '789c4a4c4a06000000ffff');
  const b = zlib.createBrotliCompress();
  const bout = [];
  b.on('data', (chunk) => bout.push(chunk));
  b.write('hello');
  await new Promise((resolve) => b.flush(resolve));
  assertEqual(Buffer.concat(bout).toString('hex'), '0b028068656c6c6f');
  assertEqual(zlib.brotliDecompressSync(Buffer.concat(bout), { finishFlush: c.BROTLI_OPERATION_FLUSH }).toString(), 'hello');
  assert.throws(() => zlib.createDeflate({ flush: 6 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => zlib.createBrotliCompress({ finishFlush: c.Z_FINISH }), { code: 'ERR_OUT_OF_RANGE', message: /It must be >= 0 and <= 3/ });
});

test('params(): the level changes mid-stream, and the whole decodes', async () => {
  const d = zlib.createDeflate({ level: 9 });
  const inflated = collect(d.pipe(zlib.createInflate()));
  d.write(text);
  await new Promise((resolve) => d.params(0, c.Z_DEFAULT_STRATEGY, resolve));
  assertEqual([d._level, d._strategy], [0, c.Z_DEFAULT_STRATEGY]);
  d.end(text);
  assertEqual(await inflated, text + text);
  assert.throws(() => d.params(10, 0), { code: 'ERR_OUT_OF_RANGE' });
});

test('dictionary: deflate with one, inflate needs the same; raw deflate too', () => {
  const dictionary = Buffer.from('bare metal JavaScript');
  const packed = zlib.deflateSync(text, { dictionary });
  // RFC 1950 2.2: FDICT set in FLG (0xbb) and the dictionary's Adler-32 after it.
  assertEqual(packed.subarray(0, 2).toString('hex'), '78bb');
  assertEqual(zlib.inflateSync(packed, { dictionary }).toString(), text);
  assert.throws(() => zlib.inflateSync(packed), { code: 'Z_NEED_DICT', errno: 2, message: 'Missing dictionary' });
  assert.throws(() => zlib.inflateSync(packed, { dictionary: Buffer.from('x') }), { code: 'Z_NEED_DICT', message: 'Bad dictionary' });
  assertEqual(zlib.inflateRawSync(zlib.deflateRawSync(text, { dictionary }), { dictionary }).toString(), text);
  assert.throws(() => zlib.createDeflate({ dictionary: 'text' }), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('maxOutputLength and info', async () => {
  const packed = zlib.deflateSync(text);
  assert.throws(() => zlib.inflateSync(packed, { maxOutputLength: 100 }),
    { code: 'ERR_BUFFER_TOO_LARGE', name: 'RangeError', message: 'Cannot create a Buffer larger than 100 bytes' });
  const err = await new Promise((resolve) => zlib.inflate(packed, { maxOutputLength: 100 }, resolve));
  assertEqual([err.code, err.name], ['ERR_BUFFER_TOO_LARGE', 'RangeError']);
  assertEqual(zlib.inflateSync(packed, { maxOutputLength: text.length }).toString(), text);
  const { buffer, engine } = zlib.inflateSync(packed, { info: true });
  assertEqual([buffer.toString(), engine instanceof zlib.Inflate, engine.bytesWritten], [text, true, packed.length]);
});

// zstd is Node 22's (RFC 8878): under Node 20 this test has nothing to run against.
test('zstd: decodes the zstd tool\'s frame, round trips, levels, pledged size, dictionary, truncation', async () => {
  if (!zlib.zstdCompressSync && !globalThis.rt) return;
  // `echo -n 'hello zstd' | zstd -c`, with its content checksum.
  const fromTool = Buffer.from('KLUv/QRYUQAAaGVsbG8genN0ZM/bYJw=', 'base64');
  assertEqual(zlib.zstdDecompressSync(fromTool).toString(), 'hello zstd');
  const packed = zlib.zstdCompressSync(text);
  // RFC 8878 3.1.1: a frame starts with the magic number 0xFD2FB528, little-endian.
  assertEqual(packed.subarray(0, 4).toString('hex'), '28b52ffd');
  assertEqual(zlib.zstdDecompressSync(packed).toString(), text);
  // Words drawn by a linear congruential generator: text with something for a level to find.
  let seed = 1;
  const words = Array.from({ length: 4000 }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return ['metal', 'kernel', 'engine', 'stream', 'frame', 'window', 'match', 'level'][(seed >>> 16) % 8] + ((seed >>> 8) % 13);
  }).join(' ');
  const fast = zlib.zstdCompressSync(words, { params: { [c.ZSTD_c_compressionLevel]: -5 } });
  const best = zlib.zstdCompressSync(words, { params: { [c.ZSTD_c_compressionLevel]: 19 } });
  assertEqual([best.length < fast.length, zlib.zstdDecompressSync(fast).toString() === words], [true, true], `${best.length} ${fast.length}`);
  const enc = zlib.createZstdCompress();
  const streamed = collect(enc.pipe(zlib.createZstdDecompress()));
  enc.end(text);
  assertEqual(await streamed, text);
  assert.throws(() => zlib.zstdDecompressSync(packed.subarray(0, packed.length - 4)), { code: 'Z_BUF_ERROR', message: 'unexpected end of file' });
  assert.throws(() => zlib.zstdDecompressSync(Buffer.from('not zstd at all')), { code: 'ZSTD_error_prefix_unknown' });
  assert.throws(() => new zlib.ZstdCompress({ params: { 1000: 1 } }), { code: 'ERR_ZSTD_INVALID_PARAM' });
  const dictionary = Buffer.from('bare metal JavaScript');
  const withDict = zlib.zstdCompressSync(text, { dictionary });
  assertEqual(zlib.zstdDecompressSync(withDict, { dictionary }).toString(), text);
});
