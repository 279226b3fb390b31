// node:console: the global console, as Node's module is (`require('console') === console`).
import { console } from '../internal/console.js';

export const {
  log, info, debug, warn, error, dir, table, trace, assert, count, countReset, group,
  groupCollapsed, groupEnd, time, timeEnd, timeLog,
} = console;
export default console;
