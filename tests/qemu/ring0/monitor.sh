# Sourced by the tests that type on the kernel's VGA consoles with QEMU's sendkey and read the
# screen back: boots QEMU with its QMP monitor on a unix socket in $tmp (no port to guess) and
# gives each step a function that returns once QEMU has done it (tests/qemu/ring0/qmp.py).
# The sourcing test sets root and build; this makes $tmp, and on exit ends QEMU (qemu_stop) and
# removes $tmp (a test with more to do at exit sets its own trap).
qpid=
tmp=$(mktemp -d)
trap 'qemu_stop; rm -rf "$tmp"' EXIT

# qemu_boot INITRD APPEND: the kernel with 2 CPUs, COM1 to $tmp/serial.log, in the background.
qemu_boot() {
  qemu-system-x86_64 -cpu max -m 1G -smp 2 -display none -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial "file:$tmp/serial.log" \
    -qmp "unix:$tmp/qmp.sock,server=on,wait=off" -monitor none \
    -kernel "$build/rtjs.elf" -initrd "$1" -append "$2" &
  qpid=$!
}

qemu_stop() { [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; qpid=; }

# monitor CMD...: human-monitor commands in order, each carried out before the next is sent.
monitor() { python3 "$root/tests/qemu/ring0/qmp.py" "$tmp/qmp.sock" "$@" >/dev/null; }

# type_text TEXT: letters, digits, '*' and '+'; a newline is Enter.
type_text() {
  local text=$1 cmds=() i c
  for ((i = 0; i < ${#text}; i++)); do
    c=${text:i:1}
    case "$c" in
      '*') cmds+=("sendkey shift-8") ;;
      '+') cmds+=("sendkey shift-equal") ;;
      $'\n') cmds+=("sendkey ret") ;;
      *) cmds+=("sendkey $c") ;;
    esac
  done
  monitor "${cmds[@]}"
}

# vga_screen: VGA text memory (read with pmemsave) as 25 rows of 80 characters.
vga_screen() {
  rm -f "$tmp/vga.bin"
  monitor "pmemsave 0xb8000 4000 \"$tmp/vga.bin\""
  od -An -v -tu1 -w2 "$tmp/vga.bin" 2>/dev/null | awk '{ printf "%c", ($1 >= 32 && $1 < 127) ? $1 : 32 }' |
    fold -w 80 | sed 's/ *$//'
}

# serial_has REGEX: whether a line the kernel wrote to COM1 matches.
serial_has() { [ -f "$tmp/serial.log" ] && tr -d '\r' <"$tmp/serial.log" | grep -qE "$1"; }
