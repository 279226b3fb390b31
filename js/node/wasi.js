// node:wasi: no WASI system interface for WebAssembly programs; WebAssembly itself runs.
import { unavailableClass } from '../internal/unavailable.js';

export const WASI = unavailableClass('wasi', 'WASI', 'there is no WASI system interface (WebAssembly itself runs)');
export default { WASI };
