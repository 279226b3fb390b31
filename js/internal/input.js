// The console's input bytes (the terminal hosted, serial on bare metal), delivered to one
// consumer at a time: the REPL, or an app that asked for them.
import binding from 'rtjs:binding';

let consumer = null;

/**
 * Starts delivering input to `onBytes(Uint8Array)`; `onEnd()` runs at end of input.
 * raw: no echo and no line editing by the terminal (the consumer edits lines itself).
 */
export function readInput(onBytes, onEnd, { raw = false } = {}) {
  // Reading the console is the `console` permission (an app with no limits holds it).
  if (binding.permissionsOf(binding.appId) !== '') {
    binding.importSync('rtjs:services/access/broker.js').check(binding.appId, 'console');
  }
  consumer = { onBytes, onEnd };
  binding.consoleInputStart(raw);
}

export function stopInput() {
  consumer = null;
  binding.consoleInputStop();
}

/** Called by the engine with a Uint8Array, or null at end of input. */
export function onInput(bytes) {
  const c = consumer;
  if (!c) return;
  if (bytes === null) {
    stopInput();
    c.onEnd();
  } else {
    c.onBytes(bytes);
  }
}
