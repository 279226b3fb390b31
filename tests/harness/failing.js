import { test, assertEqual } from '../js/harness.js';
test('passes', () => {});
test('fails', () => assertEqual(1 + 1, 3));
