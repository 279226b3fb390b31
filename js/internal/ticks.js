// process.nextTick's queue. Node runs it after every callback from native code and ahead of
// the promise jobs that callback queued (lib/internal/process/task_queues.js: all ticks, then
// the microtasks, again until both are empty), so a tick queued after `promise.then(f)` still
// runs before f. The engine drains it that way at the end of every task (App::RunTicks):
// the first tick of a batch tells it there is work, an app that never queues one pays nothing.
import binding from 'rtjs:binding';
import { currentContext, runInContext } from './async-context.js';

// Ticks already run leave holes at the front; past this many the array is compacted, so that
// a tick that keeps queueing the next one runs in bounded memory.
const COMPACT_AFTER = 1024;

const queue = [];
let head = 0;
let signalled = false;

/** Runs every queued tick, those queued while it runs too; the engine's tick hook. */
function runTicks() {
  try {
    while (head < queue.length) {
      const tick = queue[head];
      queue[head++] = undefined;
      if (head >= COMPACT_AFTER && head * 2 >= queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      runInContext(tick.context, tick.callback, undefined, tick.args);
    }
  } finally {
    // A tick that threw leaves the rest for the engine's next pass (after the error was
    // offered to 'uncaughtException'), as Node's queue keeps them.
    if (head < queue.length) {
      binding.scheduleTicks(runTicks);
    } else {
      queue.length = 0;
      head = 0;
      signalled = false;
    }
  }
}

/** Queues callback(...args) to run once the current task's code returns, before promise jobs. */
export function queueTick(callback, args) {
  queue.push({ callback, args, context: currentContext() });
  if (!signalled) {
    signalled = true;
    binding.scheduleTicks(runTicks);
  }
}
