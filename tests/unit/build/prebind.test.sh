#!/bin/sh
# prebind on a library made for it: the bound copy computes what the original does (the
# program's interposition still wins), and ld.so no longer looks up the library's own symbols.
# usage: prebind.test.sh PREBIND PROGRAM LIBRARY_DIR WORK_DIR
set -eu
prebind=$1 program=$2 libdir=$3 work=$4
lib=libprebind-fixture.so
rm -rf "$work" && mkdir -p "$work/bound"
fail() { echo "FAIL: $*"; exit 1; }

# The host's directories too: unique symbols are bound only when prebind read the whole closure.
"$prebind" -L "$libdir" -L /lib/x86_64-linux-gnu -L /usr/lib/x86_64-linux-gnu "$program" "$work/bound" "$lib" > "$work/prebind.out" || fail "prebind failed"
cat "$work/prebind.out"
grep -q ": [1-9][0-9]* of [0-9]* symbol relocations bound" "$work/prebind.out" || fail "nothing was bound"

original=$(LD_LIBRARY_PATH="$libdir" "$program")
bound=$(LD_LIBRARY_PATH="$work/bound" "$program")
[ "$original" = "572285 5" ] || fail "the original libraries gave $original, expected 572285 5"
[ "$bound" = "572285 5" ] || fail "the bound libraries gave $bound, expected 572285 5 (as the original)"

LD_DEBUG=bindings LD_LIBRARY_PATH="$libdir" "$program" > /dev/null 2> "$work/original.bindings"
LD_DEBUG=bindings LD_LIBRARY_PATH="$work/bound" "$program" > /dev/null 2> "$work/bound.bindings"
self() { grep "binding file [^ ]*$lib .* to [^ ]*$lib .*\`$2'" "$1" | wc -l; }
for sym in prebind_value prebind_counter prebind_unique; do
  [ "$(self "$work/original.bindings" $sym)" -gt 0 ] || fail "the original library does not look up $sym (nothing to test)"
  [ "$(self "$work/bound.bindings" $sym)" -eq 0 ] || fail "the bound library still looks up $sym"
done
grep -q "binding file [^ ]*$lib .* to [^ ]*prebind-fixture-main .*\`prebind_interposed'" "$work/bound.bindings" ||
  fail "prebind_interposed no longer resolves to the program's definition"
[ "$(self "$work/bound.bindings" prebind_shared_unique)" -gt 0 ] ||
  fail "the bound library no longer looks up prebind_shared_unique, which another library defines too"
# The library is BIND_NOW with its PLT relocations right after the others, which ld.so applies
# as one range: every RELATIVE relocation of both tables is in the prefix DT_RELACOUNT counts.
types=$(readelf -rW "$work/bound/$lib" | awk '$3 ~ /^R_X86_64_/ { print $3 }')
relacount=$(readelf -dW "$work/bound/$lib" | awk '/RELACOUNT/ { print $3 }')
relative=$(echo "$types" | grep -c '^R_X86_64_RELATIVE$')
leading=$(echo "$types" | awk '$1 != "R_X86_64_RELATIVE" { exit } { n++ } END { print n + 0 }')
[ "$relative" -eq "$relacount" ] && [ "$leading" -eq "$relacount" ] ||
  fail "RELATIVE relocations: $relative, $leading of them leading, DT_RELACOUNT $relacount"
echo "prebind: bound copy correct, own symbols bound, interposition kept, RELATIVE relocations first"
