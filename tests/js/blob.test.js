// Blob, File and FormData (File API, XHR's FormData).
import { test, assertEqual, assertThrows } from './harness.js';

test('Blob joins strings (UTF-8), buffers, views and Blobs; size, type, text, bytes', async () => {
  const b = new Blob(['hé', new Uint8Array([33, 34]), new Uint16Array([0x4241]).buffer, new Blob(['!'])], { type: 'Text/Plain' });
  assertEqual(b.size, 8);
  assertEqual(b.type, 'text/plain');
  assertEqual(await b.text(), 'hé!"AB!');
  assertEqual(await b.bytes(), new Uint8Array([104, 195, 169, 33, 34, 65, 66, 33]));
  assertEqual(new Uint8Array(await b.arrayBuffer()).length, 8);
  assertEqual(new Blob(['x'], { type: 'bad\u00e9' }).type, '');
  assertEqual(await new Blob(['a\r\nb\rc'], { endings: 'native' }).text(), 'a\nb\nc');
  assertThrows(() => new Blob('abc'), /TypeError/);
});

test('a Blob keeps a copy of its parts; slice clamps like String.prototype.slice', async () => {
  const u = new Uint8Array([1, 2, 3, 4, 5]);
  const b = new Blob([u]);
  u[0] = 9;
  assertEqual(await b.bytes(), new Uint8Array([1, 2, 3, 4, 5]));
  assertEqual(await b.slice(1, 3).bytes(), new Uint8Array([2, 3]));
  assertEqual(await b.slice(-2).bytes(), new Uint8Array([4, 5]));
  assertEqual(b.slice(3, 1).size, 0);
  assertEqual(b.slice(0, 2, 'A/B').type, 'a/b');
});

test('File has a name and lastModified and is a Blob', async () => {
  const f = new File(['data'], 'a.txt', { type: 'text/plain', lastModified: 42 });
  assertEqual([f.name, f.lastModified, f.size, f.type, f instanceof Blob], ['a.txt', 42, 4, 'text/plain', true]);
  assertEqual(Object.prototype.toString.call(f), '[object File]');
  assertThrows(() => new File(['x']), /TypeError/);
});

test('FormData keeps entries in order; Blobs become Files named "blob" or as given', () => {
  const fd = new FormData();
  fd.append('a', '1');
  fd.append('f', new Blob(['x'], { type: 't/x' }));
  fd.append('g', new Blob(['y']), 'y.bin');
  fd.append('a', 2);
  assertEqual(fd.getAll('a'), ['1', '2']);
  assertEqual(fd.get('f') instanceof File, true);
  assertEqual([fd.get('f').name, fd.get('f').type, fd.get('g').name], ['blob', 't/x', 'y.bin']);
  fd.set('a', '3');
  assertEqual([...fd.keys()], ['a', 'f', 'g']);
  fd.delete('f');
  assertEqual([fd.has('f'), fd.get('nope')], [false, null]);
  assertThrows(() => fd.append('z', 'not a blob', 'name'), /TypeError/);
});

test('blob: URLs: createObjectURL names a Blob in this app, fetch reads it, revokeObjectURL forgets it', async () => {
  const b = new Blob(['blob body'], { type: 'Image/PNG' });
  const url = URL.createObjectURL(b);
  assertEqual(/^blob:nodedata:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(url), true);
  assertEqual(URL.createObjectURL(b) === url, false);
  const res = await fetch(`${url}#a-fragment`);
  assertEqual([res.status, res.headers.get('content-type'), await res.text()], [200, 'image/png', 'blob body']);
  // The Request holds the Blob from when it was made.
  const req = new Request(url);
  URL.revokeObjectURL(`${url}#other`); // not an exact match: still there
  assertEqual(await (await fetch(url)).text(), 'blob body');
  URL.revokeObjectURL(url);
  assertEqual(await (await fetch(req)).text(), 'blob body');
  const failed = async (p) => p.then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
  assertEqual(await failed(fetch(url)), 'TypeError: fetch failed');
  const other = URL.createObjectURL(b);
  assertEqual(await failed(fetch(other, { method: 'POST', body: 'x' })), 'TypeError: fetch failed');
  assertEqual(await failed(fetch(`${other}?query`)), 'TypeError: fetch failed');
  assertThrows(() => URL.createObjectURL('not a blob'), /must be an instance of Blob/);
  // A Blob as a body: its bytes and its type.
  const r = new Response(new Blob(['xy'], { type: 'a/b' }));
  assertEqual([r.headers.get('content-type'), await r.text()], ['a/b', 'xy']);
});

test('Body.formData reads an urlencoded body (a leading U+FEFF kept); other types are a TypeError', async () => {
  const req = new Request('http://example.test/', { method: 'POST', body: '\ufeffa=1&b=%C3%A9+x&a=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' } });
  const fd = await req.formData();
  assertEqual([fd.getAll('\ufeffa'), fd.get('b'), fd.getAll('a')], [['1'], 'é x', ['2']]);
  const failed = await new Response('a=1').formData().then(() => 'resolved', (e) => e.name);
  assertEqual(failed, 'TypeError');
});
