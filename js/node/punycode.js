// node:punycode (nodejs.org/api/punycode.html, deprecated in Node but still required by
// packages): RFC 3492 Punycode and the label-wise toASCII/toUnicode of domain names.
import { decode, encode, toASCII, toUnicode, ucs2 } from '../internal/punycode.js';

// The version of the punycode.js package whose API Node's module offers.
export const version = '2.1.0';
export { decode, encode, toASCII, toUnicode, ucs2 };
export default { version, ucs2, decode, encode, toASCII, toUnicode };
