# The guest of a network test (rtjs-sim or the kernel in QEMU) seen from the host. The sourcing
# script sets $guest (its pid), $target (sim, or anything else for the kernel), $tmp/out (its output) and fail().

# guest_status: how the guest (a child of this shell) ended: "status N", or "signal NAME"
# (the shell reports death by signal N as status 128+N); call it only once the guest ended.
guest_status() {
  local status=0
  wait "$guest" 2>/dev/null || status=$?
  if [ "$status" -gt 128 ] && [ "$status" -lt 160 ]; then
    echo "signal $(kill -l $((status - 128)) 2>/dev/null || echo $((status - 128))) (status $status)"
  else
    echo "status $status"
  fi
}

# guest_listening LINE TENTHS: until the guest prints LINE (a hang guard of TENTHS tenths of
# a second); a guest that ends first fails the test, saying how it ended.
guest_listening() {
  for _ in $(seq "$2"); do
    grep -q "^$1" "$tmp/out" && return 0
    kill -0 "$guest" 2>/dev/null || fail "the guest ended before '$1' ($(guest_status))"
    sleep 0.1
  done
  fail "the guest never printed '$1'"
}

# guest_ended TENTHS: the guest ends by itself with status 0 (rtjs-sim's exit status, the
# kernel's power-off line); its output, without carriage returns, is in $out afterwards.
guest_ended() {
  for _ in $(seq "$1"); do kill -0 "$guest" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$guest" 2>/dev/null && fail "the guest did not end"
  local how
  how=$(guest_status)
  out=$(tr -d '\r' <"$tmp/out")
  if [ "$target" = sim ]; then
    [ "$how" = "status 0" ] || fail "rtjs-sim ended with $how"
  else
    grep -q "rtjs: power-off status=0$" <<<"$out" || fail "the kernel did not power off with status 0 (QEMU's script ended with $how)"
  fi
}

# check REGEX: a line of the guest's output matches.
check() { grep -qE "$1" <<<"$out" || fail "expected a line matching $1"; }
