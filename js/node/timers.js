// node:timers: the global timers (Timeout and Immediate objects, js/internal/timers.js).
import {
  setTimeout, setInterval, clearTimeout, clearInterval, setImmediate, clearImmediate,
} from '../internal/timers.js';
import promises from './timers/promises.js'; // require('timers').promises is require('timers/promises')

export { setTimeout, setInterval, clearTimeout, clearInterval, setImmediate, clearImmediate, promises };

export default { setTimeout, setInterval, clearTimeout, clearInterval, setImmediate, clearImmediate, promises };
