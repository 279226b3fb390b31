// rtjs's half of a crypto cross-check: checks the vectors Node produced (a JSON file, the
// first argument) with the suite the second argument names, then prints its own for Node.
const vectors = (await import(rt.argv[0], { with: { type: 'json' } })).default;
const { produce, check } = await import(`./${rt.argv[1]}.mjs`);
const { checks, failures } = await check(vectors);
for (const f of failures) console.error(`FAIL - ${f}`);
console.error(`rtjs checked node: ${checks - failures.length}/${checks}`);
console.log(JSON.stringify(await produce()));
rt.exit(failures.length ? 1 : 0);
