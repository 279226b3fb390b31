// node:dgram: present so that packages load; each call fails with ENOSYS until rtjs has a
// TCP/IP stack.
import { unavailable } from '../internal/modules/unavailable.js';

const dgram = unavailable('dgram', ['createSocket', 'Socket'], 'rtjs has no TCP/IP stack yet');
export const { createSocket, Socket } = dgram;
export default dgram;
