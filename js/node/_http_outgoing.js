// node:_http_outgoing: the old module name of http.OutgoingMessage and its header checks,
// which Node keeps.
import { OutgoingMessage, validateHeaderName, validateHeaderValue } from './http.js';

export { OutgoingMessage, validateHeaderName, validateHeaderValue };
export default { OutgoingMessage, validateHeaderName, validateHeaderValue };
