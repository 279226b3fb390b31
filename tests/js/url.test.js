// URL and URLSearchParams (WHATWG URL): parsing against a base, hosts (IDNA through ICU,
// IPv4 forms, IPv6 compression), percent-encoding, setters, and the query list.
import { test, assertEqual, assertThrows } from './harness.js';

test('parses and resolves against a base, normalising dot segments and case', () => {
  const u = new URL('../c/./d?q=1#f', 'HTTP://User:Pw@EXAMPLE.com:80/a/b/');
  assertEqual(u.href, 'http://User:Pw@example.com/a/c/d?q=1#f');
  assertEqual([u.protocol, u.username, u.password, u.host, u.port, u.pathname, u.search, u.hash],
    ['http:', 'User', 'Pw', 'example.com', '', '/a/c/d', '?q=1', '#f']);
  assertEqual(u.origin, 'http://example.com');
  assertEqual(new URL('//h/p', 'https://x/').href, 'https://h/p');
  assertEqual(new URL('file:///C|/x/../y').href, 'file:///C:/y');
  assertEqual(new URL('mailto:a@b?x').pathname, 'a@b');
  assertEqual(JSON.stringify({ u: new URL('http://a/') }), '{"u":"http://a/"}');
});

test('hosts: IDNA to punycode (ICU), IPv4 in any radix, IPv6 compressed', () => {
  assertEqual(new URL('http://münchen.de/').host, 'xn--mnchen-3ya.de');
  assertEqual(new URL('http://EXAMPLE.ｃｏｍ/').host, 'example.com');
  assertEqual(new URL('http://0x7f.1/').host, '127.0.0.1');
  assertEqual(new URL('http://4294967295/').host, '255.255.255.255');
  assertEqual(new URL('http://[0:0:0:0:0:ffff:7f00:1]/').host, '[::ffff:7f00:1]');
  assertEqual(new URL('http://[1:0:0:2::3:0]/').host, '[1::2:0:0:3:0]');
  for (const bad of ['http://4294967296/', 'http://[::1/', 'http://a b/', 'http://%zz/', 'http://xn--a.xn--a--/', 'http://:80/']) {
    assertThrows(() => new URL(bad), /TypeError: Invalid URL/, bad);
  }
});

test('an invalid URL is a TypeError with code ERR_INVALID_URL and the input, as Node', () => {
  const e = assertThrows(() => new URL('nope'), /TypeError/);
  assertEqual([e.code, e.input], ['ERR_INVALID_URL', 'nope']);
  assertEqual(URL.canParse('nope'), false);
  assertEqual(URL.canParse('x', 'http://a/'), true);
  assertThrows(() => new URL(), /TypeError/);
});

test('percent-encoding per component; non-special schemes keep their path opaque', () => {
  const u = new URL('http://h/a b/ü?q=a b\'#f g`');
  assertEqual(u.pathname, '/a%20b/%C3%BC');
  assertEqual(u.search, '?q=a%20b%27');
  assertEqual(u.hash, '#f%20g%60');
  assertEqual(new URL('foo:  bar baz ').pathname, '  bar baz');
  assertEqual(new URL('non-spec:/.//p').href, 'non-spec:/.//p');
});

test('setters change the URL as the standard says, and leave it alone on failure', () => {
  const u = new URL('https://a.example:8080/p?q#h');
  u.protocol = 'http';
  assertEqual(u.href, 'http://a.example:8080/p?q#h');
  u.protocol = 'mailto'; // special to non-special: refused
  assertEqual(u.protocol, 'http:');
  u.port = '80';
  assertEqual(u.host, 'a.example');
  u.host = 'b.example:9';
  assertEqual(u.href, 'http://b.example:9/p?q#h');
  u.host = 'c.example:bad'; // the host is set, the bad port is not
  assertEqual(u.host, 'c.example:9');
  u.hostname = 'a b';
  assertEqual(u.hostname, 'c.example');
  u.pathname = '/x y/../z';
  u.search = 'k=v w';
  u.hash = '';
  u.username = 'us er';
  assertEqual(u.href, 'http://us%20er@c.example:9/z?k=v%20w');
  u.href = 'https://d/';
  assertEqual(u.host, 'd');
  assertThrows(() => { u.href = 'bad'; }, /TypeError/);
});

test('URLSearchParams: parse, encode, mutate, sort, iterate; it follows and drives its URL', () => {
  const p = new URLSearchParams('?a=1&b=x+y&a=%F0%9F%98%80&c');
  assertEqual([...p], [['a', '1'], ['b', 'x y'], ['a', '😀'], ['c', '']]);
  assertEqual(p.getAll('a'), ['1', '😀']);
  assertEqual([p.get('nope'), p.has('c'), p.has('a', '2'), p.size], [null, true, false, 4]);
  p.set('a', 'z');
  p.delete('c');
  p.append('b', 'é&=');
  p.sort();
  assertEqual(p.toString(), 'a=z&b=x+y&b=%C3%A9%26%3D');
  assertEqual(new URLSearchParams({ k: 'v', n: 1 }).toString(), 'k=v&n=1');
  assertEqual(new URLSearchParams([['x', 'y']]).get('x'), 'y');
  assertThrows(() => new URLSearchParams([['x']]), /TypeError/);
  const u = new URL('http://h/?a=1');
  u.searchParams.append('b', '2 3');
  assertEqual(u.href, 'http://h/?a=1&b=2+3');
  u.search = '?z=9';
  assertEqual(u.searchParams.get('z'), '9');
  u.searchParams.delete('z');
  assertEqual(u.href, 'http://h/');
});

test('URLSearchParams from a record: keys equal as USVStrings are one entry, in the first place, with the last value', () => {
  assertEqual([...new URLSearchParams({ '\uD835x': '1', xx: '2', '\uD83Dx': '3' })], [['\uFFFDx', '3'], ['xx', '2']]);
});
