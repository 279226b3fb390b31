// What node:https gives node:http's server to run over TLS: under this key of the server's
// options, a function making the listening server (node:net's createServer's signature).
export const kNetServer = Symbol('netServer');
