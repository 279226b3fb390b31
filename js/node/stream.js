// node:stream: Node's own stream implementation, from the npm package readable-stream
// (Node's lib/internal/streams published for other runtimes), embedded in the runtime.
import { requireEmbedded } from '../internal/modules/embedded.js';

const Stream = requireEmbedded('vendor/readable-stream/lib/stream.js');

export const {
  Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, addAbortSignal, compose, destroy,
  isDisturbed, isErrored, isReadable, promises,
} = Stream;
export { Stream };
export default Stream;
