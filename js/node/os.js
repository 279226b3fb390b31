// node:os (nodejs.org/api/os.html) as rtjs sees its machine.
import binding from 'rtjs:binding';
import process from './process.js';

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
export function totalmem() { return binding.heapStats()[1]; }
export function freemem() { const [, total, used] = binding.heapStats(); return Math.max(0, total - used); }
export function availableParallelism() { return cpus().length; }
export function cpus() {
  const count = typeof binding.cpuCount === 'number' ? binding.cpuCount : 1;
  return Array.from({ length: count }, () => ({ model: 'x86_64', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }));
}
export function networkInterfaces() {
  return { lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] };
}
export function userInfo() { return { uid: 0, gid: 0, username: 'root', homedir: '/', shell: null }; }
export function getPriority() { return 0; }
export function setPriority() {}
export const constants = Object.freeze({ signals: Object.freeze({}), errno: Object.freeze({}), priority: Object.freeze({}) });

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
