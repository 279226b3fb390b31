// Node's constructors are plain functions that call themselves with `new` when called without
// it (fs.ReadStream(path), tls.Server(options), https.Agent()): the class, callable so.
// `new`, `instanceof`, `extends` and static members reach the class itself.
export const callableClass = (Class) => new Proxy(Class, { apply: (target, self, args) => new target(...args) });
