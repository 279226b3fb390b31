// node:http: present so that packages load; each call fails with ENOSYS until rtjs has a
// TCP/IP stack.
import { unavailable } from '../internal/modules/unavailable.js';

const http = unavailable('http', ['createServer', 'request', 'get', 'Agent', 'Server'], 'rtjs has no TCP/IP stack yet');
export const { createServer, request, get, Agent, Server } = http;
export default http;
