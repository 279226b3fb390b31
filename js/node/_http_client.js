// node:_http_client: the old module name of http.ClientRequest, which Node keeps.
import { ClientRequest } from './http.js';

export { ClientRequest };
export default { ClientRequest };
