// node:_stream_duplex: the old module name of stream.Duplex, which Node keeps.
import { Duplex } from './stream.js';

export default Duplex;
