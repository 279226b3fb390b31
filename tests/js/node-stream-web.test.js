// Node streams to web streams and back (Readable/Writable/Duplex toWeb and fromWeb), and
// node:stream/web. Every expectation is what Node 20 gives: this file also runs under Node
// (`node node-stream-web.test.js`) and passes there.
import { test, assertEqual } from './harness.js';
import { Readable, Writable, Duplex, PassThrough } from 'node:stream';
import * as web from 'node:stream/web';

async function collect(readableStream) {
  const chunks = [];
  for await (const chunk of readableStream) chunks.push(chunk);
  return chunks;
}

test('stream/web: the global stream classes', () => {
  assertEqual([web.ReadableStream === ReadableStream, web.WritableStream === WritableStream,
    web.TransformStream === TransformStream, typeof web.TextDecoderStream], [true, true, true, 'function']);
});

test('Readable.toWeb: bytes as Uint8Array, objects as they are; an error errors the web stream', async () => {
  const bytes = await collect(Readable.toWeb(Readable.from([Buffer.from('ab'), Buffer.from('c')], { objectMode: false })));
  assertEqual(bytes.map((b) => [b.constructor.name, Buffer.from(b).toString()]), [['Uint8Array', 'ab'], ['Uint8Array', 'c']]);
  assertEqual(await collect(Readable.toWeb(Readable.from([{ a: 1 }, 2]))), [{ a: 1 }, 2]);
  const failing = new Readable({ read() { this.destroy(new Error('disk on fire')); } });
  let error;
  try { await collect(Readable.toWeb(failing)); } catch (err) { error = err; }
  assertEqual(error && error.message, 'disk on fire');
});

test('Readable.fromWeb: the chunks as Buffers, or strings with an encoding', async () => {
  const source = () => new ReadableStream({
    start(c) { c.enqueue(new TextEncoder().encode('hé')); c.enqueue(new TextEncoder().encode('llo')); c.close(); },
  });
  const chunks = [];
  for await (const chunk of Readable.fromWeb(source())) chunks.push(chunk);
  assertEqual(Buffer.concat(chunks).toString(), 'héllo');
  let text = '';
  for await (const chunk of Readable.fromWeb(source(), { encoding: 'utf8' })) text += chunk;
  assertEqual(text, 'héllo');
});

test('Writable.toWeb: writes reach the Writable in order, close() ends it', async () => {
  const got = [];
  let finished = false;
  const sink = new Writable({
    highWaterMark: 2,
    write(chunk, encoding, callback) { got.push(chunk.toString()); setTimeout(callback, 1); },
    final(callback) { finished = true; callback(); },
  });
  const writer = Writable.toWeb(sink).getWriter();
  for (const s of ['one', 'two', 'three']) await writer.write(Buffer.from(s));
  await writer.close();
  assertEqual([got, finished], [['one', 'two', 'three'], true]);
});

test('Writable.fromWeb: strings become bytes, end() closes the web stream', async () => {
  const got = [];
  let closed = false;
  const sink = new WritableStream({
    write(chunk) { got.push(chunk); },
    close() { closed = true; },
  });
  const w = Writable.fromWeb(sink);
  w.write('abc');
  await new Promise((resolve) => w.end(Buffer.from('de'), resolve));
  assertEqual([got.map((c) => [c instanceof Uint8Array, Buffer.from(c).toString()]), closed],
    [[[true, 'abc'], [true, 'de']], true]);
});

test('Duplex.toWeb and Duplex.fromWeb: both sides cross over', async () => {
  const echo = new PassThrough();
  const { readable, writable } = Duplex.toWeb(echo);
  const writer = writable.getWriter();
  await writer.write(new TextEncoder().encode('ping'));
  await writer.close();
  const back = await collect(readable);
  assertEqual(Buffer.concat(back.map((b) => Buffer.from(b))).toString(), 'ping');

  const transform = new TransformStream({ transform(chunk, c) { c.enqueue(Buffer.from(chunk).toString().toUpperCase()); } });
  const duplex = Duplex.fromWeb(transform, { encoding: 'utf8' });
  let out = '';
  duplex.on('data', (d) => { out += d; });
  const ended = new Promise((resolve) => duplex.on('end', resolve));
  duplex.end('shout');
  await ended;
  assertEqual(out, 'SHOUT');
});
