#!/usr/bin/env bash
# Node's own test/parallel files as the oracle for rtjs's node: modules. Not part of
# `./rtjs test` (it needs a checkout of Node's tests, which CI does not fetch).
#
# usage: tests/node-parallel/run.sh NODE_TESTS RTJS [MODULE...]
#   NODE_TESTS  a directory holding Node's test/parallel (and test/fixtures), e.g. a
#               checkout of nodejs/node or of denoland/node_test
#   RTJS        the runtime to judge (build/rtjs-sim)
#   MODULE      events buffer timers path querystring process string_decoder util assert
#               os url worker fs stream zlib readline net http dgram dns (the default: all
#               of them)
#
# Each file of a module (test-<module>-*.js, test-<module>.js) is copied beside this
# folder's own `common` helper and run under the host's Node and under rtjs. A file
# applies when it passes under Node and needs nothing rtjs leaves out on purpose (child
# processes, vm, Node's internals, node:test, ...: `excluded` below says which); the
# counts are of the files that apply. Tests read their files and fixtures from the folder
# they are copied to (the app's package, which rtjs mounts read-only) and write under
# common/tmpdir (the OS's temporary directory; /tmp, tmpfs, in rtjs). Failures and their
# first lines of output go to $OUT/failures.txt (OUT defaults to a temporary directory,
# printed at the end); the names of the files that pass go to $OUT/passing.txt. RTJS_TIMEOUT
# (seconds, 120 by default) is the hang guard of an rtjs run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$1 rtjs=$(realpath "$2"); shift 2
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(events buffer timers path querystring process string_decoder util assert os url worker fs stream zlib readline net http dgram dns)
[ -d "$src/test/parallel" ] || { echo "no test/parallel under $src" >&2; exit 2; }
command -v node >/dev/null || { echo "node is needed as the reference" >&2; exit 2; }

out=${OUT:-$(mktemp -d)}
work=$out/test
rm -rf "$work" && mkdir -p "$work/parallel"
cp -r "$here/common" "$work/common"
# A copy, not a link: rtjs serves an app's package directory without following links.
[ -d "$src/test/fixtures" ] && cp -r "$src/test/fixtures" "$work/fixtures"
echo '{}' >"$work/package.json" # the package around the tests: what rtjs mounts for them
: >"$out/failures.txt"
: >"$out/passing.txt"

# What a file needs that rtjs does not offer (a reason), or nothing.
excluded() {
  local f=$1
  grep -qE '^// Flags:' "$f" && { echo "needs Node flags"; return; }
  grep -qE "require\('(node:)?(child_process|cluster|vm|inspector|trace_events|v8|domain|repl|sqlite|wasi|http2|tls)'\)" "$f" &&
    { echo "needs a module rtjs leaves out"; return; }
  grep -qE "\brun\(\{ *files" "$f" && { echo "needs node:test run(), which starts child processes"; return; }
  grep -qE "require\('internal/|internalBinding|\.\./common/(hijackstdio|child_process|crypto|gc|wpt)" "$f" &&
    { echo "needs Node's internals or a helper of theirs"; return; }
}

# Node's tests take enoughTestMem (1.75 GiB, the machine's memory to Node) before they
# allocate half a gigabyte at once; a file that asks is given 2 GiB the way a user gives an
# app more (--heap-limit), since an app's default limit is 512 MB.
memory() { grep -q enoughTestMem "$1" && echo --heap-limit 2048; }

total_apply=0 total_pass=0
printf '%-16s %6s %8s %8s\n' module files applies passes
for m in "${modules[@]}"; do
  prefixes=("test-${m//_/-}")
  [ "$m" = events ] && prefixes+=(test-event-emitter)
  [ "$m" = stream ] && prefixes+=(test-stream2 test-stream3 test-streams)
  files=() apply=0 pass=0
  for prefix in "${prefixes[@]}"; do
    for f in "$src"/test/parallel/"$prefix"{-,.}*js; do
      [ -f "$f" ] && files+=("$f")
    done
  done
  for f in "${files[@]}"; do
    name=$(basename "$f")
    cp "$f" "$work/parallel/$name"
    why=$(excluded "$f")
    [ -n "$why" ] && continue
    (cd "$work/parallel" && timeout 60 env -i PATH="$PATH" node "$name" >"$out/node.out" 2>&1) || continue
    grep -q '^1\.\.0 # Skipped' "$out/node.out" && continue
    apply=$((apply + 1))
    if (cd "$work/parallel" && timeout "${RTJS_TIMEOUT:-120}" "$rtjs" --headless --budget 60000 $(memory "$f") "$name" >"$out/rtjs.out" 2>&1) &&
      ! grep -q '^1\.\.0 # Skipped' "$out/rtjs.out"; then
      pass=$((pass + 1))
      echo "$name" >>"$out/passing.txt"
    else
      { echo "== $name"; head -c 1500 "$out/rtjs.out"; echo; } >>"$out/failures.txt"
    fi
  done
  printf '%-16s %6d %8d %8d\n' "$m" ${#files[@]} $apply $pass
  total_apply=$((total_apply + apply)) total_pass=$((total_pass + pass))
done
printf '%-16s %6s %8d %8d\n' all '' $total_apply $total_pass
echo "failures: $out/failures.txt"
