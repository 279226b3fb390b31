// node:os (nodejs.org/api/os.html) as rtjs sees its machine.
import binding from 'rtjs:binding';
import process from './process.js';
import { invalidArgType, outOfRange, systemError } from '../internal/node-errors.js';
import { ERRNO_CONSTANTS, SIGNALS } from '../internal/errno.js';

export const EOL = '\n';
export const devNull = '/dev/null';
export function platform() { return 'linux'; }
export function type() { return 'Linux'; }
export function arch() { return 'x64'; }
export function machine() { return 'x86_64'; }
export function release() { return 'rtjs'; }
export function version() { return 'rtjs'; }
export function hostname() { return 'rtjs'; }
export function homedir() { return '/'; }
// As Node on POSIX: TMPDIR, TMP or TEMP from the app's environment, else /tmp; no
// trailing slash.
export function tmpdir() {
  const path = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
export function endianness() { return 'LE'; }
export function uptime() { return process.uptime(); }
export function loadavg() { return [0, 0, 0]; }
// The machine's memory, not the app's heap: packages size caches and pools from these.
export function totalmem() { return binding.memoryInfo()[0]; }
export function freemem() { return binding.memoryInfo()[1]; }
export function availableParallelism() { return cpus().length; }
export function cpus() {
  const count = typeof binding.cpuCount === 'number' ? binding.cpuCount : 1;
  return Array.from({ length: count }, () => ({ model: 'x86_64', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }));
}
export function networkInterfaces() {
  return { lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] };
}
export function userInfo() { return { uid: 0, gid: 0, username: 'root', homedir: '/', shell: null }; }

// Scheduling priority, as nice values (Node's os.constants.priority, POSIX setpriority(2)).
const priority = Object.freeze({
  PRIORITY_LOW: 19, PRIORITY_BELOW_NORMAL: 10, PRIORITY_NORMAL: 0,
  PRIORITY_ABOVE_NORMAL: -7, PRIORITY_HIGH: -14, PRIORITY_HIGHEST: -20,
});
// Linux's errno values (asm-generic/errno-base.h); libuv reports them negated.
const ESRCH = 3;
const ENOSYS = 38;

// The app itself: pid 0 (or none) and its own id, as a process names itself.
function checkPid(pid) {
  if (pid === undefined) return 0;
  if (typeof pid !== 'number') throw invalidArgType('pid', 'number', pid);
  if (!Number.isInteger(pid)) throw outOfRange('pid', 'an integer', pid);
  if (pid < -(2 ** 31) || pid >= 2 ** 31) throw outOfRange('pid', '>= -2147483648 && <= 2147483647', pid);
  return pid;
}

function isSelf(pid) { return pid === 0 || pid === process.pid; }

/**
 * The app's priority: 0 (PRIORITY_NORMAL). Apps share their engine's thread, which the
 * kernel schedules at one priority, so every app has the same; another pid is ESRCH, as
 * apps are not processes whose priority could be read.
 */
export function getPriority(pid) {
  pid = checkPid(pid);
  if (!isSelf(pid)) throw systemError('uv_os_getpriority', 'ESRCH', -ESRCH, 'no such process');
  return priority.PRIORITY_NORMAL;
}

/**
 * Setting the priority it has (0) succeeds; any other is ENOSYS: an app cannot run at a
 * priority of its own while it shares an engine thread with other apps.
 */
export function setPriority(pid, value) {
  if (value === undefined) {
    value = pid;
    pid = 0;
  }
  pid = checkPid(pid);
  if (typeof value !== 'number') throw invalidArgType('priority', 'number', value);
  if (!Number.isInteger(value)) throw outOfRange('priority', 'an integer', value);
  if (value < priority.PRIORITY_HIGHEST || value > priority.PRIORITY_LOW) {
    throw outOfRange('priority', `>= ${priority.PRIORITY_HIGHEST} && <= ${priority.PRIORITY_LOW}`, value);
  }
  if (!isSelf(pid)) throw systemError('uv_os_setpriority', 'ESRCH', -ESRCH, 'no such process');
  if (value !== priority.PRIORITY_NORMAL) {
    throw systemError('uv_os_setpriority', 'ENOSYS', -ENOSYS, 'function not implemented');
  }
}

// Node's lists, with Linux's numbers: what packages map signal names and error codes with.
export const constants = Object.freeze({ signals: SIGNALS, errno: ERRNO_CONSTANTS, priority });

const os = {
  platform, type, arch, machine, release, version, hostname, homedir, tmpdir, endianness,
  uptime, loadavg, totalmem, freemem, availableParallelism, cpus, networkInterfaces, userInfo,
  getPriority, setPriority,
};
// As Node's module object: EOL and devNull are read-only, constants fixed.
Object.defineProperties(os, {
  constants: { configurable: false, enumerable: true, value: constants },
  EOL: { configurable: true, enumerable: true, writable: false, value: EOL },
  devNull: { configurable: true, enumerable: true, writable: false, value: devNull },
});
export default os;
