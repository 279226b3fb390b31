// Node's half of the asymmetric crypto cross-check: `produce` prints vectors, `check FILE`
// checks the ones rtjs produced. Run by interop.test.sh.
import { readFileSync } from 'node:fs';
import { produce, check } from './interop.mjs';

if (process.argv[2] === 'produce') {
  process.stdout.write(JSON.stringify(await produce()));
} else {
  const { checks, failures } = await check(JSON.parse(readFileSync(process.argv[3], 'utf8')));
  for (const f of failures) console.log(`FAIL - ${f}`);
  console.log(`node checked rtjs: ${checks - failures.length}/${checks}`);
  process.exitCode = failures.length ? 1 : 0;
}
