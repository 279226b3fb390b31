// node:constants (deprecated in Node, still required by old packages): os.constants' errno,
// signals and priority, fs.constants and crypto.constants in one object.
import { constants as os } from './os.js';
import { constants as fs } from './fs.js';
import { constants as crypto } from './crypto.js';

const constants = Object.freeze({ ...os.errno, ...os.priority, ...os.signals, ...fs, ...crypto });
export default constants;
