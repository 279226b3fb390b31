// TextEncoderStream and TextDecoderStream (Encoding Standard): TextEncoder/TextDecoder as
// TransformStreams; the decoder keeps a sequence split across chunks for the next one.
import { TextDecoder, TextEncoder } from './encoding.js';
import { TransformStream } from './streams.js';
import primordials from './primordials.js';

const { ObjectDefineProperty } = primordials;

export class TextEncoderStream {
  #transform;
  constructor() {
    const encoder = new TextEncoder();
    // A lone high surrogate at a chunk's end waits for the next chunk (Encoding Standard).
    let pending = '';
    this.#transform = new TransformStream({
      transform(chunk, controller) {
        let text = pending + `${chunk}`;
        pending = '';
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pending = text[text.length - 1];
          text = text.slice(0, -1);
        }
        if (text !== '') controller.enqueue(encoder.encode(text));
      },
      flush(controller) {
        if (pending !== '') controller.enqueue(encoder.encode('\ufffd'));
      },
    });
  }
  get encoding() { return 'utf-8'; }
  get readable() { return this.#transform.readable; }
  get writable() { return this.#transform.writable; }
}

export class TextDecoderStream {
  #transform;
  #decoder;
  constructor(label = 'utf-8', options = undefined) {
    const decoder = new TextDecoder(label, options ?? {});
    this.#decoder = decoder;
    this.#transform = new TransformStream({
      transform(chunk, controller) {
        const text = decoder.decode(chunk, { stream: true });
        if (text !== '') controller.enqueue(text);
      },
      flush(controller) {
        const text = decoder.decode();
        if (text !== '') controller.enqueue(text);
      },
    });
  }
  get encoding() { return this.#decoder.encoding; }
  get fatal() { return !!this.#decoder.fatal; }
  get ignoreBOM() { return !!this.#decoder.ignoreBOM; }
  get readable() { return this.#transform.readable; }
  get writable() { return this.#transform.writable; }
}

for (const C of [TextEncoderStream, TextDecoderStream]) {
  ObjectDefineProperty(C.prototype, Symbol.toStringTag, { value: C.name, configurable: true });
}
