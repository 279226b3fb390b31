// For the apps the simulator's screen tests run: waitFor polls `ready` (which may return a
// promise) until it holds and then calls `then`; past the hang guard it prints FAIL with
// `failure` and ends the app with status 1. No step depends on how long it takes within it.
import fs from 'node:fs';

const POLL_MS = 50;
const HANG_GUARD_MS = 90000;
const started = performance.now();

export function waitFor(ready, failure, then) {
  const poll = async () => {
    if (await ready()) return then();
    if (performance.now() - started > HANG_GUARD_MS) {
      console.log(`FAIL: ${failure}`);
      rt.exit(1);
    }
    setTimeout(poll, POLL_MS);
  };
  poll();
}

// Whether a file is there (node:fs over the file service is asynchronous).
export const exists = (path) => fs.promises.access(path).then(() => true, () => false);
