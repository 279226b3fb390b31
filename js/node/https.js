// node:https: present so that packages load; each call fails with ENOSYS until rtjs has a
// TCP/IP stack.
import { unavailable } from '../internal/modules/unavailable.js';

const https = unavailable('https', ['createServer', 'request', 'get', 'Agent', 'Server'], 'rtjs has no TCP/IP stack yet');
export const { createServer, request, get, Agent, Server } = https;
export default https;
