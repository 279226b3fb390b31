// node:assert/strict: assert in strict mode (equal is strictEqual, and so on).
import { strict } from '../assert.js';

export const {
  ok, fail, AssertionError, throws, doesNotThrow, rejects, doesNotReject, match, doesNotMatch, ifError,
  strictEqual, notStrictEqual, deepStrictEqual, notDeepStrictEqual, equal, notEqual, deepEqual, notDeepEqual,
} = strict;
export default strict;
