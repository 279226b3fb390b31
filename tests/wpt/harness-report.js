// Runs after testharness.js: hands completion to harness-env.js's report.
add_completion_callback(globalThis.__wptReport);
globalThis.__wptUncaught = (e) => { try { setup(() => {}); } catch { /* too late */ } console.error('uncaught:', e?.message ?? e); };
