// node:child_process: rtjs runs no programs of a host and has no processes to fork, so
// every call fails with ERR_FEATURE_UNAVAILABLE_ON_PLATFORM naming it. The module loads,
// so that packages which only may start a child (commander's executable subcommands,
// tools' optional helpers) load and run unchanged. Apps start apps with rt.spawn.
import { unavailable, unavailableClass } from '../internal/unavailable.js';

const WHY = 'it runs no host programs (apps start apps with rt.spawn)';

export const spawn = unavailable('child_process', 'spawn', WHY);
export const spawnSync = unavailable('child_process', 'spawnSync', WHY);
export const exec = unavailable('child_process', 'exec', WHY);
export const execSync = unavailable('child_process', 'execSync', WHY);
export const execFile = unavailable('child_process', 'execFile', WHY);
export const execFileSync = unavailable('child_process', 'execFileSync', WHY);
export const fork = unavailable('child_process', 'fork', WHY);
export const ChildProcess = unavailableClass('child_process', 'ChildProcess', WHY);
export default { spawn, spawnSync, exec, execSync, execFile, execFileSync, fork, ChildProcess };
