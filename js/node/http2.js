// node:http2: HTTP/2 is not offered (node:http serves HTTP/1.1, node:https over TLS); the
// module loads so that packages choosing a protocol at run time load.
import { unavailable } from '../internal/unavailable.js';

const WHY = 'HTTP/2 is not offered (node:http and node:https speak HTTP/1.1)';
export const createServer = unavailable('http2', 'createServer', WHY);
export const createSecureServer = unavailable('http2', 'createSecureServer', WHY);
export const connect = unavailable('http2', 'connect', WHY);
export const getDefaultSettings = unavailable('http2', 'getDefaultSettings', WHY);
export const getPackedSettings = unavailable('http2', 'getPackedSettings', WHY);
export const getUnpackedSettings = unavailable('http2', 'getUnpackedSettings', WHY);
export const constants = Object.freeze({});
export const sensitiveHeaders = Symbol('nodejs.http2.sensitiveHeaders');
export default {
  createServer, createSecureServer, connect, getDefaultSettings, getPackedSettings,
  getUnpackedSettings, constants, sensitiveHeaders,
};
