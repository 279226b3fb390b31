// Node's built-in modules on rtjs. Every expectation here is what Node 20 gives: this file
// also runs under Node (`node node-builtins.test.js`) and passes there.
import { test, assertEqual, assertMatch, assertThrows } from './harness.js';
import assert, { AssertionError } from 'node:assert';
import strict from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import path from 'node:path';
import querystring from 'node:querystring';
import url, { fileURLToPath, format as formatUrl, parse as parseUrl } from 'node:url';
import punycode from 'node:punycode';
import util from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import os from 'node:os';
import { createRequire, builtinModules } from 'node:module';

test('path: join, resolve, relative, normalize, parse and format', () => {
  assertEqual(path.join('/a', 'b', '../c', './d'), '/a/c/d');
  assertEqual(path.join('a', '', 'b/'), 'a/b/');
  assertEqual(path.resolve('/x/y', '../z', 'w'), '/x/z/w');
  assertEqual(path.relative('/data/a/b', '/data/c'), '../../c');
  assertEqual(path.normalize('a//b/../../..'), '..');
  assertEqual(path.parse('/home/u/file.tar.gz'), { root: '/', dir: '/home/u', base: 'file.tar.gz', ext: '.gz', name: 'file.tar' });
  assertEqual(path.format({ dir: '/x', name: 'f', ext: 'js' }), '/x/f.js');
  assertEqual([path.extname('.bashrc'), path.extname('a.'), path.extname('a.b.c')], ['', '.', '.c']);
  assertEqual([path.dirname('/a/b/'), path.dirname('a'), path.basename('/a/b.js', '.js')], ['/a', '.', 'b']);
  assertThrows(() => path.join('a', 3), /TypeError: The "path" argument must be of type string/);
});

test('events: on, once, prepend, removeListener, errors and once()', async () => {
  const e = new EventEmitter();
  const log = [];
  e.on('x', (v) => log.push(`on ${v}`));
  e.prependListener('x', (v) => log.push(`first ${v}`));
  e.once('x', (v) => log.push(`once ${v}`));
  e.emit('x', 1);
  e.emit('x', 2);
  assertEqual(log, ['first 1', 'on 1', 'once 1', 'first 2', 'on 2']);
  assertEqual(e.listenerCount('x'), 2);
  assertThrows(() => e.emit('error', new Error('unhandled')), /Error: unhandled/);
  setTimeout(() => e.emit('ready', 'a', 'b'), 1);
  assertEqual(await once(e, 'ready'), ['a', 'b']);
});

test('util: format, inspect, promisify, callbackify, inherits, isDeepStrictEqual, types', async () => {
  assertEqual(util.format('%s=%d %j %%', 'a', 42, { b: 1 }), 'a=42 {"b":1} %');
  assertEqual(util.inspect({ a: [1, 2], m: new Map([[1, 2]]) }), '{ a: [ 1, 2 ], m: Map(1) { 1 => 2 } }');
  const add = (a, b, cb) => setTimeout(() => cb(null, a + b), 1);
  assertEqual(await util.promisify(add)(2, 3), 5);
  const value = await new Promise((resolve, reject) => util.callbackify(async (x) => x * 2)(21, (err, v) => (err ? reject(err) : resolve(v))));
  assertEqual(value, 42);
  function Base() {}
  function Derived() {}
  util.inherits(Derived, Base);
  assertEqual(new Derived() instanceof Base && Derived.super_ === Base, true);
  assertEqual(util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
  assertEqual(util.isDeepStrictEqual([1], ['1']), false);
  assertEqual([util.types.isPromise(Promise.resolve()), util.types.isRegExp(/x/), util.types.isDate({})], [true, true, false]);
});

test('assert: strict and loose equality, throws, rejects, AssertionError', async () => {
  assert.deepEqual({ a: 1 }, { a: '1' });
  assertThrows(() => strict.deepEqual({ a: 1 }, { a: '1' }), /AssertionError: Expected values to be strictly deep-equal/);
  assert.throws(() => { throw new TypeError('bad input'); }, { name: 'TypeError', message: /bad/ });
  await assert.rejects(Promise.reject(new RangeError('r')), RangeError);
  try {
    assert.strictEqual(1, 2);
  } catch (err) {
    assertEqual([err instanceof AssertionError, err.code, err.actual, err.expected, err.operator], [true, 'ERR_ASSERTION', 1, 2, 'strictEqual']);
  }
  // A falsy value: the message quotes the call as the source file has it, over lines too.
  const answer = 41;
  assertThrows(() => assert.ok(typeof answer === 'string' ||
      answer === 42),
  /The expression evaluated to a falsy value:\n\n {2}assert\.ok\(typeof answer === 'string' \|\|\n {2}answer === 42\)\n/);
  assertThrows(() => strict(answer > 50 /* ) */), /falsy value:\n\n {2}strict\(answer > 50 \/\* \) \*\/\)\n/);
  assertThrows(() => assert.throws(() => { throw new Error('x'); }, function check() { return 0; }),
    /The "check" validation function is expected to return "true"\. Received 0\n\nCaught error:\n\nError: x/);
});

test('querystring: parse and stringify as Node', () => {
  assertEqual(querystring.stringify({ a: [1, 2], b: 'x y!', c: true, d: null }), 'a=1&a=2&b=x%20y!&c=true&d=');
  assertEqual({ ...querystring.parse('a=1&a=2&b=x+y%21&c&=z') }, { a: ['1', '2'], b: 'x y!', c: '', '': 'z' });
});

test('url: fileURLToPath and the legacy parse/format', () => {
  assertEqual(fileURLToPath('file:///a/b%20c'), '/a/b c');
  const u = parseUrl('http://user:pw@Example.com:8080/p/a?q=1#h');
  assertEqual([u.protocol, u.auth, u.host, u.hostname, u.port, u.pathname, u.search, u.hash],
    ['http:', 'user:pw', 'example.com:8080', 'example.com', '8080', '/p/a', '?q=1', '#h']);
  assertEqual(formatUrl({ protocol: 'https', hostname: 'example.com', pathname: '/p', query: { page: 1 } }), 'https://example.com/p?page=1');
  assertThrows(() => fileURLToPath('http://x/'), /The URL must be of scheme file/);
});

test('url: the legacy Url, resolve and resolveObject, IDNA, Windows file URLs', () => {
  assertEqual(parseUrl('/x') instanceof url.Url, true);
  // Backslashes before the query are slashes; the host ends where a host cannot go on.
  assertEqual(parseUrl('http:\\\\evil.com\\a?b\\c').href, 'http://evil.com/a?b%5Cc');
  assertEqual(parseUrl('https://a.com:.b.com').href, 'https://a.com/:.b.com');
  assertEqual({ ...parseUrl('http://x.com/?a=1&a=2', true).query }, { a: ['1', '2'] });
  assertEqual(parseUrl('//h/p', false, true).host, 'h');
  assertThrows(() => parseUrl('http://%E0%A4%A@fail'), /URIError/);
  assertEqual([url.resolve('http://a/b/c/d;p?q', '../../g'), url.resolve('mailto:a@b.com', 'c@d.org'),
    url.resolve('http://u:p@h/a/', 'http://z/')], ['http://a/g', 'mailto:c@d.org', 'http://z/']);
  assertEqual(url.resolveObject('http://x.com/a/b', '../c?d=1').path, '/c?d=1');
  assertEqual([url.domainToASCII('Bücher.example'), url.domainToUnicode('xn--bcher-kva.example'), url.domainToASCII('xn--iñvalid.com')],
    ['xn--bcher-kva.example', 'bücher.example', '']);
  assertEqual([punycode.encode('Bücher'), punycode.decode('Bcher-kva'), punycode.toASCII('日本語.jp')], ['Bcher-kva', 'Bücher', 'xn--wgv71a119e.jp']);
  assertEqual(formatUrl(new URL('http://u:p@xn--bcher-kva.example/a?b#c'), { auth: false, fragment: false, search: false, unicode: true }),
    'http://bücher.example/a');
  assertEqual([url.pathToFileURL('C:\\foo bar\\', { windows: true }).href, url.pathToFileURL('\\\\nas\\My Docs\\f.doc', { windows: true }).href],
    ['file:///C:/foo%20bar/', 'file://nas/My%20Docs/f.doc']);
  assertEqual([fileURLToPath('file://nas/My%20Docs/f.doc', { windows: true }), fileURLToPath('file:///C:/a/b', { windows: true })],
    ['\\\\nas\\My Docs\\f.doc', 'C:\\a\\b']);
});

test('UTF-8 decoding as V8 does it (a U+FFFD per byte that cannot go on), StringDecoder as Node\'s', async () => {
  const { StringDecoder } = await import('node:string_decoder');
  const bad = Buffer.from('eda0b5edb08d', 'hex'); // encoded surrogates: six bytes, six U+FFFD
  assertEqual([bad.toString(), new TextDecoder().decode(bad), Buffer.from('f0908041', 'hex').toString()],
    ['\ufffd'.repeat(6), '\ufffd'.repeat(6), '\ufffdA']);
  const d = new StringDecoder('utf8');
  assertEqual([d.write(Buffer.from('e1', 'hex')), [...d.lastChar], d.lastNeed, d.lastTotal], ['', [0xe1, 0, 0, 0], 2, 3]);
  assertEqual([d.write(Buffer.from('82', 'hex')), d.write(Buffer.from('ac41', 'hex')), d.end()], ['', '\u10ac' + 'A', '']);
  // A lead byte's bits say how long its character is: f6 waits, then is cut short by d1.
  assertEqual([d.write(Buffer.from('f69b', 'hex')), d.write(Buffer.from('d1', 'hex')), d.end()], ['', '\ufffd\ufffd', '\ufffd']);
  const w = new StringDecoder('utf16le');
  assertEqual([w.write(Buffer.from('3dd8', 'hex')), w.write(Buffer.from('4d', 'hex')), w.write(Buffer.from('dc', 'hex'))], ['', '', '\ud83d\udc4d']);
  assertEqual([w.write(Buffer.from('3dd84d', 'hex')), w.end()], ['\ud83d', '']);
  assertThrows(() => StringDecoder.prototype.write.call({}, Buffer.from('a')), /Value of "this" must be of type StringDecoder/);
});

test('Buffer toString(\'utf8\', start, end) and utf8Slice take their range as Node\'s', () => {
  const b = Buffer.from('h\u00e9llo');   // 6 bytes
  // A start at or past the length is '', whatever it is modulo 2^32; others are truncated.
  assertEqual([b.toString('utf8', 2 ** 32), b.toString('utf8', 2 ** 32 + 1), b.toString('utf8', Infinity), b.toString(undefined, 2 ** 32 + 1, 3)],
    ['', '', '', '']);
  assertEqual([b.toString('utf8', 3.9), b.toString('utf8', -Infinity, 3), b.toString('utf8', '1', '3'), b.toString('utf8', 0, null), b.toString('utf8', {}, 1)],
    ['llo', 'h\u00e9', '\u00e9', '', 'h']);
  // utf8Slice checks its indices as Node's native slice does: RangeError past the length or below 0.
  assertEqual([b.utf8Slice(), b.utf8Slice(1, 3), b.utf8Slice(3, 1), b.utf8Slice(6)], ['h\u00e9llo', '\u00e9', '', '']);
  for (const [start, end] of [[-1, 3], [0, 7], [0, Infinity], [7, undefined], [100, 3]]) {
    assertThrows(() => b.utf8Slice(start, end), /Index out of range/);
  }
});

test('querystring: text that decodeURIComponent refuses is decoded byte by byte, as Node\'s unescapeBuffer', () => {
  // Each escape a byte, each other character its low byte, '%' kept where no two hex digits
  // follow; the bytes then read as UTF-8 (a Latin-1 %FC is not UTF-8: U+FFFD).
  assertEqual([querystring.unescape('J%FCrgen%'), querystring.unescape('%C3%A4%zz+%4'), querystring.unescape('\u00e4%zz')],
    ['J\ufffdrgen%', '\u00e4%zz+%4', '\ufffd%zz']);
  assertEqual({ ...querystring.parse('n=J%FCrgen%&m=%E2%82%AC%') }, { n: 'J\ufffdrgen%', m: '\u20ac%' });
  // parse decodes only text with a valid escape in it: '%zz' beside an \u00e4 stays as it is.
  assertEqual({ ...querystring.parse('k%zz=\u00e4%zz&v=\u00e4%41%&w=\u00e4%41') }, { 'k%zz': '\u00e4%zz', v: '\ufffdA%', w: '\u00e4A' });
  assertEqual([querystring.unescapeBuffer('a+%41%', true).toString(), querystring.unescapeBuffer('\u20ac%4g').toString('hex')],
    ['a A%', 'ac253467']);
});

test('http and https requests refuse an agent of the other protocol, as Node\'s', async () => {
  const http = await import('node:http');
  const https = await import('node:https');
  assertThrows(() => https.request({ host: 'localhost', agent: new http.Agent() }), /Protocol "https:" not supported. Expected "http:"/);
  assertThrows(() => http.request({ host: 'localhost', agent: new https.Agent() }), /Protocol "http:" not supported. Expected "https:"/);
  let code;
  try { https.request({ host: 'localhost', agent: http.globalAgent }); } catch (e) { code = e.code; }
  assertEqual(code, 'ERR_INVALID_PROTOCOL');
});

test('readline: cursor and erase sequences to a stream, one async iterator per interface', async () => {
  const readline = await import('node:readline');
  const { Writable, Readable } = await import('node:stream');
  let data = '';
  const w = new Writable({ write(chunk, encoding, callback) { data += chunk; callback(); } });
  readline.clearLine(w, -1);
  readline.clearScreenDown(w);
  readline.cursorTo(w, 3, 5);
  readline.moveCursor(w, -2, 3);
  assertEqual(data, '\x1b[1K\x1b[0J\x1b[6;4H\x1b[2D\x1b[3B');
  assertThrows(() => readline.cursorTo(w, undefined, 2), /Cannot set cursor row without setting its column/);
  const rl = readline.createInterface({ input: Readable.from(['a\nb\nc\n']), crlfDelay: Infinity });
  const lines = [];
  for await (const first of rl) {
    lines.push(first);
    for await (const rest of rl) lines.push(rest); // the same iterator: the lines after the first
  }
  assertEqual(lines, ['a', 'b', 'c']);
});

test('stream: any TypedArray or DataView as a chunk, duplexPair', async () => {
  const { Writable, duplexPair } = await import('node:stream');
  const got = [];
  const w = new Writable({ write(chunk, encoding, callback) { got.push([Buffer.isBuffer(chunk), chunk.length, encoding]); callback(); } });
  w.write(new Int16Array([1, 2]));
  w.write(new DataView(new ArrayBuffer(3)));
  await new Promise((resolve) => w.end(resolve));
  assertEqual(got, [[true, 4, 'buffer'], [true, 3, 'buffer']]);
  const [client, server] = duplexPair();
  const received = [];
  server.on('data', (chunk) => received.push(String(chunk)));
  const ended = new Promise((resolve) => server.on('end', resolve));
  client.write('ab');
  client.end('c');
  await ended;
  assertEqual(received.join(''), 'abc');
});

test('zlib: level, windowBits, memLevel and strategy reach zlib; Node\'s option checks and error messages', async () => {
  const zlib = await import('node:zlib');
  const data = Buffer.from('hello hello hello hello '.repeat(200));
  const stored = zlib.deflateSync(data, { level: 0 });
  const huffman = zlib.deflateSync(data, { level: 9, memLevel: 9, strategy: zlib.constants.Z_HUFFMAN_ONLY });
  const usual = zlib.deflateSync(data);
  assertEqual([stored.length > data.length, huffman.length > 4 * usual.length, zlib.inflateSync(huffman).equals(data)], [true, true, true]);
  // A raw window of 8 is taken as 9 both ways (zlib refuses 8 for raw deflate).
  assertEqual(zlib.inflateRawSync(zlib.deflateRawSync(data, { windowBits: 8 }), { windowBits: 8 }).equals(data), true);
  assertEqual(zlib.inflateSync(zlib.deflateSync(data, { windowBits: 10 }), { windowBits: 0 }).equals(data), true);
  assert.throws(() => zlib.createDeflate({ level: 10 }), { code: 'ERR_OUT_OF_RANGE', message: /"options.level" is out of range. It must be >= -1 and <= 9. Received 10/ });
  assert.throws(() => zlib.gzipSync(data, { windowBits: 8 }), { code: 'ERR_OUT_OF_RANGE', message: /It must be >= 9 and <= 15/ });
  assert.throws(() => zlib.createGzip({ chunkSize: 0 }), { message: /It must be >= 64. Received 0/ });
  assert.throws(() => zlib.inflateSync(Buffer.from('not zlib')), { code: 'Z_DATA_ERROR', message: 'incorrect header check' });
  assertEqual([zlib.Deflate() instanceof zlib.Deflate, zlib.crc32('hello'), zlib.codes.Z_DATA_ERROR], [true, 907060870, -3]);
  // gzip members one after another are one stream; zero padding after them is ignored,
  // other bytes are a member whose header is refused; after a zlib stream, ignored.
  const [g, h] = [zlib.gzipSync('abc'), zlib.gzipSync('def')];
  assertEqual([zlib.gunzipSync(Buffer.concat([g, h])).toString(), zlib.unzipSync(Buffer.concat([g, h, Buffer.alloc(4)])).toString(),
    zlib.inflateSync(Buffer.concat([zlib.deflateSync('xyz'), Buffer.from('tail')])).toString()], ['abcdef', 'abcdef', 'xyz']);
  assert.throws(() => zlib.gunzipSync(Buffer.concat([g, Buffer.from('garbage!!!')])), { code: 'Z_DATA_ERROR', message: 'incorrect header check' });
  assert.throws(() => zlib.gunzipSync(g.subarray(0, 10)), { code: 'Z_BUF_ERROR', errno: -5, message: 'unexpected end of file' });
});

test('timers/promises, os and module', async () => {
  assertEqual(await delay(1, 'v'), 'v');
  assertEqual([os.EOL, os.platform(), typeof os.totalmem()], ['\n', 'linux', 'number']);
  // The machine's memory (every target here has at least 64 MiB), not the app's V8 heap.
  const MIB = 1 << 20;
  const [total, free, heap] = [os.totalmem(), os.freemem(), process.memoryUsage().heapTotal];
  assertEqual([total >= 64 * MIB, total > 8 * heap, free > 0 && free <= total, total % 4096],
    [true, true, true, 0], `totalmem ${total}, freemem ${free}, heapTotal ${heap}`);
  assertEqual(builtinModules.includes('path') && builtinModules.includes('events'), true);
  const require = createRequire(import.meta.url);
  assertEqual(require('path') === path, true);
  assertEqual(require('node:events') === EventEmitter, true);
  assertMatch(require.resolve('./harness.js'), /\/tests\/js\/harness\.js$/);
});

test('buffer: encodings (base64url too), numbers, compare, concat, indexOf; Buffer is a global', async () => {
  const { Buffer: B } = await import('node:buffer');
  assertEqual(B === Buffer, true);
  const b = Buffer.from('héllo wörld');
  assertEqual([b.length, b.toString('hex'), b.toString('base64'), b.toString('base64url'), b.toString('latin1').length],
    [13, '68c3a96c6c6f2077c3b6726c64', 'aMOpbGxvIHfDtnJsZA==', 'aMOpbGxvIHfDtnJsZA', 13]);
  assertEqual(Buffer.from('aMOpbGxvIHfDtnJsZA', 'base64url').toString(), 'héllo wörld');
  assertEqual([Buffer.byteLength('aGk', 'base64url'), Buffer.isEncoding('base64url'), Buffer.isEncoding('nope')], [2, true, false]);
  const n = Buffer.alloc(12);
  n.writeUInt32LE(0xdeadbeef, 0);
  n.writeDoubleBE(1.5, 4);
  assertEqual([n.readUInt32LE(0).toString(16), n.readDoubleBE(4), n.readInt8(3), n.toString('hex', 0, 4)], ['deadbeef', 1.5, -34, 'efbeadde']);
  assertEqual([Buffer.compare(Buffer.from([1]), Buffer.from([2])), Buffer.concat([Buffer.from('ab'), Buffer.from('cd')]).toString(), Buffer.from('abcabc').indexOf('ca'), Buffer.from('abc').equals(Buffer.from('abc'))],
    [-1, 'abcd', 2, true]);
  assertEqual(Buffer.from('ab').toJSON(), { type: 'Buffer', data: [97, 98] });
  assertEqual(util.inspect(Buffer.from([1, 2, 255])), '<Buffer 01 02 ff>');
});

test('string_decoder: characters split across writes come out whole', async () => {
  const { StringDecoder } = await import('node:string_decoder');
  const euro = Buffer.from('€');
  const d = new StringDecoder('utf8');
  assertEqual([d.write(euro.subarray(0, 1)), d.write(euro.subarray(1)), d.end()], ['', '€', '']);
  const b64 = new StringDecoder('base64');
  assertEqual(b64.write(Buffer.from('ab')) + b64.end(Buffer.from('c')), 'YWJj');
  const u16 = new StringDecoder('utf16le');
  const bytes = Buffer.from('hé', 'utf16le');
  assertEqual(u16.write(bytes.subarray(0, 3)) + u16.write(bytes.subarray(3)), 'hé');
});

test('events: EventEmitter is a constructor function packages can call on their own objects', () => {
  function Thing() { EventEmitter.call(this); }
  util.inherits(Thing, EventEmitter);
  const t = new Thing();
  let got;
  t.on('x', (v) => { got = v; });
  t.emit('x', 7);
  assertEqual([got, t instanceof EventEmitter, typeof EventEmitter.prototype.on], [7, true, 'function']);
});

test('async_hooks: AsyncLocalStorage.run gives a store to the code it calls; AsyncResource.bind', async () => {
  const { AsyncLocalStorage, AsyncResource } = await import('node:async_hooks');
  const als = new AsyncLocalStorage();
  const seen = als.run({ id: 1 }, () => als.getStore().id);
  assertEqual([seen, als.getStore()], [1, undefined]);
  const bound = als.run('outer', () => AsyncResource.bind(() => als.getStore()));
  assertEqual(bound(), 'outer');
});

test('async_hooks: a store follows await, then, timers, intervals, immediates, nextTick and queueMicrotask, and two runs stay apart', async () => {
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const als = new AsyncLocalStorage();
  const seen = [];
  const note = (what, id) => seen.push(`${what}:${id}:${als.getStore()?.id}`);
  const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  await Promise.all([1, 2].map((id) => als.run({ id }, async () => {
    await later(1);
    note('await', id);
    await new Promise((resolve) => setImmediate(() => { note('immediate', id); resolve(); }));
    await new Promise((resolve) => process.nextTick(() => { note('nextTick', id); resolve(); }));
    await new Promise((resolve) => queueMicrotask(() => { note('microtask', id); resolve(); }));
    await new Promise((resolve) => {
      let n = 0;
      const t = setInterval(() => { note(`interval${n}`, id); if (++n === 2) { clearInterval(t); resolve(); } }, 1);
    });
    await Promise.resolve().then(() => note('then', id));
  })));
  const wrong = seen.filter((s) => { const [, id, store] = s.split(':'); return id !== store; });
  assertEqual([seen.length, wrong, als.getStore()], [14, [], undefined]);
  // A timer scheduled outside any run sees no store, even after runs have awaited.
  const outside = await new Promise((resolve) => setTimeout(() => resolve(als.getStore()), 1));
  assertEqual(outside, undefined);
});

test('timers: Timeout objects as Node has them (ref/unref/hasRef, refresh, the id as primitive, this, close)', async () => {
  const fired = [];
  const t = setTimeout(function () { fired.push(this === t); }, 5);
  assertEqual([typeof t, t.hasRef(), t.unref().hasRef(), t.ref().hasRef(), typeof +t], ['object', true, false, true, 'number']);
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.refresh(); // a timer that has fired runs again
  await new Promise((resolve) => setTimeout(resolve, 20));
  const cleared = setTimeout(() => fired.push('cleared by id'), 1);
  clearTimeout(+cleared);
  const closed = setTimeout(() => fired.push('closed'), 1).close();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assertEqual([fired, closed.hasRef()], [[true, true], true]);
  const { setTimeout: wait } = await import('node:timers/promises');
  // ref: false does not keep the app alive: the second, ref'd timer does here.
  assertEqual(await Promise.all([wait(1, 'v', { ref: false }), wait(5, 'w')]), ['v', 'w']);
  assertThrows(() => setTimeout('code'), /The "callback" argument must be of type function. Received type string/);
});

test('timers: an unref\'d timer or interval does not keep an app alive', async () => {
  const app = rt.spawn({ source: `
    setInterval(() => {}, 5).unref();
    setTimeout(() => console.log('never'), 60000).unref();
    const t = setTimeout(() => {}, 1); t.unref(); t.ref();` });
  assertEqual(await app.exited, { code: 0, reason: 'exit' });
});

test('timers: an unref\'d immediate does not keep an app alive, and runs while something else does', async () => {
  const alone = rt.spawn({ source: `setImmediate(() => { process.exitCode = 3; }).unref();` });
  assertEqual(await alone.exited, { code: 0, reason: 'exit' });
  const ran = [];
  const i = setImmediate(() => ran.push('unref\'d'));
  assertEqual([i.hasRef(), i.unref().hasRef(), i.ref().unref().hasRef()], [true, false, false]);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assertEqual(ran, ['unref\'d']);
});

test('timers/promises: setInterval iterates an interval (ticks while busy come after), scheduler.wait/yield', async () => {
  const { setInterval: every, scheduler, setTimeout: wait } = await import('node:timers/promises');
  const got = [];
  for await (const v of every(5, 'tick')) {
    got.push(v);
    if (got.length === 1) await wait(30); // several ticks pass meanwhile
    if (got.length === 3) break;
  }
  assertEqual(got, ['tick', 'tick', 'tick']);
  const ac = new AbortController();
  const pending = every(60000, 1, { signal: ac.signal }).next();
  ac.abort();
  await assert.rejects(pending, { name: 'AbortError', code: 'ABORT_ERR' });
  assertEqual([await scheduler.yield(), await scheduler.wait(1)], [undefined, undefined]);
  assertThrows(() => new scheduler.constructor(), /Illegal constructor/);
  assertThrows(() => scheduler.wait.call({}, 1), /Value of "this" must be of type Scheduler/);
});

test('os: getPriority is 0 for the app itself, setPriority of another value is ENOSYS', () => {
  assertEqual([os.getPriority(), os.getPriority(process.pid), os.constants.priority.PRIORITY_LOW], [0, 0, 19]);
  os.setPriority(0, 0);
  assert.throws(() => os.setPriority(5), { name: 'SystemError', code: 'ERR_SYSTEM_ERROR', info: { code: 'ENOSYS', errno: -38, message: 'function not implemented', syscall: 'uv_os_setpriority' } });
  assert.throws(() => os.getPriority(-1), { code: 'ERR_SYSTEM_ERROR', info: { code: 'ESRCH', errno: -3, message: 'no such process', syscall: 'uv_os_getpriority' } });
  assert.throws(() => os.setPriority(0, 20), { code: 'ERR_OUT_OF_RANGE', message: /It must be >= -20 && <= 19. Received 20/ });
});

test('events and path details Node has: addListener is on, listenerCount(type, fn), basename of a whole suffix, the leak warning', async () => {
  const e = new EventEmitter();
  const f = () => {};
  e.on('x', f).on('x', () => {});
  assertEqual([EventEmitter.prototype.addListener === EventEmitter.prototype.on, e.listenerCount('x'), e.listenerCount('x', f)], [true, 2, 1]);
  assertEqual([path.basename('a', 'a'), path.basename('.js', '.js'), path.basename('aaa/bbb', 'bbb'), path.basename('bbb/', 'bbb')], ['', '', 'bbb', 'bbb']);
  const warning = new Promise((resolve) => process.once('warning', resolve));
  const leaky = new EventEmitter();
  leaky.setMaxListeners(1);
  leaky.on('y', f);
  leaky.on('y', f);
  const w = await warning;
  assertEqual([w.name, w.count, w.type, w.emitter === leaky], ['MaxListenersExceededWarning', 2, 'y', true]);
});

test('stream: Readable.from, Transform, pipeline (callback and promise), async iteration, errors', async () => {
  const { Readable, Transform, Writable, PassThrough, pipeline } = await import('node:stream');
  const { pipeline: pipelinePromise } = await import('node:stream/promises');
  const out = [];
  const upper = new Transform({ transform(chunk, encoding, callback) { callback(null, chunk.toString().toUpperCase()); } });
  await pipelinePromise(Readable.from(['a', 'b']), upper, new Writable({ write(chunk, encoding, callback) { out.push(chunk.toString()); callback(); } }));
  assertEqual(out, ['A', 'B']);
  const doubled = [];
  for await (const x of Readable.from([1, 2, 3]).map((v) => v * 2)) doubled.push(x);
  assertEqual(doubled, [2, 4, 6]);
  const failed = await new Promise((resolve) => pipeline(Readable.from(['x']), new PassThrough(),
    new Writable({ write(chunk, encoding, callback) { callback(new Error('sink failed')); } }), resolve));
  assertEqual(failed.message, 'sink failed');
});

test('process.constrainedMemory() is the app\'s memory limit, availableMemory() what is left of it', async () => {
  const child = rt.spawn({ source: `rt.export({ memory() {
      const before = process.availableMemory();
      const held = new ArrayBuffer(8 << 20);
      return [process.constrainedMemory(), before, process.availableMemory(), held.byteLength];
    } });` }, { name: 'bounded', heapLimitMb: 48 });
  const [limit, before, after] = await (await child.interface).memory();
  assertEqual(limit, 48 * 2 ** 20);
  if (!(before > 0 && before < limit)) throw new Error(`available ${before} of a ${limit}-byte limit`);
  if (!(before - after >= 8 << 20)) throw new Error(`an 8 MiB buffer took only ${before - after} bytes`);
  child.kill();
  await child.exited;
});

// Node runs process.nextTick's queue after each callback from the runtime, ahead of the
// promise jobs that callback queued, and again whenever a promise job queues a tick.
test('process.nextTick: ticks run before promise jobs, ticks a job queues after the jobs, between immediates too', async () => {
  const inTimer = (fn) => new Promise((resolve) => setTimeout(() => fn(resolve), 1));
  const order = await inTimer((done) => {
    const seen = [];
    Promise.resolve().then(() => seen.push('promise1'));
    process.nextTick(() => {
      seen.push('tick1');
      Promise.resolve().then(() => seen.push('promise-from-tick'));
      process.nextTick(() => seen.push('tick-from-tick'));
    });
    queueMicrotask(() => {
      seen.push('microtask');
      process.nextTick(() => seen.push('tick-from-microtask'));
    });
    Promise.resolve().then(() => seen.push('promise2')).then(() => seen.push('promise2b'));
    process.nextTick((a, b) => seen.push(`tick2:${a}${b}`), 'x', 'y');
    setTimeout(() => done(seen), 1);
  });
  assertEqual(order, ['tick1', 'tick2:xy', 'tick-from-tick', 'promise1', 'microtask', 'promise2',
    'promise-from-tick', 'promise2b', 'tick-from-microtask']);
  const immediates = await new Promise((resolve) => {
    const seen = [];
    setImmediate(() => {
      seen.push('immediate1');
      process.nextTick(() => seen.push('tick'));
      Promise.resolve().then(() => seen.push('promise'));
    });
    const second = setImmediate(() => seen.push('cleared'));
    setImmediate(() => seen.push('immediate3'));
    process.nextTick(() => {}); // a tick queued outside the immediates changes nothing
    setImmediate(() => clearImmediate(second)); // runs after `second`: nothing to clear
    Promise.resolve().then(() => setTimeout(() => resolve(seen), 5));
  });
  assertEqual(immediates, ['immediate1', 'tick', 'promise', 'cleared', 'immediate3']);
});

test('process.nextTick: a throwing tick goes to uncaughtException and the ticks after it still run first', async () => {
  const seen = await new Promise((resolve) => setTimeout(() => {
    const seen = [];
    const onError = (err) => seen.push(`caught:${err.message}`);
    process.on('uncaughtException', onError);
    Promise.resolve().then(() => seen.push('promise'));
    process.nextTick(() => { seen.push('tick1'); throw new Error('boom'); });
    process.nextTick(() => seen.push('tick2'));
    setTimeout(() => { process.off('uncaughtException', onError); resolve(seen); }, 1);
  }, 1));
  assertEqual(seen, ['tick1', 'caught:boom', 'tick2', 'promise']);
});

test('process.nextTick: a tick that queues the next one, 100000 deep, runs to the end before the promise job', async () => {
  const result = await new Promise((resolve) => setTimeout(() => {
    let n = 0;
    let promiseAt = -1;
    Promise.resolve().then(() => { promiseAt = n; });
    const step = () => { if (++n < 100000) process.nextTick(step); };
    process.nextTick(step);
    setTimeout(() => resolve([n, promiseAt]), 1);
  }, 1));
  assertEqual(result, [100000, 100000]);
});

test('buffer: toString past the longest string V8 makes is ERR_STRING_TOO_LONG, refused before decoding', async () => {
  const { constants: { MAX_STRING_LENGTH } } = await import('node:buffer');
  // Hex doubles the bytes: a quarter of a gigabyte is enough to pass the limit.
  const bytes = Buffer.allocUnsafe(Math.floor(MAX_STRING_LENGTH / 2) + 1);
  const tooLong = { code: 'ERR_STRING_TOO_LONG', name: 'Error', message: 'Cannot create a string longer than 0x1fffffe8 characters' };
  assert.throws(() => bytes.toString('hex'), tooLong);
  assert.throws(() => bytes.toString('hex', -5, Infinity), tooLong);
  // The range, not the buffer, is what is bounded; utf8 by its byte count.
  assertEqual(bytes.toString('hex', 0, 2).length, 4);
  assertEqual(bytes.toString('utf8', 0, 0), '');
});

test('util: parseArgs, styleText, getSystemErrorName/Map, MIMEType, parseEnv, inspect.colors; coded errors name their code', () => {
  const { values, positionals, tokens } = util.parseArgs({
    args: ['-vx', 'out.txt', '--level=3', '--tag', 'a', '--tag', 'b', 'input', '--', '--raw'],
    options: { verbose: { type: 'boolean', short: 'v' }, x: { type: 'string', short: 'x' },
      level: { type: 'string' }, tag: { type: 'string', multiple: true }, mode: { type: 'string', default: 'fast' } },
    allowPositionals: true, tokens: true,
  });
  assertEqual({ ...values }, { verbose: true, x: 'out.txt', level: '3', tag: ['a', 'b'], mode: 'fast' });
  assertEqual(positionals, ['input', '--raw']);
  assertEqual(tokens.map((t) => [t.kind, t.index]).slice(0, 3), [['option', 0], ['option', 0], ['option', 2]]);
  assertEqual(String(assertThrows(() => util.parseArgs({ args: ['--nope'] }))), "TypeError [ERR_PARSE_ARGS_UNKNOWN_OPTION]: Unknown option '--nope'");
  assertThrows(() => util.parseArgs({ args: ['--f', '-x'], options: { f: { type: 'string' } } }), /argument is ambiguous/);
  assertEqual(util.styleText(['bold', 'red'], 'hi', { validateStream: false }), '\u001b[1m\u001b[31mhi\u001b[39m\u001b[22m');
  assertEqual(assertThrows(() => util.styleText('nocolor', 'x')).code, 'ERR_INVALID_ARG_VALUE');
  assertEqual([util.getSystemErrorName(-2), util.getSystemErrorMap().get(-111)], ['ENOENT', ['ECONNREFUSED', 'connection refused']]);
  assertEqual(assertThrows(() => util.getSystemErrorName(2)).code, 'ERR_OUT_OF_RANGE');
  const mime = new util.MIMEType('Text/Plain; Charset="UTF-8"; q="a b"');
  assertEqual([mime.essence, mime.params.get('charset'), String(mime)], ['text/plain', 'UTF-8', 'text/plain;charset=UTF-8;q="a b"']);
  assertEqual(assertThrows(() => new util.MIMEType('text')).code, 'ERR_INVALID_MIME_SYNTAX');
  assertEqual(util.parseEnv('A=1\nexport B="two\\nlines"\n# note\nC=3 # trailing'), { A: '1', B: 'two\nlines', C: '3' });
  assertEqual([util.inspect.colors.red, util.inspect.colors.grey, util.inspect.styles.string], [[31, 39], [90, 39], 'green']);
  assertEqual(assertThrows(() => new util.MIMEType('x/y').params.set('', 'v')).code, 'ERR_INVALID_MIME_SYNTAX');
  assertEqual(String(assertThrows(() => util.getSystemErrorName('x'))).startsWith('TypeError [ERR_INVALID_ARG_TYPE]: '), true);
});

test('a coded error\'s stack has the frames Error.stackTraceLimit asks for, and the limit stays the program\'s', () => {
  const limit = Error.stackTraceLimit;
  const lines = () => assertThrows(() => Buffer.alloc(-1)).stack.split('\n');
  try {
    Error.stackTraceLimit = 3;
    const stack = lines();
    assertEqual([stack.length, stack[0].startsWith('RangeError [ERR_OUT_OF_RANGE]: '), Error.stackTraceLimit], [4, true, 3]);
    // A program may freeze the limit: errors are still made, with its frames.
    Object.defineProperty(Error, 'stackTraceLimit', { value: 2, writable: false, configurable: true });
    assertEqual([lines().length, Error.stackTraceLimit], [3, 2]);
  } finally {
    Object.defineProperty(Error, 'stackTraceLimit', { value: limit, writable: true, configurable: true, enumerable: true });
  }
});

test('perf_hooks, diagnostics_channel, stream/consumers, v8, vm, constants and sys load and work as Node\'s', async () => {
  const { performance: perf, createHistogram, monitorEventLoopDelay } = await import('node:perf_hooks');
  assertEqual(perf, globalThis.performance);
  const h = createHistogram();
  for (const v of [1, 2, 2, 3, 10]) h.record(v);
  assertEqual([h.count, h.min, h.max, h.mean, h.percentile(50), h.percentile(100)], [5, 1, 10, 3.6, 2, 10]);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, 15));   // the sampling timer has run once
  const busyUntil = Date.now() + 30;
  while (Date.now() < busyUntil);   // the loop busy for 30 ms: a sample at least 20 ms late
  await new Promise((resolve) => setTimeout(resolve, 30));
  delay.disable();
  assertEqual([delay.count > 0, delay.max > 20e6], [true, true]);

  const dc = (await import('node:diagnostics_channel')).default;
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const seen = [];
  const onMessage = (message, name) => seen.push([message, name]);
  dc.subscribe('rtjs.test', onMessage);
  dc.channel('rtjs.test').publish({ n: 1 });
  assertEqual([seen, dc.hasSubscribers('rtjs.test'), dc.unsubscribe('rtjs.test', onMessage), dc.hasSubscribers('rtjs.test')],
    [[[{ n: 1 }, 'rtjs.test']], true, true, false]);
  const store = new AsyncLocalStorage();
  const ch = dc.channel('rtjs.stores');
  ch.bindStore(store, (data) => data.id);
  assertEqual(ch.runStores({ id: 7 }, () => store.getStore()), 7);
  const events = [];
  const tracing = dc.tracingChannel('rtjs.op');
  tracing.subscribe({ start: () => events.push('start'), end: () => events.push('end'), asyncStart: () => events.push('asyncStart'),
    asyncEnd: () => events.push('asyncEnd'), error: (c) => events.push(`error ${c.error.message}`) });
  assertEqual(await tracing.tracePromise(async () => 6), 6);
  assertThrows(() => tracing.traceSync(() => { throw new Error('boom'); }), /boom/);
  assertEqual(events, ['start', 'end', 'asyncStart', 'asyncEnd', 'start', 'error boom', 'end']);

  const { text, json, buffer } = await import('node:stream/consumers');
  const { Readable } = await import('node:stream');
  assertEqual([await text(Readable.from(['a', 'é'])), await json(Readable.from(['{"x":', '1}'])),
    (await buffer(Readable.from([Buffer.from('hi')]))).toString()], ['aé', { x: 1 }, 'hi']);

  const v8 = (await import('node:v8')).default;
  const stats = v8.getHeapStatistics();
  assertEqual([typeof stats.used_heap_size, stats.heap_size_limit > stats.used_heap_size], ['number', true]);
  const value = { a: [1, 2n, new Map([[1, 'x']])], d: new Date(0), u: new Uint8Array([1, 2]) };
  assertEqual(util.isDeepStrictEqual(v8.deserialize(v8.serialize(value)), value), true);
  assertThrows(() => v8.deserialize(Buffer.from('not V8')), /deserialize/);

  const vm = (await import('node:vm')).default;
  assertEqual([vm.runInThisContext('1 + 2'), new vm.Script('typeof globalThis').runInThisContext(),
    vm.compileFunction('return a * b', ['a', 'b'])(6, 7)], [3, 'object', 42]);
  assertThrows(() => new vm.Script('let ='), /SyntaxError/);

  const constants = (await import('node:constants')).default;
  assertEqual([constants.ENOENT, constants.SIGTERM, constants.O_RDONLY], [2, 15, 0]);
  assertEqual((await import('node:sys')).format('%d', 3), '3');
  const os = (await import('node:os')).default;
  assertEqual([os.constants.signals.SIGKILL, os.constants.errno.EACCES], [9, 13]);
});
