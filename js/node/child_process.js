// node:child_process: rtjs runs no programs of a host and has no processes to fork, so
// every call fails with ERR_FEATURE_UNAVAILABLE_ON_PLATFORM naming it. The module loads,
// so that packages which only may start a child (commander's executable subcommands,
// tools' optional helpers) load and run unchanged. Apps start apps with rt.spawn.
import { codedError } from '../internal/modules/errors.js';

function unavailable(name) {
  return {
    [name]() {
      throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
        `child_process.${name}() is not supported on rtjs: it runs no host programs (apps start apps with rt.spawn)`);
    },
  }[name];
}

export const spawn = unavailable('spawn');
export const spawnSync = unavailable('spawnSync');
export const exec = unavailable('exec');
export const execSync = unavailable('execSync');
export const execFile = unavailable('execFile');
export const execFileSync = unavailable('execFileSync');
export const fork = unavailable('fork');
export class ChildProcess {
  constructor() { unavailable('ChildProcess')(); }
}
export default { spawn, spawnSync, exec, execSync, execFile, execFileSync, fork, ChildProcess };
