// node:_http_incoming: the old module name of http.IncomingMessage, which Node keeps.
import { IncomingMessage } from './http.js';

export { IncomingMessage };
export default { IncomingMessage };
