#!/bin/sh
# Fails the build if the final kernel's functions moved relative to the first link pass
# (whose symbols fill .ksyms): backtraces would then name the wrong functions.
set -eu
text() { nm -n --defined-only "$1" | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }'; }
a=$(mktemp) b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT
text "$1" > "$a"
text "$2" > "$b"
if ! cmp -s "$a" "$b"; then
	echo "ksyms-check: function addresses differ between the link passes:" >&2
	diff "$a" "$b" | head -5 >&2
	exit 1
fi
