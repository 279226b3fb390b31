// node:_stream_readable: the old module name of stream.Readable, which Node keeps.
import { Readable } from './stream.js';

export default Readable;
