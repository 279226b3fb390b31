// The app's environment: NAME -> VALUE strings given to init on the command line
// (`--env NAME=VALUE`, on the kernel through its command line) and passed to a child by
// its parent (inherited, or rt.spawn's `env`). Never the host's environment.
//
// appEnvironment() is the only reader of it: process.env and anything else that shows
// an app its environment goes through here, so that a grant can narrow what an app sees
// in one place.
import binding from 'rtjs:binding';
import primordials from './primordials.js';

const { ObjectCreate, ObjectKeys } = primordials;

/** A fresh null-prototype copy of the app's environment. */
export function appEnvironment() {
  const env = ObjectCreate(null);
  const given = binding.env;
  if (given) {
    const names = ObjectKeys(given);
    for (let i = 0; i < names.length; i++) env[names[i]] = given[names[i]];
  }
  return env;
}
