// Node's half of a crypto cross-check: `produce SUITE` prints vectors, `check SUITE FILE`
// checks the ones rtjs produced. SUITE is interop (asymmetric), symmetric or dh. Run by
// interop.test.sh.
import { readFileSync } from 'node:fs';

const [, , command, suite, file] = process.argv;
const { produce, check } = await import(`./${suite}.mjs`);
if (command === 'produce') {
  process.stdout.write(JSON.stringify(await produce()));
} else {
  const { checks, failures } = await check(JSON.parse(readFileSync(file, 'utf8')));
  for (const f of failures) console.log(`FAIL - ${f}`);
  console.log(`node checked rtjs: ${checks - failures.length}/${checks}`);
  process.exitCode = failures.length ? 1 : 0;
}
