'use strict';
// `common/arraystream` for Node's tests: a legacy Stream that is readable and writable, whose
// run(lines) emits each line (with its LF) as 'data', and whose write/pause/resume do nothing.
// Tests give it to readline and the REPL as input or output.
const Stream = require('stream');

class ArrayStream extends Stream {
  run(lines) {
    for (const line of lines) this.emit('data', `${line}\n`);
  }
  pause() {}
  resume() {}
  write() {}
}
ArrayStream.prototype.readable = true;
ArrayStream.prototype.writable = true;

module.exports = ArrayStream;
