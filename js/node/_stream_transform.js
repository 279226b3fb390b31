// node:_stream_transform: the old module name of stream.Transform, which Node keeps.
import { Transform } from './stream.js';

export default Transform;
