// node:readline/promises: readline whose question() returns a promise.
import { promises } from '../readline.js';

export const { Interface, createInterface } = promises;
export default promises;
