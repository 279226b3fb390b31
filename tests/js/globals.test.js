// The globals every app gets besides ECMAScript's own.
import { test, assertEqual, assertThrows } from './harness.js';

test('TextEncoder/TextDecoder round-trip UTF-8, including astral characters', () => {
  const s = 'héllo wörld ✓ 𝄞';
  const bytes = new TextEncoder().encode(s);
  assertEqual(bytes.length, 22); // as Node's Buffer.byteLength
  assertEqual(new TextDecoder().decode(bytes), s);
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
  assertThrows(() => new TextDecoder('latin1'), /RangeError/);
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
