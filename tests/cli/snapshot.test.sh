#!/usr/bin/env bash
# The startup snapshot (docs/design.md, "Apps start from a startup snapshot"): an app started
# from one sees its own arguments, id, engine count and the built-ins V8 installs late, as an
# app that ran the bootstrap does; a snapshot that does not fit (other V8 flags, not a
# snapshot, cut short) is refused with the reason and the app runs the bootstrap instead.
# usage: snapshot.test.sh path/to/runtime [runtime options...]
set -u
rtjs=("$@")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/checks.sh"

cat >"$tmp/app.mjs" <<'JS'
const child = rt.spawn({ source: 'rt.export({ who: () => [rt.argv, rt.self.id, rt.self.parentId] })' },
  { args: ['c1'] });
const who = await (await child.interface).who();
child.kill();
console.log(JSON.stringify({ argv: rt.argv, id: rt.self.id, cpus: navigator.hardwareConcurrency > 0,
  late: [typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly], child: who }));
JS
expected='{"argv":["a","b"],"id":1,"cpus":true,"late":["function","object","object"],"child":[["c1"],2,1]}'

# Which start an app had: V8 installs WebAssembly when a context is made or deserialised, so it
# comes before the runtime's TextEncoder in a bootstrapped global and after it in one that was
# deserialised (the runtime's globals were already there).
cat >"$tmp/which.js" <<'JS'
const names = Object.getOwnPropertyNames(globalThis);
console.log(names.indexOf('WebAssembly') > names.indexOf('TextEncoder') ? 'snapshot' : 'bootstrap');
JS

run "" "$tmp/which.js"
check "without options the app starts from the snapshot beside the program" eval '[ "$out" = snapshot ]'
run "" --no-snapshot "$tmp/which.js"
check "--no-snapshot runs the bootstrap" eval '[ "$out" = bootstrap ]'

run "" "$tmp/app.mjs" a b
check "the snapshot beside the program: the app's own values" eval '[ $status -eq 0 ] && [ "$out" = "$expected" ] && [ -z "$err" ]'

run "" --no-snapshot "$tmp/app.mjs" a b
check "--no-snapshot: the bootstrap gives the same" eval '[ $status -eq 0 ] && [ "$out" = "$expected" ]'

run "" --make-snapshot "$tmp/made.snapshot"
check "--make-snapshot writes a file" eval '[ $status -eq 0 ] && [ -s "$tmp/made.snapshot" ]'

run "" --snapshot "$tmp/made.snapshot" "$tmp/app.mjs" a b
check "--snapshot FILE: the app's own values" eval '[ $status -eq 0 ] && [ "$out" = "$expected" ] && [ -z "$err" ]'

run "" --snapshot "$tmp/made.snapshot" "$tmp/which.js"
check "--snapshot FILE is the one used" eval '[ "$out" = snapshot ]'

run "" --v8-flags --stack-size=900 --snapshot "$tmp/made.snapshot" "$tmp/app.mjs" a b
check "a snapshot made with other V8 flags is refused, the app runs" \
  eval '[ $status -eq 0 ] && [ "$out" = "$expected" ] && has "$err" "not using the snapshot .*made with other V8 flags"'
run "" --v8-flags --stack-size=900 "$tmp/which.js"
check "other V8 flags: the snapshot beside the program is not used" eval '[ "$out" = bootstrap ]'

printf 'not a snapshot at all' >"$tmp/junk.snapshot"
run "" --snapshot "$tmp/junk.snapshot" "$tmp/app.mjs" a b
check "a file that is no snapshot is refused" \
  eval '[ $status -eq 0 ] && [ "$out" = "$expected" ] && has "$err" "not a snapshot of rtjs"'

head -c 300 "$tmp/made.snapshot" >"$tmp/cut.snapshot"
run "" --snapshot "$tmp/cut.snapshot" "$tmp/app.mjs" a b
check "a snapshot cut short is refused" eval '[ $status -eq 0 ] && [ "$out" = "$expected" ] && has "$err" "truncated"'

finish
