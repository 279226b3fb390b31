// WHATWG Streams: ReadableStream (default readers, a simple BYOB reader for byte streams,
// tee, pipeTo, pipeThrough, async iteration, ReadableStream.from), WritableStream (writers,
// backpressure, abort), TransformStream, and the two queuing strategies. The algorithms
// follow the Streams Standard's; the state lives in #private fields.
const TypeErrorCtor = TypeError;
const RangeErrorCtor = RangeError;
const PromiseCtor = Promise;
const PromiseResolve = Promise.resolve.bind(Promise);
const PromiseReject = Promise.reject.bind(Promise);
const ObjectDefineProperty = Object.defineProperty;
const SymbolAsyncIterator = Symbol.asyncIterator;
const SymbolIterator = Symbol.iterator;
const ArrayBufferIsView = ArrayBuffer.isView;
const Uint8ArrayCtor = Uint8Array;
const NumberIsNaN = Number.isNaN;

function deferred() {
  let resolve, reject;
  const promise = new PromiseCtor((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => {}); // settled states are observed through the API, never unhandled
  return { promise, resolve, reject };
}

function method(obj, name, what) {
  const m = obj?.[name];
  if (m === undefined || m === null) return undefined;
  if (typeof m !== 'function') throw new TypeErrorCtor(`${what}.${name} must be a function`);
  return m;
}

// Calls an optional underlying source/sink method; its result as a promise.
function promiseCall(fn, thisArg, args) {
  if (fn === undefined) return PromiseResolve(undefined);
  try {
    return PromiseResolve(Reflect.apply(fn, thisArg, args));
  } catch (e) {
    return PromiseReject(e);
  }
}

function extractStrategy(strategy, defaultHwm) {
  const hwm = strategy?.highWaterMark === undefined ? defaultHwm : +strategy.highWaterMark;
  if (NumberIsNaN(hwm) || hwm < 0) throw new RangeErrorCtor('highWaterMark must be a non-negative number');
  const size = strategy?.size;
  if (size !== undefined && typeof size !== 'function') throw new TypeErrorCtor('strategy.size must be a function');
  return { hwm, size: size === undefined ? () => 1 : size };
}

// ---- queuing strategies ----------------------------------------------------------------

export class CountQueuingStrategy {
  #hwm;
  constructor(init) {
    if (init === null || typeof init !== 'object' || init.highWaterMark === undefined) {
      throw new TypeErrorCtor('CountQueuingStrategy needs { highWaterMark }');
    }
    this.#hwm = +init.highWaterMark;
  }
  get highWaterMark() { return this.#hwm; }
  get size() { return function size() { return 1; }; }
}

export class ByteLengthQueuingStrategy {
  #hwm;
  constructor(init) {
    if (init === null || typeof init !== 'object' || init.highWaterMark === undefined) {
      throw new TypeErrorCtor('ByteLengthQueuingStrategy needs { highWaterMark }');
    }
    this.#hwm = +init.highWaterMark;
  }
  get highWaterMark() { return this.#hwm; }
  get size() { return function size(chunk) { return chunk.byteLength; }; }
}

// ---- ReadableStream ----------------------------------------------------------------------

const CONSTRUCT = Symbol('streams');
let readable; // internal access to a ReadableStream's state, for readers and controllers

export class ReadableStreamDefaultController {
  #stream;
  constructor(key, stream) {
    if (key !== CONSTRUCT) throw new TypeErrorCtor('Illegal constructor');
    this.#stream = stream;
  }
  get desiredSize() { return readable(this.#stream).desiredSize(); }
  enqueue(chunk) { readable(this.#stream).enqueue(chunk); }
  close() { readable(this.#stream).closeRequest(); }
  error(e) { readable(this.#stream).error(e); }
}
export { ReadableStreamDefaultController as ReadableByteStreamController };

export class ReadableStreamDefaultReader {
  #stream;
  #closed = deferred();
  constructor(stream, key = undefined) {
    if (!(stream instanceof ReadableStream)) throw new TypeErrorCtor('ReadableStreamDefaultReader needs a ReadableStream');
    readable(stream).attach(this, this.#closed);
    this.#stream = stream;
    void key;
  }
  get closed() { return this.#closed.promise; }
  read() {
    if (!this.#stream) return PromiseReject(new TypeErrorCtor('The reader was released'));
    return readable(this.#stream).read();
  }
  cancel(reason = undefined) {
    if (!this.#stream) return PromiseReject(new TypeErrorCtor('The reader was released'));
    return readable(this.#stream).cancel(reason);
  }
  releaseLock() {
    if (!this.#stream) return;
    readable(this.#stream).detach(this, this.#closed);
    this.#stream = null;
    this.#closed = deferred();
    this.#closed.reject(new TypeErrorCtor('The reader was released'));
  }
}

export class ReadableStreamBYOBReader {
  #reader;
  constructor(stream) {
    if (!(stream instanceof ReadableStream)) throw new TypeErrorCtor('ReadableStreamBYOBReader needs a ReadableStream');
    if (!readable(stream).isBytes) throw new TypeErrorCtor('A BYOB reader needs a byte stream (type: "bytes")');
    this.#reader = new ReadableStreamDefaultReader(stream);
    this.pending = null;
  }
  get closed() { return this.#reader.closed; }
  // Copies the next bytes into `view`; what does not fit waits for the next read.
  async read(view) {
    if (!ArrayBufferIsView(view) || view.byteLength === 0) throw new TypeErrorCtor('read(view) needs a non-empty ArrayBufferView');
    let chunk = this.pending;
    this.pending = null;
    if (chunk === null) {
      const r = await this.#reader.read();
      if (r.done) return { value: new view.constructor(view.buffer, view.byteOffset, 0), done: true };
      chunk = new Uint8ArrayCtor(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    }
    const target = new Uint8ArrayCtor(view.buffer, view.byteOffset, view.byteLength);
    const n = Math.min(target.length, chunk.length);
    target.set(chunk.subarray(0, n));
    if (n < chunk.length) this.pending = chunk.subarray(n);
    const elem = view.BYTES_PER_ELEMENT ?? 1;
    return { value: new view.constructor(view.buffer, view.byteOffset, Math.floor(n / elem)), done: false };
  }
  cancel(reason = undefined) { return this.#reader.cancel(reason); }
  releaseLock() { this.#reader.releaseLock(); }
}

class ReadableState {
  constructor(stream, source, strategy, isBytes) {
    this.stream = stream;
    this.state = 'readable';
    this.queue = [];
    this.queueSize = 0;
    this.started = false;
    this.pulling = false;
    this.pullAgain = false;
    this.closeRequested = false;
    this.storedError = undefined;
    this.disturbed = false;
    this.reader = null;
    this.readerClosed = null;
    this.readRequests = [];
    this.isBytes = isBytes;
    this.source = source;
    this.hwm = strategy.hwm;
    this.size = strategy.size;
    this.pull = method(source, 'pull', 'source');
    this.cancelFn = method(source, 'cancel', 'source');
  }

  desiredSize() {
    if (this.state === 'errored') return null;
    if (this.state === 'closed') return 0;
    return this.hwm - this.queueSize;
  }

  attach(reader, closed) {
    if (this.reader !== null) throw new TypeErrorCtor('The stream is locked to another reader');
    this.reader = reader;
    this.readerClosed = closed;
    if (this.state === 'closed') closed.resolve(undefined);
    else if (this.state === 'errored') closed.reject(this.storedError);
  }

  detach(reader) {
    if (this.reader !== reader) return;
    for (const r of this.readRequests) r.reject(new TypeErrorCtor('The reader was released'));
    this.readRequests = [];
    this.reader = null;
    this.readerClosed = null;
  }

  enqueue(chunk) {
    if (this.closeRequested || this.state !== 'readable') throw new TypeErrorCtor('The stream is closed or errored: cannot enqueue');
    if (this.isBytes && !ArrayBufferIsView(chunk)) throw new TypeErrorCtor('A byte stream takes ArrayBufferViews');
    if (this.readRequests.length > 0) {
      this.readRequests.shift().resolve({ value: chunk, done: false });
    } else {
      let size;
      try {
        size = this.isBytes ? chunk.byteLength : +this.size(chunk);
        if (NumberIsNaN(size) || size < 0 || size === Infinity) throw new RangeErrorCtor('The chunk size must be a finite non-negative number');
      } catch (e) {
        this.error(e);
        throw e;
      }
      this.queue.push({ chunk, size });
      this.queueSize += size;
    }
    this.callPullIfNeeded();
  }

  closeRequest() {
    if (this.closeRequested || this.state !== 'readable') throw new TypeErrorCtor('The stream is already closing or closed');
    this.closeRequested = true;
    if (this.queue.length === 0) this.close();
  }

  close() {
    this.state = 'closed';
    for (const r of this.readRequests) r.resolve({ value: undefined, done: true });
    this.readRequests = [];
    if (this.readerClosed) this.readerClosed.resolve(undefined);
  }

  error(e) {
    if (this.state !== 'readable') return;
    this.state = 'errored';
    this.storedError = e;
    this.queue = [];
    this.queueSize = 0;
    for (const r of this.readRequests) r.reject(e);
    this.readRequests = [];
    if (this.readerClosed) this.readerClosed.reject(e);
  }

  read() {
    this.disturbed = true;
    if (this.state === 'closed') return PromiseResolve({ value: undefined, done: true });
    if (this.state === 'errored') return PromiseReject(this.storedError);
    if (this.queue.length > 0) {
      const { chunk, size } = this.queue.shift();
      this.queueSize -= size;
      if (this.queueSize < 0) this.queueSize = 0;
      if (this.closeRequested && this.queue.length === 0) this.close();
      else this.callPullIfNeeded();
      return PromiseResolve({ value: chunk, done: false });
    }
    const d = deferred();
    this.readRequests.push(d);
    this.callPullIfNeeded();
    return d.promise;
  }

  cancel(reason) {
    this.disturbed = true;
    if (this.state === 'closed') return PromiseResolve(undefined);
    if (this.state === 'errored') return PromiseReject(this.storedError);
    this.queue = [];
    this.queueSize = 0;
    this.close();
    return promiseCall(this.cancelFn, this.source, [reason]).then(() => undefined);
  }

  callPullIfNeeded() {
    if (!this.started || this.state !== 'readable' || this.closeRequested) return;
    if (this.readRequests.length === 0 && this.desiredSize() <= 0) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = true;
    promiseCall(this.pull, this.source, [this.controller]).then(() => {
      this.pulling = false;
      if (this.pullAgain) {
        this.pullAgain = false;
        this.callPullIfNeeded();
      }
    }, (e) => this.error(e));
  }
}

export class ReadableStream {
  #s;

  constructor(source = undefined, strategy = undefined) {
    if (source === null) throw new TypeErrorCtor('The underlying source cannot be null');
    const type = source?.type === undefined ? undefined : `${source.type}`;
    if (type !== undefined && type !== 'bytes') throw new RangeErrorCtor(`Invalid stream type '${type}'`);
    const isBytes = type === 'bytes';
    const s = new ReadableState(this, source ?? {}, extractStrategy(strategy, isBytes ? 0 : 1), isBytes);
    this.#s = s;
    s.controller = new ReadableStreamDefaultController(CONSTRUCT, this);
    const start = method(source, 'start', 'source');
    let started;
    try {
      started = PromiseResolve(start === undefined ? undefined : Reflect.apply(start, source, [s.controller]));
    } catch (e) {
      throw e;
    }
    started.then(() => {
      s.started = true;
      s.callPullIfNeeded();
    }, (e) => s.error(e));
  }

  static {
    readable = (stream) => {
      if (stream === null || typeof stream !== 'object' || !(#s in stream)) throw new TypeErrorCtor('Illegal invocation: not a ReadableStream');
      return stream.#s;
    };
  }

  static from(iterable) {
    const asyncIt = iterable?.[SymbolAsyncIterator];
    const syncIt = iterable?.[SymbolIterator];
    if (typeof asyncIt !== 'function' && typeof syncIt !== 'function') throw new TypeErrorCtor('ReadableStream.from needs an iterable');
    const it = typeof asyncIt === 'function' ? Reflect.apply(asyncIt, iterable, []) : Reflect.apply(syncIt, iterable, []);
    return new ReadableStream({
      async pull(controller) {
        const r = await it.next();
        if (r.done) controller.close();
        else controller.enqueue(await r.value);
      },
      async cancel(reason) { if (typeof it.return === 'function') await it.return(reason); },
    }, { highWaterMark: 0 });
  }

  get locked() { return readable(this).reader !== null; }

  cancel(reason = undefined) {
    const s = readable(this);
    if (s.reader !== null) return PromiseReject(new TypeErrorCtor('The stream is locked to a reader'));
    return s.cancel(reason);
  }

  getReader(options = undefined) {
    readable(this);
    const mode = options?.mode;
    if (mode === undefined) return new ReadableStreamDefaultReader(this);
    if (`${mode}` === 'byob') return new ReadableStreamBYOBReader(this);
    throw new TypeErrorCtor(`Invalid reader mode '${mode}'`);
  }

  tee() {
    const reader = this.getReader();
    let canceled1 = false, canceled2 = false, reason1, reason2, reading = false;
    const cancelDone = deferred();
    let c1, c2;
    const pull = () => {
      if (reading) return PromiseResolve();
      reading = true;
      return reader.read().then(({ value, done }) => {
        reading = false;
        if (done) {
          if (!canceled1) c1.close();
          if (!canceled2) c2.close();
          cancelDone.resolve(undefined);
          return;
        }
        if (!canceled1) c1.enqueue(value);
        if (!canceled2) c2.enqueue(this.#s.isBytes ? value.slice() : value);
      }, (e) => { c1.error(e); c2.error(e); cancelDone.resolve(undefined); });
    };
    const cancelBoth = () => {
      reader.cancel([reason1, reason2]).then(cancelDone.resolve, cancelDone.reject);
    };
    const type = this.#s.isBytes ? 'bytes' : undefined;
    const b1 = new ReadableStream({ type, start(c) { c1 = c; }, pull,
      cancel(r) { canceled1 = true; reason1 = r; if (canceled2) cancelBoth(); return cancelDone.promise; } });
    const b2 = new ReadableStream({ type, start(c) { c2 = c; }, pull,
      cancel(r) { canceled2 = true; reason2 = r; if (canceled1) cancelBoth(); return cancelDone.promise; } });
    reader.closed.catch((e) => { c1.error(e); c2.error(e); });
    return [b1, b2];
  }

  pipeTo(destination, options = undefined) {
    try {
      readable(this);
      if (!(destination instanceof WritableStream)) throw new TypeErrorCtor('pipeTo needs a WritableStream');
      if (this.locked) throw new TypeErrorCtor('The source stream is locked');
      if (destination.locked) throw new TypeErrorCtor('The destination stream is locked');
    } catch (e) {
      return PromiseReject(e);
    }
    const { preventClose = false, preventAbort = false, preventCancel = false, signal } = options ?? {};
    const reader = this.getReader();
    const writer = destination.getWriter();
    return new PromiseCtor((resolve, reject) => {
      let done = false;
      const finish = (error, isError) => {
        if (done) return;
        done = true;
        if (signal) signal.removeEventListener('abort', onAbort);
        writer.releaseLock();
        reader.releaseLock();
        if (isError) reject(error); else resolve(undefined);
      };
      const onAbort = () => {
        const reason = signal.reason;
        const actions = [];
        if (!preventAbort) actions.push(writer.abort(reason).catch(() => {}));
        if (!preventCancel) actions.push(reader.cancel(reason).catch(() => {}));
        PromiseCtor.all(actions).then(() => finish(reason, true));
      };
      if (signal) {
        if (signal.aborted) { onAbort(); return; }
        signal.addEventListener('abort', onAbort);
      }
      writer.closed.catch((e) => {
        if (done) return;
        if (!preventCancel) reader.cancel(e).catch(() => {});
        finish(e, true);
      });
      const step = () => {
        if (done) return;
        writer.ready.then(() => reader.read()).then(({ value, done: end }) => {
          if (done) return;
          if (end) {
            if (preventClose) finish(undefined, false);
            else writer.close().then(() => finish(undefined, false), (e) => finish(e, true));
            return;
          }
          writer.write(value).catch(() => {});
          step();
        }, (e) => {
          if (done) return;
          if (!preventAbort) writer.abort(e).catch(() => {});
          finish(e, true);
        });
      };
      step();
    });
  }

  pipeThrough(transform, options = undefined) {
    readable(this);
    const { writable, readable: out } = transform ?? {};
    if (!(writable instanceof WritableStream) || !(out instanceof ReadableStream)) {
      throw new TypeErrorCtor('pipeThrough needs { writable, readable }');
    }
    if (this.locked) throw new TypeErrorCtor('The source stream is locked');
    if (writable.locked) throw new TypeErrorCtor('The writable side is locked');
    this.pipeTo(writable, options).catch(() => {});
    return out;
  }

  values(options = undefined) {
    const reader = this.getReader();
    const preventCancel = !!options?.preventCancel;
    let finished = false;
    return {
      async next() {
        if (finished) return { value: undefined, done: true };
        try {
          const r = await reader.read();
          if (r.done) { finished = true; reader.releaseLock(); }
          return r;
        } catch (e) {
          finished = true;
          reader.releaseLock();
          throw e;
        }
      },
      async return(value) {
        if (!finished) {
          finished = true;
          if (!preventCancel) await reader.cancel(value);
          reader.releaseLock();
        }
        return { value, done: true };
      },
      [SymbolAsyncIterator]() { return this; },
    };
  }

  [SymbolAsyncIterator](options = undefined) { return this.values(options); }
}

// ---- WritableStream ------------------------------------------------------------------------

let writable;

export class WritableStreamDefaultController {
  #stream;
  #abort = new AbortController();
  constructor(key, stream) {
    if (key !== CONSTRUCT) throw new TypeErrorCtor('Illegal constructor');
    this.#stream = stream;
  }
  get signal() { return this.#abort.signal; }
  error(e = undefined) { writable(this.#stream).errorIfNeeded(e); }
  abortSignal(reason) { this.#abort.abort(reason); }
}

class WritableState {
  constructor(stream, sink, strategy) {
    this.stream = stream;
    this.state = 'writable';
    this.storedError = undefined;
    this.queue = []; // { chunk, size, done } or { close: true, done }
    this.queueSize = 0;
    this.inFlight = false;
    this.started = false;
    this.closeRequested = false;
    this.writer = null;
    this.sink = sink;
    this.hwm = strategy.hwm;
    this.size = strategy.size;
    this.writeFn = method(sink, 'write', 'sink');
    this.closeFn = method(sink, 'close', 'sink');
    this.abortFn = method(sink, 'abort', 'sink');
    this.ready = deferred();
    this.ready.resolve(undefined);
    this.closed = deferred();
    this.pendingAbort = null;
  }

  desiredSize() {
    if (this.state === 'errored' || this.state === 'erroring') return null;
    if (this.state === 'closed') return 0;
    return this.hwm - this.queueSize;
  }

  updateBackpressure() {
    const pressure = this.state === 'writable' && !this.closeRequested && this.desiredSize() <= 0;
    if (pressure && this.readyResolved) {
      this.ready = deferred();
      this.readyResolved = false;
    } else if (!pressure && !this.readyResolved) {
      this.ready.resolve(undefined);
      this.readyResolved = true;
    }
  }

  write(chunk) {
    if (this.state === 'errored' || this.state === 'erroring') return PromiseReject(this.storedError);
    if (this.closeRequested || this.state === 'closed') return PromiseReject(new TypeErrorCtor('The stream is closing or closed'));
    let size;
    try {
      size = +this.size(chunk);
      if (NumberIsNaN(size) || size < 0 || size === Infinity) throw new RangeErrorCtor('The chunk size must be a finite non-negative number');
    } catch (e) {
      this.errorIfNeeded(e);
      return PromiseReject(e);
    }
    const done = deferred();
    this.queue.push({ chunk, size, done });
    this.queueSize += size;
    this.updateBackpressure();
    this.advance();
    return done.promise;
  }

  close() {
    if (this.state === 'errored' || this.state === 'erroring') return PromiseReject(this.storedError);
    if (this.closeRequested || this.state === 'closed') return PromiseReject(new TypeErrorCtor('The stream is closing or closed'));
    this.closeRequested = true;
    const done = deferred();
    this.queue.push({ close: true, done, size: 0 });
    this.updateBackpressure();
    if (!this.readyResolved) { this.ready.resolve(undefined); this.readyResolved = true; }
    this.advance();
    return done.promise;
  }

  advance() {
    if (!this.started || this.inFlight || this.queue.length === 0) return;
    if (this.state === 'erroring') { this.finishErroring(); return; }
    if (this.state !== 'writable') return;
    const item = this.queue[0];
    this.inFlight = true;
    const call = item.close ? promiseCall(this.closeFn, this.sink, []) : promiseCall(this.writeFn, this.sink, [item.chunk, this.controller]);
    call.then(() => {
      this.inFlight = false;
      this.queue.shift();
      this.queueSize -= item.size;
      if (this.queueSize < 0) this.queueSize = 0;
      item.done.resolve(undefined);
      if (item.close) {
        this.state = 'closed';
        this.closed.resolve(undefined);
        return;
      }
      this.updateBackpressure();
      this.advance();
    }, (e) => {
      this.inFlight = false;
      this.queue.shift();
      item.done.reject(e);
      this.errorIfNeeded(e);
    });
  }

  errorIfNeeded(e) {
    if (this.state !== 'writable') return;
    this.startErroring(e);
  }

  startErroring(reason) {
    this.state = 'erroring';
    this.storedError = reason;
    if (this.readyResolved) { this.ready = deferred(); this.readyResolved = false; }
    this.ready.reject(reason);
    if (!this.inFlight && this.started) this.finishErroring();
  }

  finishErroring() {
    this.state = 'errored';
    for (const item of this.queue) item.done.reject(this.storedError);
    this.queue = [];
    this.queueSize = 0;
    const abort = this.pendingAbort;
    this.pendingAbort = null;
    if (abort) {
      promiseCall(this.abortFn, this.sink, [abort.reason]).then(() => {
        abort.done.resolve(undefined);
        this.closed.reject(this.storedError);
      }, (e) => {
        abort.done.reject(e);
        this.closed.reject(this.storedError);
      });
    } else {
      this.closed.reject(this.storedError);
    }
  }

  abort(reason) {
    if (this.state === 'closed' || this.state === 'errored') return PromiseResolve(undefined);
    this.controller.abortSignal(reason);
    if (this.pendingAbort) return this.pendingAbort.done.promise;
    if (this.state === 'erroring') return PromiseResolve(undefined);
    const done = deferred();
    this.pendingAbort = { reason, done };
    this.startErroring(reason);
    return done.promise;
  }
}

export class WritableStreamDefaultWriter {
  #stream;
  constructor(stream) {
    const s = writable(stream);
    if (s.writer !== null) throw new TypeErrorCtor('The stream is locked to another writer');
    s.writer = this;
    this.#stream = stream;
  }
  #state() {
    if (!this.#stream) throw new TypeErrorCtor('The writer was released');
    return writable(this.#stream);
  }
  get closed() {
    if (!this.#stream) return PromiseReject(new TypeErrorCtor('The writer was released'));
    return writable(this.#stream).closed.promise;
  }
  get ready() {
    if (!this.#stream) return PromiseReject(new TypeErrorCtor('The writer was released'));
    return writable(this.#stream).ready.promise;
  }
  get desiredSize() { return this.#state().desiredSize(); }
  write(chunk = undefined) {
    try { return this.#state().write(chunk); } catch (e) { return PromiseReject(e); }
  }
  close() {
    try { return this.#state().close(); } catch (e) { return PromiseReject(e); }
  }
  abort(reason = undefined) {
    try { return this.#state().abort(reason); } catch (e) { return PromiseReject(e); }
  }
  releaseLock() {
    if (!this.#stream) return;
    writable(this.#stream).writer = null;
    this.#stream = null;
  }
}

export class WritableStream {
  #s;
  constructor(sink = undefined, strategy = undefined) {
    if (sink === null) throw new TypeErrorCtor('The underlying sink cannot be null');
    if (sink?.type !== undefined) throw new RangeErrorCtor('Invalid sink type');
    const s = new WritableState(this, sink ?? {}, extractStrategy(strategy, 1));
    s.readyResolved = true;
    this.#s = s;
    s.controller = new WritableStreamDefaultController(CONSTRUCT, this);
    const start = method(sink, 'start', 'sink');
    const started = PromiseResolve(start === undefined ? undefined : Reflect.apply(start, sink, [s.controller]));
    s.updateBackpressure();
    started.then(() => {
      s.started = true;
      if (s.state === 'erroring') s.finishErroring();
      else s.advance();
    }, (e) => {
      s.started = true;
      s.errorIfNeeded(e);
      if (s.state === 'erroring') s.finishErroring();
    });
  }
  static {
    writable = (stream) => {
      if (stream === null || typeof stream !== 'object' || !(#s in stream)) throw new TypeErrorCtor('Illegal invocation: not a WritableStream');
      return stream.#s;
    };
  }
  get locked() { return writable(this).writer !== null; }
  getWriter() { return new WritableStreamDefaultWriter(this); }
  abort(reason = undefined) {
    const s = writable(this);
    if (s.writer !== null) return PromiseReject(new TypeErrorCtor('The stream is locked to a writer'));
    return s.abort(reason);
  }
  close() {
    const s = writable(this);
    if (s.writer !== null) return PromiseReject(new TypeErrorCtor('The stream is locked to a writer'));
    return s.close();
  }
}

// ---- TransformStream -----------------------------------------------------------------------

export class TransformStreamDefaultController {
  #impl;
  constructor(key, impl) {
    if (key !== CONSTRUCT) throw new TypeErrorCtor('Illegal constructor');
    this.#impl = impl;
  }
  get desiredSize() { return this.#impl.readableController.desiredSize; }
  enqueue(chunk) { this.#impl.enqueue(chunk); }
  error(reason) { this.#impl.error(reason); }
  terminate() { this.#impl.terminate(); }
}

export class TransformStream {
  #readable;
  #writable;
  constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
    if (transformer?.readableType !== undefined || transformer?.writableType !== undefined) {
      throw new RangeErrorCtor('Invalid transformer type');
    }
    const t = transformer ?? {};
    const transformFn = method(t, 'transform', 'transformer');
    const flushFn = method(t, 'flush', 'transformer');
    const cancelFn = method(t, 'cancel', 'transformer');
    const impl = {};
    let backpressure = deferred();
    let underPressure = true;
    const relieve = () => { if (underPressure) { underPressure = false; backpressure.resolve(undefined); } };
    const press = () => { if (!underPressure) { underPressure = true; backpressure = deferred(); } };
    const controller = new TransformStreamDefaultController(CONSTRUCT, impl);
    let writableController;
    this.#readable = new ReadableStream({
      start(c) { impl.readableController = c; },
      pull() { relieve(); return undefined; },
      cancel(reason) {
        writableController.error(reason);
        return cancelFn ? promiseCall(cancelFn, t, [reason]) : undefined;
      },
    }, readableStrategy ?? { highWaterMark: 0 });
    impl.enqueue = (chunk) => {
      impl.readableController.enqueue(chunk);
      if (impl.readableController.desiredSize <= 0) press();
    };
    impl.error = (reason) => {
      impl.readableController.error(reason);
      writableController?.error(reason);
      relieve();
    };
    impl.terminate = () => {
      try { impl.readableController.close(); } catch { /* already closed */ }
      writableController?.error(new TypeErrorCtor('The transform stream was terminated'));
      relieve();
    };
    const start = method(t, 'start', 'transformer');
    // The transformer starts before the writable side takes writes (they wait for it).
    const startResult = start === undefined ? undefined : Reflect.apply(start, t, [controller]);
    this.#writable = new WritableStream({
      start(c) { writableController = c; return startResult; },
      // A transform or flush that fails errors both sides (TransformStreamError).
      async write(chunk) {
        await backpressure.promise;
        try {
          if (transformFn === undefined) impl.enqueue(chunk);
          else await Reflect.apply(transformFn, t, [chunk, controller]);
        } catch (e) {
          impl.readableController.error(e);
          throw e;
        }
      },
      async close() {
        try {
          if (flushFn !== undefined) await Reflect.apply(flushFn, t, [controller]);
        } catch (e) {
          impl.readableController.error(e);
          throw e;
        }
        try { impl.readableController.close(); } catch { /* terminated */ }
      },
      abort(reason) {
        impl.readableController.error(reason);
        return cancelFn ? promiseCall(cancelFn, t, [reason]) : undefined;
      },
    }, writableStrategy ?? { highWaterMark: 1 });
  }
  get readable() { return this.#readable; }
  get writable() { return this.#writable; }
}

for (const C of [ReadableStream, ReadableStreamDefaultReader, ReadableStreamBYOBReader, ReadableStreamDefaultController,
  WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController, TransformStream,
  TransformStreamDefaultController, CountQueuingStrategy, ByteLengthQueuingStrategy]) {
  ObjectDefineProperty(C.prototype, Symbol.toStringTag, { value: C.name, configurable: true });
}
