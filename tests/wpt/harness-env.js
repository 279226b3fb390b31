// Runs before WPT's testharness.js and the test (all one classic script in the global scope,
// under rtjs and under Node alike): what a worker-like global offers that testharness and
// the .any.js tests read, and the report. Results go to standard output as one line,
// "WPT-RESULTS " + JSON, then the program ends.
globalThis.self = globalThis;
globalThis.location ??= { href: 'https://web-platform.test:8443/', origin: 'https://web-platform.test:8443', protocol: 'https:', host: 'web-platform.test:8443', hostname: 'web-platform.test', port: '8443', pathname: '/', search: '', hash: '' };
globalThis.__wptReport = function report(tests, status) {
  const out = {
    harness: status.status,
    message: status.message ?? null,
    tests: tests.map((t) => ({ name: t.name, status: t.status, message: t.message ?? null })),
  };
  const line = 'WPT-RESULTS ' + JSON.stringify(out) + '\n';
  if (globalThis.__wptWrite) globalThis.__wptWrite(line); else console.log(line.slice(0, -1));
  const exit = globalThis.rt?.exit ?? globalThis.process?.exit;
  setTimeout(() => exit(0), 0);
};
// An error nobody catches (a throw in a timer, a rejection) is the harness's, as a browser
// reports it to the window's error handler, not the end of the run.
globalThis.process?.on?.('uncaughtException', (e) => globalThis.__wptUncaught?.(e));
globalThis.process?.on?.('unhandledRejection', (e) => globalThis.__wptUncaught?.(e));
