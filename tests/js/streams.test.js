// WHATWG Streams: reading, backpressure, pipes, transforms, tee, async iteration.
import { test, assertEqual, assertThrows } from './harness.js';

async function collect(stream) {
  const out = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

test('a ReadableStream gives its chunks in order, then done; the reader locks it', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
  const reader = rs.getReader();
  assertEqual(rs.locked, true);
  assertThrows(() => rs.getReader(), /TypeError/);
  assertEqual(await reader.read(), { value: 1, done: false });
  assertEqual(await reader.read(), { value: 2, done: false });
  assertEqual(await reader.read(), { value: undefined, done: true });
  await reader.closed;
  reader.releaseLock();
  assertEqual(rs.locked, false);
});

test('pull is called as the queue drains, within the high-water mark', async () => {
  let pulls = 0;
  const rs = new ReadableStream({
    pull(c) { pulls++; c.enqueue(pulls); if (pulls === 5) c.close(); },
  }, new CountQueuingStrategy({ highWaterMark: 2 }));
  assertEqual(await collect(rs), [1, 2, 3, 4, 5]);
  assertEqual(pulls, 5);
});

test('an erroring source rejects reads and closed; cancel reaches the source', async () => {
  const rs = new ReadableStream({ start(c) { c.error(new TypeError('bad source')); } });
  const reader = rs.getReader();
  let message = '';
  try { await reader.read(); } catch (e) { message = e.message; }
  assertEqual(message, 'bad source');
  let reason;
  const rs2 = new ReadableStream({ cancel(r) { reason = r; } });
  await rs2.cancel('enough');
  assertEqual(reason, 'enough');
});

test('WritableStream: writes in order, backpressure through ready and desiredSize, close', async () => {
  const written = [];
  let release;
  const ws = new WritableStream({
    write(chunk) { written.push(chunk); return chunk === 'slow' ? new Promise((r) => { release = r; }) : undefined; },
  }, { highWaterMark: 2 });
  const w = ws.getWriter();
  assertEqual(w.desiredSize, 2);
  const p1 = w.write('slow');
  w.write('b');
  w.write('c');
  assertEqual(w.desiredSize, -1);
  await Promise.resolve();
  release();
  await p1;
  await w.close();
  assertEqual(written, ['slow', 'b', 'c']);
  await w.closed;
});

test('abort waits for the write in flight, rejects queued writes, then tells the sink', async () => {
  const events = [];
  let finishWrite;
  const ws = new WritableStream({
    write(chunk) { events.push(`write ${chunk}`); return new Promise((r) => { finishWrite = r; }); },
    abort(r) { events.push(`abort ${r}`); },
  });
  const w = ws.getWriter();
  w.write('first');
  const queued = w.write('second');
  await Promise.resolve();
  const aborted = w.abort('stop');
  let rejected = false;
  const settled = queued.catch(() => { rejected = true; });
  await Promise.resolve();
  assertEqual(events, ['write first'], 'the sink hears of the abort only after the write in flight');
  finishWrite();
  await aborted;
  await settled;
  assertEqual(rejected, true);
  assertEqual(events, ['write first', 'abort stop']);
  let closedRejected = false;
  await w.closed.catch(() => { closedRejected = true; });
  assertEqual(closedRejected, true);
});

test('pipeThrough a TransformStream, TextEncoderStream/TextDecoderStream round trip', async () => {
  const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
  const src = ReadableStream.from(['héllo ', 'wörld', ' ✓']);
  const out = await collect(src.pipeThrough(upper).pipeThrough(new TextEncoderStream()).pipeThrough(new TextDecoderStream()));
  assertEqual(out.join(''), 'HÉLLO WÖRLD ✓');
});

test('TextDecoderStream joins a UTF-8 sequence split across chunks', async () => {
  const bytes = new TextEncoder().encode('a✓b');
  const src = ReadableStream.from([bytes.subarray(0, 2), bytes.subarray(2)]);
  assertEqual((await collect(src.pipeThrough(new TextDecoderStream()))).join(''), 'a✓b');
});

test('pipeTo moves every chunk and closes the destination; tee gives both branches all', async () => {
  const got = [];
  await ReadableStream.from([1, 2, 3]).pipeTo(new WritableStream({ write(c) { got.push(c); } }));
  assertEqual(got, [1, 2, 3]);
  const [a, b] = ReadableStream.from(['x', 'y']).tee();
  assertEqual(await Promise.all([collect(a), collect(b)]), [['x', 'y'], ['x', 'y']]);
});

test('pipeTo with an aborted signal rejects with its reason', async () => {
  const ac = new AbortController();
  ac.abort(new Error('called off'));
  let message = '';
  await ReadableStream.from([1]).pipeTo(new WritableStream(), { signal: ac.signal }).catch((e) => { message = e.message; });
  assertEqual(message, 'called off');
});

test('byte streams: a BYOB reader fills the given view; Blob.stream gives the bytes', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5])); c.close(); } });
  const r = rs.getReader({ mode: 'byob' });
  const first = await r.read(new Uint8Array(3));
  assertEqual(first.value, new Uint8Array([1, 2, 3]));
  assertEqual((await r.read(new Uint8Array(3))).value, new Uint8Array([4, 5]));
  assertEqual((await r.read(new Uint8Array(3))).done, true);
  const chunks = await collect(new Blob(['abc']).stream());
  assertEqual(chunks, [new Uint8Array([97, 98, 99])]);
});

async function bytesOf(stream) {
  const parts = [];
  for await (const c of stream) parts.push(...c);
  return new Uint8Array(parts);
}

test('CompressionStream/DecompressionStream round-trip gzip, deflate and deflate-raw', async () => {
  const text = 'rtjs '.repeat(2000) + '✓';
  for (const format of ['gzip', 'deflate', 'deflate-raw']) {
    const packed = await bytesOf(ReadableStream.from([new TextEncoder().encode(text)]).pipeThrough(new CompressionStream(format)));
    if (packed.length >= 500) throw new Error(`${format}: ${packed.length} bytes is not compressed`);
    const back = await bytesOf(ReadableStream.from([packed.subarray(0, 7), packed.subarray(7)]).pipeThrough(new DecompressionStream(format)));
    assertEqual(new TextDecoder().decode(back), text, format);
  }
  const gz = await bytesOf(ReadableStream.from([new Uint8Array([1])]).pipeThrough(new CompressionStream('gzip')));
  assertEqual([gz[0], gz[1]], [0x1f, 0x8b], 'a gzip header (RFC 1952)');
  assertThrows(() => new CompressionStream('brotli'), /TypeError/);
});

test('DecompressionStream rejects corrupt, truncated and trailing input with a TypeError', async () => {
  const bad = ReadableStream.from([new Uint8Array([1, 2, 3, 4, 5])]).pipeThrough(new DecompressionStream('gzip'));
  let message = '';
  await bytesOf(bad).catch((e) => { message = `${e.name}: ${e.message}`; });
  assertEqual(/^TypeError: .*(corrupt|incorrect header)/.test(message), true, message);
  const packed = await bytesOf(ReadableStream.from([new Uint8Array(100)]).pipeThrough(new CompressionStream('deflate')));
  let truncated = '';
  await bytesOf(ReadableStream.from([packed.subarray(0, packed.length - 3)]).pipeThrough(new DecompressionStream('deflate')))
    .catch((e) => { truncated = `${e.name}: ${e.message}`; });
  assertEqual(/^TypeError: .*truncated/.test(truncated), true, truncated);
  // Compression Standard: bytes after the end of the stream (here a second gzip member) are an error.
  const gz = await bytesOf(ReadableStream.from([new Uint8Array([1])]).pipeThrough(new CompressionStream('gzip')));
  let trailing = '';
  await bytesOf(ReadableStream.from([gz, gz]).pipeThrough(new DecompressionStream('gzip'))).catch((e) => { trailing = `${e.name}: ${e.message}`; });
  assertEqual(/^TypeError: .*after the end/.test(trailing), true, trailing);
});

test("a sink's error errors the stream: write rejects with it, close with a TypeError, ready and closed with the controller's", async () => {
  const e1 = new Error('e1');
  const e2 = new Error('e2');
  const outcome = (p) => p.then(() => 'resolved', (e) => (e === e1 ? 'e1' : e === e2 ? 'e2' : e.name));
  const w = new WritableStream({ write() { throw e1; } }).getWriter();
  assertEqual(await outcome(w.write('a')), 'e1');
  assertEqual(await outcome(w.close()), 'TypeError');
  const v = new WritableStream({ write(chunk, c) { c.error(e1); throw e2; } }).getWriter();
  assertEqual(await outcome(v.write('a')), 'e2');
  assertEqual([await outcome(v.ready), await outcome(v.closed)], ['e1', 'e1']);
});
