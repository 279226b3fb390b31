#!/usr/bin/env bash
# Popular npm packages print under rtjs exactly what they print under Node.
#   npm.test.sh install FIXTURE_DIR             copies the cases there, installs the packages
#                                               (npm ci from package-lock.json, once per lock)
#   npm.test.sh compare FIXTURE_DIR RTJS [opts] runs each case under Node and under RTJS
#   npm.test.sh kernel FIXTURE_DIR BUILD_DIR    runs them all on the kernel in QEMU and
#                                               compares their digest with Node's
#   npm.test.sh run FIXTURE_DIR BUILD_DIR CASE  `./rtjs run` of one case file: the package
#                                               around it (node_modules too) goes along
#   npm.test.sh express FIXTURE_DIR RTJS [opts] an unmodified Express app answering HTTP
#   npm.test.sh express-kernel FIXTURE_DIR BUILD_DIR   the same on the kernel in QEMU
# Node runs with only the cases' environment (DEBUG for the debug package), and rtjs gets
# the same with --env, on the kernel through its command line: rtjs apps never see a host's
# environment.
set -u
here=$(cd "$(dirname "$0")" && pwd)
mode=$1 fixture=$2; shift 2

command -v node >/dev/null || { echo "FAIL - node is needed as the reference"; exit 1; }
case_env=('DEBUG=rtjs:*,-rtjs:quiet')
env_opts=()
for v in "${case_env[@]}"; do env_opts+=(--env "$v"); done
node_run() { (cd "$fixture" && env -i PATH="$PATH" "${case_env[@]}" node "$@"); }

case "$mode" in
  install)
    mkdir -p "$fixture"
    rm -rf "$fixture/cases"
    cp -r "$here/cases" "$here/run-all.mjs" "$here/package.json" "$here/package-lock.json" "$fixture/"
    cp "$here/express/app.cjs" "$fixture/express-app.cjs"
    cp "$here/express/express.test.mjs" "$fixture/express.test.mjs"
    if ! cmp -s "$here/package-lock.json" "$fixture/.installed-lock"; then
      echo "npm: installing the fixture's packages into $fixture"
      (cd "$fixture" && npm ci --no-audit --no-fund --loglevel=error) || { echo "FAIL - npm ci"; exit 1; }
      cp "$here/package-lock.json" "$fixture/.installed-lock"
    fi
    echo "ok - fixture installed" ;;
  compare)
    passed=0 failed=0
    for f in "$fixture"/cases/*; do
      name=cases/$(basename "$f")
      expected=$(node_run "$name" 2>&1)
      actual=$(cd "$fixture" && timeout 60 "$@" "${env_opts[@]}" "$name" 2>&1)
      if [ "$expected" = "$actual" ]; then
        passed=$((passed + 1)); echo "ok - $name"
      else
        failed=$((failed + 1)); echo "FAIL - $name"
        diff <(echo "$expected") <(echo "$actual") | head -20
      fi
    done
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] ;;
  kernel)
    build=$1
    digest=$(node_run run-all.mjs | tail -n 1)
    case "$digest" in digest\ *) ;; *) echo "FAIL - Node printed no digest: $digest"; exit 1 ;; esac
    echo "Node: $digest"
    exec "$here/../qemu/boot-check.sh" "$build" npm \
      --initrd-args "--add $fixture=/npm" \
      --cmdline "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 ${env_opts[*]} /npm/run-all.mjs" \
      --status 0 --expect "^$digest\$" --timeout 420 ;;
  run)
    build=$(cd "$1" && pwd) name=cases/$2
    expected=$(node_run "$name" 2>&1)
    # rtjs-run writes the app's initrd into the build directory it is given: a private one
    # (the programs and the runtime's initrd linked in) keeps other runs of it in the same
    # build tree out of the way.
    cmake --build "$build" --target initrd-runtime >/dev/null </dev/null || { echo "FAIL - initrd-runtime"; exit 1; }
    private=$(mktemp -d)
    ln -s "$build/rtjs" "$build/rtjs.elf" "$build/initrd-runtime.cpio" "$private/"
    "$here/../../scripts/rtjs-run" "$private" --timeout 240 "${env_opts[@]}" "$fixture/$name" </dev/null >"$private/out" 2>&1
    status=$?
    actual=$(tr -d '\r' <"$private/out"); rm -rf "$private"
    if [ $status -eq 0 ] && [[ $actual == *"$expected"* ]]; then
      echo "ok - rtjs run $name prints what Node prints"
    else
      echo "FAIL - rtjs run $name (status $status)"; echo "expected: $expected"; echo "$actual" | tail -n 20; exit 1
    fi ;;
  express)
    # The Express app in an app of its own on the loopback network service, asked by
    # node:http from another (the checks are in express/express.test.mjs).
    (cd "$fixture" && timeout 240 "$@" "$here/express/express.test.mjs" "$fixture") ;;
  express-kernel)
    # The fixture (node_modules included) as /npm in the initrd; both apps on the kernel.
    exec "$here/../qemu/boot-check.sh" "$1" npm-express \
      --initrd-args "--add $fixture=/npm" \
      --cmdline "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 /npm/express.test.mjs /npm" \
      --status 0 --expect '^11 passed, 0 failed$' --timeout 420 ;;
  *) echo "usage: $0 install|compare|kernel|run|express|express-kernel FIXTURE_DIR ..." >&2; exit 2 ;;
esac
