// node:_http_common: the old module of HTTP's shared checks, which Node keeps: a token
// (RFC 9110 5.6.2) and a header value's characters. Node's parser class is not offered.
import { METHODS, isHttpToken, hasInvalidHeaderChar } from './http.js';

export const _checkIsHttpToken = isHttpToken;
export const _checkInvalidHeaderChar = hasInvalidHeaderChar;
export const methods = METHODS;
export const CRLF = '\r\n';
export const chunkExpression = /(?:^|\W)chunked(?:$|\W)/i;
export const continueExpression = /(?:^|\W)100-continue(?:$|\W)/i;
export default { _checkIsHttpToken, _checkInvalidHeaderChar, methods, CRLF, chunkExpression, continueExpression };
