// node:tty: rtjs apps write to the console through process.stdout, never to a terminal
// device, so no descriptor is a TTY (packages then print without colour codes).
import { codedError } from '../internal/modules/errors.js';

export function isatty() { return false; }
export class ReadStream {
  constructor() { throw codedError(Error, 'ENOSYS', 'tty.ReadStream is not available on rtjs'); }
}
export class WriteStream {
  constructor() { throw codedError(Error, 'ENOSYS', 'tty.WriteStream is not available on rtjs'); }
}
export default { isatty, ReadStream, WriteStream };
