// The password hasher, an app of its own: scrypt takes tens of milliseconds natively (much
// more under emulation) and is synchronous, so the session manager runs it here, on an
// engine of its own when the machine has several, and keeps answering the other consoles.
import { scryptHash } from './users.js';

rt.export({ hash: (password, salt, params) => rt.transfer(scryptHash(String(password), salt, params)) });
