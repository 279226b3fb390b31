// A Transform stream (node:stream) that loads and builds its stream machinery only when it
// is first used as a stream, as Node's crypto objects do: createHash(...).update().digest()
// pays nothing for the streams it never uses, and hash.pipe(...), cipher.write(...) and
// `for await` work as on Node. Subclasses give _transform and _flush.
import { loadStreams } from './readable-stream.js';

const STATE = ['_readableState', '_writableState', '_transformState'];
let linked = false;

/** node:stream's Transform, the same class node:stream exports (one embedded module cache). */
function transformClass() {
  return loadStreams().Transform;
}

// Link the prototype chain to Transform's on the first object made; from then on
// `instanceof stream.Transform` holds and every stream method is inherited.
function link(Lazy) {
  const Transform = transformClass();
  Object.setPrototypeOf(Lazy.prototype, Transform.prototype);
  Object.setPrototypeOf(Lazy, Transform);
  for (const name of STATE) {
    Object.defineProperty(Lazy.prototype, name, {
      configurable: true,
      enumerable: true,
      // The first read of any stream state runs Transform's constructor on this object,
      // which defines all three as own properties (the setter below), then answers.
      get() {
        Reflect.apply(Transform, this, [this.lazyTransformOptions]);
        this._writableState.decodeStrings = false;
        return this[name];
      },
      set(value) {
        Object.defineProperty(this, name, { value, enumerable: true, configurable: true, writable: true });
      },
    });
  }
}

export class LazyTransform {
  constructor(options = undefined) {
    if (!linked) {
      link(LazyTransform);
      linked = true;
    }
    Object.defineProperty(this, 'lazyTransformOptions', { value: options, writable: true, configurable: true });
  }
}
