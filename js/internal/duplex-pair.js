// stream.duplexPair() (Node 20.17+): two Duplex streams joined back to back, what one side
// writes the other reads, as the two ends of a connection. A write completes when the
// other side asks for more (its _read), so the writer feels the reader's backpressure.
import { loadStreams } from './readable-stream.js';
import process from '../node/process.js';

const { Duplex } = loadStreams();

let link; // joins two sides (module-private)

class DuplexSide extends Duplex {
  #other = null;
  #pendingWrite = null; // the callback of the write the other side has not read yet

  _read() {
    const callback = this.#other.#pendingWrite;
    if (callback) {
      this.#other.#pendingWrite = null;
      callback();
    }
  }

  _write(chunk, encoding, callback) {
    if (chunk.length === 0) {
      // An empty push would ask for no read, so nothing would complete this write.
      process.nextTick(callback);
      return;
    }
    this.#pendingWrite = callback;
    this.#other.push(chunk);
  }

  _final(callback) {
    this.#other.on('end', callback);
    this.#other.push(null);
  }

  static {
    link = (a, b) => {
      a.#other = b;
      b.#other = a;
    };
  }
}

/** Two connected Duplex streams, each with `options`. */
export function duplexPair(options) {
  const a = new DuplexSide(options);
  const b = new DuplexSide(options);
  link(a, b);
  return [a, b];
}
