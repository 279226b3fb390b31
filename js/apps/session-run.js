// Imported first by an app started from a session's shell (`run app args`): it makes the
// session's console the app's console, so what the app prints (and an uncaught error)
// shows there. The shell starts the app as the source text
//   import 'rtjs:apps/session-run.js'; await import('/path/to/app.js');
// so that the app's own path is resolved as any app's is (the runtime's modules resolve
// only the runtime's names). The app's rt.argv are the arguments given to run.
import binding from 'rtjs:binding';
import { setConsoleSink } from '../internal/console.js';
import { inspect } from '../internal/inspect.js';

const { write } = rt.grants ?? {};
if (typeof write !== 'function') {
  console.error('session-run: start me from a shell (run app args)');
  rt.exit(2);
}
const send = (text) => { write(text).catch(() => {}); };
setConsoleSink((stream, text) => send(text));
binding.setHooks({
  onUncaught: (error) => {
    // Frames inside the runtime's own machinery say nothing to the user.
    send(`Uncaught ${inspect(error).split('\n').filter((l) => !l.includes('(rtjs:internal/')).join('\n')}\n`);
    // The message leaves when this task ends; the app ends in the next one.
    setTimeout(() => rt.exit(1), 0);
    return true;
  },
});
