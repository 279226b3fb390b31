// The globals every app gets besides ECMAScript's own.
import { test, assertEqual, assertThrows } from './harness.js';

test('TextEncoder/TextDecoder round-trip UTF-8, including astral characters', () => {
  const s = 'héllo wörld ✓ 𝄞';
  const bytes = new TextEncoder().encode(s);
  assertEqual(bytes.length, 22); // as Node's Buffer.byteLength
  assertEqual(new TextDecoder().decode(bytes), s);
});

test('TextEncoder: lone surrogates become U+FFFD; encodeInto fills what fits, never half a character', () => {
  assertEqual(new TextEncoder().encode('a\ud800b\udc00'), new Uint8Array([97, 0xef, 0xbf, 0xbd, 98, 0xef, 0xbf, 0xbd]));
  const dest = new Uint8Array(6);
  // 'h' (1) + 'é' (2) + '✓' (3) = 6 bytes, 3 units; '𝄞' (4 bytes, 2 units) does not fit.
  assertEqual(new TextEncoder().encodeInto('hé✓𝄞', dest), { read: 3, written: 6 });
  assertEqual(new TextDecoder().decode(dest), 'hé✓');
  const small = new Uint8Array(new ArrayBuffer(8), 2, 3);
  assertEqual(new TextEncoder().encodeInto('𝄞x', small), { read: 0, written: 0 });
  assertEqual(new TextEncoder().encodeInto('ab', small), { read: 2, written: 2 });
  assertEqual(new Uint8Array(small.buffer), new Uint8Array([0, 0, 97, 98, 0, 0, 0, 0]));
  assertEqual(new TextEncoder().encodeInto('x', new Uint8Array(0)), { read: 0, written: 0 });
  assertThrows(() => new TextEncoder().encodeInto('x', new Uint16Array(2)), /TypeError/);
});

test('TextDecoder streams a sequence split across chunks', () => {
  const bytes = new TextEncoder().encode('a✓b');
  const d = new TextDecoder();
  const out = d.decode(bytes.subarray(0, 2), { stream: true }) + d.decode(bytes.subarray(2));
  assertEqual(out, 'a✓b');
});

test('TextDecoder replaces malformed input, or throws when fatal', () => {
  assertEqual(new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0x62])), 'a\ufffdb');
  assertThrows(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xc3])), /TypeError/);
  assertThrows(() => new TextDecoder('no-such-encoding'), /RangeError/);
});

test('rt is frozen and argv is an array of strings', () => {
  assertEqual(Object.isFrozen(rt), true);
  assertEqual(Array.isArray(rt.argv), true);
});

test('globals are there and not enumerable', () => {
  for (const name of ['console', 'setTimeout', 'clearInterval', 'queueMicrotask', 'rt', 'TextEncoder']) {
    assertEqual(name in globalThis, true, name);
  }
  assertEqual(Object.keys(globalThis).includes('console'), false);
});

test("TextDecoder reads the Encoding Standard's encodings through ICU, labels as the standard maps them", () => {
  const d = new TextDecoder('latin1');
  assertEqual(d.encoding, 'windows-1252');
  assertEqual(d.decode(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x80])), 'café€');
  assertEqual(new TextDecoder(' UTF-16 ').encoding, 'utf-16le');
  assertEqual(new TextDecoder('utf-16le').decode(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde])), 'A😀');
  assertEqual(new TextDecoder('utf-16be').decode(new Uint8Array([0x00, 0x41])), 'A');
  assertEqual(new TextDecoder('shift_jis').decode(new Uint8Array([0x82, 0xa0])), 'あ');
  assertEqual(new TextDecoder('gbk').decode(new Uint8Array([0xc4, 0xe3])), '你');
  assertEqual(new TextDecoder('koi8-r').decode(new Uint8Array([0xd2, 0xd4])), 'рт');
  // A sequence split across calls with { stream: true } is joined.
  const s = new TextDecoder('utf-16le');
  assertEqual(s.decode(new Uint8Array([0x41]), { stream: true }) + s.decode(new Uint8Array([0x00])), 'A');
  assertThrows(() => new TextDecoder('shift_jis', { fatal: true }).decode(new Uint8Array([0x82])), /TypeError/);
});

test('TextDecoder drops a UTF-8 BOM unless ignoreBOM; fatal and ignoreBOM are reported', () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x41]);
  assertEqual(new TextDecoder().decode(bom), 'A');
  const keep = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
  assertEqual(keep.decode(bom), '\ufeffA');
  assertEqual([keep.fatal, keep.ignoreBOM], [true, true]);
});
