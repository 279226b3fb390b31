// node:_http_agent: the old module name of http.Agent and the global agent, which Node keeps.
import { Agent, globalAgent } from './http.js';

export { Agent, globalAgent };
export default { Agent, globalAgent };
