# Sourced by bench/http and bench/tcp: the two guests they compare, in the same QEMU
# configuration (-m 1G -smp 1 -cpu max, TCG, virtio-net-pci on -netdev user with host
# forwards to ports 8080, 9001 and 9002), both serving bench/net-peer/server.mjs:
#   rtjs   the rtjs kernel; init (rtjs-init.mjs) starts the network service and runs the
#          server as an app granted the network
#   linux  Debian's kernel with its virtio-net driver, /init (linux-peer/net-init.c "node")
#          running Node (this host's node and its libraries) on the same script
# Needs: root, build/, $tmp. Sets http_port, sink_port, source_port.

deps="$root/.deps/linux-peer"
modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port) sink_port=$(free_port) source_port=$(free_port)

# Debian's kernel and its virtio-net modules, fetched once (as bench/virtio-net does).
prepare_guests() {
  local pkg m f
  pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')
  if [ ! -d "$deps/net-modules" ]; then
    echo "bench: fetching $pkg" >&2
    mkdir -p "$deps/boot" "$deps/net-modules"
    (cd "$tmp" && apt-get download "$pkg" >/dev/null)
    dpkg -x "$tmp"/linux-image-*.deb "$tmp/k"
    cp -n "$tmp"/k/boot/vmlinuz-* "$deps/boot/"
    for m in $modules; do find "$tmp/k/lib/modules" -name "$m.ko*" -exec cp {} "$deps/net-modules/" \; ; done
  fi
  vmlinuz=$(ls "$deps"/boot/vmlinuz-* | head -n1)
  local ir="$tmp/linux-ir" node
  mkdir -p "$ir"/{proc,sys,dev,mod,bin,srv,lib64,lib/x86_64-linux-gnu}
  gcc -static -O2 -o "$ir/init" "$root/bench/linux-peer/net-init.c"
  for m in $modules; do
    f=$(ls "$deps/net-modules/$m".ko* | head -n1)
    case $f in *.xz) xz -dc "$f" >"$ir/mod/$m.ko" ;; *.zst) zstd -qdc "$f" >"$ir/mod/$m.ko" ;; *) cp "$f" "$ir/mod/$m.ko" ;; esac
    echo "/mod/$m.ko" >>"$ir/modules"
  done
  node=$(command -v node)
  cp -L "$node" "$ir/bin/node"
  cp -L /lib64/ld-linux-x86-64.so.2 "$ir/lib64/"
  ldd "$node" | awk '/=> \// { print $3 }' | xargs -I{} cp -L {} "$ir/lib/x86_64-linux-gnu/"
  cp "$root/bench/net-peer/server.mjs" "$ir/srv/"
  (cd "$ir" && find . | cpio -o -H newc --quiet) >"$tmp/linux.cpio"
  "$root/scripts/mkinitrd" "$tmp/rtjs.cpio" --add "$root/bench/net-peer=/bench" >/dev/null
}

# boot GUEST: starts it in the background (pid in guest_pid) and waits until the server
# listens (its console says so). Returns 1 if it never does.
boot() {
  local log="$tmp/console-$1"
  : >"$log"
  local fwd="hostfwd=tcp:127.0.0.1:$http_port-:8080,hostfwd=tcp:127.0.0.1:$sink_port-:9001,hostfwd=tcp:127.0.0.1:$source_port-:9002"
  local q=(qemu-system-x86_64 -m 1G -smp 1 -cpu max -display none -no-reboot -monitor none -serial "file:$log"
    -netdev "user,id=n0,$fwd" -device virtio-net-pci,netdev=n0,disable-legacy=on)
  case $1 in
    rtjs) "${q[@]}" -kernel "$build/rtjs.elf" -initrd "$tmp/rtjs.cpio" \
            -append "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 /bench/rtjs-init.mjs /bench/server.mjs" & ;;
    linux) "${q[@]}" -kernel "$vmlinuz" -initrd "$tmp/linux.cpio" \
            -append "console=ttyS0 quiet rdinit=/init -- node /srv/server.mjs" & ;;
  esac
  guest_pid=$!
  for _ in $(seq 1800); do
    grep -q "^listening" "$log" 2>/dev/null && return 0
    kill -0 "$guest_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: the $1 guest never listened; its console:" >&2
  tr -d '\r' <"$log" | tail -n 20 >&2
  stop
  return 1
}

stop() {
  kill "$guest_pid" 2>/dev/null || true
  wait "$guest_pid" 2>/dev/null || true
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "nan") }'; }
