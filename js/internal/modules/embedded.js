// CommonJS packages embedded in the runtime (npm packages under rtjs:vendor/<name>/, put
// there by src/core/embed-js.cmake): a small require() over the embedded tree. Relative
// requires stay in the tree; bare ones are Node's built-ins (the package's own npm
// dependencies are the browser stand-ins for those built-ins, which rtjs has itself).
import binding from 'rtjs:binding';
import { codedError } from './errors.js';
import { builtinModule, normalize } from './resolve.js';

const { compileFunction, hasBuiltin, importSync, readBuiltin } = binding;
const wrapperParams = ['exports', 'require', 'module', '__filename', '__dirname'];
const cache = new Map();

/** What a bare require() in an embedded package gets besides the built-ins. */
const substitutes = {
  // readable-stream asks for Node's own stream first (and uses its own when there is none).
  stream: () => undefined,
  // The web platform's AbortController and AbortSignal (taken from their module, not from the
  // globals an app may have replaced).
  'abort-controller': () => importSync('rtjs:internal/abort.js'),
};

function resolveEmbedded(dir, spec) {
  const base = normalize(`/${dir}/${spec}`).slice(1);
  for (const candidate of [base, `${base}.js`, `${base}/index.js`]) if (hasBuiltin(candidate)) return candidate;
  throw codedError(Error, 'MODULE_NOT_FOUND', `Cannot find module '${spec}' in the embedded package at rtjs:${dir}`);
}

/** module.exports of the embedded CommonJS file `name` (a path under js/'s namespace). */
export function requireEmbedded(name) {
  const cached = cache.get(name);
  if (cached) return cached.exports;
  const source = readBuiltin(name);
  const module = { id: name, exports: {}, loaded: false };
  cache.set(name, module);
  const dir = name.slice(0, name.lastIndexOf('/'));
  const require = (spec) => {
    if (spec.startsWith('./') || spec.startsWith('../')) return requireEmbedded(resolveEmbedded(dir, spec));
    if (Object.prototype.hasOwnProperty.call(substitutes, spec)) return substitutes[spec]();
    const builtin = builtinModule(spec.replace(/\/$/, ''));
    if (builtin) return importSync(builtin).default;
    throw codedError(Error, 'MODULE_NOT_FOUND', `Cannot find module '${spec}' required by rtjs:${name}`);
  };
  try {
    const fn = compileFunction(source, `rtjs:${name}`, wrapperParams);
    Reflect.apply(fn, module.exports, [module.exports, require, module, `rtjs:${name}`, `rtjs:${dir}`]);
  } catch (err) {
    cache.delete(name);
    throw err;
  }
  module.loaded = true;
  return module.exports;
}
