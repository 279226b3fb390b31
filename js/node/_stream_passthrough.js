// node:_stream_passthrough: the old module name of stream.PassThrough, which Node keeps.
import { PassThrough } from './stream.js';

export default PassThrough;
