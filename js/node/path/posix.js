// node:path/posix: the same as node:path on rtjs.
export * from '../path.js';
export { default } from '../path.js';
