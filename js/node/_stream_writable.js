// node:_stream_writable: the old module name of stream.Writable, which Node keeps.
import { Writable } from './stream.js';

export default Writable;
