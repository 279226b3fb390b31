#!/bin/sh
# Turns the text symbols of a kernel ELF (first link pass) into the .ksyms section
# (assembly) linked into the second pass, for symbolised backtraces.
# Table layout (cpu/ksyms.c): u64 count; count x {u64 address; u64 name offset from the
# table start}; NUL-terminated names.
set -eu
elf=$1
out=$2
nm -n --defined-only "$elf" | awk '
$2 ~ /^[tTwW]$/ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .ksyms, \"a\""
	print "\t.balign 8"
	print "ksyms_table:"
	printf "\t.quad %d\n", n
	for (i = 0; i < n; i++)
		printf "\t.quad 0x%s, ksym_%d - ksyms_table\n", addr[i], i
	for (i = 0; i < n; i++)
		printf "ksym_%d:\t.asciz \"%s\"\n", i, name[i]
	print "\t.section .note.GNU-stack, \"\", @progbits"
}' > "$out.tmp"
mv "$out.tmp" "$out"
