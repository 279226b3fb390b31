// node:stream/promises: pipeline and finished returning promises.
import Stream from '../stream.js';

export const { pipeline, finished } = Stream.promises;
export default Stream.promises;
