// `rtjs --check FILE` (Node's -c): compiles FILE without running it. A syntax error is
// reported as any uncaught one (file:line:column, status 1); nothing else is printed. A .mjs
// file is a module, a .cjs file a CommonJS function body; a .js file is accepted as either,
// and its error is the module's when it is neither.
import binding from 'rtjs:binding';

const file = rt.argv[0];
const source = binding.readFile(file);
if (source === undefined) {
  binding.print(2, `rtjs: cannot open '${file}' to check it\n`);
  rt.exit(2);
}
const path = binding.realpath(file) || file;
if (/\.cjs$/.test(path)) {
  binding.checkSyntax(source, path, 'commonjs');
} else if (/\.mjs$/.test(path)) {
  binding.checkSyntax(source, path, 'module');
} else {
  try {
    binding.checkSyntax(source, path, 'module');
  } catch (moduleError) {
    try { binding.checkSyntax(source, path, 'commonjs'); } catch { throw moduleError; }
  }
}
