// WHATWG Streams (streams.spec.whatwg.org): ReadableStream (default and byte streams, default
// and BYOB readers, tee, pipeTo, pipeThrough, async iteration, ReadableStream.from),
// WritableStream, TransformStream and the two queuing strategies. The implementation is
// web-streams-polyfill, the standard's reference implementation made a library (npm,
// installed by scripts/setup, embedded as rtjs:vendor/web-streams-polyfill.js): it follows
// the standard's algorithms step by step, which a smaller one of our own did not (WPT's
// streams/ directory: 576 of 982 subtests against Node's 974).
import streams from 'rtjs:vendor/web-streams-polyfill.js';
import { customInspectSymbol } from './inspect.js';

export const {
  ReadableStream, ReadableStreamDefaultReader, ReadableStreamBYOBReader, ReadableStreamBYOBRequest,
  ReadableStreamDefaultController, ReadableByteStreamController, WritableStream, WritableStreamDefaultWriter,
  WritableStreamDefaultController, TransformStream, TransformStreamDefaultController, CountQueuingStrategy,
  ByteLengthQueuingStrategy,
} = streams;

// The library keeps a stream's state in underscore properties; shown as Node shows a stream
// (its public state), not as those internals.
const SHOWN = {
  ReadableStream: (s) => ({ locked: s.locked, state: s._state, supportsBYOB: s._readableStreamController instanceof ReadableByteStreamController }),
  WritableStream: (s) => ({ locked: s.locked, state: s._state }),
  TransformStream: (s) => ({ readable: s.readable, writable: s.writable, backpressure: s._backpressure }),
};
for (const [name, shown] of Object.entries(SHOWN)) {
  Object.defineProperty(streams[name].prototype, customInspectSymbol, {
    value(depth, options, inspect) {
      return `${name} ${inspect(shown(this), { ...options, depth: options.depth === null ? null : options.depth - 1 })}`;
    },
    configurable: true,
    writable: true,
  });
}
