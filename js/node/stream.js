// node:stream: Node's own stream implementation, from the npm package readable-stream
// (Node's lib/internal/streams published for other runtimes), embedded in the runtime.
import { loadStreams } from '../internal/readable-stream.js';
import { Buffer } from './buffer.js';
import { duplexPair } from '../internal/duplex-pair.js';
import {
  readableToWeb, readableFromWeb, writableToWeb, writableFromWeb, duplexToWeb, duplexFromWeb,
} from '../internal/stream-web-adapters.js';

const Stream = loadStreams();
// Node 20 takes any TypedArray or DataView as a chunk (write(), push()) and passes it on as a
// Buffer over the same bytes; readable-stream takes only Uint8Array. Its streams ask these
// two functions, so widening them gives Node's behaviour.
Stream._isUint8Array = function isArrayBufferView(value) { return ArrayBuffer.isView(value); };
Stream._uint8ArrayToBuffer = function arrayBufferViewToBuffer(chunk) {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
};

Stream.duplexPair = duplexPair;


Stream.Readable.toWeb = (streamReadable, options) => readableToWeb(Stream, streamReadable, options);
Stream.Readable.fromWeb = (readableStream, options) => readableFromWeb(Stream, readableStream, options);
Stream.Writable.toWeb = (streamWritable) => writableToWeb(Stream, streamWritable);
Stream.Writable.fromWeb = (writableStream, options) => writableFromWeb(Stream, writableStream, options);
Stream.Duplex.toWeb = (duplex) => duplexToWeb(Stream, duplex);
Stream.Duplex.fromWeb = (pair, options) => duplexFromWeb(Stream, pair, options);

export const {
  Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, addAbortSignal, compose, destroy,
  isDisturbed, isErrored, isReadable, promises,
} = Stream;
export { duplexPair };
export { Stream };
export default Stream;
