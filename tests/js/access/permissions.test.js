// The permission vocabulary (js/services/access/permissions.js): parsing with clear errors,
// matching (ports and ranges, hosts and wildcards, path subtrees), attenuation (never more
// than the parent holds, and what was cut), revocation, the command line's flags.
import { test, assertEqual, assertThrows } from '../harness.js';
import {
  all, allows, attenuate, covers, fromFlags, normalizePath, parse, stringify, fromText, without, view,
} from 'rtjs:services/access/permissions.js';

const g = (p) => parse(p);

test('paths normalise as text: dots, repeated and trailing slashes; relative paths are refused', () => {
  assertEqual(normalizePath('/disk/photos/'), '/disk/photos');
  assertEqual(normalizePath('/disk//photos/./2024/..'), '/disk/photos');
  assertEqual(normalizePath('/../../etc'), '/etc');
  assertEqual(normalizePath('/'), '/');
  assertEqual(normalizePath('/a/b/../../..'), '/');
  assertEqual(normalizePath('disk/photos'), null);
  assertEqual(normalizePath('/a\0b'), null);
  assertEqual(normalizePath(42), null);
});

test('file subtrees: within, not beside; .. cannot climb out; write implies read', () => {
  const p = g({ fs: { read: ['/disk/photos/'], write: ['/tmp'] } });
  assertEqual(allows(p, 'fs.read', '/disk/photos'), true);
  assertEqual(allows(p, 'fs.read', '/disk/photos/2024/a.jpg'), true);
  assertEqual(allows(p, 'fs.read', '/disk/photos-private/a.jpg'), false, 'a sibling with the same prefix');
  assertEqual(allows(p, 'fs.read', '/disk/photos/../secret'), false, '.. out of the subtree');
  assertEqual(allows(p, 'fs.read', '/disk'), false);
  assertEqual(allows(p, 'fs.read', '/tmp/x'), true, 'write implies read');
  assertEqual(allows(p, 'fs.write', '/disk/photos/a'), false);
  assertEqual(allows(p, 'fs.write', '/tmp/../disk/photos/a'), false);
  assertEqual(allows(p, 'fs.read', 'disk/photos'), false, 'a relative path is not allowed');
  assertEqual(allows(p, 'fs.read', '/DISK/PHOTOS/a.jpg'), false, 'grants compare with case');
});

test('traversing: directories above a grant and within it, not beside it', () => {
  const p = g({ fs: { read: ['/disk/photos'], write: ['/tmp/work'] } });
  for (const [path, ok] of [['/', true], ['/disk', true], ['/disk/photos', true], ['/disk/photos/2024', true],
    ['/disk/music', false], ['/tmp', true], ['/tmp/other', false], ['/disk/photo', false]]) {
    assertEqual(allows(p, 'fs.traverse', path), ok, path);
  }
});

test('ports: single, ranges, *; nothing outside', () => {
  const p = g({ net: { listen: ['8080', '1024-2000', 443] } });
  for (const [port, ok] of [[8080, true], [8081, false], [1024, true], [2000, true], [2001, false], [1023, false], [443, true], [0, false], [70000, false], [-1, false], [1.5, false]]) {
    assertEqual(allows(p, 'net.listen', port), ok, `port ${port}`);
  }
  assertEqual(allows(g({ net: { listen: ['*'] } }), 'net.listen', 0), true);
});

test('hosts: exact (any case, trailing dot), *.domain, IPv4 blocks, *; ports per entry', () => {
  const p = g({ net: { connect: ['10.0.2.2:80', '*:443', '*.Example.com:*', 'db.local:5432-5433', '192.168.0.0/16:22'] } });
  const ok = (host, port, address) => allows(p, 'net.connect', { host, port, address });
  assertEqual(ok('10.0.2.2', 80), true);
  assertEqual(ok('10.0.2.2', 81), false);
  assertEqual(ok('anything.org', 443), true);
  assertEqual(ok('www.example.com', 8080), true);
  assertEqual(ok('WWW.EXAMPLE.COM.', 8080), true);
  assertEqual(ok('example.com', 8080), false, '*.example.com is the subdomains');
  assertEqual(ok('evilexample.com', 8080), false);
  assertEqual(ok('db.local', 5433), true);
  assertEqual(ok('db.local', 5434), false);
  assertEqual(ok('192.168.4.5', 22), true);
  assertEqual(ok('192.169.0.1', 22), false);
  assertEqual(ok('some.name', 22, '192.168.1.1'), true, 'the resolved address counts');
  assertEqual(allows(p, 'net.connect', '10.0.2.2:80'), true, "'host:port' as text");
  assertEqual(allows(p, 'net.raw'), false);
});

test('environment names and prefixes; switches', () => {
  const p = g({ env: ['HOME', 'LC_*'], spawn: true });
  assertEqual(allows(p, 'env', 'HOME'), true);
  assertEqual(allows(p, 'env', 'home'), false);
  assertEqual(allows(p, 'env', 'LC_ALL'), true);
  assertEqual(allows(p, 'env', 'PATH'), false);
  assertEqual(allows(p, 'spawn'), true);
  assertEqual(allows(p, 'power'), false);
  assertEqual(allows(g({ env: true }), 'env', 'PATH'), true);
});

test('hardware ranges and PCI functions', () => {
  const p = g({ hw: { ports: [[0x60, 5]], irqs: [1, 12], pci: ['8086:100e', 'class:02'] } });
  assertEqual(allows(p, 'hw.ports', [0x60, 5]), true);
  assertEqual(allows(p, 'hw.ports', [0x60, 6]), false);
  assertEqual(allows(p, 'hw.irqs', 12), true);
  assertEqual(allows(p, 'hw.irqs', 13), false);
  assertEqual(allows(p, 'hw.pci', { id: '8086:100E', class: '0300' }), true);
  assertEqual(allows(p, 'hw.pci', { id: '1af4:1041', class: '0200' }), true, 'by class');
  assertEqual(allows(p, 'hw.pci', { id: '1af4:1042', class: '0100' }), false);
  assertEqual(allows(p, 'hw.memory', [0, 4096]), false);
});

test('bad entries are errors naming the entry', () => {
  assertThrows(() => parse({ net: { listen: ['80', '99999'] } }), /permissions\.net\.listen\[1\]: '99999' is not a port/);
  assertThrows(() => parse({ net: { connect: ['example.com'] } }), /net\.connect\[0\]: 'example.com' is not 'host:port'/);
  assertThrows(() => parse({ net: { connect: ['exa mple.com:80'] } }), /net\.connect\[0\]/);
  assertThrows(() => parse({ fs: { read: ['photos'] } }), /fs\.read\[0\]: 'photos' is not an absolute path/);
  assertThrows(() => parse({ fs: { rw: ['/'] } }), /permissions\.fs: unknown permission 'rw'/);
  assertThrows(() => parse({ network: true }), /unknown permission 'network'/);
  assertThrows(() => parse({ spawn: 'yes' }), /permissions\.spawn: 'yes' is not true or false/);
  assertThrows(() => parse({ env: ['A-B'] }), /env\[0\]: 'A-B' is not a variable name/);
  assertThrows(() => parse({ hw: { ports: [[0xfff0, 0x20]] } }), /hw\.ports\[0\]/);
  assertThrows(() => parse([]), /is not an object/);
  assertThrows(() => parse({ net: { listen: '80' } }), /net\.listen: '80' is not a list/);
  const err = assertThrows(() => parse({ fs: { read: [1] } }, 'app.json'), /^TypeError: app\.json\.fs\.read\[0\]/);
  assertEqual(err.code, 'ERR_INVALID_ARG_VALUE');
});

test('attenuation: the intersection, and what was cut', () => {
  const parent = g({ net: { listen: ['1024-65535'], connect: ['*.example.com:*', '10.0.0.0/8:80'] }, fs: { read: ['/disk'], write: ['/tmp'] }, env: ['LC_*'], spawn: true });
  const r = attenuate(parent, g({
    net: { listen: ['80', '8000-9000'], connect: ['*:443', 'api.example.com:80', '10.1.2.3:80'], raw: true },
    fs: { read: ['/', '/tmp/a'], write: ['/disk/x'] },
    env: ['LC_ALL', 'HOME', '*'],
    spawn: true,
    power: true,
  }));
  const grant = view(r.grant), cut = Array.from(r.cut);
  assertEqual(grant.net.listen, ['8000-9000']);
  assertEqual(grant.net.connect, ['*.example.com:443', 'api.example.com:80', '10.1.2.3:80']);
  assertEqual(grant.net.raw, false);
  assertEqual(grant.fs.read, ['/disk', '/tmp', '/tmp/a']);
  assertEqual(grant.fs.write, []);
  assertEqual(grant.env, ['LC_ALL', 'LC_*']);
  assertEqual(grant.spawn, true);
  assertEqual(grant.power, false);
  assertEqual(cut, [
    "net.listen '80' (held: none)",
    "net.connect '*:443' (held: '*.example.com:443')",
    "fs.read '/' (held: '/disk', '/tmp')",
    "fs.write '/disk/x' (held: none)",
    "env 'HOME' (held: none)",
    "env '*' (held: 'LC_*')",
    'net.raw',
    'power',
  ]);
  assertEqual(covers(parent, r.grant), true, 'the result is within the parent');
  assertEqual(covers(r.grant, parent), false);
  assertEqual(attenuate(all(), parent).cut.length, 0);
});

test('revocation: an entry goes, a part of a broader entry is denied; the text round-trips', () => {
  const p = g({ net: { connect: ['*:*', '10.0.2.2:80'] }, fs: { read: ['/disk'], write: ['/disk/photos'] }, power: true });
  const q = without(p, g({ net: { connect: ['10.0.2.2:80'] }, fs: { read: ['/disk/Photos'] }, power: true }));
  assertEqual(allows(q, 'net.connect', '10.0.2.2:80'), false);
  assertEqual(allows(q, 'net.connect', '10.0.2.2:81'), true);
  assertEqual(allows(q, 'fs.read', '/disk/photos/a'), false, 'a revoked subtree is compared without case');
  assertEqual(allows(q, 'fs.write', '/disk/photos/a'), false, 'no writing where reading was revoked');
  assertEqual(allows(q, 'fs.read', '/disk/music'), true);
  assertEqual(allows(q, 'power'), false);
  const back = fromText(stringify(q));
  assertEqual(allows(back, 'fs.read', '/DISK/PHOTOS/x'), false);
  assertEqual(allows(back, 'net.connect', '10.0.2.2:80'), false);
  assertEqual(attenuate(q, g({ fs: { read: ['/disk/photos'] } })).grant.deny['fs.read'].length > 0, true,
    'a child of a revoked app carries the denial');
  assertEqual(allows(attenuate(q, g({ fs: { read: ['/disk'] } })).grant, 'fs.read', '/disk/photos/y'), false);
});

test('a polluted realm does not change a grant', () => {
  const saved = Object.getOwnPropertyDescriptor(Object.prototype, 'power');
  Object.defineProperty(Object.prototype, 'power', { configurable: true, get: () => true, set() {} });
  Object.defineProperty(Array.prototype, 0, { configurable: true, get: () => '*', set() {} });
  const join = Array.prototype.join;
  Array.prototype.join = () => ' net.listen power ';
  try {
    const p = g({ net: { listen: ['80'] } });
    assertEqual(allows(p, 'power'), false);
    assertEqual(allows(p, 'net.listen', 81), false);
    assertEqual(allows(fromText(stringify(p)), 'net.listen', 81), false);
    assertEqual(attenuate(p, g({ power: true })).grant.power, false);
  } finally {
    delete Object.prototype.power;
    delete Array.prototype[0];
    Array.prototype.join = join;
    if (saved) Object.defineProperty(Object.prototype, 'power', saved);
  }
});

test('command-line flags', () => {
  assertEqual(fromFlags([]), undefined, 'no flags: unrestricted');
  assertEqual(covers(fromFlags(['-A']), all()), true);
  const none = fromFlags(['--permission']);
  assertEqual(allows(none, 'net.listen', 80) || allows(none, 'fs.read', '/') || allows(none, 'spawn'), false);
  const p = fromFlags(['--allow-net=10.0.2.2:80,:8080,example.com,raw', '--allow-read=/disk,/tmp/', '--allow-env=HOME', '--allow-run']);
  assertEqual(allows(p, 'net.connect', '10.0.2.2:80'), true);
  assertEqual(allows(p, 'net.connect', 'example.com:443'), true, 'a host without a port: any port');
  assertEqual(allows(p, 'net.listen', 8080), true);
  assertEqual(allows(p, 'net.raw'), true);
  assertEqual(allows(p, 'fs.read', '/tmp/x'), true);
  assertEqual(allows(p, 'fs.write', '/tmp/x'), false);
  assertEqual(allows(p, 'env', 'HOME'), true);
  assertEqual(allows(p, 'spawn'), true);
  assertEqual(allows(p, 'power'), false);
  assertEqual(allows(fromFlags(['--allow-net']), 'net.raw'), false, 'raw frames only by name');
  assertThrows(() => fromFlags(['--allow-net=:99999']), /--allow-net=:99999: '99999' is not a port/);
  assertThrows(() => fromFlags(['--allow-read=relative']), /--allow-read=relative: 'relative' is not an absolute path/);
});

test('a view is plain, frozen data', () => {
  const v = view(g({ net: { listen: ['80'] } }));
  assertEqual(v.net.listen, ['80']);
  assertEqual(Object.isFrozen(v.net.listen), true);
  assertEqual(Object.getPrototypeOf(v), Object.prototype);
});
