// fs.ReadStream and fs.WriteStream: Node's file streams over node:stream (readable-stream,
// Node's own stream code) and the app's namespace. Options as Node's: flags, mode, fd (a
// descriptor number or a FileHandle), start, end (inclusive), highWaterMark, encoding,
// autoClose, emitClose. Events: open(fd), ready, then the stream's own; close after.
import { Readable, Writable } from '../stream.js';
import { Buffer } from '../buffer.js';
import { open, encodingOf } from './promises.js';
import { handleOf } from '../../services/vfs/namespace.js';

const READ_HWM = 64 * 1024; // Node's default for file read streams

function rangeError(name, value) {
  const err = new RangeError(`The value of "${name}" is out of range. Received ${String(value)}`);
  err.code = 'ERR_OUT_OF_RANGE';
  return err;
}

function optionsOf(options) {
  if (typeof options === 'string') return { encoding: options };
  return options === null || options === undefined ? {} : { ...options };
}

function checkPosition(name, value) {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw rangeError(name, value);
}

// The open file behind a stream's `fd` option: a FileHandle, or one found by its number.
function handleFrom(fd, syscall) {
  return typeof fd === 'number' ? handleOf(fd, syscall) : fd;
}

// Opens the stream's file (unless it was given one), then 'open' and 'ready', as Node's.
function construct(stream, given, keep, callback) {
  if (given) { stream.pending = false; callback(); return; }
  open(stream.path, stream.flags, stream.mode).then((h) => {
    keep(h);
    stream.fd = h.fd;
    stream.pending = false;
    callback();
    stream.emit('open', h.fd);
    stream.emit('ready');
  }, callback);
}

// Closes `handle` (when the stream owns it) before the stream's destruction completes.
function closeAfter(handle, err, callback) {
  if (!handle || handle.closed) { callback(err); return; }
  handle.close().then(() => callback(err), (e) => callback(err || e));
}

export class ReadStream extends Readable {
  #handle = null;
  #end;
  #pos;

  constructor(path, options) {
    encodingOf(options);
    const o = optionsOf(options);
    checkPosition('start', o.start);
    if (o.end !== undefined && o.end !== Infinity) checkPosition('end', o.end);
    if (o.start !== undefined && o.end !== undefined && o.start > o.end) throw rangeError('start', `${o.start} (more than end ${o.end})`);
    super({ highWaterMark: o.highWaterMark ?? READ_HWM, encoding: o.encoding, emitClose: o.emitClose ?? true,
      autoDestroy: o.autoClose ?? true, signal: o.signal });
    this.path = o.fd === undefined ? path : undefined;
    this.fd = o.fd === undefined ? null : (typeof o.fd === 'number' ? o.fd : o.fd.fd);
    this.flags = o.flags ?? 'r';
    this.mode = o.mode ?? 0o666;
    this.start = o.start;
    this.end = o.end ?? Infinity;
    this.autoClose = o.autoClose ?? true;
    this.bytesRead = 0;
    this.pending = true;
    this.#pos = o.start;
    this.#end = this.end;
    if (o.fd !== undefined) this.#handle = handleFrom(o.fd, 'read');
  }

  _construct(callback) {
    construct(this, this.#handle, (h) => { this.#handle = h; }, callback);
  }

  _read(n) {
    const left = this.#end === Infinity ? n : Math.min(n, this.#end - (this.#pos ?? 0) - this.bytesRead + 1);
    if (left <= 0) { this.push(null); return; }
    const at = this.#pos === undefined ? null : this.#pos + this.bytesRead;
    const buf = Buffer.allocUnsafe(left);
    this.#handle.read(buf, 0, left, at).then(({ bytesRead }) => {
      this.bytesRead += bytesRead;
      this.push(bytesRead > 0 ? buf.subarray(0, bytesRead) : null);
    }, (err) => this.destroy(err));
  }

  _destroy(err, callback) {
    closeAfter(this.autoClose ? this.#handle : null, err, callback);
  }

  /** Closes the file (Node's readStream.close(cb)). */
  close(callback) {
    if (typeof callback === 'function') this.once('close', callback);
    this.destroy();
  }
}

export class WriteStream extends Writable {
  #handle = null;
  #pos;

  constructor(path, options) {
    encodingOf(options);
    const o = optionsOf(options);
    checkPosition('start', o.start);
    super({ highWaterMark: o.highWaterMark, decodeStrings: true, defaultEncoding: o.encoding ?? 'utf8',
      emitClose: o.emitClose ?? true, autoDestroy: o.autoClose ?? true, signal: o.signal });
    this.path = o.fd === undefined ? path : undefined;
    this.fd = o.fd === undefined ? null : (typeof o.fd === 'number' ? o.fd : o.fd.fd);
    this.flags = o.flags ?? 'w';
    this.mode = o.mode ?? 0o666;
    this.start = o.start;
    this.autoClose = o.autoClose ?? true;
    this.bytesWritten = 0;
    this.pending = true;
    this.#pos = o.start;
    if (o.fd !== undefined) this.#handle = handleFrom(o.fd, 'write');
  }

  _construct(callback) {
    construct(this, this.#handle, (h) => { this.#handle = h; }, callback);
  }

  async #put(chunk) {
    let done = 0;
    while (done < chunk.length) {
      const at = this.#pos === undefined ? null : this.#pos + this.bytesWritten;
      const { bytesWritten } = await this.#handle.write(chunk, done, chunk.length - done, at);
      done += bytesWritten;
      this.bytesWritten += bytesWritten;
    }
  }

  _write(chunk, encoding, callback) {
    this.#put(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk).then(() => callback(), callback);
  }

  _writev(chunks, callback) {
    const all = Buffer.concat(chunks.map((c) => (typeof c.chunk === 'string' ? Buffer.from(c.chunk, c.encoding) : c.chunk)));
    this.#put(all).then(() => callback(), callback);
  }

  _destroy(err, callback) {
    closeAfter(this.autoClose ? this.#handle : null, err, callback);
  }

  /** Ends the stream and closes the file (Node's writeStream.close(cb)). */
  close(callback) {
    if (typeof callback === 'function') this.once('close', callback);
    if (!this.writableEnded) this.end();
    else this.destroy();
  }
}
