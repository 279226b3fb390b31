#!/bin/sh
# rtjs-sim links only what every run uses: libslirp (with GLib and PCRE2), libpng and SDL2 are
# opened with dlopen when a run needs them (--net user, a screenshot, a window).
# usage: sim-libraries.test.sh RTJS_SIM
set -eu
needed=$(readelf -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || { echo "FAIL: no DT_NEEDED entries read from $1"; exit 1; }
echo "$needed" | tr '\n' ' '; echo
for lib in libslirp libglib libpcre2 libpng libSDL2; do
  if echo "$needed" | grep -q "^$lib"; then
    echo "FAIL: $1 names $lib as a needed library (it is to be loaded when used)"
    exit 1
  fi
done
echo "rtjs-sim: no library loaded only when used is linked"
