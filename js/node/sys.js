// node:sys: the old name of node:util, which Node keeps as an alias.
export * from './util.js';
export { default } from './util.js';
