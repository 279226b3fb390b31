// What node:https gives node:http's server to run over TLS: under this key of the server's
// options, a function making the listening server (node:net's createServer's signature).
export const kNetServer = Symbol('netServer');

/**
 * Node's check of a request's `agent` against its protocol ('http:' or 'https:'): an agent
 * made for the other one (its `protocol`) is ERR_INVALID_PROTOCOL, as Node's ClientRequest
 * throws, rather than a connection of the wrong kind.
 */
export function checkAgentProtocol(agent, protocol) {
  if (agent === undefined || agent === null || agent === false || typeof agent.protocol !== 'string') return;
  if (agent.protocol !== protocol) {
    const err = new TypeError(`Protocol "${protocol}" not supported. Expected "${agent.protocol}"`);
    err.code = 'ERR_INVALID_PROTOCOL';
    throw err;
  }
}
