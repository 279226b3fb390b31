// rtjs's half of the asymmetric crypto cross-check: checks the vectors Node produced (a JSON
// file given as the argument), then prints its own for Node to check.
import { produce, check } from './interop.mjs';

const vectors = (await import(rt.argv[0], { with: { type: 'json' } })).default;
const { checks, failures } = await check(vectors);
for (const f of failures) console.error(`FAIL - ${f}`);
console.error(`rtjs checked node: ${checks - failures.length}/${checks}`);
console.log(JSON.stringify(await produce()));
rt.exit(failures.length ? 1 : 0);
