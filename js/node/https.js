// node:https: present so that packages load; each call fails with ENOSYS until rtjs has
// TLS (node:http and node:net run over the network service).
import { unavailable } from '../internal/modules/unavailable.js';

const https = unavailable('https', ['createServer', 'request', 'get', 'Agent', 'Server'], 'rtjs has no TLS yet (http: works)');
export const { createServer, request, get, Agent, Server } = https;
export default https;
