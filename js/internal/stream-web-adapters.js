// Node streams to WHATWG streams and back: Readable.toWeb/fromWeb, Writable.toWeb/fromWeb,
// Duplex.toWeb/fromWeb (nodejs.org/api/stream.html#readabletowebstreamreadable-options).
//
// Backpressure crosses over both ways: a web ReadableStream over a Node Readable pauses it
// while the web queue is full (desiredSize <= 0) and resumes it on pull(); a Node Readable
// over a web stream reads one chunk per _read(). A web WritableStream over a Node Writable
// answers a write() only once the Writable has drained. Ends, errors and cancellations
// go across as ends, errors and destruction.
import { ReadableStream, WritableStream, CountQueuingStrategy, ByteLengthQueuingStrategy } from './streams.js';
import { invalidArgType, invalidArgValue } from './node-errors.js';
import { abortError, codedError } from './modules/errors.js';
import { Buffer } from '../node/buffer.js';
import process from '../node/process.js';

function isNodeReadable(stream) {
  return stream !== null && typeof stream === 'object' && typeof stream._readableState === 'object';
}

function isNodeWritable(stream) {
  return stream !== null && typeof stream === 'object' && typeof stream._writableState === 'object';
}

function stillReadable(stream) {
  return !stream.destroyed && stream.readable === true && !stream._readableState.endEmitted;
}

function stillWritable(stream) {
  return !stream.destroyed && stream.writable === true && !stream.writableEnded;
}

// A premature close (destroyed without an end) reaches the web side as an AbortError.
function webError(error) {
  if (error && error.code === 'ERR_STREAM_PREMATURE_CLOSE') {
    const err = abortError();
    err.cause = error;
    return err;
  }
  return error;
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// One chunk of a web reader into a Node stream per _read() call.
function readInto(Stream, reader, stream) {
  reader.read().then((chunk) => {
    if (chunk.done) stream.push(null);
    else stream.push(chunk.value);
  }, (error) => Stream.destroy(stream, error));
}

// A destroy callback run from a promise: what it throws must surface as uncaught, not as a
// rejection nobody handles.
function settle(callback, error) {
  return () => {
    try {
      callback(error);
    } catch (err) {
      process.nextTick(() => { throw err; });
    }
  };
}

function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'Object', options);
}

/** A web ReadableStream of what the Node Readable `streamReadable` gives. */
export function readableToWeb(Stream, streamReadable, options = {}) {
  if (!isNodeReadable(streamReadable)) throw invalidArgType('streamReadable', 'stream.Readable', streamReadable);
  checkOptions(options);
  if (!stillReadable(streamReadable)) {
    const readable = new ReadableStream();
    readable.cancel();
    return readable;
  }
  const objectMode = streamReadable.readableObjectMode;
  const highWaterMark = streamReadable.readableHighWaterMark;
  const strategy = options.strategy ?? (objectMode
    ? new CountQueuingStrategy({ highWaterMark })
    : new ByteLengthQueuingStrategy({ highWaterMark }));
  let controller;
  let done = false; // closed, errored or cancelled: the controller takes nothing more

  const onData = (chunk) => {
    if (done) return;
    // A copy: Buffers may share a pooled ArrayBuffer, which the web side may transfer.
    if (Buffer.isBuffer(chunk) && !objectMode) chunk = new Uint8Array(chunk);
    controller.enqueue(chunk);
    if (controller.desiredSize <= 0) streamReadable.pause();
  };
  const cleanup = Stream.finished(streamReadable, (error) => {
    cleanup();
    // A legacy stream may emit 'error' again after it finished: nothing must go uncaught.
    streamReadable.on('error', () => {});
    if (done) return;
    done = true;
    if (error) controller.error(webError(error));
    else controller.close();
  });
  streamReadable.on('data', onData);
  return new ReadableStream({
    start(c) { controller = c; },
    pull() { streamReadable.resume(); },
    cancel(reason) {
      done = true;
      Stream.destroy(streamReadable, reason);
    },
  }, strategy);
}

/** A Node Readable of what the web ReadableStream `readableStream` gives. */
export function readableFromWeb(Stream, readableStream, options = {}) {
  if (!(readableStream instanceof ReadableStream)) throw invalidArgType('readableStream', 'ReadableStream', readableStream);
  checkOptions(options);
  const { highWaterMark, encoding, objectMode = false, signal } = options;
  if (encoding !== undefined && !Buffer.isEncoding(encoding)) throw invalidArgValue('options.encoding', encoding);
  if (typeof objectMode !== 'boolean') throw invalidArgType('options.objectMode', 'boolean', objectMode);
  const reader = readableStream.getReader();
  let closed = false;
  const readable = new Stream.Readable({
    objectMode,
    highWaterMark,
    encoding,
    signal,
    read() { readInto(Stream, reader, readable); },
    destroy(error, callback) {
      const finish = settle(callback, error);
      if (!closed) reader.cancel(error).then(finish, finish);
      else finish();
    },
  });
  reader.closed.then(() => { closed = true; }, (error) => {
    closed = true;
    Stream.destroy(readable, error);
  });
  return readable;
}

/** A web WritableStream writing into the Node Writable `streamWritable`. */
export function writableToWeb(Stream, streamWritable) {
  if (!isNodeWritable(streamWritable)) throw invalidArgType('streamWritable', 'stream.Writable', streamWritable);
  if (!stillWritable(streamWritable)) {
    const writable = new WritableStream();
    writable.close();
    return writable;
  }
  const highWaterMark = streamWritable.writableHighWaterMark;
  const strategy = streamWritable.writableObjectMode ? new CountQueuingStrategy({ highWaterMark }) : { highWaterMark };
  let controller;
  let backpressure;
  let closing;

  const onDrain = () => backpressure?.resolve();
  const cleanup = Stream.finished(streamWritable, (error) => {
    cleanup();
    streamWritable.on('error', () => {});
    if (error != null) {
      error = webError(error);
      backpressure?.reject(error);
      if (closing !== undefined) {
        closing.reject(error);
        closing = undefined;
      }
      controller?.error(error);
      controller = undefined;
      return;
    }
    if (closing !== undefined) {
      closing.resolve();
      closing = undefined;
      return;
    }
    // Finished without our close(): ended or destroyed from the Node side.
    controller?.error(abortError());
    controller = undefined;
  });
  streamWritable.on('drain', onDrain);
  return new WritableStream({
    start(c) { controller = c; },
    write(chunk) {
      if (streamWritable.writableNeedDrain || !streamWritable.write(chunk)) {
        backpressure = deferred();
        return backpressure.promise.finally(() => { backpressure = undefined; });
      }
      return undefined;
    },
    abort(reason) { Stream.destroy(streamWritable, reason); },
    close() {
      if (closing === undefined && !streamWritable.writableEnded) {
        closing = deferred();
        streamWritable.end();
        return closing.promise;
      }
      controller = undefined;
      return Promise.resolve();
    },
  }, strategy);
}

// The write and end of a Node Writable over a web writer (Writable.fromWeb, Duplex.fromWeb).
function writerMethods(Stream, writer, objectMode, decodeStrings, self, isClosed) {
  return {
    write(chunk, encoding, callback) {
      if (typeof chunk === 'string' && decodeStrings && !objectMode) {
        chunk = Buffer.from(chunk, encoding);
        chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      const finish = (error) => {
        try {
          callback(error);
        } catch (err) {
          Stream.destroy(self(), err);
        }
      };
      writer.ready.then(() => writer.write(chunk).then(finish, finish), finish);
    },
    final(callback) {
      const finish = (error) => {
        try {
          callback(error);
        } catch (err) {
          process.nextTick(() => Stream.destroy(self(), err));
        }
      };
      if (!isClosed()) writer.close().then(finish, finish);
    },
  };
}

/** A Node Writable writing into the web WritableStream `writableStream`. */
export function writableFromWeb(Stream, writableStream, options = {}) {
  if (!(writableStream instanceof WritableStream)) throw invalidArgType('writableStream', 'WritableStream', writableStream);
  checkOptions(options);
  const { highWaterMark, decodeStrings = true, objectMode = false, signal } = options;
  if (typeof objectMode !== 'boolean') throw invalidArgType('options.objectMode', 'boolean', objectMode);
  if (typeof decodeStrings !== 'boolean') throw invalidArgType('options.decodeStrings', 'boolean', decodeStrings);
  const writer = writableStream.getWriter();
  let closed = false;
  const writable = new Stream.Writable({
    highWaterMark,
    objectMode,
    decodeStrings,
    signal,
    ...writerMethods(Stream, writer, objectMode, decodeStrings, () => writable, () => closed),
    destroy(error, callback) {
      const finish = settle(callback, error);
      if (closed) finish();
      else if (error != null) writer.abort(error).then(finish, finish);
      else writer.close().then(finish, finish);
    },
  });
  writer.closed.then(() => { closed = true; }, (error) => {
    closed = true;
    Stream.destroy(writable, error);
  });
  return writable;
}

/** { readable, writable }: the web streams of a Node Duplex's two sides. */
export function duplexToWeb(Stream, duplex) {
  if (!isNodeReadable(duplex) || !isNodeWritable(duplex)) throw invalidArgType('duplex', 'stream.Duplex', duplex);
  let writable;
  if (stillWritable(duplex)) {
    writable = writableToWeb(Stream, duplex);
  } else {
    writable = new WritableStream();
    writable.close();
  }
  let readable;
  if (stillReadable(duplex)) {
    readable = readableToWeb(Stream, duplex);
  } else {
    readable = new ReadableStream();
    readable.cancel();
  }
  return { readable, writable };
}

/** A Node Duplex reading from `pair.readable` and writing into `pair.writable` (web streams). */
export function duplexFromWeb(Stream, pair, options = {}) {
  if (pair === null || typeof pair !== 'object') throw invalidArgType('pair', 'ReadableWritablePair', pair);
  if (!(pair.readable instanceof ReadableStream)) throw invalidArgType('pair.readable', 'ReadableStream', pair.readable);
  if (!(pair.writable instanceof WritableStream)) throw invalidArgType('pair.writable', 'WritableStream', pair.writable);
  checkOptions(options);
  const { allowHalfOpen = false, objectMode = false, encoding, decodeStrings = true, highWaterMark, signal } = options;
  if (encoding !== undefined && !Buffer.isEncoding(encoding)) throw invalidArgValue('options.encoding', encoding);
  if (typeof objectMode !== 'boolean') throw invalidArgType('options.objectMode', 'boolean', objectMode);
  const writer = pair.writable.getWriter();
  const reader = pair.readable.getReader();
  let writableClosed = false;
  let readableClosed = false;
  const duplex = new Stream.Duplex({
    allowHalfOpen,
    highWaterMark,
    objectMode,
    encoding,
    decodeStrings,
    signal,
    ...writerMethods(Stream, writer, objectMode, decodeStrings, () => duplex, () => writableClosed),
    read() { readInto(Stream, reader, duplex); },
    destroy(error, callback) {
      const finish = settle(callback, error);
      const closing = [];
      if (!writableClosed) closing.push(error != null ? writer.abort(error) : writer.close());
      if (!readableClosed) closing.push(reader.cancel(error));
      if (closing.length === 0) finish();
      else Promise.all(closing).then(finish, finish);
    },
  });
  writer.closed.then(() => {
    writableClosed = true;
    // Closed from the web side before this side ended: a premature close.
    if (!duplex.writableEnded) {
      Stream.destroy(duplex, codedError(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close'));
    }
  }, (error) => {
    writableClosed = true;
    readableClosed = true;
    Stream.destroy(duplex, error);
  });
  reader.closed.then(() => { readableClosed = true; }, (error) => {
    writableClosed = true;
    readableClosed = true;
    Stream.destroy(duplex, error);
  });
  return duplex;
}
