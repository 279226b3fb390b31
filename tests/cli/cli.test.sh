#!/usr/bin/env bash
# Command-line behaviour of the runtime: exit codes, error reports, the piped REPL.
# usage: cli.test.sh path/to/rtjs-sim [runtime options...]
set -u
rtjs=("$@")
here=$(cd "$(dirname "$0")" && pwd)
fx="$here/fixtures"
. "$here/checks.sh"

run "" "$fx/nothere.js"
check "a missing app is one line naming the path, status 2" \
  eval '[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && has "$err" "cannot open app .*nothere\.js.: No such file"'

run "" "$fx/syntax-error.js"
check "a syntax error gives file:line:column and status 1, nothing else runs" \
  eval '[ $status -eq 1 ] && [ -z "$out" ] && has "$err" "^.*syntax-error\.js:3:9: SyntaxError: Unexpected token"'

run "" "$fx/throws.js"
check "an uncaught exception prints its message and stack with file:line:column" \
  eval '[ $status -eq 1 ] && has "$err" "Uncaught Error: boom 1" && has "$err" "at f \(.*throws\.js:3:9\)" && has "$err" "throws\.js:5:1"'

run "" "$fx/throw-object.js"
check "a thrown non-Error is shown inspected" \
  eval '[ $status -eq 1 ] && has "$err" "Uncaught \{ code: 42 \}"'

run "" "$fx/recursion.js"
check "infinite recursion is a RangeError with a stack, not a crash" \
  eval '[ $status -eq 1 ] && has "$err" "Uncaught RangeError: Maximum call stack size exceeded" && has "$err" "at down \(.*recursion\.js:1:"'

run "" "$fx/rejection.js"
check "an unhandled rejection is reported like an uncaught exception and ends the app" \
  eval '[ $status -eq 1 ] && has "$err" "Uncaught \(in promise\) TypeError: nobody caught me" && ! has "$out" "not reached"'

run "" "$fx/exit-code.js"
check "rt.exit(7) ends at once with status 7" \
  eval '[ $status -eq 7 ] && [ "$out" = "one" ]'

run "" "$fx/exit-later.js"
check "rt.exit from a timer sets the status" \
  eval '[ $status -eq 3 ] && [ "$out" = "later" ]'

# Not on the ring-0 program hosted on Linux: the service's PCI scan uses port I/O, which a
# Linux process may not do.
if [[ ${rtjs[0]} == *rtjs-sim ]]; then
run "" "$fx/net-own.js"
check "a program run alone uses TCP on loopback unasked and ends by itself once its sockets are closed" \
  eval '[ $status -eq 0 ] && [ "$out" = "$(printf "hello over loopback\nECONNREFUSED")" ]'
fi

run "" "$fx/modules/imports-syntax-error.js"
check "a syntax error in an imported file names both files, status 1, no V8 fatal error" \
  eval '[ $status -eq 1 ] && [ -z "$out" ] && has "$err" "^.*bad-syntax\.js:2:23: SyntaxError: Unexpected token .;. \(imported from .*imports-syntax-error\.js\)$"'

run "" "$fx/modules/imports-bad-cjs.mjs"
check "a syntax error in an imported CommonJS file gives its file:line:column and the importer" \
  eval '[ $status -eq 1 ] && has "$err" "^.*bad\.cjs:2:11: SyntaxError: Unexpected token .,. \(imported from .*imports-bad-cjs\.mjs\)$"'

run "" "$fx/modules/import-exits.js"
check "rt.exit() in a module that import() is evaluating ends the app with that status" \
  eval '[ $status -eq 4 ] && [ -z "$out" ] && [ -z "$err" ]'

run "" "$fx/modules/exit-while-importing.js"
check "rt.exit() while dynamic imports are pending ends the app with that status" \
  eval '[ $status -eq 5 ] && [ -z "$out" ] && [ -z "$err" ]'

run "" "$fx/process-events.js"
check "process events: uncaughtException and unhandledRejection listeners, beforeExit, exit and exitCode as in Node" \
  eval '[ $status -eq 3 ] && [ "$out" = "$(printf "rejection nope\ncaught boom uncaughtException\nbeforeExit 3\nmore work\nbeforeExit 3\nexit 3")" ] && [ -z "$err" ]'

run $'a\nb\nc' "$fx/readline-lines.js"
check "node:readline reads the console's input line by line (the last line unterminated)" \
  eval '[ $status -eq 0 ] && [ "$out" = "3 lines: A|B|C" ]'

run $'ada\nx\ny\n' "$fx/readline-question.mjs"
check "readline/promises question() takes the first line, 'line' the others" \
  eval '[ $status -eq 0 ] && [ "$out" = "$(printf "name? \nhello ada\nthen x,y")" ]'

run "" "$fx/app-dir" alpha beta
check "a directory runs its package.json main with the app arguments" \
  eval '[ $status -eq 0 ] && [ "$out" = "dir app alpha,beta" ]'

run "" --heap-limit 32 "$fx/heap-hog.js"
check "an app that exhausts its heap is ended with a clear message, status 1" \
  eval '[ $status -eq 1 ] && has "$err" "ran out of memory \(heap limit 32 MB\)"'

run $'6*7\nlet x = 5\nx + 1\nfunction add(a, b) {\n  return a + b\n}\nadd(2, 3)\nthrow new Error("oops")\n"still here"\n({ a: [1, 2] })\n' -i
check "the REPL evaluates lines, keeps declarations, takes multi-line input, survives errors" \
  eval '[ $status -eq 0 ] && [ "$out" = "$(printf "42\nundefined\n6\nundefined\n5\n'"'"'still here'"'"'\n{ a: [ 1, 2 ] }")" ] && has "$err" "Uncaught Error: oops"'

run $'.exit\n1+1\n' -i
check "the REPL's .exit leaves" eval '[ $status -eq 0 ] && [ -z "$out" ]'

run "" --bogus-option
check "an unknown runtime option is refused with usage, status 2" \
  eval '[ $status -eq 2 ] && has "$err" "unknown option .--bogus-option."'

run "" -e 'console.log("eval", rt.argv.join(","))' one two
check "-e runs its code with the arguments that follow as rt.argv" \
  eval '[ $status -eq 0 ] && [ "$out" = "eval one,two" ]'

run "" --eval 'var g = 6; globalThis.g * 7 === 42 || rt.exit(9)'
check "--eval code is a classic script: its var is a global" eval '[ $status -eq 0 ] && [ -z "$out" ]'

run "" -p '[1, "two", { three: 3 }].length * 14'
check "-p prints the completion value" eval '[ $status -eq 0 ] && [ "$out" = "42" ]'

run "" -p '"plain"'
check "-p prints a string as console.log does (no quotes)" eval '[ "$out" = "plain" ]'

run "" -e 'const { createHash } = require("node:crypto"); console.log(createHash("sha256").update("").digest("hex").slice(0, 8), typeof module, exports === module.exports, __filename, __dirname, require("path").basename(module.filename))'
check "-e code is CommonJS as in Node: require, module, exports, __filename [eval], __dirname ." \
  eval '[ $status -eq 0 ] && [ "$out" = "e3b0c442 object true [eval] . [eval]" ]'

run "" -p 'require("node:os").EOL === "\n" && typeof require.resolve'
check "-p code has require too" eval '[ $status -eq 0 ] && [ "$out" = "function" ]'

run "" -e
check "-e without code is refused, status 2" eval '[ $status -eq 2 ] && has "$err" "-e needs the code"'

run "" -e 'throw Object.assign(new Error("outer", { cause: new TypeError("inner") }), { code: "E_OUTER" })'
check "an uncaught error prints its own properties and its cause, as Node" \
  eval '[ $status -eq 1 ] && has "$err" "Uncaught Error: outer" && has "$err" "code: .E_OUTER." && has "$err" "\[cause\]: TypeError: inner"'

run $'console.log("from a pipe", rt.argv.length)\nrt.exit(5)\n'
check "a program piped to rtjs runs, and its status is the exit status" \
  eval '[ $status -eq 5 ] && [ "$out" = "from a pipe 0" ]'

run $'import { x } from "./nothing-here.js"\n'
check "a piped program is a module (a static import of a missing file fails, status 1)" \
  eval '[ $status -ne 0 ] && has "$err" "nothing-here\.js"'

run $'await null; console.log(rt.argv.join("+"))\n' - a b
check "'-' reads the app from standard input; what follows is rt.argv" \
  eval '[ $status -eq 0 ] && [ "$out" = "a+b" ]'

run "" -v
check "-v names rtjs's and V8's versions" eval '[ $status -eq 0 ] && has "$out" "^rtjs [0-9]+\.[0-9]+" && has "$out" "^V8 [0-9]+\.[0-9]+"'

run "" -h
check "-h lists the options, short and long" \
  eval '[ $status -eq 0 ] && for o in -e,\ --eval -p,\ --print -i,\ --interactive -v,\ --version -h,\ --help --heap-limit --budget --cpus --script; do has "$out" "^  $o" || exit 1; done'

run "" -e 'console.table([{ a: 1, b: "x" }, { a: 2 }]); console.table(new Map([["k", { x: 1 }]]))'
# Node 20's output for the same calls.
table_expected='┌─────────┬───┬─────┐
│ (index) │ a │ b   │
├─────────┼───┼─────┤
│ 0       │ 1 │ '"'x'"' │
│ 1       │ 2 │     │
└─────────┴───┴─────┘
┌───────────────────┬─────┬──────────┐
│ (iteration index) │ Key │ Values   │
├───────────────────┼─────┼──────────┤
│ 0                 │ '"'k'"' │ { x: 1 } │
└───────────────────┴─────┴──────────┘'
check "console.table draws rows and Maps as Node 20" eval '[ $status -eq 0 ] && [ "$out" = "$table_expected" ]'

run "" -e 'reportError(new RangeError("reported")); console.log("after")'
check "reportError reports the error as uncaught after the current code, status 1" \
  eval '[ $status -eq 1 ] && [ "$out" = "after" ] && has "$err" "Uncaught RangeError: reported"'

run "" --env 'GREETING=hello world' --env EMPTY= --env 'A=b=c' -e '
  console.log(JSON.stringify(process.env));
  process.env.N = 5; console.log(typeof process.env.N, delete process.env.N, "N" in process.env);
  const child = rt.spawn({ source: "console.log(JSON.stringify(process.env))" });
  const other = rt.spawn({ source: "console.log(JSON.stringify(process.env))" }, { env: { ONLY: 1 } });
  Promise.all([child.exited, other.exited]).then(() => {
    try { rt.spawn({ source: "" }, { env: { "X=Y": "1" } }); } catch (e) { console.log(e.message); }
  });'
check "--env gives process.env (values as strings), inherited by a child or replaced by spawn's env" \
  eval '[ $status -eq 0 ] && [ "$(sed -n 1,2p <<<"$out")" = "{\"GREETING\":\"hello world\",\"EMPTY\":\"\",\"A\":\"b=c\"}
string true false" ] && has "$out" "^\{\"GREETING\":\"hello world\",\"EMPTY\":\"\",\"A\":\"b=c\"\}$" &&
    has "$out" "^\{\"ONLY\":\"1\"\}$" && has "$out" "env name .X=Y. is not valid"'

run "" -e 'console.log(JSON.stringify(process.env))'
check "without --env, process.env is empty (never the host's environment)" eval '[ $status -eq 0 ] && [ "$out" = "{}" ]'

for bad in "--cpus 0" "--cpus -1" "--env FOO" "--env =x" "--cpus 1000" "--cpus abc" "--cpus 1.5" "--heap-limit -1" \
  "--heap-limit abc" "--heap-limit 0" "--budget -1" "--budget abc" "--budget 1e400"; do
  # shellcheck disable=SC2086
  run "" $bad "$fx/exit-code.js"
  check "runtime option '$bad' is refused with a message naming it, status 2" \
    eval '[ $status -eq 2 ] && [ -z "$out" ] && has "$err" "^rtjs: ${bad%% *} .* is not valid: expected"'
done

# --check compiles without running: a module, a CommonJS body (top-level return), an error
# with file:line:column and status 1.
printf 'import x from "./nowhere.js";\nconsole.log("ran");\n' >"$tmp/ok.mjs"
run "" --check "$tmp/ok.mjs"
check "--check of a valid module prints nothing, status 0 (its imports are not loaded)" eval '[ $status -eq 0 ] && [ -z "$out$err" ]'
printf 'if (1) return;\nconsole.log("ran")\n' >"$tmp/ok.cjs"
run "" -c "$tmp/ok.cjs"
check "-c accepts a CommonJS body (top-level return)" eval '[ $status -eq 0 ] && [ -z "$out$err" ]'
printf 'console.log("ran");\nlet x = ;\n' >"$tmp/bad.js"
run "" --check="$tmp/bad.js"
check "--check=FILE reports a syntax error as file:line:column, status 1, nothing run" \
  eval '[ $status -eq 1 ] && [ -z "$out" ] && has "$err" "bad\.js:2:9: SyntaxError: Unexpected token"'
run "" --check "$tmp/none.js"
check "--check of a missing file names it, status 2" eval '[ $status -eq 2 ] && has "$err" "none\.js"'

run "" --input-type=module -e 'import { basename } from "node:path"; console.log(basename("/a/b.txt"), typeof require)'
check "--input-type=module runs -e code as a module" eval '[ $status -eq 0 ] && [ "$out" = "b.txt undefined" ]'
run "" --input-type module -p 1
check "--print with module input is refused as Node refuses it" eval '[ $status -eq 9 ] && has "$err" "cannot be used with ESM input"'
run 'var v = 6 * 7; console.log(v, globalThis.v)' --input-type=commonjs
check "--input-type=commonjs runs piped input as a script in the global scope" eval '[ $status -eq 0 ] && [ "$out" = "42 42" ]'
run "" --input-type=json -e 1
check "a bad --input-type is named" eval '[ $status -eq 9 ] && has "$err" "must be .module. or .commonjs."'

printf 'globalThis.order = (globalThis.order ?? []).concat("first");\n' >"$tmp/pre1.mjs"
printf 'globalThis.order.push("second");\n' >"$tmp/pre2.cjs"
printf 'console.log(globalThis.order.join(" "), "then main", rt.argv.join(","));\n' >"$tmp/main.mjs"
run "" -r "$tmp/pre1.mjs" --import="$tmp/pre2.cjs" "$tmp/main.mjs" a b
check "-r and --import run their modules first, in order; the app's arguments are its own" \
  eval '[ $status -eq 0 ] && [ "$out" = "first second then main a,b" ]'
run "" -r "$tmp/nothere.js" "$tmp/main.mjs"
check "a missing preload is named, status 2, the app not run" eval '[ $status -eq 2 ] && [ -z "$out" ] && has "$err" "cannot preload .*nothere"'

run "" --budget=5000 --heap-limit=64 --max-old-space-size=64 --expose-gc -p 'typeof gc'
check "--opt=value forms, --max-old-space-size and --expose-gc (passed to V8) as Node's" eval '[ $status -eq 0 ] && [ "$out" = "function" ]'
for opt in --inspect --inspect-brk=9229 --watch --test --env-file=.env; do
  run "" "$opt" "$fx/exit-code.js"
  check "$opt is refused with the reason, status 9" eval '[ $status -eq 9 ] && [ -z "$out" ] && has "$err" "^rtjs: ${opt%%=*} is not supported: "'
done

# A directory the runtime may not search: as root (which reads anything) the runtime runs as
# nobody for this check.
mkdir "$tmp/locked" && echo 'console.log("ran")' >"$tmp/locked/index.js" && chmod 711 "$tmp" && chmod 700 "$tmp/locked"
as_other=()
[ "$(id -u)" = 0 ] && as_other=(setpriv --reuid 65534 --regid 65534 --clear-groups) || chmod 000 "$tmp/locked"
printf '' | timeout 60 "${as_other[@]}" "${rtjs[@]}" "$tmp/locked" >"$tmp/out" 2>"$tmp/err"
status=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
check "an app directory that cannot be read says permission denied, status 2" \
  eval '[ $status -eq 2 ] && [ -z "$out" ] && has "$err" "Permission denied" && ! has "$err" "does not exist"'
chmod 700 "$tmp/locked"

finish
