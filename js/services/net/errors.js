// Errors of the network stack: Node's system-error shape (code, errno, syscall, address,
// port) so that programs written for Node check them the same way.

const ERRNO = { ECONNREFUSED: -111, ECONNRESET: -104, ETIMEDOUT: -110, EADDRINUSE: -98, EADDRNOTAVAIL: -99,
  ENETUNREACH: -101, EHOSTUNREACH: -113, EPIPE: -32, EINVAL: -22, ENOTFOUND: -3008, EMSGSIZE: -90,
  ENOTCONN: -107, EACCES: -13, ENOBUFS: -105 };

/**
 * @param {string} code Node's error code (ECONNREFUSED, ...)
 * @param {string} syscall the operation (connect, bind, send, getaddrinfo, ...)
 * @param {string} detail what and why, in words
 * @param {{ address?: string, port?: number, hostname?: string }} where
 */
export function netError(code, syscall, detail, where = {}) {
  const target = where.hostname ?? (where.address !== undefined ? `${where.address}${where.port !== undefined ? `:${where.port}` : ''}` : '');
  const err = new Error(`${syscall} ${code}${target ? ` ${target}` : ''}${detail ? `: ${detail}` : ''}`);
  err.code = code;
  err.errno = ERRNO[code];
  err.syscall = syscall;
  for (const k of ['address', 'port', 'hostname']) if (where[k] !== undefined) err[k] = where[k];
  return err;
}
