// path.matchesGlob beyond Node's own test file: braces, extglobs, POSIX classes, dot files,
// `**`, `.` and `..` in the path, backslashes. Every expectation is what Node 20 gives: this
// file also runs under Node (`node node-path-glob.test.js`) and passes there.
import { test, assertEqual, assertThrows } from './harness.js';
import path from 'node:path';

// [path, pattern, Node's answer]
const POSIX = [
  ['foo/bar/baz', 'foo/[!bcr]ar/baz', false], ['foo', 'foo/**', false], ['', '*', false],
  ['.hidden', '*', false], ['a/.b/c', 'a/**/c', false], ['a/b/c/d', 'a/**/d', true], ['a/d', 'a/**/d', true],
  ['x.ts', '*.{js,ts}', true], ['file3', 'file{1..5}', true], ['file10', 'file{1..20..3}', true],
  ['abd', '!(abc)', true], ['abc', '!(abc)', false], ['aaa', '+(a)', true], ['a/b', 'a?b', false],
  ['1', '[[:digit:]]', true], ['.a', '.*', true], ['a[b', 'a[b', true], ['x/y', '**', true], ['.x', '**', false],
  ['abc', 'a\\bc', false], ['a]b', 'a[]]b', true], ['a-b', 'a[a-]b', true], ['foo.txt', '!(*.js)', true],
  ['foo.js', '!(*.js)', false], ['a/b/../c', 'a/**/c', true], ['a/./c', 'a/**/c', true], ['/a/b', '/*/b', true],
  ['x/a.min.js', '**/*.min.js', true],
];
const WIN32 = [
  ['foo\\bar\\baz', 'foo/**', true], ['FOO\\Bar', 'foo\\bar', false], ['C:\\x\\y.txt', 'C:\\**\\*.txt', true],
];

test('path.matchesGlob: minimatch syntax as Node matches it', () => {
  assertEqual(POSIX.map(([p, g]) => [p, g, path.posix.matchesGlob(p, g)]), POSIX);
  assertEqual(WIN32.map(([p, g]) => [p, g, path.win32.matchesGlob(p, g)]), WIN32);
  assertThrows(() => path.matchesGlob('a', null), /"pattern" argument must be of type string/);
});
