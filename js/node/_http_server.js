// node:_http_server: the old module name of http.Server, ServerResponse and STATUS_CODES,
// which Node keeps.
import { Server, ServerResponse, STATUS_CODES } from './http.js';

export { Server, ServerResponse, STATUS_CODES };
export default { Server, ServerResponse, STATUS_CODES };
