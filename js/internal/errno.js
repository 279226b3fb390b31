// System error names, numbers and descriptions as Node reports them: libuv's error set
// (uv.h's UV_E* names, with the descriptions uv_strerror gives), numbered as on Linux,
// where a libuv error is the negated errno (asm-generic/errno-base.h, errno.h); the
// EAI_* (getaddrinfo), UNKNOWN, EOF, ECHARSET and EFTYPE ones are libuv's own, below
// -3000. util.getSystemErrorName/getSystemErrorMap and os.constants read this one table.

/** [name, errno (negative), description] */
export const SYSTEM_ERRORS = Object.freeze([
  ["E2BIG", -7, "argument list too long"],
  ["EACCES", -13, "permission denied"],
  ["EADDRINUSE", -98, "address already in use"],
  ["EADDRNOTAVAIL", -99, "address not available"],
  ["EAFNOSUPPORT", -97, "address family not supported"],
  ["EAGAIN", -11, "resource temporarily unavailable"],
  ["EAI_ADDRFAMILY", -3000, "address family not supported"],
  ["EAI_AGAIN", -3001, "temporary failure"],
  ["EAI_BADFLAGS", -3002, "bad ai_flags value"],
  ["EAI_BADHINTS", -3013, "invalid value for hints"],
  ["EAI_CANCELED", -3003, "request canceled"],
  ["EAI_FAIL", -3004, "permanent failure"],
  ["EAI_FAMILY", -3005, "ai_family not supported"],
  ["EAI_MEMORY", -3006, "out of memory"],
  ["EAI_NODATA", -3007, "no address"],
  ["EAI_NONAME", -3008, "unknown node or service"],
  ["EAI_OVERFLOW", -3009, "argument buffer overflow"],
  ["EAI_PROTOCOL", -3014, "resolved protocol is unknown"],
  ["EAI_SERVICE", -3010, "service not available for socket type"],
  ["EAI_SOCKTYPE", -3011, "socket type not supported"],
  ["EALREADY", -114, "connection already in progress"],
  ["EBADF", -9, "bad file descriptor"],
  ["EBUSY", -16, "resource busy or locked"],
  ["ECANCELED", -125, "operation canceled"],
  ["ECHARSET", -4080, "invalid Unicode character"],
  ["ECONNABORTED", -103, "software caused connection abort"],
  ["ECONNREFUSED", -111, "connection refused"],
  ["ECONNRESET", -104, "connection reset by peer"],
  ["EDESTADDRREQ", -89, "destination address required"],
  ["EEXIST", -17, "file already exists"],
  ["EFAULT", -14, "bad address in system call argument"],
  ["EFBIG", -27, "file too large"],
  ["EFTYPE", -4028, "inappropriate file type or format"],
  ["EHOSTDOWN", -112, "host is down"],
  ["EHOSTUNREACH", -113, "host is unreachable"],
  ["EILSEQ", -84, "illegal byte sequence"],
  ["EINTR", -4, "interrupted system call"],
  ["EINVAL", -22, "invalid argument"],
  ["EIO", -5, "i/o error"],
  ["EISCONN", -106, "socket is already connected"],
  ["EISDIR", -21, "illegal operation on a directory"],
  ["ELOOP", -40, "too many symbolic links encountered"],
  ["EMFILE", -24, "too many open files"],
  ["EMLINK", -31, "too many links"],
  ["EMSGSIZE", -90, "message too long"],
  ["ENAMETOOLONG", -36, "name too long"],
  ["ENETDOWN", -100, "network is down"],
  ["ENETUNREACH", -101, "network is unreachable"],
  ["ENFILE", -23, "file table overflow"],
  ["ENOBUFS", -105, "no buffer space available"],
  ["ENODATA", -61, "no data available"],
  ["ENODEV", -19, "no such device"],
  ["ENOENT", -2, "no such file or directory"],
  ["ENOMEM", -12, "not enough memory"],
  ["ENONET", -64, "machine is not on the network"],
  ["ENOPROTOOPT", -92, "protocol not available"],
  ["ENOSPC", -28, "no space left on device"],
  ["ENOSYS", -38, "function not implemented"],
  ["ENOTCONN", -107, "socket is not connected"],
  ["ENOTDIR", -20, "not a directory"],
  ["ENOTEMPTY", -39, "directory not empty"],
  ["ENOTSOCK", -88, "socket operation on non-socket"],
  ["ENOTSUP", -95, "operation not supported on socket"],
  ["ENOTTY", -25, "inappropriate ioctl for device"],
  ["ENXIO", -6, "no such device or address"],
  ["EOF", -4095, "end of file"],
  ["EOVERFLOW", -75, "value too large for defined data type"],
  ["EPERM", -1, "operation not permitted"],
  ["EPIPE", -32, "broken pipe"],
  ["EPROTO", -71, "protocol error"],
  ["EPROTONOSUPPORT", -93, "protocol not supported"],
  ["EPROTOTYPE", -91, "protocol wrong type for socket"],
  ["ERANGE", -34, "result too large"],
  ["EREMOTEIO", -121, "remote I/O error"],
  ["EROFS", -30, "read-only file system"],
  ["ESHUTDOWN", -108, "cannot send after transport endpoint shutdown"],
  ["ESOCKTNOSUPPORT", -94, "socket type not supported"],
  ["ESPIPE", -29, "invalid seek"],
  ["ESRCH", -3, "no such process"],
  ["ETIMEDOUT", -110, "connection timed out"],
  ["ETXTBSY", -26, "text file is busy"],
  ["EUNATCH", -49, "protocol driver not attached"],
  ["EXDEV", -18, "cross-device link not permitted"],
  ["UNKNOWN", -4094, "unknown error"],
].map(Object.freeze));

// Linux signal numbers (signal(7), x86-64), as os.constants.signals lists them.
export const SIGNALS = Object.freeze({
  __proto__: null,
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7,
  SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14,
  SIGTERM: 15, SIGCHLD: 17, SIGSTKFLT: 16, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21,
  SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28,
  SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31,
});

// libuv's own codes sit below this; the rest are errno values negated.
const kUvOwnBase = -3000;

/** os.constants.errno: each errno name with its (positive) Linux number. */
export const ERRNO_CONSTANTS = Object.freeze(Object.fromEntries(
  SYSTEM_ERRORS.filter(([, errno]) => errno > kUvOwnBase).map(([name, errno]) => [name, -errno])));

/** util.getSystemErrorMap(): a new Map of errno -> [name, description]. */
export function systemErrorMap() {
  return new Map(SYSTEM_ERRORS.map(([name, errno, text]) => [errno, [name, text]]));
}

const byNumber = new Map(SYSTEM_ERRORS.map(([name, errno, text]) => [errno, [name, text]]));

/** The [name, description] of a negative errno, or undefined. */
export function systemError(errno) { return byNumber.get(errno); }
