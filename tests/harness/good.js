import { test, assertEqual } from '../js/harness.js';
test('one and one', () => assertEqual(1 + 1, 2));
