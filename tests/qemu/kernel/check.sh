#!/bin/sh
# Boots the kernel once through scripts/qemu-run and checks the outcome.
# Usage: check.sh [-s STATUS] [-e PATTERN]... [-x PATTERN]... -- <qemu-run arguments>
#   -s  expected qemu-run exit status (default 0)
#   -e  a fixed string the serial log must contain
#   -x  a fixed string the serial log must not contain
set -eu
here=$(dirname "$0")
qemu_run=$here/../../../scripts/qemu-run
want=0
expects=$(mktemp) rejects=$(mktemp) log=$(mktemp)
trap 'rm -f "$expects" "$rejects" "$log"' EXIT
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	case $1 in
	-s) want=$2; shift 2 ;;
	-e) printf '%s\n' "$2" >> "$expects"; shift 2 ;;
	-x) printf '%s\n' "$2" >> "$rejects"; shift 2 ;;
	*) echo "check.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ "${1-}" = "--" ] && shift

status=0
"$qemu_run" -q -l "$log" "$@" || status=$?
cat "$log"
fail=0
if [ "$status" != "$want" ]; then
	echo "check: exit status $status, expected $want" >&2
	fail=1
fi
while IFS= read -r p; do
	grep -qF -- "$p" "$log" || { echo "check: log lacks '$p'" >&2; fail=1; }
done < "$expects"
while IFS= read -r p; do
	if grep -qF -- "$p" "$log"; then echo "check: log has '$p'" >&2; fail=1; fi
done < "$rejects"
[ $fail = 0 ] && echo "check: ok"
exit $fail
