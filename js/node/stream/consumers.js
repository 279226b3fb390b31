// node:stream/consumers: the whole of a stream (a Node Readable, a web ReadableStream or any
// async iterable of chunks) as one value.
import { Buffer } from '../buffer.js';
import { Blob } from '../../internal/blob.js';

// Chunks as bytes: strings in UTF-8, views as their bytes.
async function chunksOf(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, 'utf8'));
    else if (ArrayBuffer.isView(chunk)) chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    else if (chunk instanceof ArrayBuffer) chunks.push(new Uint8Array(chunk));
    else {
      const err = new TypeError(`The "stream" chunks must be strings, Buffers, TypedArrays or DataViews. Received ${typeof chunk}`);
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
  }
  return chunks;
}

export async function buffer(stream) { return Buffer.concat(await chunksOf(stream)); }
export async function arrayBuffer(stream) {
  const b = await buffer(stream);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}
export async function blob(stream) { return new Blob(await chunksOf(stream)); }
export async function text(stream) {
  const decoder = new TextDecoder();
  let out = '';
  for (const chunk of await chunksOf(stream)) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}
export async function json(stream) { return JSON.parse(await text(stream)); }

export default { arrayBuffer, blob, buffer, text, json };
