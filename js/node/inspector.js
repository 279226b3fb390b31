// node:inspector: rtjs offers no debugger protocol (an app's isolate has no inspector
// session), so there is no URL and opening one fails. console is the app's own console.
import { unavailable, unavailableClass } from '../internal/unavailable.js';

const WHY = 'the runtime has no inspector (V8 debugger protocol) for apps';
export const open = unavailable('inspector', 'open', WHY);
export function url() { return undefined; }
export function close() {}
export const waitForDebugger = unavailable('inspector', 'waitForDebugger', WHY);
export const Session = unavailableClass('inspector', 'Session', WHY);
export const console = globalThis.console;
export default { open, url, close, waitForDebugger, Session, console };
