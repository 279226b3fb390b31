// The app's environment: NAME -> VALUE strings given to init on the command line
// (`--env NAME=VALUE`, on the kernel through its command line) and passed to a child by
// its parent (inherited, or rt.spawn's `env`). Never the host's environment.
//
// appEnvironment() is the only reader of it: process.env, and a child inheriting this
// app's environment, go through here. An app whose grant limits `env` sees only the
// variables it names ('HOME', 'LC_*', '*'); the others are absent, as if never set, so a
// child spawned without `env` can inherit at most what its parent may see.
import binding from 'rtjs:binding';
import primordials from './primordials.js';

const { ObjectCreate, ObjectKeys } = primordials;

/** A fresh null-prototype copy of the part of the app's environment its grant shows. */
export function appEnvironment() {
  const env = ObjectCreate(null);
  const given = binding.env;
  if (!given) return env;
  const names = ObjectKeys(given);
  if (names.length === 0) return env;
  // An app with no limits sees everything, without loading the permission code.
  const limited = binding.permissionsOf(binding.appId) !== '';
  const { allowed } = limited ? binding.importSync('rtjs:services/access/broker.js') : {};
  for (let i = 0; i < names.length; i++) {
    if (!limited || allowed(binding.appId, 'env', names[i])) env[names[i]] = given[names[i]];
  }
  return env;
}
