// npm's readable-stream (Node's lib/internal/streams for other runtimes), embedded, loaded
// once for node:stream and the runtime's own streams, with two corrections toward Node 20
// made before anything uses it.
import { requireEmbedded } from './modules/embedded.js';

let Stream = null;

/** readable-stream's module.exports (the Stream function with Readable, Writable...). */
export function loadStreams() {
  if (Stream !== null) return Stream;
  // readable-stream 4 calls ERR_MULTIPLE_CALLBACK without `new` when a stream's _final calls
  // back twice (internal/streams/writable.js), which its error classes refuse, so the stream
  // failed with a TypeError instead. The stream files take the class from the errors module
  // as they load: a constructor callable either way is put there first.
  const errors = requireEmbedded('vendor/readable-stream/lib/ours/errors.js');
  const MultipleCallback = errors.codes.ERR_MULTIPLE_CALLBACK;
  function ERR_MULTIPLE_CALLBACK(...args) { return new MultipleCallback(...args); }
  ERR_MULTIPLE_CALLBACK.prototype = MultipleCallback.prototype;
  Object.setPrototypeOf(ERR_MULTIPLE_CALLBACK, MultipleCallback);
  errors.codes.ERR_MULTIPLE_CALLBACK = ERR_MULTIPLE_CALLBACK;

  Stream = requireEmbedded('vendor/readable-stream/lib/stream.js');

  // end(cb): Node 20 calls cb with null once the stream has finished; readable-stream with
  // no argument. An end() on a stream already finished (cb(undefined) in both) is left as is.
  const writableEnd = Stream.Writable.prototype.end;
  function end(chunk, encoding, cb) {
    if (typeof chunk === 'function') {
      cb = chunk;
      chunk = null;
      encoding = null;
    } else if (typeof encoding === 'function') {
      cb = encoding;
      encoding = null;
    }
    if (typeof cb === 'function' && !this.writableFinished) {
      const callback = cb;
      cb = (err) => callback(err === undefined ? null : err);
    }
    return Reflect.apply(writableEnd, this, [chunk, encoding, cb]);
  }
  for (const Class of [Stream.Writable, Stream.Duplex]) {
    if (Class.prototype.end === writableEnd) Class.prototype.end = end;
  }

  // eventNames(): Node's stream constructors seed _events with their common events
  // (lib/internal/streams/readable.js, writable.js, duplex.js), so those come first, in the
  // seed's order, whenever they have listeners; readable-stream seeds nothing, so it listed
  // them in the order they were first listened to.
  const inheritedEventNames = Stream.Readable.prototype.eventNames;
  const seeds = [
    [Stream.Readable, ['close', 'error', 'data', 'end', 'readable']],
    [Stream.Writable, ['close', 'error', 'prefinish', 'finish', 'drain']],
    [Stream.Duplex, ['close', 'error', 'prefinish', 'finish', 'drain', 'data', 'end', 'readable']],
  ];
  for (const [Class, seeded] of seeds) {
    Object.defineProperty(Class.prototype, 'eventNames', {
      value: function eventNames() {
        const names = Reflect.apply(inheritedEventNames, this, []);
        return [...seeded.filter((name) => names.includes(name)), ...names.filter((name) => !seeded.includes(name))];
      },
      writable: true,
      configurable: true,
    });
  }
  return Stream;
}
