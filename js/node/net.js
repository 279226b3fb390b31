// node:net: present so that packages load; each call fails with ENOSYS until rtjs has a
// TCP/IP stack.
import { unavailable } from '../internal/modules/unavailable.js';

const net = unavailable('net', ['createServer', 'createConnection', 'connect', 'Socket', 'Server'], 'rtjs has no TCP/IP stack yet');
export const { createServer, createConnection, connect, Socket, Server } = net;
export default net;
